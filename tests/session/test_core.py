"""GameSession, the front-end-neutral game: autosave after every step, Continue, load with undo, the gallery."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from evegame.engine import read_story
from evegame.engine.errors import ChoiceError, SaveError
from evegame.session import GameSession
from helpers import MINI


@pytest.fixture
def session(tmp_path: Path) -> GameSession:
    return GameSession(read_story(MINI), tmp_path / "data")


def test_every_choice_and_undo_is_autosaved_and_continue_resumes_it(session: GameSession, tmp_path: Path) -> None:
    assert session.new_game() == []
    chosen = session.choose("to_desk")
    assert chosen.problems == [] and "Gold coins: 2 → 1 (-1)" in chosen.messages
    again = GameSession(read_story(MINI), tmp_path / "data")
    info = again.continue_slot()
    assert info is not None and info.slot == "auto" and info.scene == "desk"
    again.load(info.slot)
    assert again.game is not None and again.game.scene.id == "desk" and again.game.undo_depth == 1
    assert again.undo() == (1, [])
    assert GameSession(read_story(MINI), tmp_path / "data").continue_slot().scene == "hall"  # type: ignore[union-attr]


def test_an_ending_is_recorded_once_and_a_finished_game_is_not_offered_to_continue(session: GameSession) -> None:
    session.new_game()
    session.choose("to_desk")
    assert session.choose("kill").new_finds == ["excommunicado"]
    assert session.gallery.endings(session.story.id).keys() == {"excommunicado"}
    assert session.continue_slot() is None
    session.new_game()
    session.choose("to_desk")
    assert session.choose("kill").new_finds == []


def test_save_and_load_slots_and_their_errors(session: GameSession) -> None:
    with pytest.raises(SaveError, match="no game to save"):
        session.save("1")
    with pytest.raises(ChoiceError):
        session.choose(1)
    session.new_game()
    session.choose(2)
    session.save("3")
    session.choose(1)
    assert session.load("3") == [] and session.game is not None and session.game.path == [("hall", "choice_2")]
    with pytest.raises(SaveError, match="empty"):
        session.load("4")


def test_a_save_that_cannot_be_written_is_reported_not_raised(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    session = GameSession(read_story(MINI), blocked)
    problems = session.new_game()
    assert len(problems) == 1 and problems[0].startswith("Cannot save:")
    assert session.choose(1).problems[0].startswith("Cannot save:")


def test_the_session_imports_no_user_interface_library() -> None:
    import subprocess

    code = "import evegame.session, sys; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_an_unwritable_data_folder_is_found_once_and_then_nothing_is_tried(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    session = GameSession(read_story(MINI), blocked)
    problem = session.check_data_dir()
    assert problem is not None and str(blocked) in problem and not session.writable
    assert session.new_game() == [] and session.unsaved == "the data folder cannot be written"
    session.choose("to_desk")
    assert session.choose("kill").problems == []  # no error per choice, none for the gallery either
    assert blocked.read_text() == "not a folder"


def test_a_writable_data_folder_passes_the_check_and_autosaves(session: GameSession) -> None:
    assert session.check_data_dir() is None and session.writable
    assert session.new_game() == [] and session.unsaved is None
    assert session.continue_slot() is not None
