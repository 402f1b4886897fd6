"""Story statistics: the figures an author (and the story issue) cares about."""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import asdict, dataclass, field

from ..engine.model import Scene, Story
from ..engine.render import count_words
from ..engine.validate import next_scenes
from . import story_relative


def scene_words(scene: Scene) -> int:
    """Words of every paragraph a player can read in the scene (conditional ones included)."""
    return sum(count_words(p.text) for p in scene.paragraphs)


@dataclass
class Route:
    length: int  # choices taken
    scenes: list[str]


@dataclass
class PlayedRoutes:
    """Lengths (scenes read, endings included) of seeded random games that reached an ending."""

    games: int
    seed: int
    shortest: int
    median: float
    longest: int
    unfinished: int  # games that hit the step bound


@dataclass
class FileStats:
    file: str
    scenes: int = 0
    words: int = 0
    choices: int = 0
    conditional_choices: int = 0


@dataclass
class StoryStats:
    title: str
    scenes: int
    words: int
    endings: int
    ending_scenes: int
    choices: int
    conditional_choices: int
    conditional_paragraphs: int
    scenes_with_conditional_text: int
    codex_entries: int
    files: int
    choices_per_scene: float
    shortest: Route | None
    longest: Route | None
    by_file: list[FileStats] = field(default_factory=list)
    played: PlayedRoutes | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def compute(story: Story, *, played: PlayedRoutes | None = None) -> StoryStats:
    scenes = list(story.scenes.values())
    non_endings = [s for s in scenes if not s.is_ending]
    choices = sum(len(s.choices) for s in scenes)
    per_file: dict[str, FileStats] = {}
    for s in scenes:
        file = story_relative(story, s.loc.file)
        fs = per_file.setdefault(file, FileStats(file))
        fs.scenes += 1
        fs.words += scene_words(s)
        fs.choices += len(s.choices)
        fs.conditional_choices += sum(c.condition is not None for c in s.choices)
    return StoryStats(
        title=story.title,
        scenes=len(scenes),
        words=sum(f.words for f in per_file.values()),
        endings=len(story.endings),
        ending_scenes=len(scenes) - len(non_endings),
        choices=choices,
        conditional_choices=sum(f.conditional_choices for f in per_file.values()),
        conditional_paragraphs=sum(p.condition is not None for s in scenes for p in s.paragraphs),
        scenes_with_conditional_text=sum(any(p.condition is not None for p in s.paragraphs) for s in scenes),
        codex_entries=len(story.codex),
        files=len(story.files),
        choices_per_scene=round(sum(len(s.choices) for s in non_endings) / len(non_endings), 2) if non_endings else 0.0,
        shortest=shortest_route(story),
        longest=longest_route(story),
        by_file=sorted(per_file.values(), key=lambda f: f.file),
        played=played,
    )


def played_routes(lengths: list[int], games: int, seed: int) -> PlayedRoutes | None:
    """The figures of ``games`` seeded random games, from the route lengths of those that ended
    (the CLI plays them with the random explorer; authoring does not depend on the test tools)."""
    if not lengths:
        return None
    return PlayedRoutes(games, seed, min(lengths), statistics.median(lengths), max(lengths), games - len(lengths))


def shortest_route(story: Story) -> Route | None:
    """The fewest choices from the start to any ending (conditions ignored)."""
    parent: dict[str, str | None] = {story.start: None}
    queue = deque([story.start])
    while queue:
        sid = queue.popleft()
        scene = story.scenes.get(sid)
        if scene is None:
            continue
        if scene.is_ending:
            return _route(parent, sid)
        for target in (t for choice in scene.choices for t in next_scenes(story, choice)):
            if target not in parent:
                parent[target] = sid
                queue.append(target)
    return None


def longest_route(story: Story) -> Route | None:
    """The most scenes on a route to an ending that never revisits a scene (conditions ignored).

    Exact longest simple paths are intractable in general; this takes the depth-first
    spanning order from the start, drops the edges that go back up it (loops), and
    finds the longest path in what remains, which is acyclic.
    """
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    back: set[tuple[str, str]] = set()
    stack: list[tuple[str, int]] = [(story.start, 0)]
    state[story.start] = 1
    while stack:
        sid, i = stack[-1]
        scene = story.scenes.get(sid)
        targets = [t for c in scene.choices for t in next_scenes(story, c)] if scene else []
        if i < len(targets):
            stack[-1] = (sid, i + 1)
            t = targets[i]
            if state.get(t) == 1:
                back.add((sid, t))
            elif t not in state and t in story.scenes:
                state[t] = 1
                stack.append((t, 0))
        else:
            stack.pop()
            state[sid] = 2
            order.append(sid)
    best: dict[str, tuple[int, str | None]] = {}  # scene -> (length to an ending, next scene)
    for sid in order:  # post-order: successors first
        scene = story.scenes[sid]
        if scene.is_ending:
            best[sid] = (0, None)
            continue
        for target in (t for choice in scene.choices for t in next_scenes(story, choice)):
            if (sid, target) in back or target not in best:
                continue
            length = best[target][0] + 1
            if sid not in best or length > best[sid][0]:
                best[sid] = (length, target)
    if story.start not in best:
        return None
    scenes, cur = [story.start], best[story.start][1]
    while cur is not None:
        scenes.append(cur)
        cur = best[cur][1]
    return Route(len(scenes) - 1, scenes)


def _route(parent: dict[str, str | None], end: str) -> Route:
    scenes: list[str] = []
    cur: str | None = end
    while cur is not None:
        scenes.append(cur)
        cur = parent[cur]
    scenes.reverse()
    return Route(len(scenes) - 1, scenes)


def format_text(stats: StoryStats, *, by_file: bool = False) -> str:
    def route(r: Route | None) -> str:
        if r is None:
            return "none"
        return f"{r.length} choices, {len(r.scenes)} scenes ({r.scenes[0]} → {r.scenes[-1]})"

    lines = [
        f"{stats.title}",
        f"  scenes                  {stats.scenes:>7,}  ({stats.ending_scenes} ending scenes, in {stats.files} files)",
        f"  words of scene text     {stats.words:>7,}",
        f"  endings                 {stats.endings:>7,}",
        f"  choices                 {stats.choices:>7,}  ({stats.choices_per_scene} per non-ending scene)",
        f"  conditional choices     {stats.conditional_choices:>7,}",
        f"  conditional paragraphs  {stats.conditional_paragraphs:>7,}  (in {stats.scenes_with_conditional_text} scenes)",
        f"  codex entries           {stats.codex_entries:>7,}",
        f"  shortest route          {route(stats.shortest)}",
        f"  longest route           {route(stats.longest)}",
        "  (these two follow every goto, ignoring conditions)",
    ]
    if stats.played is not None:
        p = stats.played
        lines.append(
            f"  played routes           {p.shortest} / {p.median:g} / {p.longest} scenes (shortest / median / longest"
            f" of {p.games} random games, seed {p.seed}{f'; {p.unfinished} never ended' if p.unfinished else ''})"
        )
    if by_file:
        lines.append("")
        width = max((len(f.file) for f in stats.by_file), default=4)
        lines.append(f"  {'file':<{width}}  scenes   words  choices  conditional")
        for f in stats.by_file:
            lines.append(
                f"  {f.file:<{width}}  {f.scenes:>6}  {f.words:>6}  {f.choices:>7}  {f.conditional_choices:>11}"
            )
    return "\n".join(lines)
