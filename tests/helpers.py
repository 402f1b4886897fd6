"""Paths and helpers shared by the tests (importable because pyproject sets pythonpath = tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "stories" / "mini"
SHIPPED = ROOT / "story"


def play(data_dir: Path, lines: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``evegame play`` on the MINI story with ``lines`` as its standard input and its output on pipes."""
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "evegame", "play", "--story", str(MINI), "--data-dir", str(data_dir), *args],
        input=lines,
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )
