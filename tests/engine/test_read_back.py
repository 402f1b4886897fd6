"""Every save read back is untrusted: odd numbers, deep nesting, FIFOs, devices and huge files are
listed as damaged with a one-line reason naming the file, never a crash, a hang or an unbounded read."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from evegame.engine import Game, read_story
from evegame.engine.errors import SaveError
from evegame.engine.safefiles import MAX_JSON_BYTES, read_bytes_bounded, read_json
from evegame.engine.saves import AUTOSAVE, SaveStore
from evegame.session.labels import slot_lines
from helpers import MINI


@pytest.fixture
def no_hangs() -> Iterator[None]:
    """A read that blocks (a FIFO opened for reading) fails the test instead of hanging it."""

    def hung(*_: object) -> None:
        raise TimeoutError("a read blocked")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    story = read_story(MINI)
    store = SaveStore(tmp_path, story)
    game = Game(story)
    game.choose("to_desk")
    store.save("1", game, play_time=65)
    return store


def good(store: SaveStore) -> dict:  # type: ignore[type-arg]
    return json.loads(store.path("1").read_text())


def text_with(store: SaveStore, key: str, raw_value: str) -> str:
    """The good save's text with ``key``'s value replaced by ``raw_value`` (raw JSON text)."""
    doc = good(store)
    doc[key] = "@@@"
    return json.dumps(doc).replace('"@@@"', raw_value)


def assert_damaged(store: SaveStore, slot: str, words: str) -> None:
    info = store.info(slot)
    assert info is not None and not info.ok
    assert info.damage.startswith(f"{info.path.name}: ") and "\n" not in info.damage and words in info.damage
    head, detail = slot_lines(slot, info)  # what the load screen draws
    assert "DAMAGED" in head and words in detail
    with pytest.raises(SaveError, match=info.path.name):
        store.load(slot)
    assert slot in [i.slot for i in store.list() if not i.ok]
    store.continue_info()  # no crash


BAD_NUMBERS = {
    "a 400-digit play time": ("play_time", "9" * 400, "400 digits"),
    "Infinity": ("play_time", "Infinity", "Infinity"),
    "-Infinity": ("play_time", "-Infinity", "-Infinity"),
    "NaN": ("play_time", "NaN", "NaN"),
    "1e400": ("play_time", "1e400", "too large"),
    "a 5,000-digit integer": ("turns", "1" * 5000, "5,000 digits"),
    "a 5,000-digit negative integer": ("extra", "-" + "7" * 5000, "5,000 digits"),
}


@pytest.mark.parametrize("case", BAD_NUMBERS, ids=list(BAD_NUMBERS))
def test_numbers_no_save_holds_make_it_damaged(store: SaveStore, case: str) -> None:
    key, raw, words = BAD_NUMBERS[case]
    store.path("2").write_text(text_with(store, key, raw))
    assert_damaged(store, "2", words)


@pytest.mark.parametrize("depth", [65, 5_000, 100_000])
def test_deep_nesting_is_damaged_not_a_recursion_error(store: SaveStore, depth: int) -> None:
    store.path("2").write_text(text_with(store, "extra", "[" * depth + "]" * depth))
    assert_damaged(store, "2", "nests lists or mappings too deeply")
    store.path("3").write_text('{"a": ' * depth + "1" + "}" * depth)
    assert_damaged(store, "3", "too deeply")


def test_nesting_within_the_limit_and_brackets_inside_strings_are_fine(store: SaveStore) -> None:
    doc = good(store)
    doc["extra"] = json.loads("[" * 60 + "]" * 60)
    doc["scene_title"] = "[[[[" * 100 + '\\"{{{{'
    store.path("2").write_text(json.dumps(doc))
    assert store.info("2").ok  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "stamp", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "yesterday", "", 12, None, ["x"]]
)
def test_odd_timestamps_still_load_and_display(store: SaveStore, stamp: object) -> None:
    doc = good(store)
    doc["saved_at"] = stamp
    store.path("2").write_text(json.dumps(doc))
    info = store.info("2")
    assert info is not None and info.ok and info.when == "unknown time"
    assert "saved unknown time" in slot_lines("2", info)[1]
    assert store.load("2").game.state.scene == "desk"


@pytest.mark.usefixtures("no_hangs")
def test_a_fifo_slot_is_damaged_and_never_blocks(store: SaveStore) -> None:
    os.mkfifo(store.path("2"))
    assert_damaged(store, "2", "not a regular file (it is a FIFO)")


def test_a_link_to_dev_zero_is_damaged_and_never_read(store: SaveStore) -> None:
    os.symlink("/dev/zero", store.path("2"))
    assert_damaged(store, "2", "not a regular file (it is a device)")


def test_links_to_nothing_and_to_folders_are_damaged(store: SaveStore, tmp_path: Path) -> None:
    os.symlink(tmp_path / "nowhere", store.path("2"))
    assert_damaged(store, "2", "is a link to nothing")
    os.symlink(tmp_path, store.path("3"))
    assert_damaged(store, "3", "it is a folder")
    os.symlink(store.path("4"), store.path("4"))  # a loop
    info = store.info("4")
    assert info is not None and not info.ok and "cannot read file" in info.damage


def test_a_file_over_the_limit_is_refused_before_reading(store: SaveStore) -> None:
    with open(store.path("2"), "wb") as handle:
        handle.truncate(MAX_JSON_BYTES + 1)  # sparse: costs no disk
    assert_damaged(store, "2", "too large")


def test_reads_stop_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b"[" + b"1," * 200 + b"1]")
    assert len(read_bytes_bounded(path, limit=1000)) == 403
    with pytest.raises(SaveError, match="too large"):
        read_bytes_bounded(path, limit=100)
    with pytest.raises(SaveError, match="too large"):
        read_json(path, limit=100)


def test_the_autosave_of_a_long_game_reads_and_checks_in_linear_passes(tmp_path: Path) -> None:
    """A 10,000-choice path: listed, checked and loaded with its undo history (40,000: benchmarks/)."""
    story = read_story(MINI)
    game = Game(story, record_undo=False)
    fight = next(c for c in game.available() if c.goto == "hall")
    for _ in range(10_000):
        game.step(fight)
    store = SaveStore(tmp_path, story)
    store.save(AUTOSAVE, game, play_time=1)
    info = store.continue_info()
    assert info is not None and info.turns == 10_000
    loaded = store.load(AUTOSAVE)
    assert loaded.game.undo_depth == 10_000 and loaded.game.variables["wounds"] == 10_000
    fresh = Game(story, seed=loaded.game.state.seed)  # the same game from its start (its seed too)
    assert loaded.game.undo(10_000) == 10_000 and loaded.game.snapshot() == fresh.snapshot()


def test_text_that_cannot_be_written_back_is_damaged(store: SaveStore) -> None:
    store.path("2").write_text(text_with(store, "scene_title", '"\\udc00 lone"'))
    assert_damaged(store, "2", "not valid Unicode")
