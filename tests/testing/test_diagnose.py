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
