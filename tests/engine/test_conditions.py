import pytest

from evegame.engine.conditions import ConditionError, parse_condition

TYPES = {"coins": "int", "excommunicado": "bool", "items": "list", "ally": "str"}


def holds(source: str, variables: dict, visits: dict | None = None) -> bool:
    return parse_condition(source, TYPES)(variables, visits or {})


BASE = {"coins": 2, "excommunicado": False, "items": ["pistol"], "ally": "ox"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("coins >= 2", True),
        ("coins > 2", False),
        ("coins == 2 and not excommunicado", True),
        ("excommunicado or coins < 1", False),
        ("'pistol' in items", True),
        ("'knife' not in items", True),
        ("ally == 'ox'", True),
        ('ally != "ox"', False),
        ("not (coins >= 1 and 'pistol' in items)", False),
        ("coins >= -1", True),
        ("true", True),
        ("not false and (coins == 2 or excommunicado)", True),
    ],
)
def test_evaluates(source: str, expected: bool) -> None:
    assert holds(source, BASE) is expected


def test_precedence_and_binds_tighter_than_or() -> None:
    assert holds("true or false and false", BASE) is True
    assert holds("(true or false) and false", BASE) is False


def test_seen_and_visits_read_visit_counts() -> None:
    types = TYPES
    cond = parse_condition("seen(lobby) and visits(lobby) >= 2", types, scene_exists=lambda s: s == "lobby")
    assert cond.scenes == {"lobby"}
    assert cond({}, {"lobby": 2}) and not cond({}, {"lobby": 1}) and not cond({}, {})


def test_records_variables_read() -> None:
    assert parse_condition("coins > 1 or excommunicado", TYPES).variables == {"coins", "excommunicado"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("coins >=", "ends where a value was expected"),
        ("coins >= 1 and", "ends where a value was expected"),
        ("(coins > 1", "missing ')'"),
        ("coins > 1)", "unexpected ')'"),
        ("coins $ 1", "unexpected character '$'"),
        ("", "empty condition"),
        ("gold > 1", "undeclared variable 'gold'"),
        ("coins", "must be true or false"),
        ("coins and excommunicado", "'and' needs a true/false value"),
        ("'x' in coins", "needs a list on its right"),
        ("coins in items", "looks for a string in a list"),
        ("excommunicado == 1", "cannot compare a flag with a number"),
        ("ally > 1", "compares numbers"),
        ("lookup(x)", "unknown function"),
        ("seen(nowhere)", "unknown scene"),
    ],
)
def test_errors_are_clear(source: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")):
        parse_condition(source, TYPES, scene_exists=lambda s: False)


def test_error_offset_points_into_the_condition() -> None:
    with pytest.raises(ConditionError) as info:
        parse_condition("coins > 1 and gold", TYPES)
    assert info.value.offset == "coins > 1 and gold".index("gold")


def test_never_uses_python_eval() -> None:
    # Python syntax that is not ours must not parse, let alone run.
    for source in ("__import__('os').system('true')", "coins.__class__", "[c for c in items]", "coins + 1 > 2"):
        with pytest.raises(ConditionError):
            parse_condition(source, TYPES)
