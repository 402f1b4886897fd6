"""Random and exhaustive exploration: coverage, planted faults reported, reproducible, same with --jobs."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from evegame.engine import Game, read_story
from evegame.engine.conditions import Condition
from evegame.testing import exhaustive
from evegame.testing.exhaustive import explore_exhaustive
from evegame.testing.randomwalk import explore_random
from evegame.testing.report import exhaustive_json, random_json
from evegame.testing.runner import run_file
from evegame.testing.witnesses import write_witnesses
from helpers import MINI
from reference import random_story, reference_bfs, reference_random


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "evegame", *args], capture_output=True, text=True, timeout=120, env=env
    )


def same_json(a: dict, b: dict) -> None:
    for d in (a, b):
        for key in ("seconds", "steps_per_second", "jobs"):
            d.pop(key, None)
    assert a == b


# --- the rules: the explorers' fast model plays exactly like the Game --------------------


@pytest.mark.parametrize("name", ["mini", "rich", "planted"])
def test_random_exploration_plays_like_the_game(name, make_story) -> None:
    story = read_story(make_story(name))
    report = explore_random(story, 300, seed=11, max_steps=30)
    endings, lengths = reference_random(story, 300, 11, 30)
    assert report.endings == dict(sorted(endings.items()))
    assert report.steps == sum(lengths)
    for problem in report.problems:  # each path replays through Game to the reported scene
        game = Game(story)
        for _scene, key in problem.path:
            game.choose(key)
        assert game.state.scene == problem.scene


@pytest.mark.parametrize("name", ["mini", "rich", "planted"])
def test_exhaustive_model_matches_the_game(name, make_story) -> None:
    story = read_story(make_story(name))
    depth = 9
    report = explore_exhaustive(story, max_depth=depth)
    scenes, choices, endings = reference_bfs(story, depth)
    table = report.table
    assert {sid for sid, hit in zip(table.ids, report.scenes_reached, strict=True) if hit} == scenes
    assert {table.choice_ids[i] for i, hit in enumerate(report.choices_taken) if hit} == choices
    assert set(report.endings_reached) == endings


# --- planted faults --------------------------------------------------------------------------


def test_exhaustive_reports_dead_end_soft_lock_and_unreachable_ending(make_story) -> None:
    report = explore_exhaustive(read_story(make_story("planted")))
    assert not report.bound_hit
    assert [(f.scene, f.path) for f in report.dead_ends] == [("pit", [("a", "down")])]
    assert [(f.scene, f.path) for f in report.soft_locks] == [
        ("trap", [("a", "left")]),
        ("trap2", [("a", "left"), ("trap", "again")]),
    ]
    assert report.endings_reached == {"ok": 1}  # nothing is left to tell ending states apart
    data = exhaustive_json(report, "planted", None)
    assert data["ok"] is False
    assert data["coverage"]["endings"]["missed"] == ["secret"]
    assert data["coverage"]["scenes"]["missed"] == ["end_secret"]
    assert set(data["coverage"]["choices"]["missed"]) == {"trap2:out", "pit:climb", "door:open"}


def test_explore_cli_exhaustive_exit_1_with_each_fault(make_story) -> None:
    root = make_story("planted")
    result = run("explore", str(root), "--exhaustive")
    assert result.returncode == 1
    out = result.stdout
    assert "dead ends: 1 state(s) in 1 scene(s)" in out and "in 'pit'" in out
    assert "shortest path: a --down--> pit" in out
    assert "soft-locks: 2 state(s) in 2 scene(s)" in out and "in 'trap'" in out
    assert "endings           1/2      ( 50.0%)  not reached: secret" in out
    assert out.rstrip().splitlines()[-1].startswith("FAIL: 1 dead end(s)")
    data = json.loads(run("explore", str(root), "--exhaustive", "--format", "json").stdout)
    assert [d["scene"] for d in data["dead_ends"]] == ["pit"]
    assert [d["scene"] for d in data["soft_locks"]] == ["trap", "trap2"]
    assert data["soft_locks"][0]["path"] == [["a", "left"]]


def test_dead_ends_and_soft_locks_show_the_state_and_why_each_choice_is_closed(make_story) -> None:
    """Were shown with their path only: not the variables, nor which condition failed."""
    root = make_story("planted")
    out = run("explore", str(root), "--exhaustive").stdout.splitlines()
    pit = out.index("    in 'pit' (1 state(s)): no choice is available")
    assert out[pit + 2 : pit + 5] == [
        "      state: coins=2, flag=false, items=[]",
        "      closed choices:",
        "        climb (if: flag): flag is false",
    ]
    trap = out.index("    in 'trap' (1 state(s)): no ending can be reached from here")
    assert out[trap + 2 : trap + 5] == [
        "      state: coins=2, flag=false, items=[]",
        "      closed choices nearest to it, in 'trap2' (route: a --left--> trap --again--> trap2):",
        "        out (if: coins >= 5): coins >= 5 is false (coins is 2)",
    ]
    data = json.loads(run("explore", str(root), "--exhaustive", "--format", "json").stdout)
    assert data["dead_ends"][0]["variables"] == {"coins": 2, "flag": False, "items": []}
    assert data["soft_locks"][0]["closed"] == [
        {
            "scene": "trap2",
            "choice": "out",
            "kind": "if",
            "condition": "coins >= 5",
            "why": ["coins >= 5 is false (coins is 2)"],
        }
    ]
    assert data["soft_locks"][0]["route"] == [["a", "left"], ["trap", "again"]]
    rnd = run("explore", str(root), "--random", "1", "--seed", "5").stdout
    assert "    state: coins=2, flag=false, items=[]\n    closed choices:\n      climb (if: flag): flag is false" in rnd


def test_witnesses_of_dead_ends_and_soft_locks_reproduce_them(make_story, tmp_path: Path) -> None:
    root = make_story("planted")
    out = tmp_path / "w"
    run("explore", str(root), "--exhaustive", "--emit-witnesses", str(out))
    dead = (out / "dead_end-pit.play.yaml").read_text()
    assert "# The state there: coins=2, flag=false, items=[]\n" in dead
    assert "#   climb (if: flag): flag is false\n" in dead
    assert dead.endswith("  - choose: down  # in a\n  - expect: {scene: pit, over: false, choices_count: {min: 1}}\n")
    result = run("playtest", str(out / "dead_end-pit.play.yaml"), str(out / "soft_lock-trap.play.yaml"))
    assert result.returncode == 1
    assert (
        "    expected number of choices: at least 1\n"
        "    found    choices: no choices\n"
        "    closed: climb (if: flag): flag is false\n"
        "    path so far: a --down--> pit\n"
    ) in result.stdout
    assert (
        '    expected choices including: ["out"]\n'
        '    found    choices: ["back (Back)"]\n'
        "    closed: out (if: coins >= 5): coins >= 5 is false (coins is 2)\n"
        "    path so far: a --left--> trap --again--> trap2\n"
    ) in result.stdout


def test_clean_story_exit_0_and_min_coverage(make_story) -> None:
    result = run("explore", str(MINI), "--exhaustive")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("OK")
    assert "bounds: none hit" in result.stdout
    rich = make_story("rich")
    assert run("explore", str(rich), "--random", "200", "--min-coverage", "100").returncode == 0
    low = run("explore", str(rich), "--random", "1", "--seed", "3", "--min-coverage", "100%")
    assert low.returncode == 1 and "is below --min-coverage 100%" in low.stdout


def test_random_reports_dead_ends_and_loops_with_seed_and_path(make_story) -> None:
    root = make_story("planted")
    result = run("explore", str(root), "--random", "60", "--seed", "5", "--max-steps", "40", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    kinds = {p["kind"] for p in data["problems"]}
    assert kinds == {"dead_end", "step_bound"}
    dead = next(p for p in data["problems"] if p["kind"] == "dead_end")
    assert dead["path"] == [["a", "down"]] and dead["scene"] == "pit" and dead["seed"] == 5 + dead["game"]
    loop = next(p for p in data["problems"] if p["kind"] == "step_bound")
    assert loop["steps"] == 40 and loop["scene"] in ("trap", "trap2")
    assert data["coverage"]["endings"]["missed"] == ["secret"]
    # one game alone, from its seed, does the same thing again
    again = json.loads(
        run(
            "explore", str(root), "--random", "1", "--seed", str(loop["seed"]), "--max-steps", "40", "--format", "json"
        ).stdout
    )
    assert again["problems"][0]["path"] == loop["path"]


def test_random_exception_is_reported_with_its_path() -> None:
    story = read_story(MINI)

    def broken(variables, visits):  # a rule that cannot be evaluated
        raise KeyError("gold")

    desk = story.scenes["desk"]
    pay = desk.choices[0]
    bad = Condition("gold > 1", pay.condition.tree, frozenset(), frozenset(), broken)
    story.scenes["desk"] = dataclasses.replace(
        desk, choices=(dataclasses.replace(pay, condition=bad), *desk.choices[1:])
    )
    report = explore_random(story, 20, seed=0)
    assert report.problem_counts["exception"] > 0
    problem = next(p for p in report.problems if p.kind == "exception")
    assert problem.detail == "KeyError: 'gold'" and problem.path[-1][0] == "hall" and problem.scene == "desk"
    ex = explore_exhaustive(story)
    assert [(f.scene, f.detail) for f in ex.errors] == [("desk", "KeyError: 'gold'")]
    assert exhaustive_json(ex, "mini", None)["ok"] is False


# --- reproducibility and --jobs ------------------------------------------------------------


def test_random_is_reproducible_by_seed_and_per_game(make_story) -> None:
    story = read_story(make_story("rich"))
    a = random_json(explore_random(story, 200, seed=9), "s", None)
    b = random_json(explore_random(story, 200, seed=9), "s", None)
    same_json(a, b)
    c = random_json(explore_random(story, 200, seed=10), "s", None)
    assert c["endings"] != a["endings"] or c["steps"] != a["steps"]
    # game i of seed S is game 0 of seed S+i: the same route, the same ending
    ten = explore_random(story, 10, seed=100)
    assert len(ten.route_lengths) == 10  # every game ended, so route i is game i's
    alone = [explore_random(story, 1, seed=100 + i) for i in range(10)]
    assert [a.route_lengths[0] for a in alone] == ten.route_lengths
    assert sum(a.steps for a in alone) == ten.steps
    endings: dict[str, int] = {}
    for a in alone:
        for name, n in a.endings.items():
            endings[name] = endings.get(name, 0) + n
    assert endings == ten.endings


def test_jobs_give_identical_results(make_story, monkeypatch: pytest.MonkeyPatch) -> None:
    story = read_story(make_story("rich"))
    one = random_json(explore_random(story, 400, seed=3, jobs=1), "s", None)
    two = random_json(explore_random(story, 400, seed=3, jobs=2), "s", None)
    same_json(one, two)
    monkeypatch.setattr(exhaustive, "PARALLEL_MIN", 1)  # use the workers even for tiny frontiers
    monkeypatch.setattr(exhaustive, "_idle_cores", lambda: 4)  # and even on a busy machine
    planted = read_story(make_story("planted"))
    for s in (story, planted):
        a = exhaustive_json(explore_exhaustive(s, jobs=1), "s", None)
        b = exhaustive_json(explore_exhaustive(s, jobs=2), "s", None)
        same_json(a, b)


def test_jobs_on_the_command_line(make_story) -> None:
    root = make_story("rich")
    outs = [json.loads(run("explore", str(root), "--exhaustive", "--jobs", j, "--format", "json").stdout) for j in "12"]
    same_json(*outs)


# --- bounds -----------------------------------------------------------------------------------


def test_bounds_are_reported_and_do_not_fake_soft_locks(make_story) -> None:
    story = read_story(make_story("rich"))
    full = explore_exhaustive(story)
    assert not full.bound_hit and not full.soft_locks
    small = explore_exhaustive(story, max_states=10)
    assert small.state_bound_hit and small.states == 10 and not small.soft_locks and not small.dead_ends
    shallow = explore_exhaustive(story, max_depth=2)
    assert shallow.depth_bound_hit and not shallow.soft_locks
    result = run("explore", str(make_story("rich")), "--exhaustive", "--max-states", "10", "--no-summaries")
    assert "BOUND: --max-states 10 reached; results are partial" in result.stdout


# A lift that goes up and down: the number is compared with 30, but the loop keeps shifting
# the cut, so the explorer keeps it whole and the states never run out. The roof is a dead
# end 30 floors up, beyond what a small state limit explores.
LIFT = {
    "scenes.yaml": """\
    scenes:
      - id: hall
        text: "The lift is at floor {floor}."
        choices:
          - {id: up, text: Up, effects: {add: {floor: 1}}, goto: hall}
          - {id: down, text: Down, effects: {add: {floor: -1}}, goto: hall}
          - {id: leave, text: Leave, goto: street}
          - {id: roof, text: The roof, if: floor >= 30, goto: roof}
      - id: roof
        text: The roof. The door has locked behind you.
        choices:
          - {id: jump, text: Jump, if: floor > 1000, goto: street}
      - id: street
        text: Out.
        ending: out
    """
}
LIFT_MANIFEST = "story:\n  title: Lift\n  start: hall\n  variables: {floor: 0}\n"


def test_a_limit_makes_exhaustive_exploration_incomplete_never_ok(write_story) -> None:
    """Was 'OK', exit 0: the state limit hit before floor 30, and the dead end there missed."""
    root = write_story(LIFT, manifest=LIFT_MANIFEST)
    result = run("explore", str(root), "--exhaustive", "--max-states", "40")
    assert result.returncode == 3, result.stdout
    last = result.stdout.splitlines()[-1]
    assert last.startswith("INCOMPLETE: stopped by --max-states 40 after 40 states, ")
    assert "covered 2/3 scenes, 3/5 choices, 1/1 endings" in last and "no problem found in the part explored" in last
    assert "\nOK" not in result.stdout
    data = json.loads(run("explore", str(root), "--exhaustive", "--max-states", "40", "--format", "json").stdout)
    assert (data["ok"], data["verdict"], data["complete"]) == (False, "INCOMPLETE", False)
    assert data["stopped"].startswith("stopped by --max-states 40")
    deeper = run("explore", str(root), "--exhaustive", "--max-depth", "40")  # far enough to see the roof
    assert deeper.returncode == 1, deeper.stdout
    assert "in 'roof'" in deeper.stdout and "FAIL: " in deeper.stdout
    assert deeper.stdout.splitlines()[-1].startswith("INCOMPLETE: stopped by --max-depth 40 after ")
    shallow = run("explore", str(make_lift_unreachable(root)), "--exhaustive", "--max-depth", "2")
    assert shallow.returncode == 3 and "ending(s) not reached so far: out" in shallow.stdout


def make_lift_unreachable(root: Path) -> Path:
    """The lift with its way out three floors up (so two choices cannot reach it)."""
    scenes = root / "scenes.yaml"
    text = scenes.read_text(encoding="utf-8")
    scenes.write_text(text.replace("{id: leave, text: Leave, goto", "{id: leave, text: Leave, if: floor >= 3, goto"))
    return root


def fake_clock(step: float):
    """A clock that moves ``step`` seconds each time it is read."""
    now = [1000.0]

    def read() -> float:
        now[0] += step
        return now[0]

    return read


def test_max_seconds_stops_both_explorers(make_story, write_story, monkeypatch: pytest.MonkeyPatch) -> None:
    from evegame.testing import randomwalk
    from evegame.testing.report import exhaustive_text, random_text

    story = read_story(make_story("rich"))
    monkeypatch.setattr(randomwalk.time, "monotonic", fake_clock(1.0))
    report = explore_random(story, 50, seed=3, max_steps=30, max_seconds=10.5)
    monkeypatch.undo()
    assert report.games == 10 and report.games_asked == 50 and report.time_bound_hit
    assert sum(report.endings.values()) + report.failures == 10  # what it says it ran, it ran
    text = random_text(report, "rich", None)
    assert "10 of 50 game(s) (stopped by --max-seconds 10.5)" in text.splitlines()[0]
    assert text.splitlines()[-1].startswith("INCOMPLETE: stopped by --max-seconds 10.5 after 10 of 50 game(s)")
    assert explore_random(story, 50, seed=3, max_steps=30, max_seconds=3600).games == 50

    lift = read_story(write_story(LIFT, manifest=LIFT_MANIFEST))
    monkeypatch.setattr(exhaustive.time, "perf_counter", fake_clock(10.0))  # read every 1,024 states
    stopped = explore_exhaustive(lift, max_seconds=30)
    monkeypatch.undo()
    assert stopped.time_bound_hit and stopped.limits_hit() == ["--max-seconds 30"] and stopped.states < 5000
    assert not stopped.soft_locks  # states left unexpanded are not taken for traps
    assert exhaustive_text(stopped, "lift", None).splitlines()[-1].startswith("INCOMPLETE: stopped by --max-seconds 30")
    quick = run("explore", str(make_story("rich")), "--random", "100000", "--max-seconds", "0.000001")
    assert quick.returncode == 3 and "0 of 100,000 game(s) (stopped by --max-seconds 1e-06)" in quick.stdout
    assert run("explore", str(MINI), "--exhaustive", "--max-seconds", "0").returncode == 2


# --- witnesses --------------------------------------------------------------------------------


def test_witnesses_pass_playtest(make_story, tmp_path: Path) -> None:
    for name in ("planted", "rich"):
        root = make_story(name)
        report = explore_exhaustive(read_story(root))
        out = tmp_path / f"witnesses-{name}"
        written = write_witnesses(report, root, out).written
        kinds = {(w.kind, w.target) for w in report.witnesses}
        if name == "planted":
            assert kinds == {
                ("ending", "ok"),
                ("scene", "trap"),
                ("scene", "trap2"),
                ("scene", "pit"),
                ("scene", "door"),
                ("dead_end", "pit"),
                ("soft_lock", "trap"),
                ("soft_lock", "trap2"),
            }
        for path in written:  # routes pass; a dead end's or soft-lock's witness fails while it is there
            result = run_file(path)
            assert result.ok is not path.name.startswith(("dead_end-", "soft_lock-")), result.failure
        text = (out / "ending-ok.play.yaml").read_text() if name == "planted" else ""
        if text:
            assert "story: ../story" in text and "- choose: win  # in a" in text
            assert "- expect: {scene: end_ok, ending: ok}" in text


def test_witnesses_from_the_cli_and_stale_ones_removed_with_force(make_story, tmp_path: Path) -> None:
    root = make_story("planted")
    out = tmp_path / "w"
    out.mkdir()
    (out / "ending-gone.play.yaml").write_text("# Generated by 'evegame explore --exhaustive --emit-witnesses'\n")
    (out / "mine.play.yaml").write_text("steps: []\n")
    result = run("explore", str(root), "--exhaustive", "--emit-witnesses", str(out))
    assert "witnesses: wrote 8 playthrough(s)" in result.stdout
    assert "witnesses: 1 stale witness(es) no longer produced were kept (--force removes them): ending-gone" in (
        result.stdout
    )
    assert (out / "ending-gone.play.yaml").exists()
    result = run("explore", str(root), "--exhaustive", "--emit-witnesses", str(out), "--force")
    assert "wrote 0 playthrough(s) to" in result.stdout and "8 already up to date" in result.stdout
    assert "witnesses: 1 stale witness(es) removed: ending-gone.play.yaml" in result.stdout
    assert not (out / "ending-gone.play.yaml").exists() and (out / "mine.play.yaml").exists()
    result = run("playtest", str(out), "--format", "json")
    data = json.loads(result.stdout)
    assert data["passed"] == 6 and data["failed"] == 3  # the dead end's and soft-locks' witnesses


def test_witnesses_never_overwrite_files_or_write_through_links(make_story, tmp_path: Path) -> None:
    """Were overwritten: a hand-written playthrough of the same name, and the target of a link."""
    root = make_story("planted")
    out = tmp_path / "w"
    out.mkdir()
    mine = out / "ending-ok.play.yaml"
    mine.write_text("name: my own route\nsteps: [{choose: win}]\n")
    precious = tmp_path / "precious.txt"
    precious.write_text("do not touch\n")
    (out / "scene-pit.play.yaml").symlink_to(precious)
    (out / "scene-trap.play.yaml").symlink_to(tmp_path / "nowhere.txt")  # dangling: not created either
    result = run("explore", str(root), "--exhaustive", "--emit-witnesses", str(out))
    assert "witnesses: wrote 5 playthrough(s) to" in result.stdout
    assert (
        "witnesses: 1 existing file(s) that differ were not replaced (--force replaces them): ending-ok.play.yaml"
        in result.stdout
    )
    assert (
        "witnesses: 2 symbolic link(s) or special file(s) were not written through: "
        "scene-pit.play.yaml, scene-trap.play.yaml" in result.stdout
    )
    assert mine.read_text() == "name: my own route\nsteps: [{choose: win}]\n"
    assert precious.read_text() == "do not touch\n" and not (tmp_path / "nowhere.txt").exists()
    data = json.loads(
        run("explore", str(root), "--exhaustive", "--emit-witnesses", str(out), "--format", "json").stdout
    )
    assert data["witness_outcome"]["kept"] == [str(mine)] and len(data["witness_outcome"]["refused"]) == 2
    forced = run("explore", str(root), "--exhaustive", "--emit-witnesses", str(out), "--force")
    assert "witnesses: wrote 1 playthrough(s)" in forced.stdout and "not written through" in forced.stdout
    assert mine.read_text().startswith("# Generated by") and precious.read_text() == "do not touch\n"
    assert (out / "scene-pit.play.yaml").is_symlink() and not (tmp_path / "nowhere.txt").exists()
    assert run("explore", str(root), "--exhaustive", "--force").returncode == 2


# --- the abstraction is exact: differential test against full Game states ----------------------


def reference_dead_ends(story, max_depth: int) -> set[str]:
    frontier = [Game(story).snapshot()]
    seen_keys: set[str] = set()
    dead: set[str] = set()
    for _ in range(max_depth):
        nxt = []
        for snap in frontier:
            game = Game.restore(story, snap)
            if game.is_over:
                continue
            choices = game.available()
            if not choices:
                dead.add(game.state.scene)
            for choice in choices:
                after = Game.restore(story, snap)
                after.choose(choice.key)
                s = after.snapshot()
                key = json.dumps({k: v for k, v in s.items() if k not in ("path", "codex")}, sort_keys=True)
                if key not in seen_keys:
                    seen_keys.add(key)
                    nxt.append(s)
        frontier = nxt
    return dead


@pytest.mark.parametrize("seed", range(12))
def test_abstraction_is_exact_on_random_stories(seed: int, tmp_path: Path) -> None:
    from evegame.engine import load_story

    root = tmp_path / "story"
    root.mkdir()
    for name, text in random_story(random.Random(seed)).items():
        (root / name).write_text(text, encoding="utf-8")
    result = load_story(root, lenient=True)
    assert result.story is not None, [str(p) for p in result.errors]
    story = result.story
    depth = 7
    report = explore_exhaustive(story, max_depth=depth)
    scenes, choices, endings = reference_bfs(story, depth)
    table = report.table
    assert {sid for sid, hit in zip(table.ids, report.scenes_reached, strict=True) if hit} == scenes
    assert {table.choice_ids[i] for i, hit in enumerate(report.choices_taken) if hit} == choices
    assert set(report.endings_reached) == endings
    assert {f.scene for f in report.dead_ends} == reference_dead_ends(story, depth)


def test_soft_lock_analysis_by_backward_search_agrees(make_story, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("planted", "rich"):
        story = read_story(make_story(name))
        passes = exhaustive_json(explore_exhaustive(story), name, None)
        monkeypatch.setattr(exhaustive, "SETTLE_AFTER", 0)
        search = exhaustive_json(explore_exhaustive(story), name, None)
        monkeypatch.undo()
        same_json(passes, search)


def test_explore_a_broken_story_or_wrong_options(write_story) -> None:
    root = write_story(
        {"a.yaml": "scenes:\n  - id: a\n    text: x\n    choices:\n      - text: go\n        goto: zz\n"}
    )
    result = run("explore", str(root), "--exhaustive")
    assert result.returncode == 1 and "goto target 'zz' is not a scene" in result.stderr
    assert "Traceback" not in result.stderr
    wrong = run("explore", str(MINI), "--random", "5", "--emit-witnesses", "out")
    assert wrong.returncode == 2 and "--emit-witnesses needs --exhaustive" in wrong.stderr
    neither = run("explore", str(MINI))
    assert neither.returncode == 2 and "one of the arguments --random --exhaustive is required" in neither.stderr
