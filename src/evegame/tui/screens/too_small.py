"""Shown instead of everything else while the window is below the smallest usable size."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 30
MIN_HEIGHT = 10


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    """A calm message; the app pops it as soon as the window is large enough again (the game is kept)."""

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-message", markup=False)

    def on_mount(self) -> None:
        self.show_size(*self.app.size)

    def on_resize(self) -> None:
        self.show_size(*self.app.size)

    def show_size(self, width: int, height: int) -> None:
        self.query_one("#too-small-message", Static).update(
            f"Please make the window larger: at least {MIN_WIDTH}×{MIN_HEIGHT} (now {width}×{height}). "
            "Your game is kept."
        )
