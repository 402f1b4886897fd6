"""The command palette offers every action and runs it."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from evegame.tui.screens.codex import CodexScreen
from evegame.tui.screens.dialogs import ConfirmScreen
from evegame.tui.screens.gallery import GalleryScreen
from evegame.tui.screens.help import HelpScreen
from evegame.tui.screens.history import HistoryScreen
from evegame.tui.screens.map import MapScreen
from evegame.tui.screens.play import PlayScreen
from evegame.tui.screens.saves import SlotsScreen
from evegame.tui.screens.settings import SettingsScreen
from evegame.tui.screens.title import TitleScreen
from helpers import until


async def run_command(pilot, query: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p", *query)
    commands = pilot.app.screen.query_one(CommandList)
    await until(pilot, lambda: commands.option_count)  # the palette searches in a worker: its first match
    assert commands.option_count, f"the palette found nothing for {query!r}"
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_runs_actions_by_typing(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "1", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await run_command(pilot, "codex")
        assert isinstance(app.screen, CodexScreen)
        await pilot.press("escape")
        await run_command(pilot, "undo")
        assert app.game.path == []
        await run_command(pilot, "quit")
        await pilot.press("y")
    assert app.return_code == 0


async def test_every_palette_command_opens_its_screen(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "1")
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        assert {"Undo", "Theme"} <= set(commands)  # the palette's other actions: undo runs above
        screens = {
            "Save": SlotsScreen,
            "Load": SlotsScreen,
            "History": HistoryScreen,
            "Codex": CodexScreen,
            "Map": MapScreen,
            "Endings gallery": GalleryScreen,
            "Settings": SettingsScreen,
            "Help": HelpScreen,
            "Quit": ConfirmScreen,
            "Title screen": TitleScreen,
        }
        for title, screen in screens.items():
            commands[title]()
            await pilot.pause()
            assert isinstance(app.screen, screen), title
            await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen)
        commands["Theme"]()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
