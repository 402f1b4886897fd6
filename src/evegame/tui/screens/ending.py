"""The ending screen: the ending's title, the last scene, achievements, and play again."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..widgets import MoreBelow, ReadingPane
from .base import apply_breakpoints, eve, scroll_pane
from .play import SCROLL_KEYS


class EndingScreen(Screen[None]):
    """Shown when the game reaches an ending; ``new_finds`` are endings/achievements never seen before."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "play_again", "Play again"),
        Binding("u", "app.undo", "Undo"),
        Binding("ctrl+z", "app.undo", "Undo", show=False),
        Binding("g", "app.gallery", "Gallery"),
        Binding("h", "app.history", "History"),
        Binding("m", "app.map", "Map", show=False),
        Binding("escape", "app.title", "Menu"),
        *SCROLL_KEYS,
    ]

    def __init__(self, new_finds: list[str] | None = None) -> None:
        super().__init__()
        self.new_finds = set(new_finds or [])

    def compose(self) -> ComposeResult:
        apply_breakpoints(self)
        app = eve(self)
        game = app.game
        assert game is not None
        view = game.scene
        story = game.story
        yield Header()
        with ReadingPane(id="ending-body"):
            yield Static("THE END", id="ending-kicker")
            new = "  (new ending!)" if view.ending in self.new_finds else ""
            yield Static(f"Ending: {view.ending_title}{new}", id="ending-title", markup=False)
            if view.title and view.title != view.ending_title:
                yield Static(view.title, id="ending-scene-title", markup=False)
            yield Markdown(view.text, id="ending-text")
            yield Static(self._achievements(), id="ending-achievements")
            found = len(app.gallery.endings(story.id))
            yield Static(
                f"Endings found: {found} of {len(story.endings)} · choices made: {len(game.path)}",
                id="ending-count",
                markup=False,
            )
        yield MoreBelow(id="more-below")
        yield OptionList(
            Option(Content.assemble(("p ", "dim"), ("Play again", "bold")), id="again"),
            Option(Content.assemble(("u ", "dim"), ("Undo the last choice", "bold")), id="undo"),
            Option(Content.assemble(("g ", "dim"), ("Endings gallery", "bold")), id="gallery"),
            Option(Content.assemble(("escape ", "dim"), ("Title screen", "bold")), id="title"),
            id="ending-menu",
        )
        yield Footer(compact=True)

    def _achievements(self) -> Content:
        game = eve(self).game
        assert game is not None
        earned = game.achievements()
        parts: list[Content | str | tuple[str, str]] = [("Achievements", "bold underline"), "\n"]
        if not earned:
            parts.append("none this time\n")
        for a in earned:
            new = " (new!)" if a.id in self.new_finds else ""
            parts += ["★ ", (a.title, "bold"), f"{new} — {a.description}\n"]
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        self.query_one(MoreBelow).follow(self.query_one(ReadingPane))
        self.query_one("#ending-menu", OptionList).focus()

    @on(OptionList.OptionSelected, "#ending-menu")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        app = eve(self)
        {
            "again": self.action_play_again,
            "undo": app.action_undo,
            "gallery": app.action_gallery,
            "title": app.action_title,
        }[event.option.id or "again"]()

    def action_scroll_text(self, direction: int) -> None:
        scroll_pane(self.query_one(ReadingPane), direction)

    def action_play_again(self) -> None:
        eve(self).action_new_game()
