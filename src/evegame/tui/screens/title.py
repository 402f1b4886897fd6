"""The title screen: the story's name and the menu (new game, continue, load, gallery, settings, quit)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...session import format_duration
from .base import apply_breakpoints, eve


class TitleScreen(Screen[None]):
    """The first screen; the game returns here with escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "app.new_game", "New game"),
        Binding("c", "continue", "Continue"),
        Binding("l", "app.load", "Load"),
        Binding("e", "app.gallery", "Endings"),
        Binding("o", "app.settings", "Settings"),
        Binding("escape", "continue", "Back to game", show=False),
    ]

    can_continue = False

    def compose(self) -> ComposeResult:
        apply_breakpoints(self)
        story = eve(self).story
        with Center(id="title-center"), Vertical(id="title-box"):
            yield Static(story.title, id="title-name", markup=False)
            if story.description or story.author:
                byline = story.description or f"by {story.author}"
                yield Static(byline, id="title-byline", markup=False)
            yield OptionList(id="title-menu")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_menu()

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def refresh_menu(self) -> None:
        app = eve(self)
        self.query_one("#title-name", Static).update(app.story.title)
        menu = self.query_one("#title-menu", OptionList)
        options = []
        game = app.game
        detail: str | None = None
        if game is not None and not game.is_over:  # the game open now is the one to continue
            detail = f"{game.scene.title or game.scene.id} · {format_duration(app.clock.elapsed)}"
        elif game is None and (latest := app.continue_slot()) is not None:
            detail = f"{latest.scene_title} · {format_duration(latest.play_time)}"
        self.can_continue = detail is not None
        if detail is not None:
            options.append(Option(self._item("c", "Continue", detail), id="continue"))
        options.append(Option(self._item("n", "New game"), id="new"))
        options += [
            Option(self._item("l", "Load"), id="load"),
            Option(self._item("e", "Endings gallery"), id="gallery"),
            Option(self._item("o", "Settings"), id="settings"),
            Option(self._item("q", "Quit"), id="quit"),
        ]
        menu.set_options(options)
        self.refresh_bindings()
        menu.highlighted = 0
        menu.focus()

    @staticmethod
    def _item(key: str, label: str, detail: str = "") -> Content:
        parts: list[Content | str | tuple[str, str]] = [(f"{key} ", "dim"), (label, "bold")]
        if detail:
            parts.append(f" — {detail}")
        return Content.assemble(*parts)

    @on(OptionList.OptionSelected, "#title-menu")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        app = eve(self)
        actions = {
            "new": app.action_new_game,
            "continue": self.action_continue,
            "load": app.action_load,
            "gallery": app.action_gallery,
            "settings": app.action_settings,
            "quit": app.action_request_quit,
        }
        actions[event.option.id or "new"]()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Continue shows only when there is a game to continue."""
        if action == "continue":
            return self.can_continue
        return True

    def action_continue(self) -> None:
        eve(self).action_continue()
