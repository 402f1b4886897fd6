"""Title, play and ending screens, driven by keys and clicks as a player would."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static
from textual.widgets._toast import Toast

from evegame.tui.screens.dialogs import ConfirmScreen
from evegame.tui.screens.ending import EndingScreen
from evegame.tui.screens.help import HelpScreen
from evegame.tui.screens.play import PlayScreen
from evegame.tui.screens.status import StatusScreen
from evegame.tui.screens.title import TitleScreen
from evegame.tui.widgets import SceneText, StatusPanel
from helpers import SHIPPED


def menu_ids(app) -> list[str]:  # type: ignore[no-untyped-def]
    menu = app.screen.query_one("#title-menu", OptionList)
    return [o.id for o in menu.options]


def choice_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(o.prompt) for o in app.screen.query_one("#choices", OptionList).options]


async def test_title_screen_menu_and_new_game(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        assert isinstance(app.screen, TitleScreen)
        assert menu_ids(app) == ["new", "load", "gallery", "settings", "quit"]  # no Continue without a save
        await pilot.press("enter")  # "New game" is highlighted first
        assert isinstance(app.screen, PlayScreen)
        assert str(app.screen.query_one("#scene-title", Static).render()) == "The Hall"
        assert app.screen.query_one(SceneText).source == "You stand in the hall with 2 coins."
        assert choice_texts(app) == ["1. Go to the desk", "2. Fight"]


async def test_choose_by_number_arrows_and_click(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n")
        await pilot.press("2")  # Fight: back to the hall
        assert app.game.path == [("hall", "choice_2")]
        await pilot.press("down", "up", "down", "enter")  # Fight again by arrows
        assert app.game.path[-1] == ("hall", "choice_2")
        await pilot.click("#choices", offset=(4, 1))  # the first option: Go to the desk
        await pilot.pause()
        assert app.game.scene.id == "desk"
        assert app.screen.query_one("#scene-title", Static).render().plain == "The Desk"


async def test_missing_choice_number_is_refused_politely(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "7")
        assert app.game.path == []
        assert "There is no choice 7 here." in app.notes


async def test_sidebar_shows_labels_and_values_and_notifies_changes(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n")
        status = app.screen.query_one(StatusPanel).render().plain
        assert "Gold coins: 2" in status and "Markers: none" in status
        await pilot.press("1")  # the desk: coins -1 on entry, codex entry unlocked
        assert "Gold coins: 1" in app.screen.query_one(StatusPanel).render().plain
        text = app.notes_text()
        assert "Gold coins: 2 → 1 (-1)" in text
        assert "New codex entry: Gold coins" in text
        app.notes.clear()
        await pilot.press("1")  # pay for a marker
        assert "Markers: + winston" in app.notes_text()
        assert "wounds" not in app.notes_text().lower()  # hidden variables stay hidden


async def test_sidebar_folds_below_80_columns_and_b_toggles_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        sidebar = app.screen.query_one("#sidebar")
        assert sidebar.display and sidebar.region.width > 0
        await pilot.press("b")
        assert not sidebar.display
        await pilot.press("b")
        assert sidebar.display
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert not sidebar.display
        await pilot.press("b")  # narrow: the status opens as a panel over the game
        assert isinstance(app.screen, StatusScreen)
        assert "Gold coins: 2" in app.screen.query_one(StatusPanel).render().plain
        await pilot.press("b")
        assert isinstance(app.screen, PlayScreen) and not sidebar.display


async def test_at_60x20_the_status_never_hides_a_choice(make_app) -> None:
    """Issue 11.9: at 60x20 the sidebar opened with b cut off its lines and hid choice 3."""
    app = make_app(SHIPPED)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("n", "b")
        await pilot.pause()
        assert isinstance(app.screen, StatusScreen)
        panel = app.screen.query_one(StatusPanel)
        lines = panel.render().plain.splitlines()
        assert "Markers owed: none" in lines and panel.region.height >= len(lines)  # every line, none cut
        scroller = app.screen.query_one("#status-text")
        assert scroller.has_focus  # longer than the window: it scrolls with the keys
        await pilot.press("escape")
        choices = app.screen.query_one("#choices")
        assert choices.region.height >= len(app.game.choices)
        assert choices.region.bottom <= 19


async def play_to_mercy(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("n", "1", "1", "1")


async def test_full_game_by_keys_to_an_ending_then_play_again(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await play_to_mercy(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert app.game.ending == "mercy"
        title = app.screen.query_one("#ending-title", Static).render().plain
        assert title.startswith("Ending: Mercy") and "new ending" in title
        assert "Endings found: 1 of 2" in app.screen.query_one("#ending-count", Static).render().plain
        await pilot.press("p")
        assert isinstance(app.screen, PlayScreen)
        assert app.game.scene.id == "hall" and app.game.path == []


async def test_small_terminals_stay_playable(make_app) -> None:
    for size in [(60, 20), (40, 12)]:
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await pilot.press("n")
            choices = app.screen.query_one("#choices")
            assert choices.region.height >= 2 and choices.region.bottom <= size[1] - 1
            assert app.screen.query_one("#scene-scroll").region.height >= 2
            await pilot.press("1", "1", "1")
            assert isinstance(app.screen, EndingScreen)
            assert app.screen.query_one("#ending-menu").region.height >= 2


async def test_help_lists_every_binding(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("n", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-text Static", Static).render().plain
        for binding in [*PlayScreen.BINDINGS, *TitleScreen.BINDINGS, *EndingScreen.BINDINGS]:
            if not binding.action.startswith("choose("):
                assert binding.description in text, binding
        for words in ["1–9", "Choose by number", "Command palette", "ctrl+z", "Undo", "Quit"]:
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen)


async def test_q_asks_before_quitting(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, PlayScreen) and app.is_running
        await pilot.press("q", "escape")
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("q", "y")
    assert app.return_code == 0


async def test_escape_goes_to_title_and_continue_returns(make_app) -> None:
    """Issue 11.9: the title offered Resume and Continue for the same game; now one Continue."""
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "1", "escape")
        assert isinstance(app.screen, TitleScreen)
        assert menu_ids(app) == ["continue", "new", "load", "gallery", "settings", "quit"]
        await pilot.press("c")
        assert isinstance(app.screen, PlayScreen) and app.game.scene.id == "desk"
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, PlayScreen) and app.game.scene.id == "desk"


async def test_the_sidebar_shows_the_story_s_display_names_not_ids(make_app) -> None:
    """Issue 11.9: the sidebar showed internal ids ("Markers owed: winston", "ox")."""
    app = make_app(SHIPPED)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        game = app.game
        game.state.variables["owes"] = ["winston", "ox"]
        game.state.variables["items"] = ["ticket", "ledger_page"]
        app.screen.refresh_status()
        status = app.screen.query_one(StatusPanel).render().plain
        assert "Markers owed: Winston, Ox Hala" in status
        assert "Carrying: train ticket, ledger page" in status


async def test_the_narrow_status_panel_says_status_once(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("n", "b")
        assert isinstance(app.screen, StatusScreen)
        box = app.screen.query_one(".panel-box")
        lines = app.screen.query_one(StatusPanel).render().plain.splitlines()
        assert box.border_title == "Status" and "Status" not in lines
        assert lines[0].startswith("Gold coins:")


@pytest.mark.parametrize(("size", "keys"), [((100, 30), ()), ((80, 24), ("b",)), ((60, 20), ()), ((40, 12), ())])
async def test_a_notification_covers_neither_the_scene_text_nor_the_choices(make_app, size, keys) -> None:  # type: ignore[no-untyped-def]
    """Issue 11.9: toasts covered the choices, then the scene text; and they stacked."""
    app = make_app(SHIPPED)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("n", *keys)
        app.notify("Gold coins: 4 → 3 (-1)\nNew codex entry: The Ticket (press c)", title="Changed")
        app.notify("Cannot save: the disk is full", severity="error")
        await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1 and "the disk is full" in toasts[0].render().plain  # one at a time, the latest
        toast = toasts[0].region
        assert toast.area > 0
        for part in ("#scene-scroll", "#choices"):
            region = app.screen.query_one(part).region
            assert not toast.overlaps(region), (part, toast, region)
