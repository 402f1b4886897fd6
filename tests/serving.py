"""``evegame serve`` as a real process on a free localhost port, and a look at the processes it leaves.

Importable by the tests (pyproject puts tests/ on the path); the fixtures are in tests/web/conftest.py.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import ROOT

ROOMS = ROOT / "tests" / "stories" / "rooms"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def processes_mentioning(marker: str) -> list[int]:
    """Live processes whose command line mentions ``marker`` (the test's own data folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(entry.name))
    return found


def wait_for_exit(pids: list[int], timeout: float) -> list[int]:
    """Wait (on pidfds, no polling) until the processes end or ``timeout`` passes; return those still alive."""
    deadline = time.monotonic() + timeout
    alive = []
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                alive.append(pid)
        finally:
            os.close(fd)
    return alive


@dataclass
class Served:
    """A running ``evegame serve``: its process, address and data folder."""

    proc: subprocess.Popen[str]
    port: int
    data_dir: Path
    output: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def games(self) -> list[int]:
        """The game processes running now (every process naming the data folder but the server)."""
        return [pid for pid in processes_mentioning(str(self.data_dir)) if pid != self.proc.pid]

    def wait_for_no_games(self, timeout: float = 60.0) -> list[int]:
        """Wait until no game process is left (rechecking for late starters); return any still running."""
        deadline = time.monotonic() + timeout
        while (games := self.games()) and time.monotonic() < deadline:
            wait_for_exit(games, deadline - time.monotonic())
        return self.games()

    def stop(self) -> int:
        """Ctrl+C, as a terminal sends it; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        assert self.proc.stdout is not None
        self.output += self.proc.stdout.read().splitlines()
        return code


def start_server(data_dir: Path, *args: str, story: Path = ROOMS) -> Served:
    """Start ``evegame serve`` on a free port; another port if something else took that one first."""
    for _ in range(5):
        served = _launch(free_port(), data_dir, *args, story=story)
        assert served.proc.stdout is not None
        ready, _, _ = select.select([served.proc.stdout], [], [], START_TIMEOUT)
        line = served.proc.stdout.readline() if ready else ""
        served.output.append(line.rstrip("\n"))
        if "(one game per browser tab; Ctrl+C stops)" in line:
            return served
        served.stop()
        # the port was free when asked for, but another test's connection may have taken it since
        if not any(f"cannot listen on 127.0.0.1:{served.port}" in out for out in served.output):
            break
    pytest.fail("evegame serve did not start:\n" + "\n".join(served.output))


def _launch(port: int, data_dir: Path, *args: str, story: Path) -> Served:
    command = [sys.executable, "-m", "evegame", "serve", "--story", str(story), "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return Served(proc, port, data_dir)
