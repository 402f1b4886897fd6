"""Playthrough files: problems in the file itself are reported as file:line:col."""

from __future__ import annotations

import pytest

from evegame.testing.playfile import PlaythroughError, find_playthroughs, load_playthrough
from evegame.testing.runner import run_file


def problems(path) -> list[str]:
    with pytest.raises(PlaythroughError) as info:
        load_playthrough(path)
    return [str(p) for p in info.value.problems]


def test_steps_carry_their_lines(write_play) -> None:
    play = load_playthrough(write_play("steps:\n  - choose: a\n\n  - expect: {scene: b}\n  - undo\n  - save: x\n"))
    assert [(s.number, s.kind, s.arg, s.line, s.col) for s in play.steps] == [
        (1, "choose", "a", 2, 5),
        (2, "expect", {"scene": "b"}, 4, 5),
        (3, "undo", 1, 5, 5),
        (4, "save", "x", 6, 5),
    ]


def test_unknown_step_kinds_and_keys_are_located(write_play) -> None:
    path = write_play(
        """\
        nmae: typo
        steps:
          - choose: a
          - chose: b
          - expect:
              scene: x
              sceen: y
          - dance: 1
        start:
          scene: a
          vars: {}
        """
    )
    found = problems(path)
    assert f"{path}:1:1: error: unknown key 'nmae' in a playthrough (did you mean 'name'?)" in found
    assert f"{path}:4:5: error: step 2: unknown step kind 'chose' (did you mean 'choose'?)" in found
    assert any(p.startswith(f"{path}:7:7: error: unknown key 'sceen' in step 3's 'expect'") for p in found)
    assert any(p.startswith(f"{path}:8:5: error: step 4: unknown step kind 'dance'") for p in found)
    assert any(p.startswith(f"{path}:11:3: error: unknown key 'vars' in 'start'") for p in found)


def test_wrong_value_types_are_located(write_play) -> None:
    path = write_play(
        """\
        seed: seven
        steps:
          - choose: [a, b]
          - undo: 0
          - expect: {scene: 3}
          - expect: {variables: {coins: {a: 1}}}
          - expect: {over: maybe}
          - save: [1]
          - {choose: a, expect: {scene: b}}
          - expect: {}
        """
    )
    found = problems(path)
    assert f"{path}:1:7: error: 'seed' must be a whole number, not a string" in found
    assert f"{path}:3:13: error: step 1: 'choose' takes a choice id, its text or its number, not a list" in found
    assert f"{path}:4:11: error: step 2: 'undo' takes how many choices to undo (1 or more), not 0" in found
    assert f"{path}:5:21: error: step 3: 'scene' expects a scene id, not a number" in found
    assert any(p.startswith(f"{path}:6:33: error: step 4: variable 'coins': a value is a number") for p in found)
    assert f"{path}:7:20: error: step 5: 'over' expects true or false, not a string" in found
    assert f"{path}:8:11: error: step 6: 'save' takes an optional slot name, not a list" in found
    assert any(p.startswith(f"{path}:9:5: error: step 7: a step is a mapping with one key") for p in found)
    assert any(p.startswith(f"{path}:10:13: error: step 8: 'expect' takes a mapping of checks") for p in found)


def test_choices_count_and_choice_numbers_are_validated(write_play) -> None:
    ok = load_playthrough(write_play("steps:\n  - expect: {choices_count: 0}\n  - expect: {choices_count: {min: 1}}\n"))
    assert [s.arg for s in ok.steps] == [{"choices_count": 0}, {"choices_count": {"min": 1}}]
    path = write_play(
        """\
        steps:
          - expect: {choices_include: 0}
          - expect: {choices_count: -1}
          - expect: {choices_count: {min: 2, max: 1}}
          - expect: {choices_count: {least: 1}}
          - expect: {choices_count: {max: many}}
        """,
        "counts.play.yaml",
    )
    found = problems(path)
    assert any(
        p.startswith(f"{path}:2:31: error: step 1: choices are numbered from 1 in 'choices_include'; to check")
        and "write 'choices_count: 0'" in p
        for p in found
    ), found
    assert f"{path}:3:29: error: step 2: 'choices_count' expects a number (0 or more) or {{min: N, max: M}}" in found
    assert f"{path}:4:29: error: step 3: 'min' (2) is more than 'max' (1)" in found
    assert any(p.startswith(f"{path}:5:30: error: unknown key 'least' in step 4's 'choices_count'") for p in found)
    assert f"{path}:6:35: error: step 5: 'max' is a number of choices (0 or more)" in found


def test_missing_steps_and_not_a_mapping(write_play) -> None:
    assert problems(write_play("name: x\n", "a.play.yaml"))[0].endswith("a playthrough needs 'steps:', a list of steps")
    assert "a playthrough is a mapping" in problems(write_play("- choose: a\n", "b.play.yaml"))[0]


def test_yaml_errors_and_unsafe_tags(write_play) -> None:
    path = write_play("steps:\n  - choose: a\n   - choose: b\n", "syntax.play.yaml")
    assert problems(path)[0].startswith(f"{path}:3:")
    unsafe = write_play("steps: !!python/object/apply:os.system [echo hi]\n", "unsafe.play.yaml")
    assert "is not allowed" in problems(unsafe)[0]


@pytest.mark.parametrize("end", ["", "\n"])
def test_a_yaml_error_at_the_end_is_on_a_line_the_file_has(write_play, end: str) -> None:
    """Was reported at line 4 of this 3-line file (libyaml's end-of-file mark)."""
    path = write_play("steps:\n  - choose: a\n  - expect: {scene: b" + end)
    (found,) = problems(path)
    assert found.startswith(f"{path}:3:13: error: YAML syntax error") and "before the file ends" in found


def test_an_invalid_file_is_a_failed_run_with_its_problems(write_play) -> None:
    path = write_play("steps:\n  - chose: a\n")
    result = run_file(path)
    assert not result.ok and result.failure is not None
    assert str(result.failure).splitlines()[0] == f"{path}:2:5: invalid playthrough file"
    assert "unknown step kind 'chose'" in str(result.failure)


def test_find_playthroughs(tmp_path) -> None:
    (tmp_path / "d" / "sub").mkdir(parents=True)
    for name in ["d/b.play.yaml", "d/sub/a.play.yml", "d/story.yaml", "d/.hidden/x.play.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("steps: []\n")
    found = list(find_playthroughs([tmp_path / "d"]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["d/b.play.yaml", "d/sub/a.play.yml"]
    with pytest.raises(FileNotFoundError):
        list(find_playthroughs([tmp_path / "nope"]))
