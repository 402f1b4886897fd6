"""The player's persisted preferences and achievements: settings and the endings gallery.

Both are small JSON files in the data folder, written atomically. A damaged file is
kept aside (renamed ``*.damaged``) and defaults are used, so a bad file never stops play.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .engine.errors import SaveError
from .engine.saves import read_json, write_json_atomic

SETTINGS_FILE = "settings.json"
GALLERY_FILE = "gallery.json"


def _read_or_set_aside(path: Path) -> tuple[Any, str | None]:
    """The JSON in ``path`` (None when absent) and a warning when it was damaged."""
    if not path.exists():
        return None, None
    try:
        return read_json(path), None
    except SaveError as exc:
        aside = path.with_suffix(path.suffix + ".damaged")
        try:
            path.replace(aside)
        except OSError:
            return None, f"{path.name}: {exc}"
        return None, f"{path.name}: {exc}; kept as {aside.name}, using defaults"


@dataclass
class Settings:
    theme: str = "textual-dark"
    reveal_speed: int = 0  # characters per second for the typewriter effect; 0 = instant
    animations: bool = True
    warning: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, data_dir: Path) -> Settings:
        data, warning = _read_or_set_aside(Path(data_dir) / SETTINGS_FILE)
        settings = cls(warning=warning)
        if isinstance(data, dict):
            if isinstance(data.get("theme"), str):
                settings.theme = data["theme"]
            speed = data.get("reveal_speed")
            if isinstance(speed, int) and not isinstance(speed, bool) and 0 <= speed <= 10_000:
                settings.reveal_speed = speed
            if isinstance(data.get("animations"), bool):
                settings.animations = data["animations"]
        return settings

    def save(self, data_dir: Path) -> None:
        data = asdict(self)
        data.pop("warning", None)
        write_json_atomic(Path(data_dir) / SETTINGS_FILE, data)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Gallery:
    """Endings found and achievements earned, per story id, across every game."""

    stories: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    warning: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, data_dir: Path) -> Gallery:
        data, warning = _read_or_set_aside(Path(data_dir) / GALLERY_FILE)
        gallery = cls(warning=warning)
        stories = data.get("stories") if isinstance(data, dict) else None
        if isinstance(stories, dict):
            for sid, entry in stories.items():
                if not isinstance(entry, dict):
                    continue
                clean: dict[str, dict[str, str]] = {}
                for kind in ("endings", "achievements"):
                    found = entry.get(kind, {})
                    if isinstance(found, dict):
                        clean[kind] = {str(k): str(v) for k, v in found.items()}
                gallery.stories[str(sid)] = clean
        return gallery

    def _story(self, story_id: str) -> dict[str, dict[str, str]]:
        return self.stories.setdefault(story_id, {"endings": {}, "achievements": {}})

    def record(self, story_id: str, ending: str, achievement_ids: list[str]) -> list[str]:
        """Note an ending and achievements; return the ones never seen before."""
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
        return new

    def endings(self, story_id: str) -> dict[str, str]:
        return dict(self.stories.get(story_id, {}).get("endings", {}))

    def achievements(self, story_id: str) -> dict[str, str]:
        return dict(self.stories.get(story_id, {}).get("achievements", {}))

    def save(self, data_dir: Path) -> None:
        write_json_atomic(Path(data_dir) / GALLERY_FILE, {"version": 1, "stories": self.stories})
