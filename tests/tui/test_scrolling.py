"""Every panel and the reading pane scroll from the keyboard (issue 11.2 and 11.3)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from evegame.session import Entry
from evegame.tui.screens.ending import EndingScreen
from evegame.tui.screens.history import HistoryScreen
from evegame.tui.screens.play import PlayScreen
from evegame.tui.transcript_view import Block, TranscriptView, layout, transcript_blocks
from helpers import SHIPPED, until


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


class _TranscriptApp(App[None]):
    """A long transcript in the view, alone (History of a 400-scene game)."""

    def __init__(self, blocks: list[Block]) -> None:
        super().__init__()
        self.blocks = blocks

    def compose(self) -> ComposeResult:
        yield TranscriptView(self.blocks)


async def test_a_long_history_opens_at_the_end_wrapped_lazily_and_reads_the_same_as_wrapped_at_once() -> None:
    """History of a long game draws its latest entry first and wraps the rest later; the text is the same."""
    paragraph = "Eve counts the doors, the windows and the hands of the men at the bar. " * 4
    blocks = transcript_blocks(
        [Entry(f"s{n}", f"Scene {n}", f"{paragraph}\n\n{paragraph}", f"Choice {n}") for n in range(1, 401)]
    )
    app = _TranscriptApp(blocks)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(TranscriptView)
        width = view.scrollable_content_region.width
        eager = ["".join(t for t, _ in runs) for _, runs in layout(blocks, width)]
        await until(pilot, lambda: view.complete)  # the earlier paragraphs are wrapped in slices, after frames
        assert view.complete and view.plain_lines == eager
        assert view.scroll_y == view.max_scroll_y  # still at the latest entry
        assert "You chose: Choice 400" in view.visible_lines()
        await pilot.press("home")
        assert view.visible_lines()[0] == "1. Scene 1"


def _long_history() -> list[Block]:
    """120 scenes of five lines each at 60 columns."""
    paragraph = "The rain has not stopped since the theatre. " * 5
    return transcript_blocks([Entry(f"s{n}", f"Scene {n}", paragraph, f"Choice {n}") for n in range(1, 121)])


async def test_scrolling_up_while_the_history_is_still_being_wrapped_keeps_the_text_in_view() -> None:
    app = _TranscriptApp(_long_history())
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.pause()
        view.SLICE = 1  # one paragraph per frame: still wrapping while the player reads
        view._width = -1
        view.relayout()  # as when History opens
        view.focus()
        await pilot.press("pageup")
        assert not view.complete and not view._follow_end
        shown = view.visible_lines()
        wrapped = len(view.lines)
        await until(pilot, lambda: len(view.lines) > wrapped)
        assert len(view.lines) > wrapped  # more was wrapped above ...
        assert view.visible_lines() == shown  # ... and the same text stayed in view


async def test_a_page_up_pressed_as_the_history_opens_is_not_undone_by_the_jump_to_the_latest_entry() -> None:
    """Found by CI under load: the deferred "open at the latest entry" came after PgUp had started its scroll
    and cancelled it, so the view jumped back to the end."""
    app = _TranscriptApp(_long_history())
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.pause()
        view.focus()
        view.action_page_up()  # the scroll is under way but has not moved yet ...
        view._to_end()  # ... when the deferred jump to the end arrives
        # on a busy machine the earlier history is still being wrapped above the view, which moves the end:
        # look once all of it is laid out, against the end as it is then
        await until(pilot, lambda: view.complete and view.scroll_y == view.scroll_target_y)
        assert view.complete and view.scroll_y == view.scroll_target_y
        assert view.scroll_target_y < view.max_scroll_y
        assert "You chose: Choice 120" not in view.visible_lines()


async def test_the_history_opens_at_the_latest_entry_when_its_text_is_laid_out_before_its_scrollbar() -> None:
    """Found by a snapshot on a slowed machine: History opened at the first scene and stayed there. Its text is
    laid out before the layout that shows its scrollbar, and each jump to the end (the deferred one included,
    when it came before that layout) was refused: a view without a scrollbar does not scroll."""
    blocks = transcript_blocks([Entry(f"s{n}", f"Scene {n}", f"Text {n}.", f"Choice {n}") for n in range(1, 9)])
    app = _TranscriptApp(blocks)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.pause()
        view.scroll_to(y=0, animate=False, immediate=True)
        # as when History opens: a new view, laid out while it was empty, so without a scrollbar yet
        view._width, view._follow_end = -1, True
        view.show_vertical_scrollbar = False
        view.relayout()
        assert view.complete and view.max_scroll_y > 0 and view.scroll_y == view.max_scroll_y
        await until(pilot, lambda: view.show_vertical_scrollbar)
        assert view.scroll_y == view.max_scroll_y and "You chose: Choice 8" in view.visible_lines()
        assert view.vertical_scrollbar.position == view.scroll_y  # and its scrollbar says so
