"""One game, two front ends: a slot saved in plain mode loads in the TUI, and the other way round."""

from __future__ import annotations

from pathlib import Path

from evegame.engine import read_story
from evegame.tui import EveGameApp
from evegame.tui.screens.play import PlayScreen
from helpers import MINI, play


async def test_saved_in_plain_loaded_in_the_tui_and_back(tmp_path: Path) -> None:
    run = play(tmp_path, "2\n1\nsave 3\n")
    assert "Saved in slot 3." in run.stdout

    app = EveGameApp(story=read_story(MINI), story_dir=MINI, data_dir=str(tmp_path))
    async with app.run_test() as pilot:
        await pilot.press("l", "3")  # the load screen, slot 3
        assert isinstance(app.screen, PlayScreen)
        assert app.game is not None and app.game.scene.id == "desk"
        assert app.game.path == [("hall", "choice_2"), ("hall", "to_desk")]
        assert app.game.undo_depth == 2  # the undo history came along
        await pilot.press("1", "s", "5")  # pay for a marker, then save in slot 5
        assert app.game.scene.id == "room"

    back = play(tmp_path, "load 5\nstatus\nundo\n")
    out = back.stdout
    assert "Loaded slot 5." in out and "A quiet room." in out and "Markers: winston" in out
    assert "Undone. 2 more step(s) can be undone." in out
