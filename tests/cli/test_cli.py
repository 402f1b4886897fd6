"""The command line as a user meets it: exit statuses, messages, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evegame.cli import main
from helpers import MINI


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "evegame", *args], capture_output=True, text=True, timeout=60, cwd=cwd, env=env
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


@pytest.mark.parametrize("verb", ["play", "check"])
def test_help_has_examples(verb: str) -> None:
    result = run(verb, "--help")
    assert result.returncode == 0 and "examples:" in result.stdout


def test_check_clean_story() -> None:
    result = run("check", str(MINI))
    assert result.returncode == 0, result.stderr
    assert "OK: 5 scenes, 2 endings, 1 codex entries" in result.stdout


def test_check_reports_every_problem_and_exits_1(write_story) -> None:
    root = write_story(
        {
            "a.yaml": "scenes:\n  - id: a\n    text: x\n    choices:\n      - text: go\n        goto: nowhere\n",
            "b.yaml": "scenes:\n  - id: b\n    text: y\n    ending: e\n    oops: 1\n",
        }
    )
    result = run("check", str(root))
    assert result.returncode == 1
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert any(line.endswith("a.yaml:6:15: error: goto target 'nowhere' is not a scene") for line in lines), lines
    assert any("b.yaml:5:5: error: unknown key 'oops' in a scene" in line for line in lines), lines
    assert lines[-1].endswith("error(s), 0 warning(s)")


def test_check_json(write_story) -> None:
    root = write_story(
        {"a.yaml": "scenes:\n  - id: a\n    text: x\n    choices:\n      - text: go\n        goto: nowhere\n"}
    )
    result = run("check", str(root), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["problems"][0]["line"] == 6 and data["problems"][0]["severity"] == "error"


def test_check_missing_folder() -> None:
    result = run("check", "/no/such/story")
    assert result.returncode == 1 and "story folder not found" in result.stderr
    assert_no_traceback(result)


def test_check_not_utf8_and_python_tag(write_story) -> None:
    root = write_story({"a.yaml": "scenes: !!python/object/new:os.system [ls]\n"})
    (root / "b.yaml").write_bytes(b"\xff\xfe garbage")
    result = run("check", str(root))
    assert result.returncode == 1
    assert "a.yaml:1:9: error: YAML tag" in result.stderr and "b.yaml:1:1: error: file is not UTF-8" in result.stderr
    assert_no_traceback(result)


def test_play_with_a_broken_story_reports_and_exits_1(write_story) -> None:
    root = write_story({"a.yaml": "scenes: [\n"})
    result = run("play", "--story", str(root))
    assert result.returncode == 1 and "a.yaml:2:1" in result.stderr
    assert_no_traceback(result)


def test_unknown_verb_is_a_usage_error() -> None:
    result = run("dance")
    assert result.returncode == 2 and "usage:" in result.stderr
    assert_no_traceback(result)


def test_check_runs_from_any_directory(tmp_path: Path) -> None:
    result = run("check", cwd=tmp_path)  # the shipped story, found without a path
    assert result.returncode == 0, result.stderr
    assert "story folder not found" not in result.stderr and ": OK: " in result.stdout
    assert_no_traceback(result)


def test_main_called_from_python_leaves_the_collector_alone() -> None:
    """Only the program, as it exits, skips the final collection; ``main()`` in a caller's process never freezes."""
    import gc

    before = gc.get_freeze_count()
    assert main(["check", str(MINI)]) == 0
    assert gc.get_freeze_count() == before and gc.isenabled()


def test_play_called_from_python_leaves_the_collector_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The full-screen game keeps its start-up heap from the collector only in the program's own process."""
    import gc

    from evegame.tui import EveGameApp

    monkeypatch.setattr(EveGameApp, "run", lambda self, *a, **k: None)  # built as for a player, not run
    before = gc.get_freeze_count()
    assert main(["play", "--tui", "--story", str(MINI), "--data-dir", str(tmp_path)]) == 0
    assert gc.get_freeze_count() == before and gc.isenabled()


def test_the_program_exits_with_the_status_of_its_command(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "story.yaml").write_text("story: {title: T, start: nowhere}\n", encoding="utf-8")
    ok = subprocess.run(
        [sys.executable, "-m", "evegame", "check", str(MINI)], capture_output=True, text=True, check=False
    )
    bad = subprocess.run(
        [sys.executable, "-m", "evegame", "check", str(broken)], capture_output=True, text=True, check=False
    )
    assert (ok.returncode, bad.returncode) == (0, 1)
    assert "OK" in ok.stdout and "Traceback" not in bad.stderr
