"""Every effect kind and condition operator, walked through every consumer of the one definition.

The tables (engine.effects.EFFECTS, engine.operators.OPERATORS/FUNCTIONS) are read by the
loader, the type checker, the Game, both explorers and the JSON Schema. Each entry's own
example is run through all of them here, so a new entry that one consumer does not
handle fails a test.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from evegame.authoring.storyschema import SHIPPED, story_schema, story_schema_text
from evegame.engine import Game, StoryError, load_story, read_story
from evegame.engine.conditions import ConditionError, parse_condition
from evegame.engine.effects import EFFECT_KEYS, EFFECTS, EXAMPLE_VARIABLES
from evegame.engine.operators import FUNCTIONS, MEMBERSHIP, OPERATORS, SCENE, Threshold, summary
from evegame.engine.values import type_name
from evegame.testing.exhaustive import explore_exhaustive
from evegame.testing.randomwalk import explore_random
from reference import reference_bfs, reference_random

TYPES = {name: type_name(value) for name, value in EXAMPLE_VARIABLES.items()}
CONDITIONS = [op.example for op in OPERATORS.values()] + [f.example for f in FUNCTIONS.values()]


def registry_story(folder: Path) -> Path:
    """A story whose start offers every effect kind's example and whose hub tests every
    operator's and function's example, each leading to its own ending."""
    start_choices = [{"text": f"do {name}", "goto": "hub", "effects": kind.example} for name, kind in EFFECTS.items()]
    hub_choices = [{"text": f"when {cond}", "goto": f"end_{i}", "if": cond} for i, cond in enumerate(CONDITIONS)] + [
        {"text": "again", "goto": "start"}
    ]
    scenes = [
        {"id": "start", "text": "Start.", "choices": [*start_choices, {"text": "wait", "goto": "hub"}]},
        {"id": "hub", "text": "Hub.", "choices": hub_choices},
    ] + [{"id": f"end_{i}", "text": "End.", "ending": f"e{i}"} for i in range(len(CONDITIONS))]
    data = {
        "story": {"title": "Registry", "start": "start", "variables": EXAMPLE_VARIABLES},
        "scenes": scenes,
        "codex": [{"id": "lore", "title": "Lore", "text": "Lore."}],
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def test_the_shipped_schema_file_is_the_generated_one() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == story_schema_text(), "run: python -m evegame.authoring.storyschema"


def test_every_effect_kind_and_operator_is_in_the_schema() -> None:
    block = story_schema()["definitions"]["effect_block"]["properties"]
    assert set(block) == EFFECT_KEYS
    described = story_schema()["definitions"]["condition"]["description"]
    assert described == summary()
    for symbol in OPERATORS:
        assert symbol in described
    for name in FUNCTIONS:
        assert f"{name}(" in described


def test_the_registry_story_validates_against_the_schema(tmp_path: Path) -> None:
    folder = registry_story(tmp_path / "s")
    data = yaml.safe_load((folder / "story.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, story_schema(), cls=jsonschema.Draft7Validator)
    assert load_story(folder).problems == []


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_each_effect_kind_changes_the_game_as_its_rule_says(name: str, tmp_path: Path) -> None:
    game = Game(read_story(registry_story(tmp_path / "s")))
    before = {k: (list(v) if isinstance(v, list) else v) for k, v in game.variables.items()}
    outcome = game.choose(f"do {name}")
    kind = EFFECTS[name]
    if kind.step is None:
        assert outcome.unlocked == ["lore"]
        return
    for block_key, value in kind.example.items():
        if block_key != name:
            continue
        changed = value if isinstance(value, dict) else {}
        for var, v in changed.items():  # set/add: {var: value}
            assert game.variables[var] == kind.step(before[var], v)
        if isinstance(value, list):  # give/take: names into a list
            var = (
                kind.example.get(kind.companions[0])
                if kind.companions and kind.companions[0] in kind.example
                else "items"
            )
            expected = before[var]
            for item in value:
                expected = kind.step(expected, item)
            assert game.variables[var] == expected
    assert outcome.changes, f"the example of {name!r} changes nothing"


def test_an_unknown_effect_kind_is_a_located_error(tmp_path: Path) -> None:
    folder = registry_story(tmp_path / "s")
    text = (folder / "story.yaml").read_text(encoding="utf-8").replace("add:", "multiply:", 1)
    (folder / "story.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(StoryError) as err:
        read_story(folder)
    [problem] = [p for p in err.value.problems if "multiply" in p.message]
    assert problem.line > 0 and problem.col > 0
    assert "unknown key 'multiply' in effects" in problem.message


@pytest.mark.parametrize("source", CONDITIONS)
def test_each_operator_and_function_parses_checks_and_evaluates(source: str) -> None:
    cond = parse_condition(source, TYPES, lambda sid: sid in ("start", "hub"))
    assert str(cond) == source
    assert isinstance(cond(EXAMPLE_VARIABLES, {}), bool)


@pytest.mark.parametrize("source", ["coins = 2", "coins => 2", "coins <> 2", "coins ~ 2", "nosuch(hub)"])
def test_an_unknown_operator_or_function_is_an_error_with_its_place(source: str) -> None:
    with pytest.raises(ConditionError) as err:
        parse_condition(source, TYPES)
    assert 0 <= err.value.offset < len(source)


@pytest.mark.parametrize("symbol", sorted(OPERATORS))
def test_each_operator_has_a_type_rule(symbol: str) -> None:
    op = OPERATORS[symbol]
    accepted = [(a, b) for a in ("int", "bool", "str", "list") for b in ("int", "bool", "str", "list")]
    results = []
    for a, b in accepted:
        try:
            results.append(op.check(a, b))
        except Exception as exc:
            assert str(exc), f"{symbol}: a type error without a message"
    assert results, f"{symbol} accepts no operand types"
    assert len(results) < len(accepted), f"{symbol} accepts every pair of operand types"


@pytest.mark.parametrize("symbol", sorted(OPERATORS))
def test_each_operators_abstract_rule_agrees_with_its_evaluator(symbol: str) -> None:
    """Threshold: truth changes only at the cut points, holds exactly inside the bound, and the
    mirror and negation are what they say. Membership: reads only whether the name is in."""
    op = OPERATORS[symbol]
    abstract = op.abstract
    if isinstance(abstract, Threshold):
        mirror, negation = OPERATORS[abstract.mirror], OPERATORS[abstract.negation]
        for c in range(-3, 4):
            cuts = abstract.cuts(c)
            bound = abstract.bound(c)
            for x in range(-8, 9):
                truth = op.evaluate(x, c)
                assert mirror.evaluate(c, x) == truth
                assert negation.evaluate(x, c) == (not truth)
                if x + 1 not in cuts:
                    assert op.evaluate(x + 1, c) == truth, (symbol, c, x)
                if bound is not None:
                    assert truth == (bound[0] <= x <= bound[1])
    elif abstract is MEMBERSHIP:
        assert op.evaluate("a", ["a", "b"]) != op.evaluate("a", ["b"])
        assert op.evaluate("a", ["a"]) == op.evaluate("a", ["b", "a", "c"])
    else:
        assert abstract is None


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_each_functions_abstract_rule_agrees_with_its_evaluator(name: str) -> None:
    func = FUNCTIONS[name]
    if func.args == (SCENE,) and func.abstract is not None:
        symbol, c = func.abstract
        for count in range(5):
            assert func.evaluate(count) == OPERATORS[symbol].evaluate(count, c)


def test_both_explorers_play_every_entry_as_the_game_does(tmp_path: Path) -> None:
    story = read_story(registry_story(tmp_path / "s"))
    endings, _lengths = reference_random(story, 200, 3, 40)
    assert explore_random(story, 200, seed=3, max_steps=40).endings == dict(sorted(endings.items()))
    depth = 8
    report = explore_exhaustive(story, max_depth=depth)
    scenes, _choices, endings = reference_bfs(story, depth)
    reached = {sid for sid, hit in zip(report.table.ids, report.scenes_reached, strict=True) if hit}
    assert reached == scenes
    assert set(report.endings_reached) == endings
    assert not report.errors
