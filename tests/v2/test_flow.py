"""Story format v2, choices and flow: once, requires/locked, flavour, goto branches (condition, chance),
call/return, arithmetic, set expressions, bounded numbers, empty()/len(); in the game, saves, undo,
playthroughs and both explorers."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from evegame.engine import ChoiceError, Game, load_story
from evegame.engine.model import Clamp
from evegame.engine.saves import deserialize, serialize
from evegame.testing.exhaustive import explore_exhaustive
from evegame.testing.randomwalk import explore_random

MANIFEST = """\
story:
  title: Flow
  start: hub
  variables:
    coins: 2
    wounds: 0
    heat: 1
    favour: {value: 2, min: 0, max: 5}
    items: []
"""
SCENES = """\
scenes:
  - id: hub
    text: "Coins {coins}. {if empty(items): Empty-handed.|Carrying {items}.}"
    choices:
      - id: look
        text: Look around
        once: true
        flavour: true
        goto: hub
      - id: rope
        text: Buy a rope
        requires: coins >= 3
        locked: "You need 3 coins, you have {coins}."
        effects:
          give: [rope]
        goto: hub
      - id: shop
        text: Visit the shop
        call: shop
        goto: yard
      - id: gamble
        text: Gamble
        goto:
          - {chance: 30, scene: win}
          - {chance: 70, scene: lose}
  - id: yard
    text: "The yard. {if len(items) >= 1: You have the rope.}"
    choices:
      - id: fight
        text: Fight
        effects:  # blocks run in order: the wounds count in the heat
          - add: {wounds: 5}
          - set: {heat: "heat + wounds * 2"}
        goto:
          - {if: wounds >= 5 and heat > 10, scene: lose}
          - {scene: win}
      - id: back
        text: Back to the square
        goto: hub
  - id: shop
    text: A shop.
    choices:
      - id: coin
        text: Take a coin
        effects:
          add: {coins: 1, favour: 2}
        call: cellar
        goto: counter
  - id: counter
    text: The counter.
    choices:
      - id: leave
        text: Leave
        return: true
  - id: cellar
    text: A cellar.
    choices:
      - id: up
        text: Up
        return: true
  - id: win
    text: Won.
    ending: win
  - id: lose
    text: Lost.
    ending: lose
"""


@pytest.fixture
def story_dir(write_story) -> Path:
    return write_story({"scenes.yaml": SCENES}, MANIFEST)


def test_the_flow_story_checks_clean(story_dir: Path) -> None:
    result = load_story(story_dir)
    assert [str(p) for p in result.problems] == []


def test_once_is_not_offered_again_and_undo_brings_it_back(story_dir: Path) -> None:
    game = Game.load(story_dir, seed=1)
    game.choose("look")
    assert "look" not in [c.id for c in game.choices]
    game.undo()
    assert "look" in [c.id for c in game.choices]


def test_requires_shows_the_choice_greyed_with_its_reason_and_refuses_it(story_dir: Path) -> None:
    game = Game.load(story_dir, seed=1)
    rope = next(c for c in game.choices if c.id == "rope")
    assert rope.locked == "You need 3 coins, you have 2."
    assert "rope" not in [c.key for c in game.available()]
    with pytest.raises(ChoiceError, match="locked: You need 3 coins"):
        game.choose("rope")
    with pytest.raises(ChoiceError, match="locked"):
        game.choose(rope.number)


def test_call_and_return_nest_and_come_back(story_dir: Path) -> None:
    game = Game.load(story_dir, seed=1)
    game.choose("shop")
    assert (game.state.scene, game.state.stack) == ("shop", ["yard"])
    game.choose("coin")
    assert (game.state.scene, game.state.stack) == ("cellar", ["yard", "counter"])
    game.choose("up")
    assert (game.state.scene, game.state.stack) == ("counter", ["yard"])
    game.choose("leave")
    assert (game.state.scene, game.state.stack) == ("yard", [])
    assert game.variables["favour"] == 4 and game.variables["coins"] == 3
    game.undo(2)
    assert (game.state.scene, game.state.stack) == ("cellar", ["yard", "counter"])


def test_branches_are_decided_after_the_choices_effects(story_dir: Path) -> None:
    game = Game.load(story_dir, seed=1)
    for choice in ("shop", "coin", "up", "leave", "fight"):
        game.choose(choice)
    # wounds 5, heat 1 + 5 * 2 = 11: the first branch holds only with the effects applied
    assert game.variables["heat"] == 11 and game.ending == "lose"


def test_a_seed_replays_chances_identically_and_saves_and_undo_keep_the_generator(story_dir: Path) -> None:
    endings = set()
    for seed in range(20):
        a, b = Game.load(story_dir, seed=seed), Game.load(story_dir, seed=seed)
        a.choose("gamble")
        b.choose("gamble")
        assert a.ending == b.ending
        endings.add(a.ending)
    assert endings == {"win", "lose"}
    game = Game.load(story_dir, seed=5)
    game.choose("look")
    restored = deserialize(game.story, serialize(game, slot="1", play_time=0)).game
    game.choose("gamble")
    restored.choose("gamble")
    assert restored.ending == game.ending
    game.undo()
    again = game.ending
    game.choose("gamble")
    assert game.ending == restored.ending and again is None


def test_an_old_save_without_stack_taken_or_generator_still_loads(story_dir: Path) -> None:
    game = Game.load(story_dir, seed=1)
    data = serialize(game, slot="1", play_time=0)
    for key in ("stack", "taken", "rng"):
        del data["state"][key]
    loaded = deserialize(game.story, data).game
    assert loaded.state.stack == [] and loaded.state.taken == [] and loaded.state.scene == "hub"


def test_bounded_numbers_clamp_and_check_warns_of_literals_always_clamped(write_story) -> None:
    scenes = SCENES.replace("add: {coins: 1, favour: 2}", "add: {coins: 1, favour: 9}")
    result = load_story(write_story({"scenes.yaml": scenes}, MANIFEST))
    assert [p.message for p in result.warnings] == ["'favour' is kept between 0 and 5: adding 9 always gives 5"]
    game = Game(result.story, seed=1)
    game.choose("shop")
    game.choose("coin")
    assert game.variables["favour"] == 5


def test_a_return_reachable_with_no_call_open_is_an_error_of_check_and_of_exploration(write_story) -> None:
    scenes = SCENES.replace(
        "      - id: back\n        text: Back to the square\n        goto: hub",
        "      - id: back\n        text: Back\n        return: true",
    )
    result = load_story(write_story({"scenes.yaml": scenes}, MANIFEST))
    assert any("can be reached with no call open" in p.message for p in result.errors)
    lenient = load_story(write_story({"scenes.yaml": scenes}, MANIFEST), lenient=True)
    assert lenient.story is None  # an error even when lenient
    # exploration finds it in a story that skipped check (built in memory)
    story = load_story(write_story({"scenes.yaml": SCENES}, MANIFEST)).story
    assert story is not None
    yard = story.scenes["yard"]
    back = replace(yard.choices[1], returns=True, goto="")
    story.scenes["yard"] = replace(yard, choices=(yard.choices[0], back))
    report = explore_exhaustive(story)
    assert any("no call is open" in f.detail for f in report.errors)
    assert explore_random(story, 300, seed=1).problem_counts["exception"] > 0


def test_calls_deeper_than_16_are_an_error_found_by_exploration(write_story) -> None:
    scenes = """\
    scenes:
      - id: start
        text: Start.
        choices:
          - {id: dive, text: Dive, call: deep, goto: done}
      - id: deep
        text: Deep.
        choices:
          - {id: deeper, text: Deeper, call: deep, goto: deep}
          - {id: up, text: Up, return: true}
      - id: done
        text: Done.
        ending: done
    """
    story = load_story(write_story({"scenes.yaml": scenes}, "story:\n  title: T\n  start: start\n")).story
    assert story is not None
    report = explore_exhaustive(story)
    assert any("16 calls already open" in f.detail for f in report.errors)
    assert report.endings_reached == {"done": 1}


def test_exhaustive_follows_every_chance_branch_and_random_draws_them(story_dir: Path) -> None:
    story = load_story(story_dir).story
    assert story is not None
    report = explore_exhaustive(story)
    assert set(report.endings_reached) == {"win", "lose"} and not report.errors and not report.dead_ends
    assert all(report.scenes_reached)
    random_report = explore_random(story, 400, seed=3)
    assert set(random_report.endings) == {"win", "lose"} and random_report.failures == 0


@pytest.mark.parametrize(
    ("goto", "message"),
    [
        ("[{chance: 30, scene: win}, {chance: 60, scene: lose}]", "the chances add up to 90, not 100"),
        ("[{chance: 30, scene: win}, {if: coins > 1, scene: lose}]", "conditions and chances do not mix"),
        ("[{scene: win}, {if: coins > 1, scene: lose}]", "only the last branch may have no 'if'"),
        ("[{if: coins > 1, scene: win}, {if: coins > 2, scene: lose}]", "the last branch has no 'if'"),
        ("[{chance: 100, scene: nowhere}]", "scene target 'nowhere' is not a scene"),
    ],
)
def test_bad_goto_lists_are_located_errors(write_story, goto: str, message: str) -> None:
    scenes = SCENES.replace(
        "        goto:\n          - {chance: 30, scene: win}\n          - {chance: 70, scene: lose}",
        f"        goto: {goto}",
    )
    errors = load_story(write_story({"scenes.yaml": scenes}, MANIFEST)).errors
    assert any(message in p.message for p in errors), errors
    assert all(p.line >= 20 for p in errors)


def test_empty_lists_get_a_hint_and_arithmetic_type_checks(write_story) -> None:
    bad = SCENES.replace("requires: coins >= 3", "requires: items == []")
    (error,) = load_story(write_story({"scenes.yaml": bad}, MANIFEST)).errors
    assert "write 'empty(LIST)'" in error.message
    bad = SCENES.replace("requires: coins >= 3", "requires: coins + items > 1")
    (error,) = load_story(write_story({"scenes.yaml": bad}, MANIFEST)).errors
    assert "'+' works on numbers, not a list" in error.message


def test_a_set_expression_is_type_checked_at_load(write_story) -> None:
    bad = SCENES.replace('set: {heat: "heat + wounds * 2"}', 'set: {heat: "heat + items"}')
    (error,) = load_story(write_story({"scenes.yaml": bad}, MANIFEST)).errors
    assert "bad expression 'heat + items'" in error.message


def test_graph_draws_chance_conditional_call_and_return_edges_as_such(story_dir: Path) -> None:
    from evegame.authoring.graph import render

    story = load_story(story_dir).story
    assert story is not None
    mermaid = render(story, "mermaid")
    assert 's_hub ==>|"30%: Gamble"| s_win' in mermaid and 's_hub ==>|"70%: Gamble"| s_lose' in mermaid
    assert 's_yard -.->|"if wounds >= 5 and heat > 10: Fight"| s_lose' in mermaid
    assert 's_yard -.->|"otherwise: Fight"| s_win' in mermaid
    assert 's_hub -.->|"call: Visit the shop"| s_shop' in mermaid
    assert 's_counter -.->|"return: Leave"| s_yard' in mermaid
    dot = render(story, "dot")
    assert '"hub" -> "win" [label="30%: Gamble", style=bold];' in dot


def test_bounded_numbers_and_set_expressions_load_warm_from_the_cache_and_play_the_same(
    story_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evegame.engine import loader
    from evegame.engine.cache import LazyScenes

    cache_dir = tmp_path / "cache"
    fresh = load_story(story_dir).story
    assert load_story(story_dir, cache_dir=cache_dir).problems == []  # the first load writes the entry

    def no_parsing(_text: str) -> None:
        raise AssertionError("a warm load parsed a story file")

    monkeypatch.setattr(loader, "parse_noting", no_parsing)
    warm = load_story(story_dir, cache_dir=cache_dir)
    assert warm.problems == [] and warm.story is not None and isinstance(warm.story.scenes, LazyScenes)
    assert warm.story.bounds == {"favour": (0, 5)}
    # twice through the shop (favour +2 each time, kept at 5), then the fight (heat = heat + wounds * 2)
    path = ["shop", "coin", "up", "leave", "back", "shop", "coin", "up", "leave", "fight"]
    games = [Game(fresh, seed=3), Game(warm.story, seed=3)]
    for key in path:
        seen = [(g.scene, dict(g.variables), g.choices) for g in games]
        assert seen[0] == seen[1]
        for game in games:
            game.choose(key)
    assert games[0].variables == games[1].variables
    assert (games[1].variables["favour"], games[1].variables["heat"]) == (5, 11)
    assert games[0].scene == games[1].scene


def _effects(story) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """Every choice's effects, an expression by its source (compiled ones compare by identity)."""
    out: list[tuple[object, ...]] = []
    for sid in story.scenes:
        for choice in story.scenes[sid].choices:
            for e in choice.effects:
                value = e.value
                if isinstance(value, Clamp):
                    value = (getattr(value.amount, "source", value.amount), value.low, value.high)
                out.append((sid, choice.key, e.op, e.var, value))
    return out


@pytest.mark.parametrize(
    ("written", "forged"),
    [
        (b'{"clamp":[2,0,5]}', b'{"clamp":[2,0,9]}'),  # other bounds than the variable's
        (b'{"clamp":[2,0,5]}', b'{"clamp":["2",0,5]}'),  # an amount that is text in an 'add'
        (b'{"clamp":[2,0,5]}', b'{"clamp":[2,0,5],"x":1}'),
        (b'{"clamp":[2,0,5]}', b'{"clamp":[2.5,0,5]}'),
        (b'"heat + wounds * 2"', b'"heat + items"'),  # an expression that does not type-check
        (b'"heat + wounds * 2"', b"\"__import__('os')\""),
    ],
)
def test_a_forged_clamped_value_in_the_cache_is_a_miss(
    story_dir: Path, tmp_path: Path, written: bytes, forged: bytes
) -> None:
    from evegame.engine import cache as story_cache
    from evegame.engine.loader import story_files

    cache_dir = tmp_path / "cache"
    expected = _effects(load_story(story_dir).story)
    load_story(story_dir, cache_dir=cache_dir)
    entry = story_cache.entry_path(cache_dir, story_cache.content_key(story_dir, story_files(story_dir)))
    data = entry.read_bytes()
    start = len(story_cache.MAGIC) + 40
    offset = int.from_bytes(data[start - 8 : start], "big")
    outer = json.loads(data[offset:])
    chunks = [data[a:b] for a, b in outer["spans"]]
    assert any(written in c for c in chunks)
    chunks = [c.replace(written, forged) for c in chunks]
    at, spans = start, []
    for chunk in chunks:
        spans.append([at, at + len(chunk)])
        at += len(chunk)
    outer["spans"] = spans
    entry.write_bytes(story_cache.frame(json.dumps(outer).encode(), chunks))
    story = load_story(story_dir, cache_dir=cache_dir).story
    assert story is not None and isinstance(story.scenes, story_cache.LazyScenes)
    assert _effects(story) == expected  # the forged chunk was not used: the scenes came from a fresh load
