"""Plain line mode as a player meets it: ``evegame`` in a subprocess, fed lines on a pipe (or a pty)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import MINI, play, read_terminal

SGR = re.compile(r"\x1b\[[0-9;]*m")


def autosave(data_dir: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((data_dir / "saves" / "mini" / "auto.json").read_text(encoding="utf-8"))


def test_a_scripted_game_through_a_pipe_reaches_an_ending(tmp_path: Path) -> None:
    run = play(tmp_path, "1\n1\n1\n")
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == (
        "evegame: standard input and output are not terminals: playing in plain line mode (--plain)"
    )
    out = run.stdout
    assert out.index("The Hall") < out.index("The Desk") < out.index("A quiet room.") < out.index("THE END")
    assert "Ending: Mercy (new ending!)" in out and "Markers: + winston" in out
    assert "1. Go to the desk" in out and "> 1\n" in out  # numbered choices; the typed line is echoed
    assert "\x1b" not in out  # no colour and no escape codes on a pipe
    assert autosave(tmp_path)["scene"] == "end_mercy"


def test_plain_is_asked_for_explicitly_without_a_note(tmp_path: Path) -> None:
    run = play(tmp_path, "quit\n", "--plain")
    assert run.returncode == 0 and run.stderr == "" and "The Hall" in run.stdout
    watching = play(tmp_path, "quit\n", "--plain", "--watch")
    assert (
        watching.stderr == "evegame: --watch reloads only the full-screen game; plain mode plays the story as loaded\n"
    )


def test_undo_takes_back_a_choice_and_the_autosave_follows(tmp_path: Path) -> None:
    run = play(tmp_path, "1\nundo\n2\n")
    assert run.returncode == 0
    assert "Undone. 0 more step(s) can be undone." in run.stdout
    assert autosave(tmp_path)["state"]["path"] == [["hall", "choice_2"]]
    again = play(tmp_path, "undo\nundo\n")
    assert "Undone." in again.stdout and "Nothing to undo: this is the start of the game." in again.stdout


def test_a_bad_command_gets_a_one_line_hint(tmp_path: Path) -> None:
    out = play(tmp_path, "dance\n7\nsave\n").stdout.splitlines()
    after = {line: out[i + 1] for i, line in enumerate(out) if line.startswith("> ")}
    assert after["> dance"] == "Unknown command 'dance'. Type a choice's number (1-2), or help."
    assert after["> 7"] == "There is no choice 7 here. Type a choice's number (1-2)."
    assert after["> save"].startswith("Which slot? Type save and a number from 1 to 9")
    assert out[out.index("> dance") + 2] == "> 7"  # one line each, then the next prompt


def test_end_of_input_saves_exits_0_and_the_next_run_continues(tmp_path: Path) -> None:
    first = play(tmp_path, "2\n1")  # no quit, and no newline after the last line
    assert first.returncode == 0
    assert first.stdout.rstrip().endswith("End of input. Your game is saved; evegame play continues it.")
    assert autosave(tmp_path)["scene"] == "desk"
    second = play(tmp_path, "status\n")
    assert "Continuing your last game (Autosave: 2 choices" in second.stdout
    assert "Choices made: 2" in second.stdout and "The Desk" in second.stdout


def test_new_game_asks_before_replacing_the_game_in_progress(tmp_path: Path) -> None:
    play(tmp_path, "1\n")
    kept = play(tmp_path, "new\nno\n")
    assert "Start a new game from the beginning?" in kept.stdout and "Not done." in kept.stdout
    assert autosave(tmp_path)["scene"] == "desk"
    play(tmp_path, "new\nyes\n")
    assert autosave(tmp_path)["scene"] == "hall"


def test_save_asks_before_overwriting_a_slot_and_load_restores_it(tmp_path: Path) -> None:
    play(tmp_path, "1\nsave 2\n")
    run = play(tmp_path, "undo\nsave 2\nno\nload 2\nsaves\n")
    out = run.stdout
    assert "Slot 2 holds a save of The Desk. Overwrite it? (yes or no)" in out
    assert "Loaded slot 2." in out
    assert re.search(r"Slot 2: The Desk\. saved .* · 1 choice", out)


def test_text_is_wrapped_to_the_terminal_width_and_markdown_is_plain(tmp_path: Path, write_story) -> None:  # type: ignore[no-untyped-def]
    long = " ".join(["The *rain* falls on the **Continental** roof"] * 6)
    story = write_story(
        {
            "a.yaml": f"""\
            scenes:
              - id: a
                title: A long title that a narrow terminal has to wrap onto a second line
                text: "{long}"
                choices:
                  - text: Go on through the door that waits at the end of the long corridor
                    goto: b
              - id: b
                text: End.
                ending: done
            """
        }
    )
    run = play(tmp_path, "", "--plain", env={"COLUMNS": "40"}, story=story)
    lines = run.stdout.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert "A long title that a narrow terminal has" in lines
    assert "The *rain* falls on the **Continental**" in lines
    assert "  1. Go on through the door that waits" in lines and "     at the end of the long corridor" in lines


def test_plain_mode_never_imports_textual(tmp_path: Path) -> None:
    code = (
        "import io, sys; sys.stdin = io.StringIO('1\\nhistory\\ncodex\\nstatus\\nquit\\n');"
        "from evegame.cli import main;"
        f"rc = main(['play', '--plain', '--story', {str(MINI)!r}, '--data-dir', {str(tmp_path)!r}]);"
        "print(rc, 'textual' in sys.modules, file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert run.stderr.strip() == "0 False"


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_colour_only_on_a_terminal_without_no_color(tmp_path: Path, no_color: str | None, coloured: bool) -> None:
    import pty

    controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    if no_color:
        env["NO_COLOR"] = no_color
    command = [sys.executable, "-m", "evegame", "play", "--plain", "--story", str(MINI), "--data-dir", str(tmp_path)]
    with subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal, env=env) as proc:
        os.close(terminal)
        os.write(controller, b"quit\n")
        seen = read_terminal(controller)
        assert proc.wait(timeout=60) == 0
    os.close(controller)
    text = seen.decode("utf-8", "replace")
    assert "The Hall" in text
    assert bool(SGR.search(text)) is coloured


def test_a_new_game_keeps_the_one_before_as_a_previous_game(tmp_path: Path) -> None:
    play(tmp_path, "1\n")
    run = play(tmp_path, "new\nyes\nload previous 1\n")
    assert "A new game. The game before is kept as Previous game 1 (load previous 1)." in run.stdout
    assert "Loaded previous game 1." in run.stdout and run.stdout.rstrip().count("The Desk") >= 2


def test_an_unwritable_data_folder_is_told_once_and_play_goes_on(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data folder should be", encoding="utf-8")
    run = play(not_a_folder, "1\n1\n")
    out = run.stdout
    assert run.returncode == 0
    assert " ".join(out.split()).count(f"The data folder {not_a_folder} is a file, not a folder") == 1
    assert "Cannot save" not in out and "Charon waits." in out
    assert out.rstrip().endswith("End of input. Nothing was saved: the data folder cannot be written.")


def test_a_slot_written_by_another_game_meanwhile_is_not_overwritten_without_asking(tmp_path: Path) -> None:
    from evegame.engine import Game, read_story
    from evegame.engine.saves import SaveStore
    from evegame.plain import PlainGame
    from evegame.plain.output import Output
    from evegame.session import GameSession

    story = read_story(MINI)
    out = io.StringIO()
    other = SaveStore(tmp_path, story)  # another game process on the same data folder

    def lines() -> Iterator[str]:
        yield "save 2"  # an empty slot: saved at once
        yield "save 2"  # asks before overwriting its own save
        other.save("2", Game(story), play_time=0, overwrite=True)  # meanwhile another game writes slot 2
        yield "yes"  # asks again: the slot changed since the question
        yield "yes"

    script = lines()
    PlainGame(GameSession(story, tmp_path), lambda _: next(script, None), Output(out)).run()
    text = " ".join(out.getvalue().split())
    assert "Slot 2 holds a save of The Hall. Overwrite it? (yes or no)" in text
    assert "Slot 2 was changed by another game since it was listed; nothing was saved. Save over it anyway?" in text
    assert text.count("Saved in slot 2.") == 2


def test_a_locked_choice_is_shown_with_its_reason_and_refused_in_one_line(tmp_path: Path, write_story) -> None:  # type: ignore[no-untyped-def]
    story = write_story(
        {
            "a.yaml": """\
            scenes:
              - id: a
                title: The Vault
                text: A steel door with a dial.
                choices:
                  - text: Open the vault
                    requires: coins >= 5
                    locked: you need five coins
                    goto: b
                  - text: Walk away
                    goto: b
              - id: b
                text: Outside.
                ending: done
            """
        }
    )
    run = play(tmp_path, "1\n", "--plain", story=story)
    lines = run.stdout.splitlines()
    assert "  1. Open the vault (locked: you need five coins)" in lines and "  2. Walk away" in lines
    assert lines[lines.index("> 1") + 1 :][:2] == ["Choice 1 is locked: you need five coins.", "> "]


def test_status_shows_the_story_s_display_names_not_ids(tmp_path: Path) -> None:
    from evegame.engine import read_story
    from evegame.plain import PlainGame
    from evegame.plain.output import Output
    from evegame.session import GameSession

    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    manifest = root / "story.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "  endings:\n", "  labels:\n    winston: Winston Scott\n  endings:\n"
        )
    )
    out = io.StringIO()
    script = iter(["1", "1", "status"])
    PlainGame(GameSession(read_story(root), tmp_path / "data"), lambda _: next(script, None), Output(out)).run()
    text = out.getvalue()
    assert "Markers: + Winston Scott" in text and "Markers: Winston Scott" in text
    assert "winston" not in text
