"""Save files: versioned JSON documents written atomically, read defensively.

A save holds the format version, the story's id and content hash, the scene, the
state (with the path taken), a timestamp and the play time. Writing goes through
a temporary file in the same folder, ``fsync`` and ``os.replace``, so a process
killed mid-save leaves the previous save whole. Reading never raises anything but
``SaveError`` with a reason a player can read; damaged files are listed, not deleted.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import SaveError
from .game import Game
from .model import Story

SAVE_FORMAT = "evegame-save"
SAVE_VERSION = 1
SLOTS = [str(n) for n in range(1, 10)]
AUTOSAVE = "auto"
MAX_SAVE_BYTES = 16 * 1024 * 1024
LEFTOVER_AGE = 600.0  # seconds before a killed save's temp file is swept away


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so that ``path`` holds either the old or the new document, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def read_json(path: Path) -> Any:
    """Read a JSON file; raise SaveError with a readable reason."""
    try:
        size = path.stat().st_size
        if size > MAX_SAVE_BYTES:
            raise SaveError(f"file is too large ({size} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise SaveError(f"cannot read file: {exc.strerror or exc}") from None
    if not raw.strip():
        raise SaveError("file is empty")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SaveError("file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise SaveError(f"file is truncated or corrupt (JSON error at line {exc.lineno}, column {exc.colno})") from None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def serialize(game: Game, *, slot: str, play_time: float) -> dict[str, Any]:
    """The save document for ``game``."""
    story = game.story
    return {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "slot": slot,
        "saved_at": _now(),
        "play_time": round(float(play_time), 3),
        "story": {"id": story.id, "title": story.title, "hash": story.content_hash},
        "scene": game.state.scene,
        "scene_title": game.current.title,
        "turns": len(game.path),
        "state": game.snapshot(),
    }


@dataclass
class LoadedSave:
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
        raise SaveError(f"save belongs to another story ({info['id']!r}, not {story.id!r})")
    return info.get("hash") != story.content_hash


def deserialize(story: Story, data: Any, **game_options: Any) -> LoadedSave:
    """A game from a save document; raises SaveError with the reason it cannot be used."""
    changed = check_header(story, data)
    state = data.get("state")
    if not isinstance(state, dict):
        raise SaveError("save holds no game state")
    try:
        game = Game.restore(story, state, **game_options)
    except SaveError as exc:
        if changed:
            raise SaveError(f"the story changed since this save: {exc}") from None
        raise
    notices = list(game.notices)
    if changed:
        notices.insert(0, "the story has changed since this save was made; resuming where you were")
    play_time = data.get("play_time", 0.0)
    if not isinstance(play_time, (int, float)) or isinstance(play_time, bool) or play_time < 0:
        play_time = 0.0
    saved_at = data.get("saved_at") if isinstance(data.get("saved_at"), str) else ""
    return LoadedSave(game, float(play_time), notices, saved_at)


@dataclass
class SaveInfo:
    """One save file as the load screen lists it (``ok`` False: damaged, with ``reason``)."""

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


class SaveStore:
    """The save slots of one story under ``data_dir/saves/<story id>/``."""

    def __init__(self, data_dir: Path, story: Story) -> None:
        self.story = story
        self.directory = Path(data_dir) / "saves" / story.id

    def path(self, slot: str) -> Path:
        if slot != AUTOSAVE and slot not in SLOTS:
            raise SaveError(f"no save slot {slot!r} (slots are 1-9 and 'auto')")
        return self.directory / ("auto.json" if slot == AUTOSAVE else f"slot-{slot}.json")

    def save(self, slot: str, game: Game, *, play_time: float) -> Path:
        path = self.path(slot)
        try:
            write_json_atomic(path, serialize(game, slot=slot, play_time=play_time))
        except OSError as exc:
            raise SaveError(f"cannot write {path}: {exc.strerror or exc}") from None
        self.sweep_leftovers()
        return path

    def sweep_leftovers(self, min_age: float = LEFTOVER_AGE) -> int:
        """Remove temp files of saves that were killed mid-write (older than ``min_age`` s).

        These are never saves: a save becomes one only by the final rename. Returns how many went.
        """
        removed = 0
        cutoff = time.time() - min_age
        for tmp in self.directory.glob(".*.json.*.tmp"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    def load(self, slot: str, **game_options: Any) -> LoadedSave:
        path = self.path(slot)
        if not path.exists():
            raise SaveError(f"slot {slot} is empty")
        return deserialize(self.story, read_json(path), **game_options)

    def info(self, slot: str) -> SaveInfo | None:
        path = self.path(slot)
        if not path.exists():
            return None
        try:
            data = read_json(path)
            changed = check_header(self.story, data)
            scene = data.get("scene")
            state = data.get("state")
            if not isinstance(state, dict) or not isinstance(scene, str):
                raise SaveError("save holds no game state")
            if scene not in self.story.scenes:
                raise SaveError(f"the story changed: scene {scene!r} no longer exists")
        except SaveError as exc:
            return SaveInfo(slot, path, False, str(exc))
        play_time = data.get("play_time", 0.0)
        turns = data.get("turns", 0)
        return SaveInfo(
            slot,
            path,
            True,
            None,
            scene=scene,
            scene_title=self.story.scenes[scene].title or scene,
            saved_at=data.get("saved_at") if isinstance(data.get("saved_at"), str) else None,
            play_time=float(play_time)
            if isinstance(play_time, (int, float)) and not isinstance(play_time, bool)
            else 0.0,
            turns=turns if isinstance(turns, int) and not isinstance(turns, bool) else 0,
            story_changed=changed,
        )

    def list(self) -> list[SaveInfo]:
        """Every non-empty slot (autosave first), damaged ones included with their reason."""
        out = []
        for slot in [AUTOSAVE, *SLOTS]:
            info = self.info(slot)
            if info is not None:
                out.append(info)
        return out

    def latest(self) -> SaveInfo | None:
        """The most recently saved loadable slot, for Continue."""
        good = [i for i in self.list() if i.ok]
        if not good:
            return None
        return max(good, key=lambda i: (i.saved_at or "", i.path.stat().st_mtime_ns if i.path.exists() else 0))

    def delete(self, slot: str) -> None:
        self.path(slot).unlink(missing_ok=True)
