"""Save files: versioned JSON documents written atomically, read defensively, never lost.

A save holds the format version, the game's id, the story's id and content hash, the scene,
the state (with the path taken), a timestamp and the play time. Writing goes through a
temporary file in the same folder, ``fsync`` and ``os.replace`` (see ``safefiles``), so a
process killed mid-save leaves the previous save whole. Reading never raises anything but
``SaveError`` with a one-line reason; damaged files are listed with it, and kept.

The autosave (``auto.json``) follows the game being played. When a different game is
autosaved (a New game, a loaded slot, another evegame on the same folder), the game that
was there moves to ``auto-1.json`` and the older ones one further, up to ``PREVIOUS_KEPT``:
starting a game never destroys the one before. A numbered slot is never overwritten unless
it holds what this store last read or wrote there (else ``SlotChanged``); a damaged file is
moved to a ``.damaged`` name first. Every write happens under a lock on the saves folder,
so two games on one data folder take turns.
"""

from __future__ import annotations

import builtins
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import SaveError, SlotChanged
from .game import Game
from .model import Story
from .safefiles import (
    LEFTOVER_AGE,
    MAX_JSON_BYTES,
    Fingerprint,
    backup_damaged,
    fingerprint,
    locked,
    read_bytes_bounded,
    read_json,
    sweep_temp_files,
    write_bytes_atomic,
    write_json_atomic,
)

__all__ = [
    "AUTOSAVE",
    "LEFTOVER_AGE",
    "MAX_SAVE_BYTES",
    "PREVIOUS",
    "SLOTS",
    "LoadedSave",
    "SaveInfo",
    "SaveResult",
    "SaveStore",
    "read_json",
    "saved_at_text",
    "slot_label",
    "write_json_atomic",
]

SAVE_FORMAT = "evegame-save"
SAVE_VERSION = 1
SLOTS = [str(n) for n in range(1, 10)]
AUTOSAVE = "auto"
PREVIOUS_KEPT = 5
PREVIOUS = [f"auto-{n}" for n in range(1, PREVIOUS_KEPT + 1)]  # earlier games' autosaves, newest first
LOAD_ORDER = [AUTOSAVE, *PREVIOUS, *SLOTS]
MAX_SAVE_BYTES = MAX_JSON_BYTES
MAX_PLAY_TIME = 100 * 365 * 24 * 3600.0  # seconds; anything above is not a real play time
_GAME_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


def slot_label(slot: str) -> str:
    """The name a player sees: "Autosave", "Previous game 2", "Slot 3"."""
    if slot == AUTOSAVE:
        return "Autosave"
    if slot in PREVIOUS:
        return f"Previous game {slot.removeprefix('auto-')}"
    return f"Slot {slot}"


def parse_saved_at(stamp: object) -> datetime | None:
    """A save's timestamp as an aware UTC datetime; None for anything that is not one."""
    if not isinstance(stamp, str) or len(stamp) > 64:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
        return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):  # e.g. 0001-01-01T00:00:00+14:00 is before year 1 in UTC
        return None


def saved_at_text(stamp: object) -> str:
    """A save's timestamp for display, in local time ("2026-12-02 03:14"); never raises."""
    moment = parse_saved_at(stamp)
    if moment is None:
        return "unknown time"
    try:
        return moment.astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError, OSError):
        return moment.strftime("%Y-%m-%d %H:%M UTC")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def serialize(game: Game, *, slot: str, play_time: float) -> dict[str, Any]:
    """The save document for ``game``."""
    story = game.story
    return {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "game_id": game.game_id,
        "slot": slot,
        "saved_at": _now(),
        "play_time": round(_play_time(play_time), 3),
        "story": {"id": story.id, "title": story.title, "hash": story.content_hash},
        "scene": game.state.scene,
        "scene_title": game.current.title,
        "turns": len(game.path),
        "state": game.snapshot(),
    }


def _play_time(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    value = float(value)
    return value if 0.0 <= value <= MAX_PLAY_TIME else 0.0


def game_id_of(data: dict[str, Any]) -> str:
    """The id of the game a save belongs to; saves from before ids existed get one from their content."""
    gid = data.get("game_id")
    if isinstance(gid, str) and _GAME_ID.fullmatch(gid):
        return gid
    seed = repr((data.get("saved_at"), data.get("scene"), data.get("turns"), data.get("slot")))
    return "legacy-" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:32]


@dataclass
class LoadedSave:
    """A save read back: the game replayed to it, its play time and what was noticed on the way."""

    game: Game
    play_time: float
    notices: list[str]
    saved_at: str


def check_header(story: Story, data: Any) -> bool:
    """Raise SaveError unless ``data`` is a save of this format, version and story.

    Return True when the story's content changed since the save was written.
    """
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError("not an evegame save file")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError("save has no format version")
    if version > SAVE_VERSION:
        raise SaveError(f"save was written by a newer evegame (format {version}; this one reads {SAVE_VERSION})")
    if version < 1:
        raise SaveError(f"save format {version} is no longer supported")
    info = data.get("story")
    if not isinstance(info, dict) or not isinstance(info.get("id"), str):
        raise SaveError("save does not say which story it belongs to")
    if info["id"] != story.id:
        raise SaveError(f"save belongs to another story ({info['id'][:80]!r}, not {story.id!r})")
    return info.get("hash") != story.content_hash


def deserialize(story: Story, data: Any, *, replay: bool = False, **game_options: Any) -> LoadedSave:
    """A game from a save document; raises SaveError with the reason it cannot be used.

    With ``replay`` the saved path is played again so undo reaches back to the start
    (``Game.restore``); the game keeps the save's game id, so its autosaves follow it.
    """
    changed = check_header(story, data)
    state = data.get("state")
    if not isinstance(state, dict):
        raise SaveError("save holds no game state")
    try:
        game = Game.restore(story, state, replay=replay, game_id=game_id_of(data), **game_options)
    except SaveError as exc:
        if changed:
            raise SaveError(f"the story changed since this save: {exc}") from None
        raise
    notices = list(game.notices)
    if changed:
        notices.insert(0, "the story has changed since this save was made; resuming where you were")
    saved_at = data.get("saved_at")
    return LoadedSave(game, _play_time(data.get("play_time")), notices, saved_at if isinstance(saved_at, str) else "")


@dataclass
class SaveInfo:
    """One save file as the load screen lists it (``ok`` False: damaged, with ``reason``).

    ``ok`` means the save loads: the whole state was checked against the story.
    """

    slot: str
    path: Path
    ok: bool
    reason: str | None
    scene: str | None = None
    scene_title: str | None = None
    saved_at: str | None = None
    play_time: float = 0.0
    turns: int = 0
    story_changed: bool = False
    over: bool = False  # the game reached an ending
    game_id: str | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return slot_label(self.slot)

    @property
    def damage(self) -> str:
        """One line naming the file and what is wrong with it ("" when it is fine)."""
        return "" if self.ok else f"{self.path.name}: {self.reason}"

    @property
    def when(self) -> str:
        """When it was saved, for display (local time; "unknown time" when the stamp is odd)."""
        return saved_at_text(self.saved_at)


def _what_changed(record: tuple[Fingerprint, str | None] | None) -> str:
    if record is None:
        return "holds a save this game has not listed"
    if record[0] is None:
        return "was empty when listed, and another game has saved there since"
    return "was changed by another game since it was listed"


def _one_line(reason: str) -> str:
    line = " ".join(reason.split())
    return line if len(line) <= 200 else line[:199] + "…"


@dataclass
class SaveResult:
    """Where a save went, and what happened to what was there.

    ``notes``: damaged files that were set aside (plain sentences to show the player);
    ``kept_as``: the slot where the game that was in the autosave went (e.g. "auto-1").
    """

    path: Path
    notes: list[str] = field(default_factory=list)
    kept_as: str | None = None


class SaveStore:
    """The saves of one story under ``data_dir/saves/<story id>/``.

    The store remembers each file as it last read or wrote it (its ``fingerprint``), which is
    how it knows a slot was changed by someone else since.
    """

    def __init__(self, data_dir: Path, story: Story) -> None:
        self.story = story
        self.directory = Path(data_dir) / "saves" / story.id
        self._seen: dict[str, tuple[Fingerprint, str | None]] = {}  # slot -> (fingerprint, game id)
        self._parsed: dict[str, tuple[Fingerprint, Any]] = {}  # the autosave's document, read for listing

    def path(self, slot: str) -> Path:
        if slot == AUTOSAVE:
            return self.directory / "auto.json"
        if slot in PREVIOUS:
            return self.directory / f"{slot}.json"
        if slot in SLOTS:
            return self.directory / f"slot-{slot}.json"
        raise SaveError(f"no save slot {slot!r} (slots are 1-9, 'auto' and 'auto-1' to 'auto-{PREVIOUS_KEPT}')")

    # -- reading ----------------------------------------------------------------------------

    def _read(self, slot: str) -> Any:
        """The document in ``slot``, remembered as seen; SaveError naming the file."""
        path = self.path(slot)
        before = fingerprint(path)
        kept = self._parsed.pop(slot, None)
        if kept is not None and before is not None and kept[0] == before:
            return kept[1]  # listed a moment ago and unchanged since: not read and parsed again
        try:
            data = read_json(path)
        except SaveError as exc:
            self._seen[slot] = (before, None)
            raise SaveError(f"{path.name}: {_one_line(str(exc))}") from None
        after = fingerprint(path)
        gid = game_id_of(data) if isinstance(data, dict) else None
        self._seen[slot] = (after if after == before else None, gid)
        if after == before and slot == AUTOSAVE:
            self._parsed[slot] = (after, data)  # Continue lists the autosave, then loads it
        return data

    def load(self, slot: str, *, replay: bool = True, **game_options: Any) -> LoadedSave:
        """The game in ``slot`` (with its undo history when ``replay``); SaveError naming the file."""
        path = self.path(slot)
        if fingerprint(path) is None:
            self._seen[slot] = (None, None)
            raise SaveError(f"{slot_label(slot)} is empty")
        data = self._read(slot)
        try:
            return deserialize(self.story, data, replay=replay, **game_options)
        except SaveError as exc:
            raise SaveError(f"{path.name}: {_one_line(str(exc))}") from None

    def info(self, slot: str) -> SaveInfo | None:
        """What ``slot`` holds (None: empty), checked as a load would check it."""
        path = self.path(slot)
        if fingerprint(path) is None:
            self._seen[slot] = (None, None)
            return None
        try:
            data = self._read(slot)
            changed = check_header(self.story, data)
            state = data.get("state")
            if not isinstance(state, dict):
                raise SaveError("save holds no game state")
            from .state import GameState

            GameState.from_snapshot(self.story, state)  # every check a load makes, without building a game
        except SaveError as exc:
            reason = _one_line(str(exc).removeprefix(f"{path.name}: "))
            return SaveInfo(slot, path, False, reason)
        scene = state["scene"]
        turns = data.get("turns", 0)
        saved_at = data.get("saved_at")
        return SaveInfo(
            slot,
            path,
            True,
            None,
            scene=scene,
            scene_title=self.story.scenes[scene].title or scene,
            saved_at=saved_at if parse_saved_at(saved_at) is not None else None,
            play_time=_play_time(data.get("play_time")),
            turns=turns if isinstance(turns, int) and not isinstance(turns, bool) and 0 <= turns < 10**9 else 0,
            story_changed=changed,
            over=self.story.scenes[scene].is_ending,
            game_id=game_id_of(data),
        )

    def list(self) -> builtins.list[SaveInfo]:
        """Every non-empty slot (autosave, previous games, slots 1-9), damaged ones with their reason."""
        return [info for slot in LOAD_ORDER if (info := self.info(slot)) is not None]

    def continue_info(self) -> SaveInfo | None:
        """The game Continue resumes: the game last played (the autosave follows it) when it loads and is
        not over; else the most recently saved game that loads and is not over; else None."""
        auto = self.info(AUTOSAVE)
        if auto is not None and auto.ok and not auto.over:
            return auto
        rest = [i for i in self.list() if i.ok and not i.over and i.slot != AUTOSAVE]
        never = datetime.min.replace(tzinfo=UTC)
        return max(rest, key=lambda i: parse_saved_at(i.saved_at) or never, default=None)

    # -- writing ----------------------------------------------------------------------------

    def save(self, slot: str, game: Game, *, play_time: float, overwrite: bool = False) -> SaveResult:
        """Write ``game`` into ``slot``; SaveError (nothing written) when it cannot.

        Slots 1-9: raises ``SlotChanged`` when the slot holds something this store has not
        seen (written by another game since it was listed) unless ``overwrite``. The autosave:
        a different game found there is kept as "Previous game 1". A damaged file is moved to
        a ``.damaged`` name first. ``SaveResult.notes`` says what happened to what was there.
        """
        if slot in PREVIOUS:
            raise SaveError(f"{slot_label(slot)} keeps an earlier game as it was; save into a slot 1-9")
        path = self.path(slot)
        document = serialize(game, slot=slot, play_time=play_time)
        notes: builtins.list[str] = []
        kept_as: str | None = None
        try:
            with locked(self.directory / ".lock"):
                on_disk = fingerprint(path)
                record = self._seen.get(slot)
                seen, seen_game = record if record is not None else (None, None)
                if slot == AUTOSAVE:
                    if on_disk is not None and (on_disk != seen or seen_game != game.game_id):
                        kept_as = self._make_room_for_autosave(game.game_id, notes)
                else:
                    if on_disk != seen and not overwrite:
                        raise SlotChanged(f"{slot_label(slot)} {_what_changed(record)}; nothing was saved")
                    if on_disk is not None:
                        notes += self._set_aside_if_damaged(slot)
                write_json_atomic(path, document)
                self._seen[slot] = (fingerprint(path), game.game_id)
                self._parsed.clear()
        except OSError as exc:
            raise SaveError(f"cannot write {path}: {exc.strerror or exc}") from None
        self.sweep_leftovers()
        return SaveResult(path, notes, kept_as)

    def _set_aside_if_damaged(self, slot: str) -> builtins.list[str]:
        info = self.info(slot)
        if info is None or info.ok:
            return []
        aside = backup_damaged(info.path)
        return [f"{info.path.name} was damaged ({info.reason}); it is kept as {aside.name}"]

    def _make_room_for_autosave(self, current: str, notes: builtins.list[str]) -> str | None:
        """Keep what is in auto.json before it is replaced: another game's save moves to the previous
        games (return where); a file that is no save of this story moves to a ``.damaged`` name."""
        path = self.path(AUTOSAVE)
        try:
            data = self._read(AUTOSAVE)
            check_header(self.story, data)
        except SaveError as exc:
            aside = backup_damaged(path)
            reason = _one_line(str(exc).removeprefix(f"{path.name}: "))
            notes.append(
                f"{path.name} could not be used ({reason}); it is kept as {aside.name}, and a fresh autosave was written"
            )
            return None
        self._rotate(game_id_of(data), current)
        return PREVIOUS[0]

    def _rotate(self, displaced: str, current: str) -> None:
        """auto.json becomes "Previous game 1", the previous games move one further.

        An earlier position of the displaced game or of the game being saved is replaced by
        its latest (as an autosave always is); past ``PREVIOUS_KEPT`` the oldest game rotates
        out, unless it cannot be read: then it is kept under a ``.damaged`` name. Every step is
        one rename (right moves from the end, then left moves from the start, so no file is
        renamed over one still to move); auto.json stays in place throughout.
        """
        previous = [self.path(slot) for slot in PREVIOUS]
        kept: builtins.list[int] = []
        superseded: builtins.list[int] = []
        for i, path in enumerate(previous):
            if fingerprint(path) is None:
                continue
            try:
                found = read_json(path)
                gid = game_id_of(found) if isinstance(found, dict) else None
            except SaveError:
                gid = None
            (superseded if gid in (displaced, current) else kept).append(i)
        for i in kept[len(previous) - 1 :]:  # no room left for the oldest
            if self.info(PREVIOUS[i]) is not None and not self.info(PREVIOUS[i]).ok:  # type: ignore[union-attr]
                backup_damaged(previous[i])
            else:
                previous[i].unlink()
        moves = [(src, dst) for dst, src in enumerate(kept[: len(previous) - 1], 1) if src != dst]
        for src, dst in sorted((m for m in moves if m[1] > m[0]), reverse=True):
            previous[src].replace(previous[dst])
        for src, dst in sorted(m for m in moves if m[1] < m[0]):
            previous[src].replace(previous[dst])
        for i in superseded:
            if i > len(kept[: len(previous) - 1]) and (fingerprint(previous[i]) is not None):
                previous[i].unlink()
        write_bytes_atomic(previous[0], read_bytes_bounded(self.path(AUTOSAVE)))

    def sweep_leftovers(self, min_age: float = LEFTOVER_AGE) -> int:
        """Remove temp files of saves that were killed mid-write (older than ``min_age`` s)."""
        return sweep_temp_files(self.directory, min_age)
