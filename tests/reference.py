"""The explorers' references: the same walks through the public Game API (the transitions machine)."""

from __future__ import annotations

import json
import random

from evegame.engine import Game
from evegame.engine.flow import chance_target, is_chance, roll


def reference_random(story, games: int, seed: int, max_steps: int) -> tuple[dict[str, int], list[int]]:
    """Random games through the public Game API (the transitions machine), drawn as explore_random draws."""
    endings: dict[str, int] = {}
    lengths = []
    for game_no in range(games):
        rand = random.Random(seed + game_no).random
        game = Game(story, record_undo=False)
        steps = 0
        while not game.is_over and steps < max_steps:
            available = game.available()
            if not available:
                break
            game.step(available[int(rand() * len(available))])
            steps += 1
        if game.is_over:
            endings[game.ending] = endings.get(game.ending, 0) + 1
        lengths.append(len(game.path))
    return endings, lengths


def _rng_for(choice, scene: str) -> int:
    """A generator state whose next roll sends a chance choice to ``scene``."""
    for rng in range(10_000):
        if chance_target(choice, roll(rng)[1]) == scene:
            return rng
    raise AssertionError(f"no roll leads to {scene}")


def reference_bfs(story, max_depth: int) -> tuple[set[str], set[tuple[str, str]], set[str]]:
    """Every scene, choice and ending within max_depth choices, by Game snapshots (full state); every
    branch of a chance is taken (the generator set so that its roll falls there). States are told
    apart by all they hold but the path, the codex, the generator and visit counts no condition reads."""
    start = Game(story)
    conditions = [p.condition for sc in story.scenes.values() for p in sc.paragraphs]
    for sc in story.scenes.values():
        for c in sc.choices:
            conditions += [c.condition, c.requires, *(b.condition for b in c.branches)]
    read = {name for c in conditions if c is not None for name in c.scenes}
    seen_states: set[str] = set()
    frontier = [start.snapshot()]
    scenes, choices, endings = {start.state.scene}, set(), set()
    for _ in range(max_depth):
        nxt = []
        for snap in frontier:
            game = Game.restore(story, snap)
            if game.is_over:
                endings.add(game.ending)
                continue
            for choice in game.available():
                rolls = [_rng_for(choice, b.scene) for b in choice.branches] if is_chance(choice) else [None]
                for rng in rolls:
                    after = Game.restore(story, dict(snap, rng=rng) if rng is not None else snap)
                    after.choose(choice.key)
                    choices.add((snap["scene"], choice.key))
                    scenes.add(after.state.scene)
                    if after.is_over:
                        endings.add(after.ending)
                    s = after.snapshot()
                    kept = {k: v for k, v in s.items() if k not in ("path", "codex", "rng", "visits")}
                    kept["visits"] = {k: v for k, v in s["visits"].items() if k in read}
                    key = json.dumps(kept, sort_keys=True)
                    if key not in seen_states:
                        seen_states.add(key)
                        nxt.append(s)
        frontier = nxt
        if not frontier:
            break
    return scenes, choices, endings
