"""The help screen: every key binding, read from the screens' own BINDINGS so it never goes stale."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from .base import Panel

INTRO = (
    "Read the scene, then pick a choice: press its number, or move with ↑ ↓ and press enter, or click it. "
    "The game is saved after every choice; Continue on the title screen resumes it. "
    "ctrl+p opens the command palette with every action."
)


def binding_rows(bindings: Sequence[BindingType], describe: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """(keys, what they do) rows; bindings sharing a description share a row."""
    rows: dict[str, list[str]] = {}
    for b in Binding.make_bindings(bindings):
        if b.action.startswith("choose(") and b.key != "1":
            continue
        key = "1–9" if b.action.startswith("choose(") else describe(b)
        label = "Choose by number" if b.action.startswith("choose(") else (b.description or b.action)
        rows.setdefault(label, [])
        if key not in rows[label]:
            rows[label].append(key)
    return [(" / ".join(keys), label) for label, keys in rows.items()]


def help_content(sections: Sequence[tuple[str, Sequence[BindingType]]], describe: Callable[[Binding], str]) -> Content:
    """The help text: one bold heading per section, then ``key  action`` lines."""
    parts: list[Content | str | tuple[str, str]] = [INTRO, "\n"]
    for title, bindings in sections:
        parts += ["\n", (title, "bold underline"), "\n"]
        for key, label in binding_rows(bindings, describe):
            parts += [(f"  {key:<14}", "bold"), f" {label}\n"]
    return Content.assemble(*parts)


class HelpScreen(Panel):
    """Every binding of every screen, grouped where it applies."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", key_display="?"),
    ]

    def compose(self) -> ComposeResult:
        from .codex import CodexScreen
        from .dialogs import ConfirmScreen
        from .ending import EndingScreen
        from .history import HistoryScreen
        from .map import MapScreen
        from .play import PlayScreen
        from .saves import SlotsScreen
        from .title import TitleScreen

        def describe(b: Binding) -> str:
            if b.key_display:
                return b.key_display
            return b.key if "+" in b.key else self.app.get_key_display(b)

        everywhere = [
            *type(self.app).BINDINGS,  # the app class, read at run time: screens do not import the app
            Binding("ctrl+p", "command_palette", "Command palette: every action"),
            Binding("ctrl+q", "quit", "Quit at once (no question)"),
        ]
        sections: list[tuple[str, Sequence[BindingType]]] = [
            ("Everywhere", everywhere),
            ("Playing", PlayScreen.BINDINGS),
            ("Title screen", TitleScreen.BINDINGS),
            ("Ending screen", EndingScreen.BINDINGS),
            ("Save and load", SlotsScreen.BINDINGS),
            ("History", HistoryScreen.BINDINGS),
            ("Codex and map", [*CodexScreen.BINDINGS, *MapScreen.BINDINGS]),
            ("Questions", ConfirmScreen.BINDINGS),
            (
                "Lists and menus",
                [
                    Binding("up", "move", "Move the highlight", key_display="↑ ↓"),
                    Binding("enter", "select", "Pick the highlighted item (or click it)"),
                    Binding("tab", "focus", "Next control"),
                ],
            ),
        ]
        with Vertical(classes="panel-box") as box:
            box.border_title = "Help: keys"
            box.border_subtitle = "escape closes"
            with VerticalScroll(id="help-text", classes="doc"):
                yield Static(help_content(sections, describe), markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-text", VerticalScroll).focus()
