"""Undo, history (and its export), codex, map, endings gallery and settings, through the real app."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Markdown, Select, Static, Switch, Tree
from textual.widgets._select import SelectOverlay

from evegame.tui import widgets
from evegame.tui.screens.codex import CodexScreen
from evegame.tui.screens.ending import EndingScreen
from evegame.tui.screens.gallery import GalleryScreen
from evegame.tui.screens.history import HistoryScreen
from evegame.tui.screens.map import MapScreen
from evegame.tui.screens.play import PlayScreen
from evegame.tui.screens.settings import SettingsScreen
from evegame.tui.transcript_view import TranscriptView
from evegame.tui.widgets import SceneText
from helpers import until


async def markdown_source(pilot) -> str:  # type: ignore[no-untyped-def]
    """The Markdown of the panel on top, once the panel is composed (a busy machine can be a frame late)."""
    await until(pilot, lambda: pilot.app.screen.query(Markdown))
    found = pilot.app.screen.query(Markdown)
    assert found, f"no Markdown on {pilot.app.screen}"
    return found.first().source


async def test_undo_any_number_of_steps_restores_each_state_exactly(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n")
        states = [app.game.snapshot()]
        for key in ["2", "2", "1", "1"]:
            await pilot.press(key)
            states.append(app.game.snapshot())
        assert app.game.scene.id == "room"
        for expected in reversed(states[:-1]):
            await pilot.press("u" if len(app.game.path) % 2 else "ctrl+z")
            assert app.game.snapshot() == expected
        assert app.game.path == [] and app.game.scene.id == "hall"
        await pilot.press("u")
        assert "Nothing to undo" in app.notes_text()
        assert app.screen.query_one("#scene-title").render().plain == "The Hall"


async def test_undo_from_the_ending_and_after_loading_a_save(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "1", "1")
        before_end = app.game.snapshot()
        await pilot.press("1")
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("u")
        assert isinstance(app.screen, PlayScreen) and app.game.snapshot() == before_end
        await pilot.press("s", "1", "escape", "l", "1")  # load rebuilds the undo history by replaying the path
        assert app.game.snapshot() == before_end
        await pilot.press("u", "u")
        assert app.game.path == [] and app.game.scene.id == "hall"


async def test_history_lists_scenes_and_choices_and_exports_markdown(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "2", "1", "h")
        assert isinstance(app.screen, HistoryScreen)
        shown = app.screen.query_one(TranscriptView).plain_lines
        assert shown.index("1. The Hall") < shown.index("You chose: Fight") < shown.index("3. The Desk")
        assert "You chose: Go to the desk" in shown and "You stand in the hall with 2 coins." in shown
        await pilot.press("e")
        exported = list((data_dir / "transcripts").glob("mini-*.md"))
        assert len(exported) == 1
        text = exported[0].read_text()
        assert text.index("## 1. The Hall") < text.index("**You chose:** Fight") < text.index("## 3. The Desk")
        assert str(exported[0]) in app.notes_text()
        await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen)


async def test_history_title_counts_in_words_a_reader_expects(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "1", "h")
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one(".panel-box").border_title == "History: 2 scenes, 1 choice"


async def test_codex_shows_unlocked_entries_by_category_with_new_marks(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "c")
        assert "Nothing yet" in await markdown_source(pilot)
        await pilot.press("escape", "1")
        assert "Codex: 1/1 (1 new)" in app.screen.query_one("#sidebar").render().plain
        await pilot.press("c")
        assert isinstance(app.screen, CodexScreen)
        text = await markdown_source(pilot)
        assert "## General" in text and "### Gold coins (new)" in text and "Coins buy things." in text
        await pilot.press("escape", "c")
        assert "### Gold coins\n" in await markdown_source(pilot)  # seen now: no longer new
        await pilot.press("escape")
        assert "(1 new)" not in app.screen.query_one("#sidebar").render().plain


async def test_map_shows_visited_scenes_and_known_exits(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "1", "m")
        assert isinstance(app.screen, MapScreen)
        tree = app.screen.query_one(Tree)
        places = {str(node.label): [str(c.label) for c in node.children] for node in tree.root.children}
        assert list(places) == ["The Hall  (visited 1×)", "The Desk  (◆ you are here · visited 1×)"]
        assert places["The Hall  (visited 1×)"] == ["✓ Go to the desk → The Desk", "· Fight → The Hall"]
        desk = places["The Desk  (◆ you are here · visited 1×)"]
        assert desk == ["· Pay for a marker → unexplored", "· Kill on the grounds → unexplored"]


async def test_endings_gallery_persists_across_games(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n", "1", "2")  # kill on the grounds: excommunicado
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("g")
        assert isinstance(app.screen, GalleryScreen)
        text = await markdown_source(pilot)
        assert "Endings: 1 of 2 found" in text and "✓ **Excommunicado**" in text and "○ ??? (not found yet)" in text
    gallery = json.loads((data_dir / "gallery.json").read_text())
    assert list(gallery["stories"]["mini"]["endings"]) == ["excommunicado"]
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("e")
        assert "✓ **Excommunicado**" in await markdown_source(pilot)


async def test_settings_are_applied_and_persisted(make_app, data_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#theme", Select).value = "gruvbox"
        app.screen.query_one("#speed", Select).value = 60
        app.screen.query_one("#animations", Switch).value = False
        await pilot.pause()
        assert app.theme == "gruvbox" and app.animation_level == "none"
        assert app.screen.query_one("#animations-state", Static).render().plain == "off"
    saved = json.loads((data_dir / "settings.json").read_text())
    assert saved == {"version": 1, "theme": "gruvbox", "reveal_speed": 60, "animations": False}
    app = make_app()
    async with app.run_test():
        assert app.theme == "gruvbox" and app.settings.reveal_speed == 60


async def test_typewriter_reveals_text_and_any_key_skips_it(make_app, data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(parents=True)
    (data_dir / "settings.json").write_text(json.dumps({"reveal_speed": 5}))  # slow: robust on a busy machine
    clock = [1000.0]  # the reveal's clock, moved by the test: no waiting on real time
    monkeypatch.setattr(widgets, "monotonic", lambda: clock[0])
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("n")
        text = app.screen.query_one(SceneText)
        assert text.revealing
        clock[0] += 0.6  # 5 characters a second: 3 shown at the next tick
        await until(pilot, lambda: text.source)
        assert text.source == "You"
        await pilot.press("1")  # skips the reveal; does not choose
        assert not text.revealing and app.game.path == []
        await pilot.pause()
        assert text.source == "You stand in the hall with 2 coins."
        await pilot.press("1")
        assert app.game.scene.id == "desk"


async def test_achievements_on_the_ending_screen_and_in_the_gallery(make_app, story_copy: Path, data_dir: Path) -> None:
    manifest = story_copy / "story.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "    mercy: Mercy\n",
            """    mercy: Mercy
  achievements:
    - id: kept_the_rules
      title: Kept the Rules
      description: Finish without doing business on hotel grounds.
      if: not excommunicado
    - id: brawler
      title: Brawler
      description: Fight in the hall.
      if: wounds > 0
""",
        )
    )
    app = make_app(story_copy)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("n", "1", "1", "1")
        assert isinstance(app.screen, EndingScreen)
        earned = app.screen.query_one("#ending-achievements", Static).render().plain
        assert "★ Kept the Rules (new!) — Finish without doing business on hotel grounds." in earned
        assert "Brawler" not in earned
        await pilot.press("g")
        text = await markdown_source(pilot)
        assert "Achievements: 1 of 2" in text
        assert "- ✓ **Kept the Rules**" in text and "- ○ not yet: **Brawler**" in text
        await pilot.press("escape", "p", "1", "1", "1")  # the same ending again: nothing new
        assert "(new" not in app.screen.query_one("#ending-achievements", Static).render().plain
        assert "new ending" not in app.screen.query_one("#ending-title", Static).render().plain
    saved = json.loads((data_dir / "gallery.json").read_text())["stories"]["mini"]
    assert list(saved["achievements"]) == ["kept_the_rules"]


async def test_settings_dropdown_draws_its_whole_list(make_app) -> None:
    """Issue 11.5: the Theme and Text reveal lists drew a single row, so the player picked blind."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        for select_id, least in (("#theme", 8), ("#speed", 4)):
            select = app.screen.query_one(select_id, Select)
            select.focus()
            await pilot.press("enter")
            await pilot.pause()
            overlay = select.query_one(SelectOverlay)
            assert select.expanded and overlay.region.height >= least
            await pilot.press("escape")
            await pilot.pause()
            assert not select.expanded and isinstance(app.screen, SettingsScreen)


async def test_the_gallery_shows_ending_titles_as_read_with_their_variables_filled(
    make_app, story_copy: Path, data_dir: Path
) -> None:
    """Issue 13: the gallery showed an ending title's {var} unfilled."""
    manifest = story_copy / "story.yaml"
    manifest.write_text(
        manifest.read_text()
        .replace("    mercy: Mercy\n", "    mercy: Mercy with {coins} coins left\n    excommunicado: Cast out\n")
        .replace(
            "  endings:\n",
            "  achievements:\n    - id: thrifty\n      title: Thrifty at {coins}\n"
            "      description: End with {coins} coins.\n  endings:\n",
        )
    )
    app = make_app(story_copy)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("n", "1", "1", "1")  # the desk and the marker cost 2 coins: 0 left
        assert app.game.ending == "mercy"
        await pilot.press("g")
        text = await markdown_source(pilot)
        assert "✓ **Mercy with 0 coins left**" in text and "{coins}" not in text
        assert "✓ **Thrifty at 0** — End with 0 coins." in text
    saved = json.loads((data_dir / "gallery.json").read_text())["stories"]["mini"]
    assert saved["ending_titles"] == {"mercy": "Mercy with 0 coins left"}
    # a gallery written before titles were kept still loads; its titles are filled from the start values
    del saved["ending_titles"], saved["achievement_titles"], saved["achievement_descriptions"]
    (data_dir / "gallery.json").write_text(json.dumps({"version": 1, "stories": {"mini": saved}}))
    app = make_app(story_copy)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("e")
        text = await markdown_source(pilot)
        assert "✓ **Mercy with 2 coins left**" in text and "Thrifty at 2" in text
        assert app.gallery.warning is None


async def test_the_map_draws_every_way_a_branching_call_or_return_choice_can_go(make_app, write_story) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: the map read only a choice's goto, so branches, calls and returns drew no exit."""
    root = write_story(
        {
            "scenes.yaml": """\
            scenes:
              - id: a
                title: Crossroads
                text: Roads.
                choices:
                  - id: toss
                    text: Toss a coin
                    goto: [{scene: heads, chance: 50}, {scene: tails, chance: 50}]
                  - id: rich
                    text: Count your coins
                    goto: [{scene: heads, if: coins > 5}, {scene: tails}]
                  - id: detour
                    text: Visit the shrine
                    call: shrine
                    goto: heads
              - id: shrine
                title: Shrine
                text: Quiet.
                choices:
                  - text: Go back
                    return: true
              - id: heads
                text: Heads.
                ending: heads
              - id: tails
                text: Tails.
                ending: tails
            """
        }
    )
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("n", "3", "m")  # the detour: into the shrine, with the call open
        tree = app.screen.query_one(Tree)
        places = {str(node.label).split("  (")[0]: [str(c.label) for c in node.children] for node in tree.root.children}
        assert places["Crossroads"] == [
            "· Toss a coin → unexplored (chance 50%)",
            "· Toss a coin → unexplored (chance 50%)",
            "· Count your coins → unexplored (conditional)",
            "· Count your coins → unexplored (otherwise)",
            "✓ Visit the shrine → Shrine (call)",
            "· Visit the shrine → unexplored (after the call)",
        ]
        assert places["Shrine"] == ["· Go back → unexplored (return)"]
