"""What every evegame screen shares: typed access to the app, and the panel frame for modals."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from ..app import EveGameApp


def eve(widget: Widget) -> EveGameApp:
    """The running EveGameApp (typed)."""
    return cast("EveGameApp", widget.app)


def apply_breakpoints(screen: Screen, size: Size | None = None) -> None:
    """Set the app's width/height breakpoint classes now, so a screen's next frame fits the terminal."""
    app = screen.app
    width, height = size or app.size
    for breakpoints, value in ((app.HORIZONTAL_BREAKPOINTS, width), (app.VERTICAL_BREAKPOINTS, height)):
        chosen = None
        for threshold, name in breakpoints or []:
            if value >= threshold:
                chosen = name
        for _, name in breakpoints or []:
            screen.set_class(name == chosen, name)


def scroll_pane(pane: Widget, direction: int) -> None:
    """A page up (direction < 0) or down, at once (reading keys must feel immediate)."""
    if direction < 0:
        pane.scroll_page_up(animate=False)
    else:
        pane.scroll_page_down(animate=False)


class Panel(ModalScreen[None]):
    """A modal panel over the game; escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    @property
    def eve(self) -> EveGameApp:
        return eve(self)

    def action_close(self) -> None:
        self.dismiss(None)
