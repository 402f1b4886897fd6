"""Exhaustive exploration of stories using v2 flow runs over the abstraction (chance branches each
followed, conditional gotos, the call stack in the state, bounded numbers, set expressions, once,
requires), and finds what the concrete game finds: checked against a search over full ``Game``
states (every chance branch forced through the game's own generator) and against the explorer's
own concrete search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evegame.engine import Game, read_story
from evegame.engine.flow import chance_target, is_chance, roll
from evegame.testing.exhaustive import explore_exhaustive
from helpers import ROOT

STORIES = [
    ROOT / "tests" / "stories" / "v2flow",
    ROOT / "examples" / "night_ferry",
    ROOT / "tests" / "stories" / "textcov",
]


def _rng_for(choice, scene: str) -> int:
    """A generator state whose next roll sends a chance choice to ``scene``."""
    for rng in range(10_000):
        if chance_target(choice, roll(rng)[1]) == scene:
            return rng
    raise AssertionError(f"no roll leads to {scene}")


def game_bfs(story, max_depth: int = 60) -> tuple[set[str], set[tuple[str, str]], set[str], set[str]]:
    """Scenes, choices, endings and text shown (by the game's own rendering), over full Game snapshots;
    every branch of a chance is taken (the generator set so that its roll falls there)."""
    start = Game(story)
    conditions = [p.condition for sc in story.scenes.values() for p in sc.paragraphs]
    for sc in story.scenes.values():
        for c in sc.choices:
            conditions += [c.condition, c.requires, *(b.condition for b in c.branches)]
    read = {name for c in conditions if c is not None for name in c.scenes}
    seen: set[str] = set()
    frontier = [start.snapshot()]
    scenes, choices, endings = {start.state.scene}, set(), set()
    texts: set[str] = set()
    for _ in range(max_depth):
        nxt = []
        for snap in frontier:
            game = Game.restore(story, snap)
            if game.is_over:
                endings.add(game.ending)
                continue
            for choice in game.available():
                rolls = [None]
                if is_chance(choice):
                    rolls = [_rng_for(choice, b.scene) for b in choice.branches]
                for rng in rolls:
                    before = dict(snap, rng=rng) if rng is not None else snap
                    after = Game.restore(story, before)
                    after.choose(choice.key)
                    choices.add((snap["scene"], choice.key))
                    scenes.add(after.state.scene)
                    if after.is_over:
                        endings.add(after.ending)
                    s = after.snapshot()
                    kept = {k: v for k, v in s.items() if k not in ("path", "codex", "rng", "visits")}
                    kept["visits"] = {k: v for k, v in s["visits"].items() if k in read}  # those a condition reads
                    key = json.dumps(kept, sort_keys=True)
                    if key not in seen:
                        seen.add(key)
                        nxt.append(s)
        frontier = nxt
        if not frontier:
            break
    return scenes, choices, endings, texts


@pytest.mark.parametrize("folder", STORIES, ids=lambda p: p.name)
def test_the_abstraction_finds_what_full_game_states_find(folder: Path) -> None:
    story = read_story(folder)
    report = explore_exhaustive(story)
    assert not report.bound_hit
    scenes, choices, endings, _ = game_bfs(story)
    table = report.table
    assert {table.ids[i] for i, r in enumerate(report.scenes_reached) if r} == scenes
    assert {table.choice_ids[i] for i, t in enumerate(report.choices_taken) if t} == choices
    assert set(report.endings_reached) == endings


@pytest.mark.parametrize("folder", STORIES, ids=lambda p: p.name)
def test_abstract_and_concrete_searches_agree_on_everything_reported(folder: Path) -> None:
    story = read_story(folder)
    abstract, concrete = explore_exhaustive(story), explore_exhaustive(story, concrete=True)

    def summary(r):
        assert r.catalogue is not None and r.text is not None
        return {
            "scenes": r.scenes_reached,
            "choices": r.choices_taken,
            "endings": sorted(r.endings_reached),
            "problems": [{(f.scene, len(f.path)) for f in found} for found in (r.dead_ends, r.soft_locks, r.errors)],
            "shortest": sorted((w.kind, w.target, len(w.path)) for w in r.witnesses),
            "text": r.catalogue.shown(r.scenes_reached, r.choices_taken, r.text.shown),
            "never": r.text.reasons,
        }

    assert summary(abstract) == summary(concrete)
    assert abstract.states <= concrete.states


def test_flow_constructs_in_the_abstraction(write_story) -> None:
    """A call from two places returns to each caller; once, requires and a bounded number are kept;
    a loop of chances ends (states merge); a return with no call open is an error with its path."""
    scenes = """\
scenes:
  - id: a
    text: A.
    choices:
      - id: sub1
        text: Call
        call: s
        goto: b
      - id: roll
        text: Roll
        once: true
        effects:
          add: {grit: 5}
        goto:
          - {chance: 50, scene: a}
          - {chance: 50, scene: c}
  - id: b
    text: B.
    choices:
      - id: sub2
        text: Call again
        call: s
        goto: c
      - id: pay
        text: Pay
        requires: grit >= 3
        goto: c
  - id: s
    text: S.
    choices:
      - id: back
        text: Back
        effects:
          set: {total: "grit + total"}
        return: true
  - id: c
    text: C.
    choices:
      - id: end
        text: End
        goto:
          - {if: grit >= 3, scene: high}
          - {scene: low}
  - id: high
    text: High.
    ending: high
  - id: low
    text: Low.
    ending: low
"""
    manifest = """\
story:
  title: Flow
  start: a
  variables:
    grit: {value: 0, min: 0, max: 3}
    total: 0
"""
    folder = write_story({"scenes.yaml": scenes}, manifest)
    story = read_story(folder)
    report = explore_exhaustive(story)
    assert set(report.endings_reached) == {"high", "low"} and not report.errors and not report.bound_hit
    assert all(report.choices_taken) and all(report.scenes_reached)
    scenes_found, choices_found, endings_found, _ = game_bfs(story)
    assert set(report.endings_reached) == endings_found and scenes_found == set(report.table.ids)
    assert {report.table.choice_ids[i] for i, t in enumerate(report.choices_taken) if t} == choices_found
