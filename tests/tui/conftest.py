"""Fixtures for the TUI tests: the app on the MINI story with a fresh data folder."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from evegame.engine import read_story
from evegame.tui import EveGameApp
from helpers import MINI, until


class SettledPilot(Pilot):
    """A Pilot whose key presses, clicks and resizes return once the screen on top is composed and mounted.

    Textual's Pilot returns when the app is idle, but a screen pushed by the key may still be
    composing on a busy machine; tests then query widgets that are not there yet.
    """

    async def settle(self) -> None:
        await until(self, lambda: self.app.screen.is_mounted)  # one never mounted fails the test's own assertions

    async def press(self, *keys: str) -> None:
        for key in keys:
            await super().press(key)
            await self.settle()

    async def resize_terminal(self, width: int, height: int) -> None:
        await super().resize_terminal(width, height)
        await self.settle()

    async def click(self, *args, **kwargs) -> bool:  # type: ignore[no-untyped-def, override]
        clicked = await super().click(*args, **kwargs)
        await self.settle()
        return clicked


class RecordingApp(EveGameApp):
    """EveGameApp that also keeps every notification's text, for assertions."""

    @asynccontextmanager
    async def run_test(self, *args, **kwargs) -> AsyncIterator[SettledPilot]:  # type: ignore[no-untyped-def, override]
        async with super().run_test(*args, **kwargs) as pilot:
            settled = SettledPilot(pilot.app)
            await settled.settle()
            yield settled

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
