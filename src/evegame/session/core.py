"""GameSession: one player's game with its saves, autosave, play clock and endings gallery.

Every front end (the Textual TUI, the plain line mode) drives a game through this class, so a
game saved in one is the same game in the other. It imports no user-interface library: errors
come back as exceptions or as messages for the front end to show in its own way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import Game, Outcome, Story
from ..engine.errors import ChoiceError, SaveError
from ..engine.saves import AUTOSAVE, SaveInfo, SaveStore
from ..userdata import Gallery
from .labels import outcome_messages


@dataclass
class PlayClock:
    """Play time in seconds: what was saved plus the time since this session started."""

    base: float = 0.0
    now: Callable[[], float] = field(default=time.monotonic, repr=False)
    _started: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._started = self.now()

    @property
    def elapsed(self) -> float:
        return self.base + max(0.0, self.now() - self._started)


def rebuild(story: Story, snapshot: Mapping[str, Any]) -> tuple[Game, list[str]]:
    """A game in the state of ``snapshot`` with its undo history, when the path replays exactly.

    Replaying the path through ``Game.choose`` from the start gives the same states the
    player went through, so undo reaches back to the start even after a load or a reload.
    When the replay does not reproduce the snapshot (the story changed), fall back to
    ``Game.restore`` (no undo history). Raises SaveError like ``Game.restore``.
    """
    restored = Game.restore(story, snapshot)
    replay = Game(story)
    try:
        for scene, key in restored.path:
            if replay.state.scene != scene:
                break
            replay.choose(key)
    except ChoiceError:
        pass
    else:
        if replay.snapshot() == restored.snapshot():
            replay.notices = list(restored.notices)
            return replay, list(restored.notices)
    return restored, list(restored.notices)


@dataclass
class Chosen:
    """What one choice did: the engine's outcome, what to tell the player, and what went wrong on disk."""

    outcome: Outcome
    messages: list[str]
    new_finds: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class GameSession:
    """The game being played on one story, and the player's files for it under ``data_dir``."""

    def __init__(self, story: Story, data_dir: Path, *, codex_hint: str = "press c") -> None:
        self.story = story
        self.codex_hint = codex_hint  # how the front end opens the codex, for "New codex entry" messages
        self.data_dir = Path(data_dir)
        self.saves = SaveStore(self.data_dir, story)
        self.gallery = Gallery.load(self.data_dir)
        self.game: Game | None = None
        self.clock = PlayClock()
        self.codex_seen: set[str] = set()

    def use_story(self, story: Story, game: Game | None = None) -> None:
        """Switch to an edited version of the story (hot reload), with the game moved onto it."""
        self.story = story
        self.saves = SaveStore(self.data_dir, story)
        if game is not None:
            self.game = game

    # -- starting, loading, saving ------------------------------------------------------

    def start(self, game: Game, play_time: float = 0.0) -> None:
        self.game = game
        self.clock = PlayClock(play_time)
        self.codex_seen = set(game.codex)

    def new_game(self) -> list[str]:
        """Start the story from its beginning and autosave; return the problems saving met."""
        self.start(Game(self.story))
        return self.autosave()

    def continue_slot(self) -> SaveInfo | None:
        """The save Continue resumes: the latest loadable one whose game is not over."""
        scenes = self.story.scenes
        good = [i for i in self.saves.list() if i.ok and i.scene in scenes and not scenes[i.scene].is_ending]
        if not good:
            return None
        return max(good, key=lambda i: (i.saved_at or "", i.path.stat().st_mtime_ns if i.path.exists() else 0))

    def load(self, slot: str) -> list[str]:
        """Resume the game saved in ``slot`` (with its undo history); return notices. Raises SaveError."""
        loaded = self.saves.load(slot)
        game, _ = rebuild(self.story, loaded.game.snapshot())
        self.start(game, loaded.play_time)
        return list(loaded.notices)

    def save(self, slot: str) -> Path:
        """Save the game in ``slot``; raises SaveError (also when there is no game)."""
        if self.game is None:
            raise SaveError("there is no game to save")
        return self.saves.save(slot, self.game, play_time=self.clock.elapsed)

    def autosave(self) -> list[str]:
        """Save into the autosave slot; return the problem as a message (empty when saved)."""
        try:
            self.save(AUTOSAVE)
        except SaveError as exc:
            return [f"Cannot save: {exc}"]
        return []

    # -- playing ---------------------------------------------------------------------------

    def choose(self, choice: str | int) -> Chosen:
        """Take a choice (raises ChoiceError), autosave, and note an ending in the gallery."""
        game = self.game
        if game is None:
            raise ChoiceError("there is no game in progress")
        outcome = game.choose(choice)
        messages = outcome_messages(game, outcome, self.codex_hint)
        result = Chosen(outcome, messages, problems=self.autosave())
        if game.is_over:
            result.new_finds, problems = self.record_ending()
            result.problems += problems
        return result

    def undo(self, steps: int = 1) -> tuple[int, list[str]]:
        """Step back; return how many steps were undone and the problems autosaving met."""
        if self.game is None:
            return 0, []
        done = self.game.undo(steps)
        return done, self.autosave() if done else []

    def record_ending(self) -> tuple[list[str], list[str]]:
        """Note the ending and the achievements earned in the gallery: the new ones, and any problem saving it."""
        game = self.game
        assert game is not None and game.ending is not None
        new = self.gallery.record(self.story.id, game.ending, [a.id for a in game.achievements()])
        try:
            self.gallery.save(self.data_dir)
        except OSError as exc:
            return new, [f"Cannot save the endings gallery: {exc}"]
        return new, []
