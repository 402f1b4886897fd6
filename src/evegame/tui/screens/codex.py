"""The codex: the entries unlocked so far, by category, new ones marked."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown

from ...session import codex_markdown
from .base import Panel


class CodexScreen(Panel):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("c", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        game = self.eve.game
        assert game is not None
        with Vertical(classes="panel-box") as box:
            box.border_title = "Codex"
            box.border_subtitle = "escape closes"
            with VerticalScroll(id="codex-text", classes="doc"):
                yield Markdown(codex_markdown(game, self.eve.codex_seen))

    def on_mount(self) -> None:
        self.query_one("#codex-text", VerticalScroll).focus()
        game = self.eve.game
        if game is not None:
            self.eve.codex_seen.update(game.codex)
