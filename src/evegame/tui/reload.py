"""Hot reload without Textual: watch the story files' mtimes and swap in a freshly loaded story."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..engine import Game, Story, load_story
from ..engine.errors import SaveError
from ..engine.loader import story_files
from ..paths import story_cache_dir
from ..session import counted, rebuild

Signature = tuple[tuple[str, int, int], ...]


def files_signature(root: Path) -> Signature:
    """Name, mtime and size of every story file: any edit, addition or removal changes it."""
    out = []
    try:
        files = story_files(root)
    except OSError:
        return ()
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


@dataclass
class StoryWatcher:
    """Polled about once a second: ``changed()`` is True once after the files change."""

    root: Path
    last: Signature = field(default=(), init=False)

    def __post_init__(self) -> None:
        self.last = files_signature(self.root)

    def changed(self) -> bool:
        now = files_signature(self.root)
        if now == self.last:
            return False
        self.last = now
        return True


@dataclass
class Reloaded:
    """The outcome of a reload: a new story (and game), or the problems that kept the old one."""

    story: Story | None
    game: Game | None = None
    problems: list[str] = field(default_factory=list)
    message: str = ""
    severity: Literal["information", "warning", "error"] = "information"

    @property
    def headline(self) -> str:
        count = len(self.problems)
        return f"The edited story has {counted(count, 'error')}; still playing the last good version."


def reload_story(root: Path, game: Game | None) -> Reloaded:
    """Load ``root`` again; move ``game`` onto the new story when its scene still exists."""
    try:
        result = load_story(root, cache_dir=story_cache_dir())
    except Exception as exc:  # a loader bug must not end the game
        return Reloaded(None, problems=[f"{root}: error: {type(exc).__name__}: {exc}"])
    if result.story is None:
        return Reloaded(None, problems=[str(p) for p in result.errors])
    story = result.story
    if game is None:
        return Reloaded(story, message=f"Reloaded {story.title}.")
    try:
        new_game, notices = rebuild(story, game.snapshot(), game.game_id)
    except SaveError as exc:
        return Reloaded(
            story,
            message=f"Reloaded, but your game cannot move to the edited story ({exc}). "
            "You keep playing the previous version; a new game uses the edited one.",
            severity="warning",
        )
    extra = "".join(f"\n{n}" for n in notices)
    return Reloaded(
        story, new_game, message=f"Reloaded; you are still in {new_game.scene.title or new_game.scene.id}.{extra}"
    )
