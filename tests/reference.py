"""The explorers' references: the same walks through the public Game API (the transitions machine)."""

from __future__ import annotations

import json
import random

from evegame.engine import Game


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


def reference_bfs(story, max_depth: int) -> tuple[set[str], set[tuple[str, str]], set[str]]:
    """Every scene, choice and ending within max_depth choices, by Game snapshots (full state)."""
    start = Game(story)
    seen_states = set()
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
                after = Game.restore(story, snap)
                after.choose(choice.key)
                choices.add((snap["scene"], choice.key))
                scenes.add(after.state.scene)
                if after.is_over:
                    endings.add(after.ending)
                s = after.snapshot()
                key = json.dumps({k: v for k, v in s.items() if k not in ("path", "codex")}, sort_keys=True)
                if key not in seen_states:
                    seen_states.add(key)
                    nxt.append(s)
        frontier = nxt
    return scenes, choices, endings
