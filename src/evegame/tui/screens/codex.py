"""The codex: the entries unlocked so far, by category, new ones marked."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown

from ...engine import Game
from .base import Panel


def codex_markdown(game: Game, seen: set[str]) -> str:
    story = game.story
    found = [story.codex[c] for c in game.codex if c in story.codex]
    if not found:
        return "Nothing yet. Entries unlock as you play."
    lines = [f"**{len(found)} of {len(story.codex)} entries found.** New ones are marked **(new)**.", ""]
    by_category: dict[str, list] = {}
    for entry in found:
        by_category.setdefault(entry.category or "General", []).append(entry)
    for category in sorted(by_category):
        lines += [f"## {category}", ""]
        for entry in by_category[category]:
            new = " (new)" if entry.id not in seen else ""
            lines += [f"### {entry.title}{new}", "", entry.text.strip(), ""]
    return "\n".join(lines)


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
