"""Paths and helpers shared by the tests (importable because pyproject sets pythonpath = tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "stories" / "mini"
SHIPPED = ROOT / "story"
# Two scenes, a choice between them and an ending: the smallest valid scenes file.
TWO_SCENES = """\
scenes:
  - id: a
    text: Start.
    choices:
      - text: Go
        goto: b
  - id: b
    text: End.
    ending: done
"""


def play(
    data_dir: Path, lines: str, *args: str, env: dict[str, str] | None = None, story: Path = MINI
) -> subprocess.CompletedProcess[str]:
    """``evegame play`` on ``story`` (the MINI story) with ``lines`` as its standard input and its output on pipes."""
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "evegame", "play", "--story", str(story), "--data-dir", str(data_dir), *args],
        input=lines,
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )


def value_paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The key/index path of every value in a parsed YAML or JSON document, the root's (``()``) first."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from value_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from value_paths(value, (*prefix, i))


def read_terminal(leader: int) -> bytes:
    """Everything written to a pseudo-terminal until the processes on it have closed it."""
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed once everything was read
            return seen
        if not chunk:
            return seen
        seen += chunk


async def until(pilot: Any, condition: Callable[[], object], timeout: float = 60.0) -> None:
    """Let a Textual app run, frame after frame, until ``condition()`` holds or ``timeout`` seconds pass.

    Waits on the state the test means, not on a number of frames (a busy machine needs more of them);
    the caller asserts the condition afterwards, so a state that never comes fails with the test's message.
    """
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await pilot.pause()
