"""The player's persisted preferences and achievements: settings and the endings gallery.

Both are small JSON files in the data folder, written atomically under a lock. A damaged
file is moved aside (``settings.json.damaged``, then ``.damaged-2``, ...; an earlier backup
is never replaced) and defaults are used, so a bad file never stops play. A file written by
a newer evegame (a higher ``version``) is kept as it is: it is read as far as it can be and
never overwritten (saving raises ``UserDataError``). Two games on one data folder share the
gallery: each save merges what is on disk with what this game found, so no ending is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .engine.errors import SaveError
from .engine.safefiles import backup_damaged, locked, read_json, sweep_temp_files, write_json_atomic

SETTINGS_FILE = "settings.json"
GALLERY_FILE = "gallery.json"
LOCK_FILE = ".userdata.lock"
FORMAT_VERSION = 1
MAX_NAME = 200  # characters in a theme, ending or achievement name read back
MAX_TEXT = 2000  # characters in an ending's title or an achievement's text as the player read it
# the texts of what was found, as the player read them then ({var}s filled in), by ending name / achievement id
TEXT_KINDS = ("ending_titles", "achievement_titles", "achievement_descriptions")


class UserDataError(OSError):
    """A settings or gallery file that must not be written (e.g. one from a newer evegame)."""


@dataclass
class _Read:
    """A settings or gallery file read back."""

    data: dict[str, Any] | None = None  # the document, when it is one this evegame understands
    warning: str | None = None
    newer: str | None = None  # why the file must be kept as it is (None: writable)


def _read(path: Path, valid: Any) -> _Read:
    """Read ``path``: absent (nothing), ours (``valid(data)`` is True), newer (kept), or damaged (moved aside)."""
    if not path.exists() and not path.is_symlink():
        return _Read()
    try:
        data = read_json(path)
    except SaveError as exc:
        return _set_aside(path, str(exc))
    version = data.get("version", FORMAT_VERSION) if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        why = f"{path}: written by a newer evegame (version {version}); kept as it is and not changed"
        return _Read(None, why, why)
    if version != FORMAT_VERSION or not valid(data):
        return _set_aside(path, "not a file this evegame wrote (unexpected contents)")
    return _Read(data)


def _set_aside(path: Path, reason: str) -> _Read:
    try:
        aside = backup_damaged(path)
    except OSError:
        why = f"{path}: {reason}; it could not be moved aside, so it is kept and not changed"
        return _Read(None, why, why)
    return _Read(None, f"{path}: {reason}; kept as {aside.name}, using defaults")


def _is_name(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_NAME


def _is_text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _settings_valid(data: Any) -> bool:
    return isinstance(data, dict)


@dataclass
class Settings:
    """The player's settings (theme, text speed, animations)."""

    theme: str = "textual-dark"
    reveal_speed: int = 0  # characters per second for the typewriter effect; 0 = instant
    animations: bool = True
    warning: str | None = field(default=None, repr=False, compare=False)
    kept_reason: str | None = field(default=None, repr=False, compare=False)  # set: never written
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # keys of other versions

    @classmethod
    def load(cls, data_dir: Path) -> Settings:
        data_dir = Path(data_dir)
        sweep_temp_files(data_dir)
        read = _read(data_dir / SETTINGS_FILE, _settings_valid)
        settings = cls(warning=read.warning, kept_reason=read.newer)
        data = read.data or {}
        if _is_name(data.get("theme")):
            settings.theme = data["theme"]
        speed = data.get("reveal_speed")
        if isinstance(speed, int) and not isinstance(speed, bool) and 0 <= speed <= 10_000:
            settings.reveal_speed = speed
        if isinstance(data.get("animations"), bool):
            settings.animations = data["animations"]
        settings.extra = {k: v for k, v in data.items() if k not in ("version", "theme", "reveal_speed", "animations")}
        return settings

    def save(self, data_dir: Path) -> None:
        """Write the settings (other keys already in the file are kept); UserDataError for a kept file."""
        if self.kept_reason:
            raise UserDataError(self.kept_reason)
        data_dir = Path(data_dir)
        path = data_dir / SETTINGS_FILE
        with locked(data_dir / LOCK_FILE):
            read = _read(path, _settings_valid)
            if read.newer:
                self.kept_reason = read.newer
                raise UserDataError(read.newer)
            document = {**self.extra, **(read.data or {})}
            document.update(
                version=FORMAT_VERSION, theme=self.theme, reveal_speed=self.reveal_speed, animations=self.animations
            )
            write_json_atomic(path, document)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _gallery_valid(data: Any) -> bool:
    stories = data.get("stories", {}) if isinstance(data, dict) else None
    if not isinstance(stories, dict):
        return False
    for sid, entry in stories.items():
        if not (_is_name(sid) and isinstance(entry, dict)):
            return False
        for kind in ("endings", "achievements"):
            found = entry.get(kind, {})
            if not (isinstance(found, dict) and all(_is_name(k) and _is_name(v) for k, v in found.items())):
                return False
        for kind in TEXT_KINDS:  # added later: a gallery without them still loads
            found = entry.get(kind, {})
            if not (isinstance(found, dict) and all(_is_name(k) and _is_text(v) for k, v in found.items())):
                return False
    return True


Found = dict[str, dict[str, dict[str, str]]]  # story id -> "endings"/"achievements" -> name -> when


def _merge(into: Found, other: Found) -> None:
    """Add what ``other`` found to ``into``; for a find in both, the earlier time stays."""
    for sid, entry in other.items():
        mine = into.setdefault(sid, {"endings": {}, "achievements": {}})
        for kind in ("endings", "achievements"):
            target = mine.setdefault(kind, {})
            for name, when in entry.get(kind, {}).items():
                if name not in target or when < target[name]:
                    target[name] = when
        for kind in TEXT_KINDS:  # the text read last (ours) stays
            target = mine.setdefault(kind, {})
            for name, text in entry.get(kind, {}).items():
                target.setdefault(name, text)


@dataclass
class Gallery:
    """Endings found and achievements earned, per story id, across every game."""

    stories: Found = field(default_factory=dict)
    warning: str | None = field(default=None, repr=False, compare=False)
    kept_reason: str | None = field(default=None, repr=False, compare=False)  # set: never written

    @classmethod
    def load(cls, data_dir: Path) -> Gallery:
        data_dir = Path(data_dir)
        sweep_temp_files(data_dir)
        read = _read(data_dir / GALLERY_FILE, _gallery_valid)
        gallery = cls(warning=read.warning, kept_reason=read.newer)
        if read.data is not None:
            _merge(gallery.stories, read.data.get("stories", {}))
        return gallery

    def _story(self, story_id: str) -> dict[str, dict[str, str]]:
        return self.stories.setdefault(story_id, {"endings": {}, "achievements": {}})

    def record(
        self,
        story_id: str,
        ending: str,
        achievement_ids: list[str],
        *,
        ending_title: str | None = None,
        achievement_texts: Mapping[str, tuple[str, str]] | None = None,
    ) -> list[str]:
        """Note an ending and achievements; return the ones never seen before.

        ``ending_title`` and ``achievement_texts`` (id -> title, description) are the texts as the
        player read them when the game ended (``{var}``s filled in): the gallery shows those.
        """
        entry = self._story(story_id)
        new = []
        when = _now()
        if ending not in entry.setdefault("endings", {}):
            entry["endings"][ending] = when
            new.append(ending)
        for aid in achievement_ids:
            if aid not in entry.setdefault("achievements", {}):
                entry["achievements"][aid] = when
                new.append(aid)
        if ending_title is not None:
            entry.setdefault("ending_titles", {})[ending] = ending_title[:MAX_TEXT]
        for aid, (title, description) in (achievement_texts or {}).items():
            entry.setdefault("achievement_titles", {})[aid] = title[:MAX_TEXT]
            entry.setdefault("achievement_descriptions", {})[aid] = description[:MAX_TEXT]
        return new

    def endings(self, story_id: str) -> dict[str, str]:
        return dict(self.stories.get(story_id, {}).get("endings", {}))

    def achievements(self, story_id: str) -> dict[str, str]:
        return dict(self.stories.get(story_id, {}).get("achievements", {}))

    def texts(self, story_id: str, kind: str) -> dict[str, str]:
        """What the player read when it was found (one of ``TEXT_KINDS``), by ending name or achievement id."""
        return dict(self.stories.get(story_id, {}).get(kind, {}))

    def save(self, data_dir: Path) -> None:
        """Merge with the gallery on disk (another game may have recorded endings) and write the union.

        Raises UserDataError, writing nothing, when the file is one to keep as it is.
        """
        if self.kept_reason:
            raise UserDataError(self.kept_reason)
        data_dir = Path(data_dir)
        with locked(data_dir / LOCK_FILE):
            read = _read(data_dir / GALLERY_FILE, _gallery_valid)
            if read.newer:
                self.kept_reason = read.newer
                raise UserDataError(read.newer)
            if read.data is not None:
                _merge(self.stories, read.data.get("stories", {}))
            write_json_atomic(data_dir / GALLERY_FILE, {"version": FORMAT_VERSION, "stories": self.stories})
