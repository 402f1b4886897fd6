"""Fuzzing every file the game reads back: each save slot, settings.json, gallery.json, the story cache.

Each example plants one file (random bytes, a truncated or mutated good file, a type swapped
anywhere, huge or non-finite numbers, deep nesting, odd dates, or a FIFO, a link to a device,
a dangling link, a folder) next to an earlier ``.damaged`` backup, then does what a game does:
list the saves, Continue, load, autosave a new game, load settings and the gallery, load the
story through its cache. It asserts that nothing raises but the documented errors, that a
damaged file is listed with a one-line reason naming it, that no read goes past the size
limit, and that a damaged file and every earlier backup keep their bytes (set aside under a
new ``.damaged`` name at most, never deleted, overwritten or replaced).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evegame.engine import Game, load_story, read_story, safefiles
from evegame.engine import cache as story_cache
from evegame.engine.errors import SaveError
from evegame.engine.loader import story_files
from evegame.engine.saves import AUTOSAVE, LOAD_ORDER, SaveStore
from evegame.userdata import GALLERY_FILE, SETTINGS_FILE, Gallery, Settings
from helpers import MINI, value_paths

STORY = read_story(MINI)
EARLIER_BACKUP = b"an earlier backup, never to be touched"


def good_save() -> dict[str, Any]:
    game = Game(STORY)
    game.choose("choice_2")
    game.choose("to_desk")
    with tempfile.TemporaryDirectory() as tmp:
        store = SaveStore(Path(tmp), STORY)
        return json.loads(store.save("1", game, play_time=12.5).path.read_text())


GOOD_SAVE = good_save()
GOOD_SETTINGS = {"version": 1, "theme": "nord", "reveal_speed": 30, "animations": False}
GOOD_GALLERY = {"version": 1, "stories": {"mini": {"endings": {"mercy": "2026-01-01T00:00:00+00:00"}}}}

# --- values and mutations -----------------------------------------------------------------

ODD_TEXT = [
    "9" * 400,
    "-" + "7" * 5000,
    "1e400",
    "-1e400",
    "Infinity",
    "-Infinity",
    "NaN",
    "[" * 3000 + "]" * 3000,
    '{"a":' * 200 + "1" + "}" * 200,
    '"0001-01-01T00:00:00+14:00"',
    '"9999-12-31T23:59:59-14:00"',
    '"2026-02-30T25:61:61"',
    '"\\ud800"',
    "1.5",
    "-1",
    "true",
    "null",
    '""',
    "[]",
    "{}",
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


MARK = "\x00@@odd@@\x00"


def swapped(doc: Any, rng: random.Random, new: Any) -> str:
    """``doc`` as JSON text with the value at one random path replaced (raw text when ``new`` is odd text)."""
    doc = json.loads(json.dumps(doc))
    paths = [p for p in value_paths(doc) if p]
    path = rng.choice(paths)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = MARK if isinstance(new, tuple) else new
    text = json.dumps(doc)
    return text.replace(json.dumps(MARK), new[0]) if isinstance(new, tuple) else text


@st.composite
def contents(draw: st.DrawFn, good: Any) -> bytes | str:
    """Bytes for a planted file, or the name of a special file kind."""
    kind = draw(st.sampled_from(["bytes", "truncated", "flipped", "swap", "odd", "special"]))
    text = json.dumps(good)
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "truncated":
        return text.encode()[: draw(st.integers(0, len(text)))]
    if kind == "flipped":
        raw = bytearray(text.encode())
        for _ in range(draw(st.integers(1, 4))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        return bytes(raw)
    rng = random.Random(draw(st.integers(0, 2**32)))
    if kind == "swap":
        return swapped(good, rng, draw(JSON_VALUES)).encode()
    if kind == "odd":
        return swapped(good, rng, (draw(st.sampled_from(ODD_TEXT)),)).encode()
    return draw(st.sampled_from(["fifo", "dev-zero", "dev-null", "dangling", "folder", "loop"]))


def plant(path: Path, content: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "fifo":
        os.mkfifo(path)
    elif content in ("dev-zero", "dev-null"):
        path.symlink_to(f"/dev/{content.removeprefix('dev-')}")
    elif content == "dangling":
        path.symlink_to(path.parent / "nowhere")
    elif content == "folder":
        path.mkdir()
    elif content == "loop":
        path.symlink_to(path)


def state_of(path: Path) -> object:
    """What is at ``path`` (bytes of a regular file, else its kind), without reading devices or FIFOs."""
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_dir():
        return "folder"
    if path.is_fifo():
        return "fifo"
    return path.read_bytes() if path.exists() else None


@contextmanager
def counting_reads(limit: int) -> Iterator[None]:
    """Fail when one bounded read takes more than ``limit`` + 1 bytes from a file."""
    real = safefiles.read_bytes_bounded

    def bounded(path: Path, limit_given: int = safefiles.MAX_JSON_BYTES) -> bytes:
        assert limit_given <= limit
        data = real(path, limit_given)
        assert len(data) <= limit_given
        return data

    safefiles.read_bytes_bounded = bounded  # type: ignore[assignment]
    try:
        yield
    finally:
        safefiles.read_bytes_bounded = real  # type: ignore[assignment]


@contextmanager
def folder() -> Iterator[Path]:
    shm = Path("/dev/shm")  # memory-backed where there is one: thousands of fsyncs cost nothing there
    tmp = Path(tempfile.mkdtemp(prefix="evegame-fuzz-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def one_line_naming(text: str, name: str) -> bool:
    return name in text and "\n" not in text


def assert_kept(path: Path, before: object) -> None:
    """``path`` was set aside whole under a new ``.damaged`` name."""
    asides = [p for p in path.parent.iterdir() if p.name.startswith(f"{path.name}.damaged-")]
    assert any(state_of(p) == before for p in asides), (path, before)


# --- the properties -----------------------------------------------------------------------


@given(st.sampled_from(LOAD_ORDER), contents(GOOD_SAVE))
def test_any_save_file_is_listed_loaded_or_reported_and_kept(slot: str, content: bytes | str) -> None:
    with folder() as data, counting_reads(safefiles.MAX_JSON_BYTES):
        store = SaveStore(data, STORY)
        path = store.path(slot)
        plant(path, content)
        backup = path.with_name(path.name + ".damaged")
        backup.write_bytes(EARLIER_BACKUP)
        before = state_of(path)
        infos = {i.slot: i for i in store.list()}
        info = infos[slot]
        if info.ok:
            loaded = store.load(slot)
            assert loaded.game.state.scene == info.scene
            assert isinstance(info.when, str)
        else:
            assert one_line_naming(info.damage, path.name)
            with pytest.raises(SaveError) as caught:
                store.load(slot)
            assert one_line_naming(str(caught.value), path.name)
        store.continue_info()
        assert state_of(path) == before  # listing and loading change nothing
        result = store.save(AUTOSAVE, Game(STORY), play_time=0)  # a New game
        assert all("\n" not in note for note in result.notes)
        if slot == AUTOSAVE:  # what was there is kept: as the previous game, or set aside as damaged
            assert any(state_of(p) == before for p in store.directory.iterdir() if p != path)
        else:
            assert state_of(path) == before
        assert backup.read_bytes() == EARLIER_BACKUP


def _user_file(name: str, good: Any, load: Callable[[Path], Any], content: bytes | str) -> None:
    with folder() as data, counting_reads(safefiles.MAX_JSON_BYTES):
        path = data / name
        plant(path, content)
        backup = data / f"{name}.damaged"
        backup.write_bytes(EARLIER_BACKUP)
        before = state_of(path)
        loaded = load(data)
        if loaded.warning is not None:
            assert one_line_naming(loaded.warning, name)
        if state_of(path) != before:  # set aside: whole, under a new name
            assert loaded.warning is not None and "kept as" in loaded.warning
            assert_kept(path, before)
        try:
            loaded.save(data)
        except OSError as exc:  # a file kept as it is (newer, or could not be set aside): refused
            assert loaded.kept_reason is not None and one_line_naming(str(exc), name)
            assert state_of(path) == before
        assert backup.read_bytes() == EARLIER_BACKUP


@given(contents(GOOD_SETTINGS))
def test_any_settings_file_loads_or_is_set_aside(content: bytes | str) -> None:
    _user_file(SETTINGS_FILE, GOOD_SETTINGS, Settings.load, content)


@given(contents(GOOD_GALLERY))
def test_any_gallery_file_loads_or_is_set_aside(content: bytes | str) -> None:
    _user_file(GALLERY_FILE, GOOD_GALLERY, Gallery.load, content)


def _scenes(story: Any) -> dict[str, Any]:
    return {
        sid: (s.title, [p.text for p in s.paragraphs], [(c.key, c.goto, str(c.condition)) for c in s.choices])
        for sid, s in story.scenes.items()
    }


PLAIN = _scenes(load_story(MINI).story)


@given(st.data())
def test_any_cache_entry_is_used_or_missed_never_wrong(data: st.DataObject) -> None:
    with folder() as cache:
        load_story(MINI, cache_dir=cache)
        entry = story_cache.entry_path(cache, story_cache.content_key(MINI, story_files(MINI)))
        good = entry.read_bytes()
        kind = data.draw(st.sampled_from(["bytes", "truncated", "flipped", "special"]))
        if kind == "bytes":
            bad: bytes | str = data.draw(st.binary(max_size=400))
        elif kind == "truncated":
            bad = good[: data.draw(st.integers(0, len(good)))]
        elif kind == "flipped":
            raw = bytearray(good)
            for _ in range(data.draw(st.integers(1, 4))):
                raw[data.draw(st.integers(0, len(raw) - 1))] ^= data.draw(st.integers(1, 255))
            bad = bytes(raw)
        else:
            bad = data.draw(st.sampled_from(["fifo", "dev-zero", "dangling", "folder", "loop"]))
        entry.unlink()
        plant(entry, bad)
        result = load_story(MINI, cache_dir=cache)
        assert result.problems == [] and result.story is not None
        assert _scenes(result.story) == PLAIN
