"""Loading the stories that playthroughs and explorers run against, once per folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..engine.errors import Problem
from ..engine.loader import load_story
from ..engine.model import Story


def default_story_dir() -> Path:
    from ..paths import shipped_story_dir

    return shipped_story_dir()


@dataclass
class StoryCache:
    """Stories by resolved folder; a story with errors is remembered with its problems.

    Stories load leniently (unreachable scenes are warnings): a story in progress
    can still be played and explored; real errors stop it.
    """

    _stories: dict[Path, Story | list[Problem]] = field(default_factory=dict)

    def get(self, root: Path) -> Story | list[Problem]:
        key = Path(root).resolve()
        if key not in self._stories:
            if not key.is_dir():
                self._stories[key] = [Problem(str(root), 0, 0, "no such story folder")]
            else:
                result = load_story(key, lenient=True)
                self._stories[key] = result.story if result.story is not None else result.errors
        return self._stories[key]
