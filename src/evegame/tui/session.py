"""Plain helpers for the TUI (no Textual): play clock, outcome messages, save labels, rebuilding games."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..engine import Game, Outcome, Story
from ..engine.errors import ChoiceError
from ..engine.render import format_value
from ..engine.saves import SaveInfo


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


def format_duration(seconds: float) -> str:
    """``h:mm:ss`` (or ``m:ss`` under an hour)."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_saved_at(stamp: str | None) -> str:
    """An ISO timestamp from a save, in local time; the raw text when it does not parse."""
    if not stamp:
        return "unknown time"
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def slot_name(slot: str) -> str:
    return "Autosave" if slot == "auto" else f"Slot {slot}"


def slot_lines(slot: str, info: SaveInfo | None) -> tuple[str, str]:
    """Two lines describing a save slot for the save/load screens."""
    name = slot_name(slot)
    if info is None:
        return f"{name}: empty", ""
    if not info.ok:
        return f"{name}: DAMAGED", f"  {info.reason} ({info.path.name} is kept)"
    title = info.scene_title or info.scene or "?"
    changed = " · story changed since" if info.story_changed else ""
    detail = f"  saved {format_saved_at(info.saved_at)} · played {format_duration(info.play_time)}"
    choices = "1 choice" if info.turns == 1 else f"{info.turns} choices"
    return f"{name}: {title}", f"{detail} · {choices}{changed}"


def outcome_messages(game: Game, outcome: Outcome) -> list[str]:
    """What a player should be told after a choice: visible variables that changed, codex entries found."""
    story = game.story
    shown = {label for label, _ in game.status()}
    labels = {item.var: item.label for item in story.status if item.label in shown}
    messages = []
    for var, (old, new) in outcome.changes.items():
        if var not in labels:
            continue  # hidden variables stay hidden
        label = labels[var]
        if isinstance(old, list) and isinstance(new, list):
            gained = [v for v in new if v not in old]
            lost = [v for v in old if v not in new]
            parts = [f"+ {format_value([v])}" for v in gained] + [f"− {format_value([v])}" for v in lost]
            messages.append(f"{label}: {', '.join(parts) or format_value(new)}")
        elif isinstance(old, int) and isinstance(new, int) and not isinstance(new, bool):
            delta = new - old
            messages.append(f"{label}: {format_value(old)} → {format_value(new)} ({delta:+d})")
        else:
            messages.append(f"{label}: {format_value(old)} → {format_value(new)}")
    for cid in outcome.unlocked:
        entry = story.codex.get(cid)
        if entry is not None:
            messages.append(f"New codex entry: {entry.title} (press c)")
    return messages


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
