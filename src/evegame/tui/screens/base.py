"""What every evegame screen shares: typed access to the app, and the panel frame for modals."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget

if TYPE_CHECKING:
    from ..app import EveGameApp


def eve(widget: Widget) -> EveGameApp:
    """The running EveGameApp (typed)."""
    return cast("EveGameApp", widget.app)


class Panel(ModalScreen[None]):
    """A modal panel over the game; escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    @property
    def eve(self) -> EveGameApp:
        return eve(self)

    def action_close(self) -> None:
        self.dismiss(None)
