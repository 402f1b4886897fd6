"""The play screen: the scene's title and text, the choices, and the status sidebar."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from ..widgets import ChoiceList, MoreBelow, ReadingPane, SceneText, StatusPanel
from .base import apply_breakpoints, eve, scroll_pane

SCROLL_KEYS = [  # priority: the focused choice list must not take them for its highlight
    Binding("pagedown", "scroll_text(1)", "Read on", key_display="PgDn", priority=True),
    Binding("space", "scroll_text(1)", "Read on", show=False, priority=True),
    Binding("pageup", "scroll_text(-1)", "Read back", key_display="PgUp", show=False, priority=True),
]
CHOICE_KEYS = [
    Binding("1", "choose(1)", "Choose", key_display="1-9"),
    *(Binding(str(n), f"choose({n})", f"Choice {n}", show=False) for n in range(2, 10)),
]


class PlayScreen(Screen[None]):
    """Reading and choosing. The sidebar folds away below 80 columns; ``b`` shows or hides it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CHOICE_KEYS,
        Binding("u", "app.undo", "Undo"),
        Binding("ctrl+z", "app.undo", "Undo", show=False),
        Binding("s", "app.save", "Save"),
        Binding("l", "app.load", "Load"),
        Binding("h", "app.history", "History"),
        Binding("c", "app.codex", "Codex"),
        Binding("m", "app.map", "Map"),
        Binding("b", "toggle_sidebar", "Sidebar"),
        Binding("o", "app.settings", "Settings", show=False),
        Binding("escape", "app.title", "Menu", show=False),
        *SCROLL_KEYS,
    ]

    text_shown: AwaitComplete | None = None  # completes once the scene's text is mounted (Markdown parses it apart)

    def compose(self) -> ComposeResult:
        apply_breakpoints(self)
        yield Header()
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                with ReadingPane(id="scene-scroll"):
                    yield Static(id="scene-title", markup=False)
                    yield SceneText(id="scene-text")
                yield MoreBelow(id="more-below")
                yield ChoiceList(id="choices")
            yield StatusPanel(id="sidebar")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(MoreBelow).follow(self.query_one(ReadingPane))
        self.refresh_view()

    def refresh_view(self) -> None:
        """Show the game's current scene, choices and status."""
        app = eve(self)
        game = app.game
        if game is None:
            return
        view = game.scene
        title = self.query_one("#scene-title", Static)
        title.update(view.title)
        title.display = bool(view.title)
        self.text_shown = self.query_one(SceneText).show(view.text, app.settings.reveal_speed)
        self.query_one(ChoiceList).show_choices(game.choices)
        self.refresh_status()
        self.query_one(ReadingPane).scroll_home(animate=False)
        self.query_one(ChoiceList).focus()

    def refresh_status(self) -> None:
        app = eve(self)
        if app.game is not None:
            self.query_one(StatusPanel).show_game(app.game, app.codex_seen)

    def on_screen_suspend(self) -> None:
        eve(self).flush_autosave()  # another screen opens over the game (or replaces it): save the last choice

    def on_screen_resume(self) -> None:
        apply_breakpoints(self)  # the window may have changed size while another screen was on top
        self.refresh_status()

    def on_key(self, event: events.Key) -> None:
        """Any key finishes a text reveal in progress (and does nothing else)."""
        if self.query_one(SceneText).skip():
            event.stop()
            event.prevent_default()

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            eve(self).choose(event.option.id)

    def action_choose(self, number: int) -> None:
        game = eve(self).game
        if game is None:
            return
        if number > len(game.choices):
            self.notify(f"There is no choice {number} here.", severity="warning")
            return
        eve(self).choose(number)

    def action_toggle_sidebar(self) -> None:
        """Wide: show or hide the sidebar. Narrow: the status opens as a panel, so it never hides a choice."""
        if self.has_class("-narrow"):
            from .status import StatusScreen

            self.app.push_screen(StatusScreen())
        else:
            self.toggle_class("-hide-sidebar")

    def action_scroll_text(self, direction: int) -> None:
        scroll_pane(self.query_one(ReadingPane), direction)
