"""Hot reload: ctrl+r and --watch keep the player where they are; broken edits show their errors."""

from __future__ import annotations

from pathlib import Path

from evegame.tui.screens.dialogs import ProblemsScreen
from evegame.tui.screens.play import PlayScreen
from helpers import until


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


async def test_ctrl_r_reloads_an_edit_and_keeps_scene_state_and_undo(make_app, story_copy: Path) -> None:
    app = make_app(story_copy)
    async with app.run_test() as pilot:
        await pilot.press("n", "2", "1")
        before = app.game.snapshot()
        edit(story_copy / "scenes.yaml", "title: The Desk", "title: The Front Desk")
        await pilot.press("ctrl+r")
        assert app.game.snapshot() == before
        assert app.game.story is app.story and app.story.scenes["desk"].title == "The Front Desk"
        assert app.screen.query_one("#scene-title").render().plain == "The Front Desk"
        assert "you are still in The Front Desk" in app.notes_text()
        await pilot.press("u", "u")
        assert app.game.path == []


async def test_a_broken_edit_shows_its_errors_and_keeps_the_last_good_story(make_app, story_copy: Path) -> None:
    app = make_app(story_copy)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("n", "1")
        good_story, before = app.story, app.game.snapshot()
        edit(story_copy / "scenes.yaml", "goto: room", "goto: nowhere_room")
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ProblemsScreen)
        assert any(p.startswith(f"{story_copy / 'scenes.yaml'}:") or "scenes.yaml:" in p for p in app.screen.problems)
        assert any("nowhere_room" in p for p in app.screen.problems)
        shown = " ".join(s.render().plain for s in app.screen.query(".problem"))
        assert "scenes.yaml:" in shown and "nowhere_room" in shown
        await pilot.press("escape")
        assert app.story is good_story and app.game.snapshot() == before
        await pilot.press("1")  # the old story still plays
        assert app.game.scene.id == "room"
        edit(story_copy / "scenes.yaml", "goto: nowhere_room", "goto: room")
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, PlayScreen) and app.story is not good_story


async def test_reload_when_the_current_scene_was_removed_says_so(make_app, story_copy: Path) -> None:
    app = make_app(story_copy)
    async with app.run_test() as pilot:
        await pilot.press("n", "1", "1")
        assert app.game.scene.id == "room"
        scenes = story_copy / "scenes.yaml"
        edit(scenes, "        goto: room\n", "        goto: end_mercy\n")
        edit(
            scenes,
            "  - id: room\n    text: A quiet room.\n    choices:\n      - text: Spare him\n        goto: end_mercy\n",
            "",
        )
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, PlayScreen) and app.game.scene.id == "room"
        assert "cannot move to the edited story" in app.notes_text()
        assert "room" not in app.story.scenes


async def test_watch_reloads_when_a_file_changes(make_app, story_copy: Path) -> None:
    app = make_app(story_copy, watch=True)
    async with app.run_test() as pilot:
        await pilot.press("n")
        edit(story_copy / "scenes.yaml", "title: The Hall", "title: The Great Hall")
        await until(pilot, lambda: app.story.scenes["hall"].title == "The Great Hall")  # the watch polls each second
        assert app.story.scenes["hall"].title == "The Great Hall"
        await pilot.pause()
        assert app.screen.query_one("#scene-title").render().plain == "The Great Hall"
        (story_copy / "extra.yaml").write_text("scenes:\n  - id: broken\n    text: [unclosed\n")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        assert isinstance(app.screen, ProblemsScreen)
        assert any("extra.yaml:" in p for p in app.screen.problems)


async def test_reload_from_the_title_screen_stays_there(make_app, story_copy: Path) -> None:
    from evegame.tui.screens.title import TitleScreen

    app = make_app(story_copy)
    async with app.run_test() as pilot:
        await pilot.press("n", "1", "escape")
        edit(story_copy / "story.yaml", "title: Mini", "title: Mini Two")
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, TitleScreen)
        assert app.screen.query_one("#title-name").render().plain == "Mini Two"
        await pilot.press("r")
        assert app.game.story.title == "Mini Two" and app.game.scene.id == "desk"
