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


# --- random stories: small graphs of conditions and effects, for checks against the references ---

CONDITIONS = [
    "coins >= 1",
    "coins >= 3",
    "coins < 2",
    "heat == 2",
    "heat > 1 and not flag",
    "flag",
    "not flag",
    "'a' in items",
    "'b' not in items",
    "'a' in items or coins > 3",
    "heat > coins",
    "seen(s2)",
    "not seen(s3)",
    "visits(s1) < 3",
    "visits(s0) >= 2 and coins >= 1",
]
EFFECTS = [
    "add: {coins: -1}",
    "add: {coins: 1}",
    "add: {coins: -2}",
    "add: {heat: 1}",
    "set: {flag: true}",
    "set: {flag: false}",
    "give: [a]",
    "give: [b]",
    "take: [a]",
    "set: {coins: 0}",
]


def random_story(rng: random.Random, scenes: int = 7) -> dict[str, str]:
    lines = ["scenes:"]
    for i in range(scenes):
        lines += [f"  - id: s{i}", f"    text: Scene {i}."]
        if rng.random() < 0.3:
            lines.append(f"    on_enter: {{{rng.choice(EFFECTS)}}}")
        lines.append("    choices:")
        spine = f"s{i + 1}" if i + 1 < scenes else rng.choice(["e0", "e1"])
        lines.append(f"      - {{id: go, text: Go, goto: {spine}}}")
        for k in range(rng.randint(1, 3)):
            target = rng.choice([*(f"s{j}" for j in range(scenes)), "e0", "e1", "e2"])
            parts = [f"id: c{k}", f"text: Choice {k}", f"goto: {target}"]
            if rng.random() < 0.8:
                parts.append(f'if: "{rng.choice(CONDITIONS)}"')
            if rng.random() < 0.7:
                parts.append(f"effects: {{{rng.choice(EFFECTS)}}}")
            lines.append("      - {" + ", ".join(parts) + "}")
    for e in range(3):
        lines += [f"  - id: e{e}", f"    text: End {e}.", f"    ending: end{e}"]
    manifest = "story:\n  title: R\n  start: s0\n  variables: {coins: 2, heat: 0, flag: false, items: []}\n"
    return {"story.yaml": manifest, "scenes.yaml": "\n".join(lines) + "\n"}
