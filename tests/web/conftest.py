"""Fixtures for the web tests: ``evegame serve`` started for a test and stopped (Ctrl+C) after it."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving import Served, processes_mentioning, start_server


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """``evegame serve`` on the Three Rooms story; stopped with Ctrl+C after the test, leaving nothing behind."""
    server = start_server(tmp_path / "data")
    try:
        yield server
    finally:
        code = server.stop()
        leftovers = processes_mentioning(str(server.data_dir))
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
    assert code == 0, server.output
    assert server.output[-1] == "evegame serve: stopped"
    assert leftovers == [], "game processes outlived the server"
