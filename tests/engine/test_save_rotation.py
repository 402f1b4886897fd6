"""Autosaves follow the game being played and never destroy the previous one; slots are never silently overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evegame.engine import Game, read_story
from evegame.engine.errors import SaveError, SlotChanged
from evegame.engine.saves import AUTOSAVE, PREVIOUS, PREVIOUS_KEPT, SaveStore, saved_at_text
from evegame.paths import data_dir_problem
from helpers import MINI


@pytest.fixture
def story():  # type: ignore[no-untyped-def]
    return read_story(MINI)


def played(story, *choices: str) -> Game:  # type: ignore[no-untyped-def]
    game = Game(story)
    for choice in choices:
        game.choose(choice)
    return game


def test_a_new_game_keeps_the_previous_game_loadable(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path, story)
    first = played(story, "choice_2", "choice_2", "to_desk")
    store.save(AUTOSAVE, first, play_time=10)
    store.save(AUTOSAVE, first, play_time=11)  # the same game going on: nothing rotates
    assert store.info(PREVIOUS[0]) is None
    result = store.save(AUTOSAVE, Game(story), play_time=0)  # New game
    assert result.notes == [] and result.kept_as == "auto-1"
    previous = store.load(PREVIOUS[0])
    assert previous.game.snapshot() == first.snapshot() and previous.game.undo_depth == 3
    assert [(i.slot, i.label) for i in store.list()] == [("auto", "Autosave"), ("auto-1", "Previous game 1")]


def test_a_new_store_on_an_old_autosave_rotates_it_when_another_game_starts(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    SaveStore(tmp_path, story).save(AUTOSAVE, played(story, "to_desk"), play_time=5)
    store = SaveStore(tmp_path, story)  # a relaunch: the player presses New game on the title
    store.save(AUTOSAVE, Game(story), play_time=0)
    assert store.load(PREVIOUS[0]).game.state.scene == "desk"
    assert store.load(AUTOSAVE).game.state.scene == "hall"


def test_continue_then_play_on_does_not_rotate(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    SaveStore(tmp_path, story).save(AUTOSAVE, played(story, "choice_2"), play_time=5)
    store = SaveStore(tmp_path, story)
    info = store.continue_info()
    assert info is not None and info.slot == AUTOSAVE
    loaded = store.load(info.slot)
    loaded.game.choose("to_desk")
    assert store.save(AUTOSAVE, loaded.game, play_time=6).notes == []
    assert store.info(PREVIOUS[0]) is None


def test_the_autosave_follows_a_loaded_slot_so_continue_resumes_it(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path, story)
    in_slot = played(story, "to_desk")
    store.save("1", in_slot, play_time=1)
    store.save(AUTOSAVE, played(story, "choice_2", "choice_2"), play_time=2)
    loaded = store.load("1")
    store.save(AUTOSAVE, loaded.game, play_time=loaded.play_time)  # what the TUI does after a load
    again = SaveStore(tmp_path, story).continue_info()
    assert again is not None and again.slot == AUTOSAVE and again.scene == "desk"
    assert store.load(PREVIOUS[0]).game.variables["wounds"] == 2  # the game played before the load


def test_two_games_taking_turns_do_not_push_older_games_out(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path, story)
    oldest = played(story, "to_desk", "pay")
    store.save(AUTOSAVE, oldest, play_time=1)
    a, b = Game(story), Game(story)
    for _ in range(PREVIOUS_KEPT + 3):
        a.choose("choice_2")
        store.save(AUTOSAVE, a, play_time=1)
        b.choose("choice_2")
        store.save(AUTOSAVE, b, play_time=1)
    ids = [store.info(slot).game_id for slot in [AUTOSAVE, *PREVIOUS] if store.info(slot) is not None]  # type: ignore[union-attr]
    assert ids == [b.game_id, a.game_id, oldest.game_id]


def test_the_oldest_previous_game_rotates_out_but_a_damaged_one_is_kept_aside(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path, story)
    for _ in range(PREVIOUS_KEPT + 1):
        store.save(AUTOSAVE, Game(story), play_time=0)
    assert all(store.info(slot).ok for slot in PREVIOUS)  # type: ignore[union-attr]
    oldest = store.path(PREVIOUS[-1])
    oldest.write_bytes(b"{ damaged")
    store.save(AUTOSAVE, Game(story), play_time=0)
    assert (oldest.parent / f"{oldest.name}.damaged").read_bytes() == b"{ damaged"
    assert all(store.info(slot).ok for slot in PREVIOUS)  # type: ignore[union-attr]


def test_a_damaged_autosave_is_backed_up_before_the_next_choice_is_saved(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path, story)
    auto = store.path(AUTOSAVE)
    auto.parent.mkdir(parents=True)
    for n, junk in enumerate([b'{"format": "evegame-save", "vers', b"\x00\x01 not json"], 1):
        auto.write_bytes(junk)
        info = store.info(AUTOSAVE)
        assert info is not None and not info.ok and info.damage.startswith("auto.json: ")
        notes = store.save(AUTOSAVE, Game(story), play_time=0).notes
        backup = "auto.json.damaged" if n == 1 else "auto.json.damaged-2"
        assert len(notes) == 1 and f"kept as {backup}" in notes[0] and "fresh autosave" in notes[0]
        assert (auto.parent / backup).read_bytes() == junk
    assert (auto.parent / "auto.json.damaged").read_bytes() == b'{"format": "evegame-save", "vers'  # not replaced
    assert store.info(AUTOSAVE).ok  # type: ignore[union-attr]


def test_an_autosave_whose_scene_left_the_story_is_reported_and_kept(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path, story)
    store.save(AUTOSAVE, played(story, "to_desk"), play_time=1)
    auto = store.path(AUTOSAVE)
    doc = json.loads(auto.read_text())
    doc["state"]["scene"] = doc["scene"] = "vanished"
    auto.write_text(json.dumps(doc))
    store = SaveStore(tmp_path, story)
    info = store.info(AUTOSAVE)
    assert info is not None and not info.ok and "'vanished' no longer exists" in info.damage
    assert store.continue_info() is None
    store.save(AUTOSAVE, Game(story), play_time=0)
    assert json.loads(store.path(PREVIOUS[0]).read_text())["scene"] == "vanished"


def test_a_slot_written_by_another_game_since_it_was_listed_is_not_overwritten(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = SaveStore(tmp_path, story), SaveStore(tmp_path, story)
    assert mine.info("3") is None  # the save screen lists slot 3 as empty
    theirs.save("3", played(story, "to_desk"), play_time=1)
    with pytest.raises(SlotChanged, match="Slot 3 was empty when listed"):
        mine.save("3", Game(story), play_time=0)
    assert mine.load("3").game.state.scene == "desk"  # theirs, untouched
    theirs.info("4")
    theirs.save("4", Game(story), play_time=0)
    mine.info("4")  # listed again: now it is known, and the player confirmed the overwrite prompt
    mine.save("4", played(story, "to_desk"), play_time=0)
    with pytest.raises(SlotChanged, match="changed by another game since it was listed"):
        theirs.save("4", Game(story), play_time=0)
    assert SaveStore(tmp_path, story).info("4").scene == "desk"  # type: ignore[union-attr]
    theirs.save("4", Game(story), play_time=0, overwrite=True)  # the player said yes to overwriting
    assert SaveStore(tmp_path, story).info("4").scene == "hall"  # type: ignore[union-attr]


def test_a_damaged_slot_is_set_aside_before_it_is_overwritten(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path, story)
    path = store.path("2")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"[[[")
    assert not store.info("2").ok  # type: ignore[union-attr]
    notes = store.save("2", Game(story), play_time=0).notes
    assert notes == [
        "slot-2.json was damaged (file is truncated or corrupt (JSON error at line 1, column 4)); it is kept as slot-2.json.damaged"
    ]
    assert (path.parent / "slot-2.json.damaged").read_bytes() == b"[[" + b"["


def test_previous_games_cannot_be_saved_into(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SaveError, match="keeps an earlier game"):
        SaveStore(tmp_path, story).save(PREVIOUS[0], Game(story), play_time=0)


def test_an_old_save_without_a_game_id_loads_and_continues_in_place(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path, story)
    store.save(AUTOSAVE, played(story, "to_desk"), play_time=3)
    auto = store.path(AUTOSAVE)
    doc = json.loads(auto.read_text())
    del doc["game_id"]  # as evegame wrote saves before game ids
    auto.write_text(json.dumps(doc, indent=1))
    store = SaveStore(tmp_path, story)
    loaded = store.load(AUTOSAVE)
    assert loaded.game.state.scene == "desk" and loaded.play_time == 3
    loaded.game.choose("pay")
    assert store.save(AUTOSAVE, loaded.game, play_time=4).notes == []
    assert store.info(PREVIOUS[0]) is None


def test_odd_timestamps_display_without_crashing(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = SaveStore(tmp_path, story)
    store.save("1", Game(story), play_time=0)
    for stamp in ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "not a date", "2026-13-45", 5, None]:
        doc = json.loads(store.path("1").read_text())
        doc["saved_at"] = stamp
        store.path("1").write_text(json.dumps(doc))
        info = store.info("1")
        assert info is not None and info.ok
        assert isinstance(info.when, str) and saved_at_text(stamp)
    assert saved_at_text("0001-01-01T00:00:00+14:00") == "unknown time"
    assert saved_at_text("2026-01-02T03:04:05+00:00").startswith("2026-01-0")


def test_data_dir_problem_names_the_folder_in_plain_words(tmp_path: Path) -> None:
    assert data_dir_problem(tmp_path / "new" / "data") is None and (tmp_path / "new" / "data").is_dir()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert data_dir_problem(blocker) == (
        f"The data folder {blocker} is a file, not a folder: you can play, but nothing will be saved; "
        "choose another folder with --data-dir."
    )
    problem = data_dir_problem(blocker / "inside")
    assert problem is not None and str(blocker / "inside") in problem and "Errno" not in problem


TWO_GAMES = r"""
import sys
from evegame.engine import Game, read_story
from evegame.engine.errors import SlotChanged
from evegame.engine.saves import AUTOSAVE, SaveStore
story_dir, data_dir, role = sys.argv[1:4]
story = read_story(story_dir)
store = SaveStore(data_dir, story)
game = Game(story)
if role == "first":
    game.choose("to_desk")
    store.save(AUTOSAVE, game, play_time=1)
    store.info("3")  # the save screen lists slot 3: empty
    print("listed", flush=True)
    sys.stdin.readline()  # meanwhile the second game saves into slot 3 and autosaves its own game
    try:
        store.save("3", game, play_time=2)
        print("saved")
    except SlotChanged as exc:
        print("refused:", exc)
    game.choose("pay")
    print("autosave kept:", store.save(AUTOSAVE, game, play_time=3).kept_as)
else:
    store.info("3")
    store.save("3", game, play_time=5)
    store.save(AUTOSAVE, game, play_time=5)
"""


def test_two_game_processes_never_overwrite_each_others_saves_silently(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    data = tmp_path / "data"
    run = [sys.executable, "-c", TWO_GAMES, str(MINI), str(data)]
    first = subprocess.Popen([*run, "first"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert first.stdout is not None and first.stdin is not None
    assert first.stdout.readline() == "listed\n"
    subprocess.run([*run, "second"], check=True, timeout=300)
    out, _ = first.communicate("go\n", timeout=300)
    assert first.returncode == 0
    assert out.splitlines() == [
        "refused: Slot 3 was empty when listed, and another game has saved there since; nothing was saved",
        "autosave kept: auto-1",
    ]
    store = SaveStore(data, story)
    assert store.info("3").scene == "hall"  # type: ignore[union-attr]  # the second game's save, intact
    assert store.info(AUTOSAVE).scene == "room"  # type: ignore[union-attr]  # the first game, going on
    assert store.info(PREVIOUS[0]).scene == "hall"  # type: ignore[union-attr]  # the second game's autosave, kept
