"""Snapshot tests (pytest-textual-snapshot) of the title, play and ending screens at 80x24.

Deterministic: a fresh data folder (no saves, so no timestamps), default settings (no
typewriter), animations off, notifications cleared. Update after an intended change with ``pytest --snapshot-update``.
"""

from __future__ import annotations


def quiet(app):  # type: ignore[no-untyped-def]
    app.settings.animations = False
    app.settings.reveal_speed = 0
    app.animation_level = "none"
    return app


def play(*keys: str):  # type: ignore[no-untyped-def]
    """Press keys, then drop the toasts (they time out, so they would make the picture racy)."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*keys)
        await pilot.pause()
        pilot.app.clear_notifications()

    return run_before


def test_title_screen(snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(quiet(make_app()), terminal_size=(80, 24))


def test_play_screen(snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(quiet(make_app()), run_before=play("n", "1"), terminal_size=(80, 24))


def test_ending_screen(snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(quiet(make_app()), run_before=play("n", "1", "1", "1"), terminal_size=(80, 24))
