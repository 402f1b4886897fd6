"""The map: the scenes visited, and the exits known from each (a tree)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Tree

from ..mapdata import known_map
from .base import Panel


class MapScreen(Panel):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("m", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        game = self.eve.game
        assert game is not None
        places = known_map(game)
        tree: Tree[str] = Tree(Text(game.story.title), id="map-tree")
        tree.root.expand()
        for place in places:
            marks = []
            if place.here:
                marks.append("◆ you are here")
            if place.ending:
                marks.append(f"ending: {game.story.ending_title(place.ending)}")
            marks.append(f"visited {place.visits}×")
            label = Text.assemble((place.title, "bold"), f"  ({' · '.join(marks)})")
            node = tree.root.add(label, data=place.scene, expand=True)
            for ex in place.exits:
                where = ex.target_title if ex.target_title is not None else "unexplored"
                taken = "✓ " if ex.taken else "· "
                how = f" ({ex.note})" if ex.note else ""
                node.add_leaf(Text(f"{taken}{game.text(ex.text)} → {where}{how}"), data=ex.target)
        with Vertical(classes="panel-box") as box:
            box.border_title = f"Map: {len(places)} of {len(game.story.scenes)} scenes visited"
            box.border_subtitle = "✓ taken · escape closes"
            yield tree

    def on_mount(self) -> None:
        self.query_one(Tree).focus()
