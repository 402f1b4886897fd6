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
from ..engine.saves import AUTOSAVE, SaveInfo, SaveResult, SaveStore
from ..paths import data_dir_problem
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


def rebuild(story: Story, snapshot: Mapping[str, Any], game_id: str | None = None) -> tuple[Game, list[str]]:
    """A game in the state of ``snapshot`` with its undo history when the path replays exactly
    (``Game.restore(replay=True)``: linear in the path; else no undo history). Raises SaveError."""
    game = Game.restore(story, snapshot, replay=True, game_id=game_id)
    return game, list(game.notices)


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
        self.kept_previous: str | None = None  # where the last autosave put the game it replaced
        self.writable = True  # False: the data folder cannot be written (said once); nothing is tried
        self.unsaved: str | None = None  # why the last autosave failed (None: the game on disk is current)
        self.pending = False  # a choice taken with ``autosave=False`` is not on disk yet (``flush``)

    def check_data_dir(self) -> str | None:
        """Why saves cannot be written in the data folder (None: they can), for the player to be told once.

        While they cannot, autosaving and the gallery stay silent instead of failing after every
        choice; saving in a slot still tries, and says why it fails.
        """
        problem = data_dir_problem(self.data_dir)
        self.writable = problem is None
        return problem

    def use_story(self, story: Story, game: Game | None = None) -> None:
        """Switch to an edited version of the story (hot reload), with the game moved onto it."""
        self.story = story
        self.saves = SaveStore(self.data_dir, story)
        if game is not None:
            self.game = game

    # -- starting, loading, saving ------------------------------------------------------

    def start(self, game: Game, play_time: float = 0.0) -> None:
        self.flush()  # the game being replaced is kept (autosaves rotate) as it was after its last choice
        self.game = game
        self.clock = PlayClock(play_time)
        self.codex_seen = set(game.codex)

    def new_game(self) -> list[str]:
        """Start the story from its beginning and autosave; return the problems saving met."""
        self.start(Game(self.story))
        return self.autosave()

    def continue_slot(self) -> SaveInfo | None:
        """The save Continue resumes: the game last played (the autosave follows it) when it loads and
        is not over, else the latest save that loads and is not over (``SaveStore.continue_info``)."""
        return self.saves.continue_info()

    def load(self, slot: str) -> list[str]:
        """Resume the game saved in ``slot`` (with its undo history); return notices. Raises SaveError.

        The autosave then holds this game (the one it held is kept as a previous game), so
        Continue resumes the game loaded last.
        """
        loaded = self.saves.load(slot)
        self.start(loaded.game, loaded.play_time)
        notices = list(loaded.notices)
        if slot != AUTOSAVE:
            notices += self.autosave()
        return notices

    def save(self, slot: str, *, overwrite: bool = False) -> SaveResult:
        """Save the game in ``slot``; raises SaveError (also when there is no game), and SlotChanged
        when another game wrote the slot since it was listed (ask, then ``overwrite=True``)."""
        if self.game is None:
            raise SaveError("there is no game to save")
        result = self.saves.save(slot, self.game, play_time=self.clock.elapsed, overwrite=overwrite)
        if result.kept_as is not None:
            self.kept_previous = result.kept_as
        return result

    def autosave(self) -> list[str]:
        """Save into the autosave slot; return problems as messages (empty when saved and nothing was set aside)."""
        self.pending = False
        if not self.writable:
            self.unsaved = "the data folder cannot be written"
            return []  # the player was told at start
        try:
            notes = self.save(AUTOSAVE).notes
        except SaveError as exc:
            self.unsaved = str(exc)
            return [f"Cannot save: {exc}"]
        self.unsaved = None
        return notes

    # -- playing ---------------------------------------------------------------------------

    def flush(self) -> list[str]:
        """Write the autosave a choice left pending (``choose(autosave=False)``); problems as messages."""
        return self.autosave() if self.pending and self.game is not None else []

    def choose(self, choice: str | int, *, autosave: bool = True) -> Chosen:
        """Take a choice (raises ChoiceError), autosave, and note an ending in the gallery.

        ``autosave=False``: the autosave is left pending for the front end to ``flush`` once the
        new scene is on screen (and before quitting, switching screens or suspending).
        """
        game = self.game
        if game is None:
            raise ChoiceError("there is no game in progress")
        outcome = game.choose(choice)
        messages = outcome_messages(game, outcome, self.codex_hint)
        if autosave:
            problems = self.autosave()
        else:
            problems, self.pending = [], True
        result = Chosen(outcome, messages, problems=problems)
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
        earned = game.achievements()  # their texts filled in from the state the game ended in
        new = self.gallery.record(
            self.story.id,
            game.ending,
            [a.id for a in earned],
            ending_title=game.scene.ending_title,
            achievement_texts={a.id: (a.title, a.description) for a in earned},
        )
        if not self.writable:
            return new, []
        try:
            self.gallery.save(self.data_dir)
        except OSError as exc:
            return new, [f"Cannot save the endings gallery: {exc}"]
        return new, []
