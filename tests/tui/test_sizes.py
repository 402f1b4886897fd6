"""Any window size and any sequence of resizes: no crash; below the smallest usable size a calm message."""

from __future__ import annotations

from textual.widgets import Static

from evegame.tui.screens.play import PlayScreen
from evegame.tui.screens.too_small import TooSmallScreen
from helpers import SHIPPED


async def test_shrinking_mid_game_does_not_crash_and_growing_recovers(make_app) -> None:
    """Issue 11.4: 100x30, new game, shrink to 30x12 crashed with `range() arg 3 must not be zero`."""
    app = make_app(SHIPPED)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        for size in [(30, 12), (20, 8), (12, 5), (1, 1), (29, 30), (100, 9), (40, 12), (100, 30)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.has_class("-wide") and app.screen.query_one("#choices").region.height >= 2
        await pilot.press("1")
        assert len(app.game.path) == 1


async def test_below_the_smallest_size_a_calm_message_then_the_game_again(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.resize_terminal(20, 8)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        message = app.screen.query_one("#too-small-message", Static).render().plain
        assert "larger" in message and "20×8" in message
        await pilot.press("1", "question_mark", "h")  # keys do nothing meanwhile
        assert isinstance(app.screen, TooSmallScreen) and app.game.path == []
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.has_class("-narrow") and not app.screen.has_class("-wide")
        await pilot.press("1")
        assert app.game.scene.id == "desk"


async def test_starting_in_a_tiny_window_shows_the_message(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        await pilot.press("n")
        assert isinstance(app.screen, PlayScreen)
