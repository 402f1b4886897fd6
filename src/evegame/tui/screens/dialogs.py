"""Small modal dialogs: a yes/no question, and the list of problems in an edited story."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from .base import Panel, apply_breakpoints


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; y or the first button says yes, n or escape says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog")
        self.question, self.detail, self.yes, self.no = question, detail, yes, no

    def compose(self) -> ComposeResult:
        apply_breakpoints(self)
        with Vertical(id="dialog-box"):
            yield from _asked(self.question, self.detail)
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class AnswersScreen(ModalScreen[str]):
    """A question with a few answers, one per line, each with its key; escape gives the last (the safe one)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, detail: str, answers: list[tuple[str, str, str]]) -> None:
        """``answers``: (key, label, value) each; the dialog is dismissed with the value picked."""
        super().__init__(classes="dialog answers")
        self.question, self.detail, self.answers = question, detail, answers

    def compose(self) -> ComposeResult:
        apply_breakpoints(self)
        with Vertical(id="dialog-box"):
            yield from _asked(self.question, self.detail)
            with Vertical(id="dialog-buttons"):
                for i, (key, label, value) in enumerate(self.answers):
                    yield Button(f"{label} ({key})", id=f"answer-{value}", variant="primary" if i == 0 else "default")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_key(self, event: events.Key) -> None:
        for key, _, value in self.answers:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("answer-"))

    def action_cancel(self) -> None:
        self.dismiss(self.answers[-1][2])


class NoticeScreen(ModalScreen[None]):
    """Something the player must know before playing, said once; enter or escape goes on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Go on"),
        Binding("enter", "close", "Go on", priority=True),
    ]

    def __init__(self, headline: str, detail: str) -> None:
        super().__init__(classes="dialog")
        self.headline, self.detail = headline, detail

    def compose(self) -> ComposeResult:
        apply_breakpoints(self)
        with VerticalScroll(id="dialog-box"):
            yield Static(self.headline, id="dialog-question", markup=False)
            yield Static(self.detail, id="dialog-detail", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Play without saving (enter)", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ProblemsScreen(Panel):
    """A broken edit: its ``path:line:col`` problems, while the last good story keeps running."""

    def __init__(self, headline: str, problems: list[str]) -> None:
        super().__init__(classes="panel")
        self.headline, self.problems = headline, problems

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel-box") as box:
            box.border_title = "Story errors"
            box.border_subtitle = "escape closes · fix the files and press ctrl+r"
            yield Static(self.headline, classes="panel-lead", markup=False)
            with VerticalScroll(id="problems"):
                for line in self.problems:
                    yield Static(line, classes="problem", markup=False)


def _asked(question: str, detail: str) -> ComposeResult:
    """A dialog's question, and its detail when it has one."""
    yield Static(question, id="dialog-question", markup=False)
    if detail:
        yield Static(detail, id="dialog-detail", markup=False)
