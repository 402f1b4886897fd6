"""The history screen: a scrollable transcript of the scenes read and the choices made; export to Markdown."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown

from ...session import to_markdown, transcript
from .base import Panel


class HistoryScreen(Panel):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("e", "export", "Export to Markdown"),
        Binding("home", "top", "Top", show=False),
        Binding("end", "bottom", "Bottom", show=False),
    ]

    def compose(self) -> ComposeResult:
        game = self.eve.game
        assert game is not None
        entries = transcript(game)
        ending = game.scene.ending_title if game.is_over else None
        text = to_markdown(game.story.title, entries, ending=ending)
        with Vertical(classes="panel-box") as box:
            box.border_title = f"History: {len(entries)} scenes, {len(game.path)} choices"
            box.border_subtitle = "e exports · escape closes"
            with VerticalScroll(id="history-text", classes="doc"):
                yield Markdown(text)

    def on_mount(self) -> None:
        self.query_one("#history-text", VerticalScroll).focus()

    @on(Markdown.TableOfContentsUpdated)
    def _loaded(self) -> None:
        """The transcript is laid out: open it at the latest scene."""
        self.call_after_refresh(self.action_bottom)

    def action_export(self) -> None:
        self.eve.action_export_history()

    def action_top(self) -> None:
        self.query_one("#history-text", VerticalScroll).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one("#history-text", VerticalScroll).scroll_end(animate=False)
