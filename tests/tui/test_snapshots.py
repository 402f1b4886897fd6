"""Snapshot tests (pytest-textual-snapshot) of every screen, panel and dialog at 40x12, 80x24 and 120x40.

Deterministic: a fresh data folder (no dated saves are shown), default settings (no
typewriter), animations off, notifications cleared before the picture. Update after an
intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at
the pictures in the report before committing them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Markdown

from helpers import until

SIZES = [(40, 12), (80, 24), (120, 40)]

# what a player presses to get each picture, on the small test story
SCREENS = {
    "title": (),
    "play": ("n", "1"),
    "ending": ("n", "1", "1", "1"),
    "history": ("n", "2", "1", "h"),
    "history_scrolled_up": ("n", "2", "2", "2", "1", "h", "pageup"),
    "codex": ("n", "1", "c"),
    "map": ("n", "1", "m"),
    "gallery": ("n", "1", "2", "g"),
    "help_scrolled_down": ("question_mark", "pagedown"),
    "settings": ("o",),
    "settings_theme_list_open": ("o", "enter"),
    "save_slots": ("n", "s"),
    "load_slots": ("l",),
    "status_b": ("n", "b"),
    "quit_dialog": ("n", "q"),
    "new_game_dialog": ("n", "1", "escape", "n"),
}


def quiet(app):  # type: ignore[no-untyped-def]
    """No animations, no typewriter, no toasts (they come and go on timers: racy in a picture)."""
    app.notify = lambda *args, **kwargs: None
    app.settings.animations = False
    app.settings.reveal_speed = 0
    app.animation_level = "none"
    return app


def settled(app) -> bool:  # type: ignore[no-untyped-def]
    """The screen on top is mounted and every Markdown on every screen shows its latest text.

    Textual parses Markdown in a thread and mounts it frames later: on a busy machine a panel opened by
    the next key was drawn over the previous scene's text (reproduced by slowing the parse down).
    """
    return app.screen.is_mounted and all(
        markdown.is_mounted and not markdown.lock.is_locked
        for screen in app.screen_stack
        for markdown in screen.query(Markdown)
    )


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: settled(pilot.app))
    assert settled(pilot.app), "the screens did not settle"
    await pilot.pause()


def play(*keys: str):  # type: ignore[no-untyped-def]
    """Press keys, then let the app settle."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(snap_compare, make_app, name: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(quiet(make_app()), run_before=play(*SCREENS[name]), terminal_size=size)


def test_window_too_small(snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(quiet(make_app()), run_before=play("n"), terminal_size=(20, 8))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_slot_changed_dialog(snap_compare, make_app, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Saving into a slot another game wrote since it was listed: overwrite, save elsewhere, keep theirs."""
    from evegame.engine import Game
    from evegame.engine.saves import SaveStore

    app = quiet(make_app())

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("n", "s")
        await settle(pilot)  # the slots are listed (slot 2 empty) before another game saves there
        theirs = Game(app.story)
        theirs.choose("to_desk")
        SaveStore(app.data_path, app.story).save("2", theirs, play_time=0)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=size)
