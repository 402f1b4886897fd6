"""The play screen with story format v2: a locked choice is greyed with its reason and cannot be
taken; inline alternatives and interpolation are rendered."""

from __future__ import annotations

from textual.widgets import OptionList

from evegame.tui.widgets import SceneText
from helpers import ROOT

FERRY = ROOT / "examples" / "night_ferry"


async def test_a_locked_choice_is_greyed_with_its_reason_and_refused(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(FERRY)
    async with app.run_test() as pilot:
        await pilot.press("n")
        app.game.choose("pockets")
        app.game.choose("done")
        app.game.state.variables["coins"] = 1  # poorer than the fare
        app.show_game()
        await pilot.pause()
        options = app.screen.query_one("#choices", OptionList).options
        board = next(o for o in options if o.id == "board")
        assert board.disabled
        assert "(locked: The fare is 2 coins and you have 1.)" in str(board.prompt)
        await pilot.press(str(options.index(board) + 1))  # its number: refused, with the reason
        assert app.game.state.scene == "quay"
        assert "locked: The fare is 2 coins" in app.notes_text()
        text = app.screen.query_one(SceneText).source
        assert "You have 1 coin. Not enough for the fare." in text  # the inline alternative, rendered
