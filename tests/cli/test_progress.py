"""Long work draws a live progress line on a terminal's standard error, and nothing when piped."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from evegame.progress import ProgressLine
from helpers import SHIPPED, read_terminal


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_tells_done_rate_elapsed_and_an_estimate() -> None:
    line = ProgressLine("explore", "games", total=2000)
    assert line.line(500, 2.0) == "explore: 500 of 2,000 games · 250/s · 2.0 s · about 6.0 s left"
    assert ProgressLine("explore", "states").line(1_204_480, 8.0, "depth 41") == (
        "explore: 1,204,480 states · 150,560/s · 8.0 s · depth 41"
    )


def test_drawn_on_a_terminal_then_erased() -> None:
    stream = _Tty()
    with ProgressLine("check", "files", total=10, stream=stream, interval=0.0) as line:
        line.update(3)
        drawn = stream.getvalue()
    assert drawn.startswith("\rcheck: 3 of 10 files")
    tail = stream.getvalue()[len(drawn) :]
    assert tail.strip() == "" and tail.endswith("\r")  # erased: the report starts on a clean line


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with ProgressLine("check", "files", total=10, stream=stream, interval=0.0) as line:
        line.update(3)
    assert stream.getvalue() == ""


def _explore(stderr: int) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "evegame", "explore", "--random", "20000", "--seed", "1", str(SHIPPED)]
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=stderr, timeout=300, check=False)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_explore_draws_progress_on_a_terminal_and_not_in_a_pipe() -> None:
    leader, follower = os.openpty()
    try:
        done = _explore(follower)
        os.close(follower)
        seen = read_terminal(leader)
    finally:
        os.close(leader)
    assert done.returncode == 0, done.stdout.decode()
    text = seen.decode()
    assert "explore: " in text and " of 20,000 games · " in text and "/s · " in text
    assert text.rstrip(" ").endswith("\r")  # the line is erased before the report
    assert b"explore: " not in done.stdout  # the report on stdout stays clean

    piped = _explore(subprocess.PIPE)
    assert piped.returncode == 0 and piped.stderr == b""
