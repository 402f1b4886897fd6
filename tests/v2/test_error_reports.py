"""Story format v2, friendlier errors: root cause first, knock-ons folded, repeats counted, hints, item names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evegame.cli import main
from evegame.engine import load_story
from evegame.engine.conditions import ConditionError, parse_condition
from helpers import TWO_SCENES as SCENES


def check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["check", str(root), *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_second_manifest_is_the_root_cause_and_the_undeclared_names_follow_from_it(write_story, capsys) -> None:
    # Seen: a second manifest gave 63 errors with the real cause listed last.
    uses = SCENES.replace("      - text: Go\n", "      - text: Go\n        if: heat > 0 and rank == 1\n").replace(
        "text: Start.", "text: Heat {heat}."
    )
    old = "story:\n  title: Old\n  start: a\n  variables:\n    heat: 1\n    rank: 2\n"
    root = write_story({"scenes.yaml": uses, "old/story.yaml": old}, "story:\n  title: T\n  start: a\n")
    code, text = check(root, capsys)
    lines = text.splitlines()
    assert code == 1
    assert "a second manifest" in lines[0] and "old/story.yaml" in lines[0]
    follows = [line for line in lines[1:] if line.startswith("  ")]
    assert len(follows) == 2 and all("undeclared" in line for line in follows)


def test_a_flag_declared_by_an_unquoted_off_explains_the_errors_where_it_is_used(write_story, capsys) -> None:
    manifest = "story:\n  title: T\n  start: a\n  variables:\n    mood: off\n"
    uses = SCENES.replace("      - text: Go\n", "      - text: Go\n        if: mood == 'calm'\n")
    _, text = check(write_story({"scenes.yaml": uses}, manifest), capsys)
    lines = text.splitlines()
    assert "story.yaml:5:11: warning: the unquoted 'off'" in lines[0]
    assert lines[1].startswith("  ") and "cannot compare a flag with a string" in lines[1]


def _many_scenes(count: int) -> str:
    scenes = ["scenes:", "  - id: a", "    text: Start.", "    choices:"]
    scenes += [f"      - {{text: To {i}, goto: s{i}}}" for i in range(count)]
    for i in range(count):
        scenes += [f"  - id: s{i}", "    text: Same mistake.", "    tittle: oops", "    ending: done"]
    return "\n".join(scenes) + "\n"


def test_one_mistake_repeated_is_shown_five_times_then_counted(write_story, capsys) -> None:
    # Seen: one mistake repeated over 20,000 scenes printed 20,000 identical lines.
    root = write_story({"scenes.yaml": _many_scenes(40)}, "story:\n  title: T\n  start: a\n")
    code, text = check(root, capsys)
    shown = [line for line in text.splitlines() if "unknown key 'tittle'" in line]
    assert code == 1 and len(shown) == 5
    assert "... and 35 more like this" in text
    code, out = check(root, capsys, "--format", "json")
    payload = json.loads(out)
    assert payload["errors"] == 40 and len(payload["problems"]) == 40
    assert [g["more_like_this"] for g in payload["groups"]] == [0, 0, 0, 0, 35]


@pytest.mark.parametrize(
    ("source", "hint"),
    [
        ("standing = 2", "write '=='"),
        ("a && b", "write 'and' instead of '&&'"),
        ("a || b", "write 'or' instead of '||'"),
        ("!a", "write 'not' instead of '!'"),
    ],
)
def test_other_languages_habits_get_hints(source: str, hint: str) -> None:
    # Seen: no hint for `standing = 2`.
    types = {"standing": "int", "a": "bool", "b": "bool", "name": "str"}
    with pytest.raises(ConditionError, match=hint):
        parse_condition(source, types)


def test_an_item_given_under_one_name_and_tested_under_another_is_found_with_a_suggestion(write_story) -> None:
    # Seen: `give: [vain]` while conditions tested 'vane' passed check and exhaustive exploration.
    scenes = SCENES.replace(
        "        goto: b\n",
        "        goto: b\n        effects:\n          give: [vain]\n",
    ).replace("    text: End.\n", "    text:\n      - End.\n      - {if: \"'vane' in items\", text: The vane turns.}\n")
    result = load_story(
        write_story({"scenes.yaml": scenes}, "story:\n  title: T\n  start: a\n  variables:\n    items: []\n")
    )
    warnings = sorted((p.line, p.message) for p in result.warnings)
    assert warnings == [
        (8, "'vain' is put in 'items' but no condition tests for it and no text shows 'items' (did you mean 'vane'?)"),
        (12, "a condition tests for 'vane' in 'items', but nothing ever gives it (did you mean 'vain'?)"),
    ]


def test_items_of_a_list_the_player_sees_need_no_test(write_story) -> None:
    manifest = (
        "story:\n  title: T\n  start: a\n  variables:\n    items: []\n  status:\n    - {var: items, label: Pack}\n"
    )
    scenes = SCENES.replace("        goto: b\n", "        goto: b\n        effects:\n          give: [rope]\n")
    assert load_story(write_story({"scenes.yaml": scenes}, manifest)).problems == []
