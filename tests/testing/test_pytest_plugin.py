"""The pytest plugin: *.play.yaml files collected as tests, failures reported like playtest."""

from __future__ import annotations

import os

import pytest
import yaml  # noqa: F401

from helpers import MINI

# The inner runs are in-process, and pytester drops the modules they import first. PyYAML's C
# part cannot be imported twice: a second import keeps building nodes of the first import's
# classes, and every file then fails to load. Imported here, it stays for the whole session.

pytest_plugins = ["pytester"]
# The inner runs are in-process: keep other session-wide plugins out of them.
OTHERS = ["cacheprovider", "textual-snapshot", "syrupy", "xdist", "asyncio", "hypothesispytest", "benchmark"]
ARGS = tuple(arg for name in OTHERS for arg in ("-p", f"no:{name}"))

GOOD = "name: Take the money\nstory: {mini}\nsteps:\n  - choose: to_desk\n  - expect: {scene: desk}\n"
BAD = "story: {mini}\nsteps:\n  - choose: to_desk\n  - choose: kill\n  - expect: {ending: mercy}\n"


def write(pytester: pytest.Pytester, name: str, text: str) -> None:
    path = pytester.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("{mini}", os.path.relpath(MINI, path.parent)), encoding="utf-8")


def test_playthroughs_are_collected_and_run(pytester: pytest.Pytester) -> None:
    write(pytester, "plays/good.play.yaml", GOOD)
    write(pytester, "plays/bad.play.yaml", BAD)
    write(pytester, "plays/broken.play.yaml", "steps:\n  - chose: a\n")
    result = pytester.runpytest(*ARGS, "-v", "plays")
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(["*plays/good.play.yaml::Take the money PASSED*"])  # named by its 'name:'
    result.stdout.fnmatch_lines(
        [
            "*bad.play.yaml:5:5: step 3 (expect) failed",
            '*expected ending: "mercy"',
            '*found    ending: ending "excommunicado"',
            "*path so far: hall --to_desk--> desk --kill--> end_bad",
        ]
    )
    result.stdout.fnmatch_lines(["*broken.play.yaml:2:5: error: step 1: unknown step kind 'chose'*"])
    assert "Traceback" not in out and "def runtest" not in out


def test_default_story_from_ini_and_option(pytester: pytest.Pytester, tmp_path) -> None:
    write(pytester, "plays/bare.play.yaml", "steps:\n  - choose: to_desk\n  - expect: {scene: desk}\n")
    stories = pytester.path / "stories"
    stories.mkdir()
    (stories / "mini").symlink_to(MINI, target_is_directory=True)
    pytester.makeini("[pytest]\nevegame_story = stories/mini\n")
    pytester.runpytest(*ARGS, "plays").assert_outcomes(passed=1)
    pytester.makeini("[pytest]\nevegame_story = nowhere\n")
    result = pytester.runpytest(*ARGS, "plays")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*no such story folder*"])
    result = pytester.runpytest(*ARGS, "plays", "--evegame-story", str(MINI))
    result.assert_outcomes(passed=1)


def test_plugin_is_registered_by_entry_point() -> None:
    from importlib.metadata import entry_points

    names = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert names.get("evegame") == "evegame.testing.pytest_plugin"
