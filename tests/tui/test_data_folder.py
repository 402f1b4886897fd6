"""Saving the player can trust: a data folder that cannot be written, a truthful quit dialog, damaged saves.

Issue 11.6, 11.7 and 11.8.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evegame.engine import Game, read_story
from evegame.engine.saves import SaveStore
from evegame.tui.screens.dialogs import ConfirmScreen, NoticeScreen
from evegame.tui.screens.play import PlayScreen
from evegame.tui.screens.title import TitleScreen
from helpers import MINI


def saves(data_dir: Path) -> Path:
    return data_dir / "saves" / "mini"


@pytest.mark.parametrize("shape", ["a file", "under a file"])
async def test_a_data_folder_that_cannot_be_written_is_said_once_at_start(make_app, tmp_path: Path, shape) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file")
    folder = blocker if shape == "a file" else blocker / "data"
    app = make_app(data_dir=str(folder))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, NoticeScreen)
        said = f"{app.screen.headline} {app.screen.detail}"
        assert str(folder) in said and "nothing will be saved" in said and "--data-dir" in said
        assert "Errno" not in said and ".tmp" not in said
        await pilot.press("enter")
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("n", "2", "1", "u", "1", "1", "1")  # play on to an ending: no error after any step
        assert app.game.is_over
        notes = app.notes_text()
        assert "Cannot save" not in notes and "Errno" not in notes and "error" not in notes.lower()
        await pilot.press("u", "q")
        assert isinstance(app.screen, ConfirmScreen) and "will be lost" in app.screen.detail
    assert blocker.read_text() == "I am a file"


async def test_quit_says_saved_only_when_it_is(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("q")
        assert app.screen.detail == ""  # no game: nothing to say about saving
        await pilot.press("escape", "n", "1", "q")
        assert "Your game is saved" in app.screen.detail
        await pilot.press("escape")
        shutil.rmtree(saves(data_dir))
        saves(data_dir).write_text("")  # the saves folder is now a file: the next autosave fails
        await pilot.press("1", "q")
        detail = app.screen.detail
        assert "autosave failed" in detail and "will be lost" in detail and "saved;" not in detail


async def test_continue_resumes_the_game_loaded_last(make_app) -> None:
    """Issue 11.6: after loading slot 1 and quitting, Continue resumed the position from before the load."""
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "2", "s", "1")  # slot 1: the hall, hurt
        await pilot.press("1", "1")  # on to the room
        await pilot.press("l", "1")  # back to slot 1
        assert app.game.scene.id == "hall" and len(app.game.path) == 1
        await pilot.press("q", "y")
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, PlayScreen)
        assert app.game.scene.id == "hall" and app.game.path == [("hall", "choice_2")]


def good_save(data_dir: Path, slot: str) -> dict:
    story = read_story(MINI)
    game = Game(story)
    game.choose("to_desk")
    SaveStore(data_dir, story).save(slot, game, play_time=5)
    name = "auto.json" if slot == "auto" else f"slot-{slot}.json"
    return json.loads((saves(data_dir) / name).read_text())


async def test_continue_never_offers_a_save_that_will_not_load(make_app, data_dir: Path) -> None:
    """Issue 11.8: Continue offered an autosave that would not load (and blamed a story change)."""
    good = good_save(data_dir, "1")
    broken = {
        **good,
        "slot": "auto",
        "state": {**good["state"], "variables": {**good["state"]["variables"], "coins": "x"}},
    }
    (saves(data_dir) / "auto.json").write_text(json.dumps(broken))
    app = make_app()
    async with app.run_test() as pilot:
        menu = app.screen.query_one("#title-menu")
        assert "The Desk" in str(menu.get_option("continue").prompt)
        await pilot.press("c")
        assert isinstance(app.screen, PlayScreen) and app.game.scene.id == "desk"
        assert "story changed" not in app.notes_text().lower()


async def test_new_game_keeps_a_damaged_autosave_aside(make_app, data_dir: Path) -> None:
    """Issue 11.8: the next New game overwrote a damaged autosave with no backup."""
    saves(data_dir).mkdir(parents=True)
    damaged = b'{"format": "evegame-save", "version": 1, "story": {"id": "mi'
    (saves(data_dir) / "auto.json").write_bytes(damaged)
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("l")
        shown = str(app.screen.query_one("#slots").get_option("slot-auto").prompt)
        assert "DAMAGED" in shown
        await pilot.press("escape", "n")
        assert isinstance(app.screen, PlayScreen)
    kept = [p for p in saves(data_dir).iterdir() if p.name.startswith("auto.json.damaged")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert json.loads((saves(data_dir) / "auto.json").read_text())["turns"] == 0
