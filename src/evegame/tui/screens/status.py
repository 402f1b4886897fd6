"""The status as a panel: how a narrow window shows the sidebar (b), scrollable, over the game."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll

from ..widgets import StatusPanel
from .base import Panel


class StatusScreen(Panel):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("b", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel-box") as box:
            box.border_title = "Status"
            box.border_subtitle = "b or escape closes"
            with VerticalScroll(id="status-text", classes="doc"):
                yield StatusPanel(heading=False, id="status-panel")

    def on_mount(self) -> None:
        game = self.eve.game
        if game is not None:
            self.query_one(StatusPanel).show_game(game, self.eve.codex_seen)
        self.query_one("#status-text", VerticalScroll).focus()
