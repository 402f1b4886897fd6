"""Scripted playthroughs: what passes, and what a failure tells the tester."""

from __future__ import annotations

from pathlib import Path

from evegame.testing.runner import run_file
from helpers import MINI

FULL = """\
name: Mercy, checked at every turn
story: {mini}
seed: 7
steps:
  - expect:
      scene: hall
      over: false
      variables: {coins: 2, wounds: 0, excommunicado: false}
      has: ticket
      lacks: [marker]
      text_contains: [You stand in the hall, 2 coins]
      text_excludes: You are hurt
      choices_include: [to_desk, Fight, 2]
      choices_exclude: [pay]
  - choose: Fight
  - expect: {scene: hall, variables: {wounds: 1}, text_contains: You are hurt}
  - choose: 1
  - expect:
      scene: desk
      variables: {coins: 1, items: [ticket]}
      codex: [rule_coins]
      choices_include: [Pay for a marker, kill]
  - choose: pay
  - expect:
      scene: room
      variables: {coins: 0}
      has: {markers: [winston], items: ticket}
  - choose: Spare him
  - expect: {ending: mercy, over: true}
"""


def test_a_full_playthrough_passes(write_play) -> None:
    result = run_file(write_play(FULL))
    assert result.ok, result.failure
    assert result.steps_run == result.steps_total == 9
    assert result.name == "Mercy, checked at every turn"
    assert Path(result.story or "").resolve() == MINI.resolve()


def test_failure_names_file_step_line_expected_found_and_path(write_play) -> None:
    path = write_play(
        """\
        story: {mini}
        steps:
          - choose: to_desk
          - choose: kill
          - expect:
              scene: room
              variables: {coins: 2}
        """
    )
    result = run_file(path)
    assert not result.ok and result.failure is not None
    assert result.steps_run == 2
    message = str(result.failure)
    lines = message.splitlines()
    assert lines[0] == f"{path}:5:5: step 3 (expect) failed"
    assert '  expected scene: "room"' in lines
    assert '  found    scene: "end_bad"' in lines
    assert "  expected variables.coins: 2" in lines
    assert "  found    variables.coins: 1" in lines
    assert lines[-1] == "  path so far: hall --to_desk--> desk --kill--> end_bad"
    assert result.failure.to_dict()["step"] == 3


def test_choice_not_available_fails_with_the_reason(write_play) -> None:
    path = write_play(
        """\
        story: {mini}
        start: {scene: desk, variables: {coins: 0}}
        steps:
          - choose: pay
        """
    )
    failure = run_file(path).failure
    assert failure is not None
    text = str(failure)
    assert f"{path}:4:5: step 1 (choose) failed" in text
    assert "its condition 'coins >= 1 and not excommunicado' does not hold" in text
    assert "path so far: desk (no choices taken)" in text


def test_unknown_choice_and_game_over(write_play) -> None:
    unknown = write_play("story: {mini}\nsteps:\n  - choose: dance\n", "unknown.play.yaml")
    text = str(run_file(unknown).failure)
    assert "no choice 'dance'; available: 'to_desk', 'choice_2'" in text
    over = write_play("story: {mini}\nsteps:\n  - choose: to_desk\n  - choose: kill\n  - choose: 1\n", "over.play.yaml")
    failure = run_file(over).failure
    assert failure is not None and failure.step == 3 and failure.line == 5
    assert "the game is over (ending 'excommunicado')" in str(failure)


def test_number_out_of_range(write_play) -> None:
    failure = run_file(write_play("story: {mini}\nsteps:\n  - choose: 5\n")).failure
    assert failure is not None and "no choice number 5: 2 available in scene 'hall'" in str(failure)


def test_wrong_ending_and_not_over(write_play) -> None:
    path = write_play(
        """\
        story: {mini}
        steps:
          - expect: {ending: mercy}
        """
    )
    text = str(run_file(path).failure)
    assert 'expected ending: "mercy"' in text and 'found    ending: the game is not over (scene "hall")' in text
    path = write_play("story: {mini}\nsteps:\n  - choose: to_desk\n  - choose: kill\n  - expect: {ending: mercy}\n")
    assert 'found    ending: ending "excommunicado"' in str(run_file(path).failure)


def test_every_expectation_reports_expected_and_found(write_play) -> None:
    path = write_play(
        """\
        story: {mini}
        steps:
          - expect:
              has: [marker]
              lacks: ticket
              codex: rule_coins
              text_contains: Charon
              text_excludes: hall
              choices_include: [pay]
              choices_exclude: [to_desk]
              over: true
              variables: {coins: "2"}
        """
    )
    lines = str(run_file(path).failure).splitlines()
    expected = [
        '  expected items holding: ["marker"]',
        '  found    items: ["ticket"]',
        '  expected items not holding: ["ticket"]',
        '  expected codex entries unlocked: ["rule_coins"]',
        "  found    codex: []",
        '  expected text containing: ["Charon"]',
        '  found    text: "You stand in the hall with 2 coins."',
        '  expected text without: ["hall"]',
        '  expected choices including: ["pay"]',
        '  found    choices: ["to_desk (Go to the desk)", "choice_2 (Fight)"]',
        '  expected choices not including: ["to_desk"]',
        "  expected game over: true",
        '  found    game over: not over (scene "hall")',
        '  expected variables.coins: "2"',
        "  found    variables.coins: 2",
    ]
    for line in expected:
        assert line in lines, (line, lines)


def test_lists_compare_as_sets_and_types_strictly(write_play) -> None:
    ok = write_play(
        """\
        story: {mini}
        start: {variables: {items: [a, b]}}
        steps:
          - expect: {variables: {items: [b, a], excommunicado: false}}
        """,
        "sets.play.yaml",
    )
    assert run_file(ok).ok
    strict = write_play("story: {mini}\nsteps:\n  - expect: {variables: {excommunicado: 0}}\n", "strict.play.yaml")
    assert not run_file(strict).ok


def test_undo_steps(write_play) -> None:
    path = write_play(
        """\
        story: {mini}
        steps:
          - choose: Fight
          - choose: to_desk
          - undo: 2
          - expect: {scene: hall, variables: {wounds: 0, coins: 2}}
          - choose: to_desk
          - undo
          - expect: {scene: hall}
          - undo: 1
        """
    )
    failure = run_file(path).failure
    assert failure is not None and failure.step == 8 and failure.line == 10
    assert "expected undo: 1 choice(s) to undo" in str(failure) and "found    undo: only 0 could be undone" in str(
        failure
    )


def test_save_and_load_round_trip_with_slots(write_play) -> None:
    path = write_play(
        """\
        story: {mini}
        steps:
          - choose: Fight
          - save
          - choose: to_desk
          - save: at_desk
          - choose: kill
          - expect: {ending: excommunicado}
          - load
          - expect: {scene: hall, variables: {wounds: 1, coins: 2}}
          - load: at_desk
          - expect: {scene: desk, variables: {coins: 1}, codex: [rule_coins]}
          - choose: pay
          - expect: {scene: room}
          - load: nowhere
        """
    )
    failure = run_file(path).failure
    assert failure is not None and failure.step == 13
    text = str(failure)
    assert "expected save slot: 'nowhere'" in text and "saved: 'default', 'at_desk'" in text
    # the path so far comes back with the save
    assert "path so far: hall --choice_2--> hall --to_desk--> desk --pay--> room" in text


def test_start_scene_and_variables(write_play) -> None:
    ok = write_play(
        """\
        story: {mini}
        start:
          scene: desk
          variables: {coins: 5, markers: [x]}
        steps:
          - expect: {scene: desk, variables: {coins: 5}, has: {markers: [x]}, codex: rule_coins}
          - choose: pay
          - expect: {variables: {coins: 4}}
        """,
        "ok.play.yaml",
    )
    assert run_file(ok).ok, run_file(ok).failure
    bad = write_play("story: {mini}\nstart:\n  variables: {coin: 5}\nsteps: []\n", "bad.play.yaml")
    failure = run_file(bad).failure
    assert failure is not None and failure.line == 3
    assert "start: the story has no variable 'coin' (did you mean 'coins'?)" in str(failure)
    wrong = write_play("story: {mini}\nstart: {scene: nowhere}\nsteps: []\n", "wrong.play.yaml")
    assert "the story has no scene 'nowhere'" in str(run_file(wrong).failure)
    typed = write_play("story: {mini}\nstart: {variables: {coins: yes}}\nsteps: []\n", "typed.play.yaml")
    assert "variable 'coins' holds int, not true" in str(run_file(typed).failure)


def test_story_relative_to_the_file_and_default_story(write_play, tmp_path: Path) -> None:
    nested = write_play("story: {mini}\nsteps:\n  - choose: to_desk\n", folder="a/b/c")
    assert run_file(nested).ok
    bare = write_play("steps:\n  - choose: to_desk\n", "bare.play.yaml")
    assert run_file(bare, story_dir=MINI).ok
    missing = write_play("story: ../nowhere\nsteps: []\n", "missing.play.yaml")
    failure = run_file(missing).failure
    assert (
        failure is not None and "the story cannot be loaded" in str(failure) and "no such story folder" in str(failure)
    )


def test_a_broken_story_fails_the_playthrough(write_story, write_play) -> None:
    root = write_story(
        {"a.yaml": "scenes:\n  - id: a\n    text: x\n    choices:\n      - text: go\n        goto: zz\n"}
    )
    path = write_play(f"story: {root}\nsteps: []\n")
    text = str(run_file(path).failure)
    assert "the story cannot be loaded" in text and "goto target 'zz' is not a scene" in text


def test_has_without_an_inventory_and_ending_null(write_story, write_play) -> None:
    root = write_story(
        {
            "a.yaml": "scenes:\n  - id: a\n    text: A.\n    choices:\n      - {id: go, text: Go, effects: {give: [x], into: bag}, goto: b}\n  - id: b\n    text: B.\n    ending: done\n"
        },
        manifest="story:\n  title: T\n  start: a\n  variables: {bag: []}\n",
    )
    path = write_play(
        f"story: {root}\nsteps:\n  - expect: {{ending: null, lacks: x}}\n  - choose: go\n"
        "  - expect: {has: x, ending: done}\n  - expect: {ending: null}\n"
    )
    failure = run_file(path).failure
    assert failure is not None and failure.step == 4
    assert 'found    game over: ending "done"' in str(failure)


def test_variable_names_are_checked_before_any_step_runs(write_play) -> None:
    """Was found only when the step ran: here step 1 failed first and hid the typo."""
    path = write_play(
        """\
        story: {mini}
        steps:
          - choose: nowhere
          - expect:
              variables: {coins: 2, cions: 2}
          - expect: {has: {medals: [x], coins: [y]}}
        """
    )
    result = run_file(path)
    failure = result.failure
    assert failure is not None and failure.step is None and result.steps_run == 0
    assert failure.headline == f"{path}:5:29: invalid playthrough file"
    text = str(failure)
    assert f"{path}:5:29: error: step 2: the story has no variable 'cions' (did you mean 'coins'?)" in text
    assert f"{path}:6:20: error: step 3: 'has': the story has no variable 'medals'" in text
    assert f"{path}:6:33: error: step 3: 'has': the story has no list variable 'coins'" in text


def test_choices_count_asserts_a_dead_end_and_shows_closed_choices(write_story, write_play) -> None:
    root = write_story(
        {
            "a.yaml": """\
            scenes:
              - id: a
                text: A.
                choices:
                  - {id: down, text: Down, goto: pit}
                  - {id: win, text: Win, effects: {set: {flag: true}}, goto: end}
              - id: pit
                text: A pit.
                choices:
                  - {id: climb, text: Climb, if: "flag and coins >= 1 or visits(pit) > 3", goto: end}
              - id: end
                text: Out.
                ending: out
            """
        }
    )
    dead = write_play(
        f"story: {root}\nsteps:\n  - expect: {{choices_count: {{min: 1, max: 2}}}}\n  - choose: down\n"
        "  - expect: {scene: pit, over: false, choices_count: 0}\n",
        "dead.play.yaml",
    )
    assert run_file(dead).ok, run_file(dead).failure
    wanted = write_play(
        f"story: {root}\nsteps:\n  - choose: down\n  - expect: {{choices_count: {{min: 1}}}}\n", "wanted.play.yaml"
    )
    lines = str(run_file(wanted).failure).splitlines()
    assert lines[1:4] == [
        "  expected number of choices: at least 1",
        "  found    choices: no choices",
        "  closed: climb (if: flag and coins >= 1 or visits(pit) > 3): flag is false; "
        "visits(pit) > 3 is false (visits(pit) is 1)",
    ]
    exact = write_play(f"story: {root}\nsteps:\n  - expect: {{choices_count: 3}}\n", "exact.play.yaml")
    assert 'found    choices: 2: ["down (Down)", "win (Win)"]' in str(run_file(exact).failure)
    assert "expected number of choices: exactly 3" in str(run_file(exact).failure)


def test_playthroughs_leave_the_global_random_generator_alone_and_replay_chances(write_play) -> None:
    """The runner once seeded Python's global generator (random.seed): a test run changed every
    later random draw in the process. Chances now come from the game's own seeded generator only;
    a playthrough without a seed plays with seed 0, the same chances every run."""
    import random

    v2flow = Path(__file__).resolve().parents[1] / "stories" / "v2flow"
    seeded = write_play(
        f"story: {v2flow}\nseed: 3\nsteps:\n  - choose: dice\n  - expect: {{scene: lost}}\n", name="s.play.yaml"
    )
    plain = write_play(f"story: {v2flow}\nsteps:\n  - choose: dice\n  - expect: {{scene: won}}\n", name="p.play.yaml")
    random.seed(12345)
    before = random.getstate()
    results = [run_file(p) for p in (seeded, plain, seeded, plain)]
    assert random.getstate() == before
    assert all(r.ok for r in results), [str(r.failure) for r in results]
