"""``evegame playtest``: pass/fail per file, exit statuses, JSON for CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import MINI

GOOD = "story: {mini}\nsteps:\n  - choose: to_desk\n  - choose: kill\n  - expect: {ending: excommunicado}\n"
BAD = "story: {mini}\nsteps:\n  - choose: to_desk\n  - expect: {scene: room}\n"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "evegame", *args], capture_output=True, text=True, timeout=60, cwd=cwd, env=env
    )


def test_folder_of_playthroughs_pass_and_fail(write_play, tmp_path: Path) -> None:
    good = write_play(GOOD, "good.play.yaml")
    bad = write_play(BAD, "sub/bad.play.yaml")
    result = run("playtest", str(tmp_path / "plays"))
    assert result.returncode == 1
    assert f"PASS {good} (3 steps)" in result.stdout
    assert f"FAIL {bad}" in result.stdout
    assert f"{bad}:4:5: step 2 (expect) failed" in result.stdout
    assert "path so far: hall --to_desk--> desk" in result.stdout
    assert result.stdout.rstrip().endswith("2 playthrough(s): 1 passed, 1 failed")
    assert "Traceback" not in result.stdout + result.stderr


def test_all_pass_exit_0_and_default_story(write_play) -> None:
    path = write_play("steps:\n  - choose: to_desk\n  - expect: {scene: desk}\n")
    result = run("playtest", str(path), "--story", str(MINI))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 playthrough(s): 1 passed, 0 failed" in result.stdout


def test_json_output(write_play, tmp_path: Path) -> None:
    write_play(GOOD, "good.play.yaml")
    write_play(BAD, "bad.play.yaml")
    result = run("playtest", str(tmp_path / "plays"), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert (data["ok"], data["passed"], data["failed"]) == (False, 1, 1)
    bad = next(r for r in data["results"] if not r["ok"])
    assert bad["failure"]["step"] == 2 and bad["failure"]["line"] == 4
    assert bad["failure"]["path"] == "hall --to_desk--> desk"


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    result = run("playtest", str(tmp_path / "nope"))
    assert result.returncode == 1 and "no such file or folder" in result.stderr
    (tmp_path / "empty").mkdir()
    result = run("playtest", str(tmp_path / "empty"))
    assert result.returncode == 1 and "no *.play.yaml files" in result.stderr


def test_help_has_examples() -> None:
    result = run("playtest", "--help")
    assert result.returncode == 0 and "examples:" in result.stdout
