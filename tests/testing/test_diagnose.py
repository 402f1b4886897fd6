"""Why a condition is false: the parts that decide it, with the values they read."""

from __future__ import annotations

import pytest

from evegame.engine.conditions import parse_condition
from evegame.testing.diagnose import why_false

TYPES = {"coins": "int", "flag": "bool", "items": "list", "ally": "str"}
STATE = {"coins": 2, "flag": False, "items": ["map"], "ally": "ox"}


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ("flag", ["flag is false"]),
        ("coins >= 5", ["coins >= 5 is false (coins is 2)"]),
        ("coins >= 1 and flag", ["flag is false"]),  # only the part that decides it
        ("flag or coins > 3", ["flag is false", "coins > 3 is false (coins is 2)"]),
        ("not (coins >= 1)", ["coins >= 1 is true (coins is 2)"]),
        ("not flag and 'key' in items", ["'key' in items is false (items is [\"map\"])"]),
        ("seen(hall) and ally == 'ox'", ["seen(hall) is false (visits(hall) is 0)"]),
        (
            "(flag or coins > 5) and ally != 'ox'",
            ["flag is false", "coins > 5 is false (coins is 2)", "ally != 'ox' is false (ally is \"ox\")"],
        ),
        ("not ('map' in items or flag)", ["'map' in items is true (items is [\"map\"])"]),
        ("coins > coins", ["coins > coins is false (coins is 2)"]),
    ],
)
def test_why_false_names_the_deciding_parts(source: str, why: list[str]) -> None:
    cond = parse_condition(source, TYPES, lambda _s: True)
    assert not cond(STATE, {})
    assert why_false(cond, STATE, {}) == why


# --- dead ends in stories with v2 flow: the state is the one the game was really in ----------------

FLOW_SCENES = """\
scenes:
  - id: a
    text: Start.
    choices:
      - {id: bank, text: Visit the bank, call: bank, goto: a2}
  - id: a2
    text: Back.
    choices:
      - id: roll
        text: Roll
        goto:
          - {chance: 50, scene: b}
          - {chance: 50, scene: c}
  - id: bank
    text: Bank.
    choices:
      - {id: leave, text: Leave, return: true}
  - id: b
    text: Perhaps stuck.
    choices:
      - {id: pay, text: Pay, if: coins >= 1, goto: end}
      - {id: beg, text: Beg, requires: coins >= 5, locked: Too poor., goto: end}
      - {id: look, text: Look about, once: true, goto: b}
  - id: c
    text: Fine.
    choices:
      - {id: walk, text: Walk, effects: {add: {coins: 1}}, goto: b}
  - id: end
    text: End.
    ending: done
"""


def test_a_dead_end_after_a_call_and_a_chance_is_diagnosed_where_it_is(write_story) -> None:  # type: ignore[no-untyped-def]
    from evegame.engine import read_story
    from evegame.testing.exhaustive import explore_exhaustive
    from evegame.testing.randomwalk import explore_random

    story = read_story(
        write_story({"scenes.yaml": FLOW_SCENES}, "story: {title: T, start: a, variables: {coins: 0}}\n")
    )
    expected = [
        "pay (if: coins >= 1): coins >= 1 is false (coins is 0)",
        "beg (requires: coins >= 5): coins >= 5 is false (coins is 0)",
        "look (once): taken already",
    ]
    exhaustive = explore_exhaustive(story)
    [dead] = exhaustive.dead_ends
    assert dead.scene == "b" and dead.diagnosis is not None
    assert dead.diagnosis.scene == "b" and dead.diagnosis.variables == {"coins": 0}
    assert [str(c) for c in dead.diagnosis.closed] == expected
    random = explore_random(story, 40, seed=0)
    stuck = [p for p in random.problems if p.kind == "dead_end"]
    assert stuck and all(p.diagnosis is not None and p.diagnosis.scene == "b" for p in stuck)
    assert all([str(c) for c in p.diagnosis.closed] == expected for p in stuck if p.diagnosis)
