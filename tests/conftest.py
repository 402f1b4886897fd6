"""Shared fixtures: tiny stories written into tmp folders."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

MANIFEST = """\
story:
  title: Test
  start: a
  variables:
    coins: 2
    flag: false
    items: []
"""


@pytest.fixture
def write_story(tmp_path: Path) -> Callable[..., Path]:
    """Write files (name -> YAML text, dedented) into a fresh story folder and return it."""

    def write(files: dict[str, str], manifest: str | None = MANIFEST) -> Path:
        root = tmp_path / "story"
        root.mkdir(exist_ok=True)
        if manifest is not None:
            (root / "story.yaml").write_text(textwrap.dedent(manifest), encoding="utf-8")
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the real user data or cache folders."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("EVEGAME_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("EVEGAME_CACHE_DIR", str(base / "cache"))
