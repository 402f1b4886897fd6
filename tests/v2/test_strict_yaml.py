"""Story format v2, stricter YAML: repeated keys and unquoted YAML 1.1 booleans are caught where written."""

from __future__ import annotations

from pathlib import Path

import pytest

from evegame.engine import load_story
from helpers import TWO_SCENES as SCENES

BARE = "story:\n  title: T\n  start: a\n"
OTHER_END = "  - id: c\n    text: Other end.\n    ending: other\n"


def found(root: Path) -> list[tuple[str, int, int, str, str]]:
    return [(Path(p.path).name, p.line, p.col, p.severity, p.message) for p in load_story(root).problems]


def test_two_gotos_in_one_choice_is_an_error_at_the_second_naming_the_first(write_story) -> None:
    # Seen: the first goto was dropped silently and only "unreachable scene" errors appeared elsewhere.
    root = write_story(
        {"scenes.yaml": SCENES.replace("        goto: b\n", "        goto: c\n        goto: b\n") + OTHER_END}
    )
    problems = found(root)
    assert problems[0][:4] == ("scenes.yaml", 7, 9, "error")
    assert "key 'goto' appears twice in one mapping (first at line 6)" in problems[0][4]
    assert not any("unreachable" in p[4] for p in problems)


@pytest.mark.parametrize("c_loader", [True, False])
def test_repeated_keys_and_words_are_noticed_by_both_pyyaml_loaders(monkeypatch: pytest.MonkeyPatch, c_loader) -> None:
    import importlib

    import yaml

    from evegame.engine import yamlfast

    if not c_loader:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    module = importlib.reload(yamlfast)
    try:
        value, notes = module.parse_noting("a: 1\nb: off\na: 2\n")
        assert value == {"a": 2, "b": False}
        assert [d[:2] for d in notes.duplicates] == [(3, 1)]
        assert list(notes.words.values()) == [("off", 2, 4)]
    finally:
        monkeypatch.undo()
        importlib.reload(yamlfast)


def test_unquoted_no_as_text_is_an_error_with_the_fix(write_story) -> None:
    # Seen: `text: No` failed check but looked valid to an editor reading YAML 1.2.
    root = write_story({"scenes.yaml": SCENES.replace("text: End.", "text: No")})
    ((name, line, col, severity, message),) = found(root)
    assert (name, line, col, severity) == ("scenes.yaml", 8, 11, "error")
    assert "quote it: 'No'" in message


@pytest.mark.parametrize("word", ["yes", "Off", "ON", "y", "N", "yEs"])
def test_every_yaml11_word_is_an_error_where_text_is_expected(write_story, word: str) -> None:
    root = write_story({"scenes.yaml": SCENES.replace("      - text: Go", f"      - text: {word}")})
    ((_, line, _, severity, message),) = found(root)
    assert (line, severity) == (5, "error") and f"quote it: '{word}'" in message


def test_quoted_words_are_plain_text(write_story) -> None:
    root = write_story({"scenes.yaml": SCENES.replace("      - text: Go", "      - text: 'yes'")}, BARE)
    assert found(root) == []


def test_unquoted_off_as_a_declared_value_is_a_warning_at_the_declaration(write_story) -> None:
    # Seen: `mood: off` was read as a flag; errors appeared at each use, never at the declaration.
    manifest = "story:\n  title: T\n  start: a\n  variables:\n    lamp: off\n"
    root = write_story(
        {"scenes.yaml": SCENES.replace("      - text: Go\n", "      - text: Go\n        if: not lamp\n")}, manifest
    )
    ((name, line, col, severity, message),) = found(root)
    assert (name, line, col, severity) == ("story.yaml", 5, 11, "warning")
    assert "write false for a flag, or quote it: 'off'" in message


@pytest.mark.parametrize("spot", ["give: [on]", "set: {flag: yes}"])
def test_words_in_effects(write_story, spot: str) -> None:
    root = write_story(
        {"scenes.yaml": SCENES.replace("        goto: b\n", f"        goto: b\n        effects:\n          {spot}\n")}
    )
    problems = found(root)
    severity = "error" if spot.startswith("give") else "warning"
    assert [p[3] for p in problems if "YAML 1.1" in p[4]] == [severity]
