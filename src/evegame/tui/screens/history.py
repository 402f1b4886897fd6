"""The history screen: the transcript of the scenes read and the choices made, opened at the latest; export."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from ...session import counted, transcript
from ..transcript_view import TranscriptView, transcript_blocks
from .base import Panel


class HistoryScreen(Panel):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("h", "close", "Close", show=False),
        Binding("e", "export", "Export to Markdown"),
    ]

    def compose(self) -> ComposeResult:
        game = self.eve.game
        assert game is not None
        entries = transcript(game)
        ending = game.scene.ending_title if game.is_over else None
        with Vertical(classes="panel-box") as box:
            box.border_title = f"History: {counted(len(entries), 'scene')}, {counted(len(game.path), 'choice')}"
            box.border_subtitle = "↑↓ PgUp PgDn Home End scroll · e exports · escape closes"
            yield TranscriptView(transcript_blocks(entries, ending), id="history-text")

    def on_mount(self) -> None:
        self.query_one(TranscriptView).focus()

    def action_export(self) -> None:
        self.eve.action_export_history()
