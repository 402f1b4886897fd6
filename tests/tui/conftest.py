"""Fixtures for the TUI tests: the app on the MINI story with a fresh data folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from evegame.engine import read_story
from evegame.tui import EveGameApp
from helpers import MINI


class RecordingApp(EveGameApp):
    """EveGameApp that also keeps every notification's text, for assertions."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []

    def notify(self, message: str, *, title: str = "", **kwargs) -> None:  # type: ignore[no-untyped-def, override]
        self.notes.append(f"{title}: {message}" if title else message)
        super().notify(message, title=title, **kwargs)

    def notes_text(self) -> str:
        return "\n".join(self.notes)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def story_copy(tmp_path: Path) -> Path:
    """A private copy of the MINI story, for tests that edit it."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    return root


@pytest.fixture
def make_app(data_dir: Path) -> Callable[..., RecordingApp]:
    def make(story_dir: Path = MINI, **kwargs) -> RecordingApp:  # type: ignore[no-untyped-def]
        kwargs.setdefault("data_dir", str(data_dir))
        return RecordingApp(story=read_story(story_dir), story_dir=story_dir, **kwargs)

    return make
