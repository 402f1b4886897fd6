"""What the fuzzer found, each pinned down: the loader reports these inputs at their place instead of crashing."""

from __future__ import annotations

from pathlib import Path

import pytest

from evegame.engine import Game, load_story

MANIFEST = "story:\n  title: T\n  start: a\n  variables: {coins: 1, flag: false}\n"
ENDING = "  - id: z\n    text: The end.\n    ending: done\n"


def _load(tmp_path: Path, scenes: str, manifest: str = MANIFEST) -> list[str]:
    (tmp_path / "story.yaml").write_text(manifest, encoding="utf-8")
    (tmp_path / "scenes.yaml").write_bytes(("scenes:\n" + scenes).encode("utf-8", "surrogatepass"))
    result = load_story(tmp_path)
    return [f"{Path(p.path).name}:{p.line}:{p.col}: {p.message}" for p in result.problems]


def _choice_if(condition: str) -> str:
    return (
        f"  - id: a\n    text: t\n    choices:\n      - text: go\n        if: {condition}\n        goto: z\n" + ENDING
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9" * 5000, "the number '999999999999999999999999999...' is too large"),  # ValueError: int digits limit
        ("0x" + "f" * 5000, "the number '0xfffffffffffffffffffffffff...' is too large"),  # repr() of it failed later
        ("!!int abc", "'abc' is not a whole number"),  # ValueError
        ("!!float abc", "'abc' is not a decimal number"),  # ValueError
        ("!!bool maybe", "'maybe' is not true or false"),  # KeyError
        ("!!timestamp 2020-13-45", "'2020-13-45' is not a date"),  # ValueError: month must be in 1..12
        ("!!timestamp 2020-01-01 (x)", "'2020-01-01 (x)' is not a date"),  # AttributeError: PyYAML's regex fails
    ],
    ids=[
        "5000-digit-int",
        "huge-hex-int",
        "bad-int-tag",
        "bad-float-tag",
        "bad-bool-tag",
        "bad-timestamp",
        "timestamp-not-matched",
    ],
)
def test_values_yaml_cannot_build_are_located_errors(tmp_path: Path, value: str, message: str) -> None:
    problems = _load(tmp_path, f"  - id: a\n    title: {value}\n    text: t\n    ending: e\n")
    assert problems == [f"scenes.yaml:3:12: error: {message}"] or problems[0].startswith(f"scenes.yaml:3:12: {message}")


def test_control_character_has_a_line_and_column(tmp_path: Path) -> None:
    """A ReaderError carries only a character index; it used to be reported at line 0."""
    problems = _load(tmp_path, "  - id: a\n    text: bell \x07 here\n    ending: e\n")
    assert problems == [
        "scenes.yaml:3:16: character U+0007 is not allowed in a YAML file (control characters are not allowed)"
    ]


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_flow_nesting_is_refused_quickly_at_its_place(tmp_path: Path, opening: str) -> None:
    """libyaml takes time growing with the square of the depth: 100,000 levels would take minutes."""
    closing = "]" if opening == "[" else "}"
    problems = _load(tmp_path, "  - id: a\n    text: " + opening * 100_000 + "x" + closing * 100_000 + "\n")
    col = 11 + 200 * len(opening)
    assert problems == [f"scenes.yaml:3:{col}: YAML is nested too deeply (more than 200 levels of [ ] or {{ }})"]


def test_deep_block_nesting_has_a_line(tmp_path: Path) -> None:
    problems = _load(tmp_path, "  - id: a\n    text:\n      " + "- " * 400 + "x\n    ending: e\n")
    assert len(problems) == 1 and "nested too deeply" in problems[0]
    assert problems[0].startswith("scenes.yaml:4:")


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("(" * 2000 + "flag" + ")" * 2000, "condition too long"),  # RecursionError in the parser
        ("(" * 40 + "flag" + ")" * 40, "condition nested too deeply (more than 32 levels)"),
        ("not " * 2000 + "flag", "condition too long"),  # RecursionError in the parser
        ("not " * 40 + "flag", "condition nested too deeply"),
        (" and ".join(["flag"] * 2000), "condition too long"),  # RecursionError in checking and compiling
        ("coins > " + "9" * 6000, "number too large"),  # ValueError: int digits limit
    ],
    ids=["2000-parens", "40-parens", "2000-nots", "40-nots", "2000-ands", "6000-digit-number"],
)
def test_conditions_too_big_to_evaluate_safely_are_errors(tmp_path: Path, condition: str, message: str) -> None:
    problems = _load(tmp_path, _choice_if(condition))
    assert len(problems) == 1 and message in problems[0], problems
    assert problems[0].startswith("scenes.yaml:6:")


def test_a_long_but_reasonable_condition_still_works(tmp_path: Path) -> None:
    problems = _load(tmp_path, _choice_if(" or ".join(["coins > 5"] * 40) + " or flag or coins == 1"))
    assert problems == []


def test_seen_accepts_scene_ids_that_start_with_a_digit(tmp_path: Path) -> None:
    """Scene ids may be '20' or '0r'; seen(20) used to be refused ("seen() takes a scene id")."""
    scenes = (
        "  - id: a\n    text: t\n    choices:\n      - text: onward\n        goto: '20'\n"
        "  - id: '20'\n    text: t\n    choices:\n      - text: onward\n        goto: 0r\n"
        "  - id: 0r\n    text: t\n    choices:\n"
        "      - text: seen\n        if: seen(20) and visits(0r) >= 1\n        goto: z\n"
        "      - text: back\n        goto: a\n" + ENDING
    )
    assert _load(tmp_path, scenes, manifest="story:\n  title: T\n  start: a\n") == []
    game = Game.load(tmp_path)
    game.choose(1)
    game.choose(1)
    assert [c.text for c in game.choices] == ["seen", "back"]
