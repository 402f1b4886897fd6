"""Every panel and the reading pane scroll from the keyboard (issue 11.2 and 11.3)."""

from __future__ import annotations

import pytest

from evegame.tui.screens.ending import EndingScreen
from evegame.tui.screens.history import HistoryScreen
from evegame.tui.screens.play import PlayScreen
from evegame.tui.transcript_view import TranscriptView
from helpers import SHIPPED


async def assert_keys_scroll(pilot) -> None:  # type: ignore[no-untyped-def]
    """The focused widget is the one that scrolls, and every scrolling key moves it."""
    scroller = pilot.app.screen.focused
    assert scroller is not None and scroller.max_scroll_y > 0, "the panel's text should overflow at this size"
    await pilot.press("home")
    assert scroller.scroll_y == 0
    await pilot.press("down")
    assert scroller.scroll_y == 1
    await pilot.press("pagedown")
    assert scroller.scroll_y == min(scroller.max_scroll_y, 1 + scroller.scrollable_content_region.height)
    await pilot.press("end")
    assert scroller.scroll_y == scroller.max_scroll_y
    await pilot.press("up")
    assert scroller.scroll_y == scroller.max_scroll_y - 1
    pages = scroller.max_scroll_y // max(1, scroller.scrollable_content_region.height - 1) + 1
    await pilot.press(*["pageup"] * pages)
    assert scroller.scroll_y == 0


@pytest.mark.parametrize(
    ("keys", "panel"),
    [
        (("n", "1", "c"), "CodexScreen"),
        (("e",), "GalleryScreen"),
        (("question_mark",), "HelpScreen"),
        (("n", "2", "2", "2", "2", "2", "h"), "HistoryScreen"),
    ],
)
async def test_every_panel_scrolls_with_arrows_pages_home_and_end(make_app, keys, panel) -> None:
    app = make_app(SHIPPED) if panel == "GalleryScreen" else make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert type(app.screen).__name__ == panel
        await assert_keys_scroll(pilot)


async def test_history_opens_at_the_latest_scene(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *["2"] * 30, "1", "h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        view = app.screen.query_one(TranscriptView)
        assert view.has_focus and view.max_scroll_y > 0
        assert view.scroll_y == view.max_scroll_y
        shown = "\n".join(view.visible_lines())
        assert "32. The Desk" in shown and "You chose: Go to the desk" in shown
        assert "1. The Hall" not in view.visible_lines()


async def test_page_keys_scroll_the_scene_text_not_the_choices(make_app) -> None:
    app = make_app(SHIPPED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        pane = screen.query_one("#scene-scroll")
        choices = screen.query_one("#choices")
        assert pane.max_scroll_y > 0
        hint = screen.query_one("#more-below")
        assert hint.display and "more below" in hint.render().plain
        await pilot.press("pagedown")
        assert pane.scroll_y > 0 and choices.highlighted == 0
        await pilot.press("pageup")
        assert pane.scroll_y == 0
        for _ in range(20):
            await pilot.press("space")
        assert pane.scroll_y == pane.max_scroll_y and choices.highlighted == 0
        await pilot.pause()
        assert not hint.display  # everything read: the hint goes away


async def test_page_keys_scroll_the_ending_text(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("n", "1", "1", "1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        body = app.screen.query_one("#ending-body")
        menu = app.screen.query_one("#ending-menu")
        assert body.max_scroll_y > 0
        assert app.screen.query_one("#more-below").display
        await pilot.press("pagedown")
        assert body.scroll_y > 0 and menu.highlighted == 0
        await pilot.press("space", "space", "space", "space", "space")
        assert body.scroll_y == body.max_scroll_y
