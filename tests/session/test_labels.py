"""The session's plain helpers (no app): outcome messages, slot lines, rebuild with undo, transcript, map."""

from __future__ import annotations

from pathlib import Path

import pytest

from evegame.engine import Game, read_story
from evegame.engine.errors import SaveError
from evegame.engine.saves import SaveInfo
from evegame.session import PlayClock, format_duration, outcome_messages, rebuild, slot_lines, to_markdown, transcript
from helpers import MINI


@pytest.fixture(scope="module")
def story():  # type: ignore[no-untyped-def]
    return read_story(MINI)


def test_outcome_messages_use_labels_and_hide_unlisted_variables(story) -> None:  # type: ignore[no-untyped-def]
    game = Game(story)
    assert outcome_messages(game, game.choose("choice_2")) == []  # only wounds changed: not shown
    assert outcome_messages(game, game.choose("to_desk")) == [
        "Gold coins: 2 → 1 (-1)",
        "New codex entry: Gold coins (press c)",
    ]
    assert outcome_messages(game, game.choose("pay")) == ["Gold coins: 1 → 0 (-1)", "Markers: + winston"]


def test_durations_and_clock() -> None:
    assert format_duration(65) == "1:05" and format_duration(3725) == "1:02:05"
    ticks = iter([10.0, 25.5])
    clock = PlayClock(100.0, now=lambda: next(ticks))
    assert clock.elapsed == 115.5


def test_slot_lines_for_empty_damaged_and_good_slots(tmp_path: Path) -> None:
    assert slot_lines("4", None) == ("Slot 4: empty", "")
    damaged = SaveInfo("2", tmp_path / "slot-2.json", False, "file is empty")
    assert slot_lines("2", damaged) == ("Slot 2: DAMAGED", "  file is empty (slot-2.json is kept)")
    good = SaveInfo("auto", tmp_path / "auto.json", True, None, "desk", "The Desk", "2024-01-02T03:04:05+00:00", 61, 1)
    head, detail = slot_lines("auto", good)
    assert head == "Autosave: The Desk" and "played 1:01 · 1 choice" in detail and "2024-01-0" in detail


def test_rebuild_restores_the_state_with_its_undo_history(story) -> None:  # type: ignore[no-untyped-def]
    game = Game(story)
    snapshots = [game.snapshot()]
    for choice in ["choice_2", "to_desk", "pay"]:
        game.choose(choice)
        snapshots.append(game.snapshot())
    rebuilt, notices = rebuild(story, game.snapshot())
    assert notices == [] and rebuilt.snapshot() == snapshots[-1] and rebuilt.undo_depth == 3
    for expected in reversed(snapshots[:-1]):
        rebuilt.undo()
        assert rebuilt.snapshot() == expected


def test_rebuild_falls_back_to_restore_when_the_path_does_not_replay(story) -> None:  # type: ignore[no-untyped-def]
    game = Game(story)
    game.choose("to_desk")
    snap = game.snapshot()
    snap["variables"]["coins"] = 7  # not what replaying the path gives
    rebuilt, _ = rebuild(story, snap)
    assert rebuilt.snapshot() == snap and not rebuilt.can_undo
    with pytest.raises(SaveError):
        rebuild(story, {**snap, "scene": "gone"})


def test_transcript_replays_the_text_as_it_was_read(story) -> None:  # type: ignore[no-untyped-def]
    game = Game(story)
    game.choose("choice_2")
    game.choose("to_desk")
    entries = transcript(game)
    assert [(e.scene, e.choice) for e in entries] == [("hall", "Fight"), ("hall", "Go to the desk"), ("desk", None)]
    assert entries[1].text == "You stand in the hall with 2 coins.\n\nYou are hurt."  # wounded by then
    md = to_markdown("Mini", entries)
    assert md.startswith("# Mini\n") and "> **You chose:** Fight" in md
