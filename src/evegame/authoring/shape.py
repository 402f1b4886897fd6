"""The shape of a story as players read it: words per route, per part, and from a scene to the end.

Plays seeded uniform random games through the engine's own ``Game`` (every choice shown and
open is equally likely; chance branches draw from the game's seed) and counts the words of the
scene text each game shows, as rendered for its state. A story's *parts* are its top-level
folders (``act1/``, ``act2/`` …); a file at the top level is a part of its own.

Answers an editor's questions: how long is a typical route, how much of it is each act, how long
is the climax (``from_scenes``: the words from a game's first visit to a scene through its ending,
on the games that reach it), and do scene lengths vary with the beat.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from ..engine import Game
from ..engine.model import Story
from ..engine.render import count_words

SHORT_SCENE = 150  # words: a quick beat
LONG_SCENE = 600  # words: a set piece


@dataclass
class Spread:
    """The median, least and most of some figures (``None`` when there are none)."""

    count: int
    median: float | None
    low: int | None
    high: int | None

    @classmethod
    def of(cls, values: Sequence[int]) -> Spread:
        if not values:
            return cls(0, None, None, None)
        return cls(len(values), statistics.median(values), min(values), max(values))

    def to_dict(self) -> dict[str, Any]:
        return {"games": self.count, "median": self.median, "min": self.low, "max": self.high}


@dataclass
class Shape:
    games: int
    seed: int
    ended: int  # games that reached an ending within the step bound
    route_words: Spread
    part_share: dict[str, float]  # part -> median share (%) of a route's words, over the ended games
    part_words: dict[str, float]  # part -> median words read in it, over the ended games
    from_scenes: dict[str, Spread] = field(default_factory=dict)  # scene -> words from its first visit to the end
    scene_words: dict[str, int] = field(default_factory=dict)  # scene -> median words shown when visited

    def to_dict(self) -> dict[str, Any]:
        return {
            "games": self.games,
            "seed": self.seed,
            "ended": self.ended,
            "route_words": self.route_words.to_dict(),
            "parts": {
                p: {"median_share": self.part_share[p], "median_words": self.part_words[p]} for p in self.part_share
            },
            "from": {s: spread.to_dict() for s, spread in self.from_scenes.items()},
            "scene_words": self.scene_words,
            "short_scenes": sorted(s for s, w in self.scene_words.items() if w < SHORT_SCENE),
            "long_scenes": sorted(s for s, w in self.scene_words.items() if w > LONG_SCENE),
        }


def part_of(story: Story, file: str) -> str:
    """The part a story file belongs to: its top-level folder, or the file's name at the top level."""
    try:
        rel = PurePath(file).relative_to(story.root)
    except ValueError:
        rel = PurePath(Path(file).resolve().relative_to(Path(story.root).resolve()))
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def measure(
    story: Story,
    *,
    games: int = 500,
    seed: int = 0,
    from_scenes: Sequence[str] = (),
    max_steps: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> Shape:
    """Play ``games`` seeded random games (game ``i`` uses seed ``seed + i``) and measure them;
    ``progress(games played)`` after each."""
    unknown = [s for s in from_scenes if s not in story.scenes]
    if unknown:
        raise KeyError(f"no scene named {', '.join(map(repr, unknown))}")
    parts = {sid: part_of(story, scene.loc[0]) for sid, scene in story.scenes.items()}
    order = list(dict.fromkeys(sorted(parts.values())))
    routes: list[int] = []
    per_part: dict[str, list[int]] = {p: [] for p in order}
    shares: dict[str, list[float]] = {p: [] for p in order}
    tails: dict[str, list[int]] = {s: [] for s in from_scenes}
    seen: dict[str, list[int]] = {}
    for game_no in range(games):
        if progress is not None:
            progress(game_no)
        read = _play(story, seed + game_no, max_steps)
        if read is None:
            continue
        for sid, words in read:
            seen.setdefault(sid, []).append(words)
        total = sum(w for _, w in read)
        routes.append(total)
        in_part = dict.fromkeys(order, 0)
        for sid, words in read:
            in_part[parts[sid]] += words
        for p in order:
            per_part[p].append(in_part[p])
            shares[p].append(100.0 * in_part[p] / total if total else 0.0)
        visited = [sid for sid, _ in read]
        for target in from_scenes:
            if target in visited:
                tails[target].append(sum(w for _, w in read[visited.index(target) :]))
    return Shape(
        games=games,
        seed=seed,
        ended=len(routes),
        route_words=Spread.of(routes),
        part_share={p: round(statistics.median(shares[p]), 1) if shares[p] else 0.0 for p in order},
        part_words={p: statistics.median(per_part[p]) if per_part[p] else 0.0 for p in order},
        from_scenes={s: Spread.of(tails[s]) for s in from_scenes},
        scene_words={sid: int(statistics.median(ws)) for sid, ws in sorted(seen.items())},
    )


def _play(story: Story, seed: int, max_steps: int) -> list[tuple[str, int]] | None:
    """One uniform random game: (scene, words shown) per visit, or None when it found no ending."""
    game = Game(story, record_undo=False, seed=seed)
    rand = random.Random(seed).random  # a private generator: the global one is left alone
    read: list[tuple[str, int]] = []
    for _ in range(max_steps):
        read.append((game.state.scene, count_words(game.render(game.current))))
        if game.is_over:
            return read if game.ending is not None else None
        options = game.available()
        if not options:
            return None
        game.step(options[int(rand() * len(options))])
    return None


def format_text(shape: Shape, story: Story) -> str:
    lines = [f"Shape of {story.title}: {shape.games:,} uniform random games (seed {shape.seed})"]
    r = shape.route_words
    if r.median is None:
        lines.append("  no game reached an ending")
        return "\n".join(lines)
    lines.append(
        f"  words read on a route   median {r.median:,.0f}  (min {r.low:,}, max {r.high:,}; {r.count:,} games ended)"
    )
    lines.append("  each part's share of a route's words (median over the games)")
    width = max(len(p) for p in shape.part_share)
    for p, share in shape.part_share.items():
        lines.append(f"    {p:<{width}}  {share:5.1f}%  {shape.part_words[p]:>8,.0f} words")
    for sid, spread in shape.from_scenes.items():
        if spread.median is None:
            lines.append(f"  from {sid} to the end: no game reached it")
        else:
            lines.append(
                f"  from {sid} to the end: median {spread.median:,.0f} words "
                f"(min {spread.low:,}, max {spread.high:,}; {spread.count:,} games reached it)"
            )
    short = sum(1 for w in shape.scene_words.values() if w < SHORT_SCENE)
    long = sum(1 for w in shape.scene_words.values() if w > LONG_SCENE)
    lines.append(
        f"  scene lengths as shown    {len(shape.scene_words)} scenes visited: {short} under {SHORT_SCENE} words, "
        f"{long} over {LONG_SCENE}"
    )
    return "\n".join(lines)
