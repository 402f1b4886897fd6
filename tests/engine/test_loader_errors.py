"""Every error class of the story format, each located at its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from evegame.engine import load_story
from helpers import TWO_SCENES as GOOD_SCENES


def problems(root: Path, **kwargs) -> list[tuple[str, int, str]]:
    result = load_story(root, **kwargs)
    return [(Path(p.path).name, p.line, p.message) for p in result.problems if p.severity == "error"]


def only_error(root: Path) -> tuple[str, int, str]:
    found = problems(root)
    assert len(found) == 1, found
    return found[0]


def test_good_story_loads(write_story) -> None:
    result = load_story(write_story({"scenes.yaml": GOOD_SCENES}))
    assert result.story is not None and result.errors == []


def test_yaml_syntax_error(write_story) -> None:
    root = write_story({"scenes.yaml": "scenes:\n  - id: a\n    text: [unclosed\n    choices: []\n"})
    name, line, message = only_error(root)
    assert name == "scenes.yaml" and line in (3, 4) and "YAML syntax error" in message


def test_unknown_key_with_suggestion(write_story) -> None:
    root = write_story({"scenes.yaml": GOOD_SCENES.replace("    text: End.\n", "    text: End.\n    tittle: Oops\n")})
    assert only_error(root) == ("scenes.yaml", 9, "unknown key 'tittle' in a scene (did you mean 'title'?)")


def test_wrong_type(write_story) -> None:
    root = write_story({"scenes.yaml": GOOD_SCENES.replace("        goto: b", "        goto: [b]")})
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 6) and "'goto' must be a string" in message


def test_duplicate_id(write_story) -> None:
    root = write_story(
        {"scenes.yaml": GOOD_SCENES, "more.yaml": "scenes:\n  - id: b\n    text: Again.\n    ending: x\n"}
    )
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 7) and "duplicate scene id 'b'" in message and "more.yaml:2" in message


def test_missing_goto_target_with_suggestion(write_story) -> None:
    root = write_story({"scenes.yaml": GOOD_SCENES.replace("goto: b", "goto: bb")})
    found = problems(root)
    assert ("scenes.yaml", 6, "goto target 'bb' is not a scene (did you mean 'b'?)") in found


def test_undeclared_variable_in_condition(write_story) -> None:
    root = write_story(
        {"scenes.yaml": GOOD_SCENES.replace("      - text: Go\n", "      - text: Go\n        if: gold > 1\n")}
    )
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 6) and "undeclared variable 'gold'" in message


def test_undeclared_variable_in_effect(write_story) -> None:
    root = write_story(
        {
            "scenes.yaml": GOOD_SCENES.replace(
                "        goto: b", "        effects:\n          add: {coinz: 1}\n        goto: b"
            )
        }
    )
    name, line, message = only_error(root)
    assert (
        (name, line) == ("scenes.yaml", 7)
        and "undeclared variable 'coinz'" in message
        and "did you mean 'coins'" in message
    )


def test_undeclared_variable_in_text(write_story) -> None:
    root = write_story({"scenes.yaml": GOOD_SCENES.replace("text: Start.", "text: You have {gold}.")})
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 3) and "{gold}" in message


def test_unparsable_condition(write_story) -> None:
    root = write_story(
        {"scenes.yaml": GOOD_SCENES.replace("      - text: Go\n", "      - text: Go\n        if: coins >=\n")}
    )
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 6) and "bad condition" in message


def test_type_mismatch_add_to_flag(write_story) -> None:
    root = write_story(
        {
            "scenes.yaml": GOOD_SCENES.replace(
                "        goto: b", "        effects:\n          add: {flag: 1}\n        goto: b"
            )
        }
    )
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 7) and "type mismatch" in message and "'flag'" in message


def test_type_mismatch_set(write_story) -> None:
    root = write_story(
        {
            "scenes.yaml": GOOD_SCENES.replace(
                "        goto: b", "        effects:\n          set: {coins: yes}\n        goto: b"
            )
        }
    )
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 7) and "type mismatch" in message


def test_type_mismatch_in_condition(write_story) -> None:
    root = write_story(
        {"scenes.yaml": GOOD_SCENES.replace("      - text: Go\n", "      - text: Go\n        if: flag > 1\n")}
    )
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 6) and "compares numbers" in message


def test_scene_without_choices(write_story) -> None:
    scenes = GOOD_SCENES.replace("    ending: done\n", "    choices:\n      - text: Onward\n        goto: c\n")
    scenes += "  - id: c\n    text: Stuck.\n  - id: d\n    text: Fin.\n    ending: done\n"
    found = problems(write_story({"scenes.yaml": scenes}))
    assert (
        "scenes.yaml",
        12,
        "scene 'c' has no choices and is not an ending: a dead end (add choices or 'ending: NAME')",
    ) in found


def test_unreachable_scene(write_story) -> None:
    root = write_story(
        {
            "scenes.yaml": GOOD_SCENES
            + "  - id: lost\n    text: Nobody comes.\n    choices:\n      - text: Leave\n        goto: b\n"
        }
    )
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 10) and "unreachable" in message


def test_unreachable_ending(write_story) -> None:
    root = write_story(
        {"scenes.yaml": GOOD_SCENES, "endings.yaml": "scenes:\n  - id: z\n    text: Never.\n    ending: never\n"}
    )
    name, line, message = only_error(root)
    assert (name, line) == ("endings.yaml", 2) and "ending 'never' is never reached" in message


def test_lenient_makes_unreachable_a_warning(write_story) -> None:
    root = write_story(
        {"scenes.yaml": GOOD_SCENES, "endings.yaml": "scenes:\n  - id: z\n    text: Never.\n    ending: never\n"}
    )
    result = load_story(root, lenient=True)
    assert result.story is not None and [p.line for p in result.warnings if "never reached" in p.message] == [2]


def test_trap_with_no_way_to_an_ending(write_story) -> None:
    scenes = GOOD_SCENES.replace(
        "      - text: Go\n        goto: b\n",
        "      - text: Go\n        goto: b\n      - text: Loop\n        goto: loop\n",
    )
    scenes += "  - id: loop\n    text: Round.\n    choices:\n      - text: Again\n        goto: loop\n"
    found = problems(write_story({"scenes.yaml": scenes}))
    assert any(line == 12 and "no ending can be reached" in m for _, line, m in found), found


def test_python_tags_are_refused(write_story) -> None:
    root = write_story({"scenes.yaml": "scenes: !!python/object/apply:os.system ['echo pwned']\n"})
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 1) and "not allowed" in message


def test_all_errors_at_once_across_files(write_story) -> None:
    root = write_story(
        {
            "a.yaml": GOOD_SCENES.replace("text: Start.", "text: Start.\n    colour: red"),
            "b.yaml": "scenes:\n  - id: c\n    text: x\n    bogus: 1\n    ending: e\n",
            "c.yaml": "scenes: [\n",
        }
    )
    files = {name for name, _, _ in problems(root)}
    assert files == {"a.yaml", "b.yaml", "c.yaml"}


def test_no_cascade_of_missing_targets_when_a_file_is_broken(write_story) -> None:
    root = write_story(
        {"a.yaml": GOOD_SCENES.replace("goto: b", "goto: c"), "c.yaml": "scenes:\n  - id: c\n    text: [\n"}
    )
    assert [name for name, _, _ in problems(root)] == ["c.yaml"]


def test_missing_folder() -> None:
    result = load_story("/nonexistent/story")
    assert result.story is None and "story folder not found" in result.problems[0].message


def test_empty_folder(tmp_path: Path) -> None:
    result = load_story(tmp_path)
    assert "no story files" in result.problems[0].message


def test_no_manifest(write_story) -> None:
    root = write_story({"scenes.yaml": GOOD_SCENES}, manifest=None)
    assert "no manifest" in problems(root)[0][2]


def test_non_utf8_file(write_story) -> None:
    root = write_story({"scenes.yaml": GOOD_SCENES})
    (root / "bad.yaml").write_bytes(b"scenes:\n  - id: q\n    text: caf\xe9\n")
    name, line, message = only_error(root)
    assert (name, line) == ("bad.yaml", 3) and "not UTF-8" in message


def test_billion_laughs_is_bounded(write_story) -> None:
    bomb = ['lol0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        bomb.append(f"lol{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    root = write_story({"scenes.yaml": GOOD_SCENES, "bomb.yaml": "\n".join(bomb) + "\n"})
    found = problems(root)  # how fast: benchmarks/; here, that the expansion is refused where it is
    assert found and all(name == "bomb.yaml" for name, _, _ in found)


def test_ending_with_choices(write_story) -> None:
    root = write_story(
        {
            "scenes.yaml": GOOD_SCENES.replace(
                "    ending: done\n", "    ending: done\n    choices:\n      - text: More\n        goto: a\n"
            )
        }
    )
    name, line, message = only_error(root)
    assert (name, line) == ("scenes.yaml", 10) and "cannot have choices" in message


@pytest.mark.parametrize("bad_id", ["Has-Caps", "with space"])
def test_bad_ids(write_story, bad_id: str) -> None:
    root = write_story({"scenes.yaml": GOOD_SCENES + f"  - id: {bad_id}\n    text: x\n    ending: q\n"})
    assert any("may use only" in m for _, _, m in problems(root))


def test_columns_point_inside_text_and_conditions(write_story) -> None:
    scenes = """\
scenes:
  - id: a
    text:
      - |
        Première ligne, é.
        You have {gold} here.
    choices:
      - text: Go
        if: "coins >= 1 and   gold"
        goto: b
  - id: b
    text: End.
    ending: done
"""
    root = write_story({"scenes.yaml": scenes})
    found = sorted((p.line, p.col, p.message.split(":")[0]) for p in load_story(root).errors)
    # the brace of {gold} (line 6, after 8 spaces and 'You have '), and 'gold' in the quoted condition
    assert [(line, col) for line, col, _ in found] == [(6, 18), (9, 31)]


def test_a_manifest_that_fails_to_parse_is_not_also_reported_missing(write_story) -> None:
    root = write_story({"story.yaml": "story:\n  title: [unclosed\n", "scenes.yaml": GOOD_SCENES})
    found = problems(root)
    assert len(found) == 1, found
    assert found[0][0] == "story.yaml" and found[0][1] >= 2


@pytest.mark.parametrize("end", ["", "\n"])
def test_a_file_that_ends_too_soon_is_reported_on_a_line_it_has(write_story, end: str) -> None:
    """libyaml marks the end of a file one line past its last; the error names where the item began."""
    root = write_story({"scenes.yaml": GOOD_SCENES, "more.yaml": "scenes:\n  - id: c\n    text: {oops: x" + end})
    name, line, message = only_error(root)
    assert (name, line) == ("more.yaml", 3) and "before the file ends" in message
    root = write_story({"more.yaml": "scenes:\n  - id: c\n    unfinished" + end})
    assert only_error(root)[:2] == ("more.yaml", 3)


def test_a_link_to_a_file_outside_the_story_is_refused_unread(write_story, tmp_path: Path, capsys) -> None:
    root = write_story({"scenes.yaml": GOOD_SCENES})
    secret = tmp_path / "elsewhere" / "private.yaml"
    secret.parent.mkdir()
    secret.write_text("password_hunter2: 1\nscenes: [{id: leak, text: hunter2, ending: x}]\n", encoding="utf-8")
    (root / "linked.yaml").symlink_to(secret)
    (root / ".parts").mkdir()  # a link inside the folder is a file like any other: here, the manifest
    (root / "story.yaml").rename(root / ".parts" / "manifest.yaml")
    (root / "story.yaml").symlink_to(Path(".parts", "manifest.yaml"))
    result = load_story(root)
    errors = [p for p in result.problems if p.severity == "error"]
    assert result.story is None and len(errors) == 1, errors
    assert errors[0].path.endswith("story/linked.yaml") and "outside the story folder" in errors[0].message
    from evegame.cli import main

    assert main(["check", str(root)]) == 1
    out = capsys.readouterr()
    shown = out.out + out.err
    assert f"{root / 'linked.yaml'}: error: a link to a file outside the story folder" in shown
    assert "hunter2" not in shown and "elsewhere" not in shown and "private" not in shown
