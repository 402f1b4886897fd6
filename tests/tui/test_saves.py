"""Autosave, save and load slots, Continue, damaged files and changed stories, through the real app."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import OptionList

from evegame.engine import Game, read_story
from evegame.engine.saves import SaveStore
from evegame.tui.screens.dialogs import AnswersScreen, ConfirmScreen
from evegame.tui.screens.play import PlayScreen
from evegame.tui.screens.saves import SlotsScreen
from evegame.tui.screens.title import TitleScreen
from evegame.tui.widgets import SceneText
from helpers import MINI, until


def slot_texts(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    options = app.screen.query_one("#slots", OptionList).options
    return {o.id.removeprefix("slot-"): str(o.prompt) for o in options}


def saves_dir(data_dir: Path) -> Path:
    return data_dir / "saves" / "mini"


async def test_autosave_after_every_choice_and_continue_resumes_it(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "2", "1")
        auto = json.loads((saves_dir(data_dir) / "auto.json").read_text())
        assert auto["scene"] == "desk" and auto["turns"] == 2
        expected = app.game.snapshot()
    app = make_app()
    async with app.run_test() as pilot:
        menu = [o.id for o in app.screen.query_one("#title-menu", OptionList).options]
        assert menu[:2] == ["continue", "new"]
        assert "The Desk" in str(app.screen.query_one("#title-menu", OptionList).get_option("continue").prompt)
        await pilot.press("c")
        assert isinstance(app.screen, PlayScreen)
        assert app.game.snapshot() == expected


async def test_save_slot_then_load_it_restores_the_identical_state(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "2", "1", "s")
        assert isinstance(app.screen, SlotsScreen)
        assert set(slot_texts(app)) == {str(n) for n in range(1, 10)}  # no autosave slot to save into
        await pilot.press("3")
        assert isinstance(app.screen, PlayScreen)
        assert "Save: Saved in slot 3." in app.notes
        saved = app.game.snapshot()
        await pilot.press("1")  # move on, then come back through the load screen
        assert app.game.snapshot() != saved
        await pilot.press("l")
        texts = slot_texts(app)
        assert list(texts) == ["auto", *[str(n) for n in range(1, 10)]]
        assert texts["3"].startswith("Slot 3: The Desk") and "played" in texts["3"] and "2 choices" in texts["3"]
        assert texts["4"] == "Slot 4: empty"
        await pilot.press("3")
        assert isinstance(app.screen, PlayScreen)
        assert app.game.snapshot() == saved
        assert app.screen.query_one("#scene-title").render().plain == "The Desk"


async def test_saving_over_a_used_slot_asks_first(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "s", "5")
        first = (saves_dir(data_dir) / "slot-5.json").read_text()
        await pilot.press("1", "s", "5")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, SlotsScreen)
        assert (saves_dir(data_dir) / "slot-5.json").read_text() == first
        await pilot.press("5", "y")
        assert isinstance(app.screen, PlayScreen)
        assert json.loads((saves_dir(data_dir) / "slot-5.json").read_text())["scene"] == "desk"


def plant_damaged(data_dir: Path) -> dict[str, bytes]:
    """Broken, foreign, newer and truncated saves next to one good save; returns their bytes."""
    story = read_story(MINI)
    store = SaveStore(data_dir, story)
    game = Game(story)
    game.choose("to_desk")
    store.save("1", game, play_time=65)
    good = json.loads((saves_dir(data_dir) / "slot-1.json").read_text())
    planted = {
        "2": b"\xff\xfe not text at all",
        "3": json.dumps({**good, "story": {**good["story"], "id": "another_story"}}).encode(),
        "4": json.dumps({**good, "version": 99}).encode(),
        "5": (saves_dir(data_dir) / "slot-1.json").read_bytes()[:40],
        "6": b"",
        "7": json.dumps({**good, "scene": "vanished", "state": {**good["state"], "scene": "vanished"}}).encode(),
    }
    for slot, raw in planted.items():
        (saves_dir(data_dir) / f"slot-{slot}.json").write_bytes(raw)
    return planted


async def test_damaged_saves_are_listed_with_their_reason_and_never_deleted(make_app, data_dir: Path) -> None:
    planted = plant_damaged(data_dir)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        texts = slot_texts(app)
        assert texts["1"].startswith("Slot 1: The Desk") and "1:05" in texts["1"]
        assert "DAMAGED" in texts["2"] and "not UTF-8" in texts["2"]
        assert "DAMAGED" in texts["3"] and "another story" in texts["3"]
        assert "DAMAGED" in texts["4"] and "newer evegame" in texts["4"]
        assert "DAMAGED" in texts["5"] and "truncated or corrupt" in texts["5"]
        assert "DAMAGED" in texts["6"] and "empty" in texts["6"]
        assert "DAMAGED" in texts["7"] and "no longer exists" in texts["7"]
        for slot in "234567":
            await pilot.press(slot)
            assert isinstance(app.screen, SlotsScreen)  # refused with the reason, no crash
        assert "That save is damaged" in app.notes_text()
        await pilot.press("1")
        assert isinstance(app.screen, PlayScreen) and app.game.scene.id == "desk"
    for slot, raw in planted.items():
        assert (saves_dir(data_dir) / f"slot-{slot}.json").read_bytes() == raw


async def test_continue_skips_damaged_files(make_app, data_dir: Path) -> None:
    plant_damaged(data_dir)
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, PlayScreen) and app.game.scene.id == "desk"


async def test_data_dir_comes_from_the_environment_when_not_given(make_app, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVEGAME_DATA_DIR", str(tmp_path / "from-env"))
    app = make_app(data_dir=None)
    async with app.run_test() as pilot:
        await pilot.press("n", "1")
    assert (tmp_path / "from-env" / "saves" / "mini" / "auto.json").is_file()


async def test_loading_after_the_story_changed_shows_notices(make_app, story_copy: Path, data_dir: Path) -> None:
    app = make_app(story_copy)
    async with app.run_test() as pilot:
        await pilot.press("n", "1", "s", "2")
    manifest = story_copy / "story.yaml"
    manifest.write_text(manifest.read_text().replace("    markers: []\n", "    markers: []\n    honour: 3\n"))
    app = make_app(story_copy)
    async with app.run_test() as pilot:
        await pilot.press("l")
        assert "story changed since" in slot_texts(app)["2"]
        await pilot.press("2")
        assert isinstance(app.screen, PlayScreen) and app.game.scene.id == "desk"
        notes = app.notes_text()
        assert "the story has changed since this save was made" in notes
        assert "new variable 'honour' starts at its default" in notes


async def test_load_from_title_and_escape_closes(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("l")
        assert isinstance(app.screen, SlotsScreen)
        await pilot.press("4")
        assert "Slot 4 is empty." in app.notes
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)


async def test_the_autosave_is_written_after_the_next_scene_is_on_screen(make_app, data_dir: Path) -> None:
    """A choice draws the next scene first; the autosave (write, fsync, lock) follows the draw."""
    app = make_app()
    shown_when_saved: list[str] = []
    async with app.run_test() as pilot:
        await pilot.press("n")
        save = app.session.saves.save

        def spy(slot, game, **kwargs):  # type: ignore[no-untyped-def]
            text = app.screen.query_one(SceneText)  # a Markdown: its text is mounted as blocks, frames later
            first = text.children[0].render().plain if text.children and text.children[0].is_mounted else ""
            shown_when_saved.append((app.screen.query_one("#scene-title").render().plain, first))
            return save(slot, game, **kwargs)

        app.session.saves.save = spy  # type: ignore[method-assign]
        await pilot.press("1")
        await until(pilot, lambda: shown_when_saved)  # written once the text is mounted and drawn: frames later
        # the desk, its title and its text, was on screen when its autosave was written
        assert shown_when_saved == [("The Desk", "Charon waits. You carry ticket.")]
        assert json.loads((saves_dir(data_dir) / "auto.json").read_text())["scene"] == "desk"


async def test_a_pending_autosave_is_written_on_suspend_before_a_panel_opens_and_before_quitting(
    make_app, data_dir: Path
) -> None:
    def turns() -> int:
        return json.loads((saves_dir(data_dir) / "auto.json").read_text())["turns"]

    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n")
        app.choose(2)  # fight: back to the hall; no refresh yet, so the autosave is still pending
        assert app.session.pending and turns() == 0
        app.app_suspend_signal.publish(app)  # ctrl+z in a terminal
        assert not app.session.pending and turns() == 1
        app.choose(2)
        await pilot.press("h")  # a panel opens over the game: saved first
        assert not app.session.pending and turns() == 2
        await pilot.press("escape")
        app.choose(2)
        assert app.session.pending
        app.exit()  # ctrl+q, the quit dialog and a closed terminal all end here
    assert turns() == 3


async def test_a_slot_another_game_wrote_meanwhile_asks_overwrite_keep_theirs_or_save_elsewhere(
    make_app, data_dir: Path
) -> None:
    """Issue 11: a slot changed on disk under the player (SlotChanged) offers three ways out, in a dialog."""
    story = read_story(MINI)
    other = SaveStore(data_dir, story)  # another evegame on the same data folder
    theirs = Game(story)
    theirs.choose("to_desk")
    slot2 = saves_dir(data_dir) / "slot-2.json"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "s", "1", "s")  # slot 1 used, then the list again
        assert isinstance(app.screen, SlotsScreen)
        other.save("2", theirs, play_time=0)  # slot 2 was empty when listed
        await pilot.press("2")
        assert isinstance(app.screen, AnswersScreen)
        assert "Slot 2 was empty when listed" in app.screen.detail and "It now holds The Desk" in app.screen.detail
        await pilot.press("k")  # keep theirs
        assert isinstance(app.screen, SlotsScreen) and "Slot 2 is kept" in app.notes_text()
        assert json.loads(slot2.read_text())["scene"] == "desk"
        assert slot_texts(app)["2"].startswith("Slot 2: The Desk")  # the list shows what is there now
        other.save("2", theirs, play_time=5, overwrite=True)
        await pilot.press("2", "y")  # asked as usual (it holds a save), then it changed again
        assert isinstance(app.screen, AnswersScreen)
        await pilot.press("e")  # save elsewhere: back to the list, the first empty slot picked
        assert isinstance(app.screen, SlotsScreen)
        assert app.screen.query_one("#slots", OptionList).highlighted == 2  # slot 3, the first empty one
        assert json.loads(slot2.read_text())["scene"] == "desk"
        other.save("2", theirs, play_time=9, overwrite=True)
        await pilot.press("2", "y", "o")  # overwrite
        assert isinstance(app.screen, PlayScreen)
        assert json.loads(slot2.read_text())["scene"] == "hall" and "Save: Saved in slot 2." in app.notes
