"""The installed game in a real terminal (tmux), as a player meets it (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

from e2e.terminal import dialog_text
from helpers import MINI, SHIPPED

STORY = ["--story", str(MINI)]


def no_traceback(screen: str) -> bool:
    return "Traceback" not in screen and "Error" not in screen


def test_continue_after_quitting_lands_on_the_same_scene(terminal, tmp_path: Path) -> None:
    term = terminal(*STORY)
    term.wait_for("New game")
    term.keys("n")
    term.wait_for("Go to the desk")
    term.keys("2")  # fight: back in the hall, hurt
    term.wait_for("You are hurt.")
    term.keys("1")
    term.wait_for("Charon waits")
    term.keys("q")
    term.wait_for("Quit evegame?")
    term.keys("y")
    term.wait_for(lambda s: not term.alive())
    saved = json.loads((tmp_path / "data" / "saves" / "mini" / "auto.json").read_text())
    assert saved["scene"] == "desk" and saved["turns"] == 2

    term.start()  # relaunch in the same data folder
    screen = term.wait_for_all("Continue", "The Desk")
    assert "The Desk" in screen  # Continue names the scene it resumes
    term.keys("c")
    screen = term.wait_for_all("Charon waits", "The Desk", "Pay for a marker")
    assert "The Desk" in screen and "Pay for a marker" in screen
    assert no_traceback(screen)


def test_resizing_never_crashes_and_the_game_comes_back(terminal) -> None:
    term = terminal(*STORY, size=(120, 40))
    term.wait_for("New game")
    term.keys("n")
    term.wait_for("Go to the desk")
    for width, height in [(30, 12), (20, 8), (100, 30), (40, 12), (12, 4), (80, 24)]:
        term.resize(width, height)
        if width < 30 or height < 10:
            screen = term.wait_for("larger")
        else:
            screen = term.wait_for(lambda s: "Go to the desk" in s or "Go to the" in s)
        assert term.alive() and no_traceback(screen), screen
    term.keys("1")
    screen = term.wait_for("Charon waits")
    assert term.alive() and no_traceback(screen)


def test_a_data_folder_that_is_a_file_is_said_in_plain_words_at_start(terminal, tmp_path: Path) -> None:
    blocker = tmp_path / "data-is-a-file"
    blocker.write_text("not a folder")
    term = terminal(*STORY, "--data-dir", str(blocker), size=(100, 30))
    # the message wraps where the path (a temporary folder's) makes it wrap: read the dialog as one text
    screen = term.wait_for(lambda s: "cannot be saved" in s and "with --data-dir." in dialog_text(s))
    said = dialog_text(screen)
    assert "is a file, not a folder" in said and "--data-dir" in said and "Errno" not in screen
    term.keys("Enter")
    term.wait_for(lambda s: "New game" in s and "cannot be saved" not in s)  # the footer shows it under the dialog
    term.keys("n")
    term.wait_for("Go to the desk")
    term.keys("1")
    screen = term.wait_for("Charon waits")
    assert "Errno" not in screen and "Cannot save" not in screen and no_traceback(screen)
    term.keys("q")
    # the dialog is drawn over a few frames: wait for its last line, not only its title
    screen = term.wait_for(lambda s: "Quit evegame?" in s and "lost" in s)
    assert "will be lost" in screen.replace("\n", " ") or "lost" in screen


def test_ctrl_q_right_after_a_choice_keeps_it_and_the_sidebar_shows_names(terminal, tmp_path: Path) -> None:
    """Quitting with ctrl+q straight after a choice keeps that choice (the autosave follows the draw, and
    is flushed on quit). The shipped story's sidebar shows its display names (labels), not list ids."""
    term = terminal("--story", str(SHIPPED), size=(120, 40))
    term.wait_for("New game")
    term.keys("n")
    screen = term.wait_for_all("Choices made: 0", "Carrying: train ticket")
    assert "Carrying: train ticket" in screen
    term.keys("1")
    term.wait_for("Choices made: 1")
    term.keys("C-q")
    term.wait_for(lambda s: not term.alive())
    saved = json.loads((tmp_path / "data" / "saves" / "ballerina" / "auto.json").read_text())
    assert saved["turns"] == 1


def test_what_a_choice_changed_shows_on_the_footer_line_not_over_the_choices(terminal) -> None:
    """At 60x20 (no sidebar) the note of what changed takes the bottom line; the choices stay readable."""
    term = terminal(*STORY, size=(60, 20))
    term.wait_for("New game")
    term.keys("n")
    term.wait_for("Go to the desk")
    term.keys("1")  # the desk: a coin spent on entering, a codex entry found
    screen = term.wait_for_all("Changed: Gold coins: 2 → 1", "Pay for a marker", "Kill on the grounds")
    lines = screen.splitlines()
    assert "Changed: Gold coins: 2 → 1" in lines[-1]
    assert "Pay for a marker" in screen and "Kill on the grounds" in screen
    assert no_traceback(screen)
