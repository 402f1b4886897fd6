"""End-to-end tests drive the installed ``evegame`` in tmux (see terminal.py for why tmux)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from e2e.terminal import EVEGAME, TMUX, Terminal, evegame_env


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """Start evegame (``args`` after ``play``) in a tmux window; every server is killed afterwards."""
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it with apt-get)")
    assert EVEGAME.exists(), f"evegame is not installed next to {EVEGAME.parent} (pip install -e .)"
    started: list[Terminal] = []

    def start(*args: str, size: tuple[int, int] = (100, 30), data_dir: Path | None = None) -> Terminal:
        env = evegame_env(data_dir or tmp_path / "data", tmp_path / "cache")
        term = Terminal(["play", *args], env, size)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
