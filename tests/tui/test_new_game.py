"""Starting a new game never discards a game in progress without asking (issue 11.1)."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import OptionList

from evegame.tui.screens.dialogs import ConfirmScreen
from evegame.tui.screens.ending import EndingScreen
from evegame.tui.screens.play import PlayScreen
from evegame.tui.screens.title import TitleScreen


def autosave(data_dir: Path) -> dict:
    return json.loads((data_dir / "saves" / "mini" / "auto.json").read_text())


async def test_new_game_on_the_title_asks_before_replacing_the_last_game(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "2", "1")
    app = make_app()
    async with app.run_test() as pilot:  # relaunched: press n on the title
        await pilot.press("n")
        assert isinstance(app.screen, ConfirmScreen)
        assert "The Desk, 2 choices" in app.screen.detail
        await pilot.press("n")  # keep playing: nothing changed
        assert isinstance(app.screen, TitleScreen) and app.game is None
        assert autosave(data_dir)["turns"] == 2
        await pilot.press("n", "y")
        assert isinstance(app.screen, PlayScreen) and app.game.path == []
        await pilot.press("1", "l")  # the game put aside is on the Load screen, and loads
        menu = app.screen.query_one("#slots", OptionList)
        assert [o.id for o in menu.options][:2] == ["slot-auto", "slot-auto-1"]
        assert str(menu.get_option("slot-auto-1").prompt).startswith("Previous game 1: The Desk")
        menu.highlighted = 1
        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen)
        assert app.game.scene.id == "desk" and app.game.path == [("hall", "choice_2"), ("hall", "to_desk")]


async def test_new_game_from_the_palette_mid_game_asks_first(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "1")
        app.action_new_game()  # what the palette's "New game" runs
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen) and app.game.scene.id == "desk"
        assert autosave(data_dir)["scene"] == "desk"


async def test_play_again_after_an_ending_does_not_ask(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "1", "1", "1")
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("p")
        assert isinstance(app.screen, PlayScreen) and app.game.path == []
