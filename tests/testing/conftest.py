"""Fixtures for the test tools: playthrough files written next to a story."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import MINI


@pytest.fixture
def write_play(tmp_path: Path) -> Callable[..., Path]:
    """Write a playthrough (dedented YAML) into tmp; ``{mini}`` becomes MINI's path relative to it."""

    def write(text: str, name: str = "case.play.yaml", folder: str = "plays") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        rel = os.path.relpath(MINI, path.parent)
        path.write_text(textwrap.dedent(text).replace("{mini}", rel), encoding="utf-8")
        return path

    return write
