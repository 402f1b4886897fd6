"""The compiled-story cache holds data only: a damaged or forged entry is a cache miss, and no code runs.

The story still loads, plays, and reports nothing; the next load writes a good entry again.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from evegame.engine import Game, load_story
from evegame.engine import cache as story_cache
from evegame.engine.loader import story_files
from evegame.engine.model import Scene
from helpers import MINI

MARKER = "evegame-cache-exploit"


class Exploit:
    """Unpickling this would run a command that creates a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, (f"touch {self.marker}",))


def issue_exploit(marker: Path) -> bytes:
    """The attack of issue 17: a global under an allowed module name that reaches ``exec``."""
    code = f"open({str(marker)!r}, 'w').close()"
    return (
        b"\x80\x04"
        + b"c"
        + b"evegame.engine.conditions\nre.enum.bltns.exec\n"
        + pickle.dumps(code, protocol=0)[:-1]  # the string, without STOP
        + b"\x85R."  # TUPLE1, REDUCE, STOP
    )


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    # enough scenes for several lazily decoded chunks
    extra = "\n".join(
        f"  - id: x{i}\n    text: Filler {i}.\n    choices:\n      - text: Onward\n        goto: {'hall' if i == 299 else f'x{i + 1}'}"
        for i in range(300)
    )
    (root / "extra.yaml").write_text("scenes:\n" + extra + "\n", encoding="utf-8")
    (root / "scenes.yaml").write_text(
        (root / "scenes.yaml")
        .read_text(encoding="utf-8")
        .replace("      - text: Fight\n", "      - text: Wander\n        goto: x0\n      - text: Fight\n"),
        encoding="utf-8",
    )
    return root


def _key(root: Path) -> str:
    return story_cache.content_key(root, story_files(root))


def _entry(root: Path, cache_dir: Path) -> Path:
    return story_cache.entry_path(cache_dir, _key(root))


def _source(cond: object) -> str | None:
    return None if cond is None else cond.source  # type: ignore[attr-defined]


def _summary(scene: Scene) -> tuple[object, ...]:
    """What a player sees and does in a scene (compiled conditions compare by their source)."""
    return (
        scene.id,
        scene.title,
        [(p.text, _source(p.condition)) for p in scene.paragraphs],
        [(c.key, c.text, c.goto, _source(c.condition), c.effects, c.loc) for c in scene.choices],
        scene.on_enter,
        scene.ending,
        scene.loc,
    )


def _plain(root: Path) -> dict[str, object]:
    """Every scene of an uncached load, for comparison."""
    result = load_story(root)
    assert result.story is not None and not result.problems
    return {sid: _summary(scene) for sid, scene in result.story.scenes.items()}


def _assert_loads_clean(root: Path, cache_dir: Path, expected: dict[str, object]) -> None:
    result = load_story(root, cache_dir=cache_dir)
    assert result.problems == []
    story = result.story
    assert story is not None
    assert {sid: _summary(story.scenes[sid]) for sid in story.scenes} == expected
    assert story.endings == {"mercy": ["end_mercy"], "excommunicado": ["end_bad"]}
    game = Game(story)
    game.choose("to_desk")
    assert game.scene.title == "The Desk"


def _damage_and_check(root: Path, cache_dir: Path, damage: Callable[[bytes], bytes]) -> None:
    expected = _plain(root)
    load_story(root, cache_dir=cache_dir)  # writes the cache entry
    entry = _entry(root, cache_dir)
    assert entry.is_file()
    entry.write_bytes(damage(entry.read_bytes()))
    assert story_cache.load(cache_dir, _key(root), fallback=dict, root=root) is None or damage is _keep_frame
    _assert_loads_clean(root, cache_dir, expected)
    # the damaged entry was replaced by a good one: the next load is a hit
    assert story_cache.load(cache_dir, _key(root), fallback=dict, root=root) is not None
    _assert_loads_clean(root, cache_dir, expected)


def _keep_frame(data: bytes) -> bytes:
    return data


def test_a_clean_story_round_trips_through_the_cache(story_dir: Path, cache_dir: Path) -> None:
    expected = _plain(story_dir)
    load_story(story_dir, cache_dir=cache_dir)
    story = load_story(story_dir, cache_dir=cache_dir).story
    assert story is not None and isinstance(story.scenes, story_cache.LazyScenes)
    assert {sid: _summary(story.scenes[sid]) for sid in story.scenes} == expected
    assert _entry(story_dir, cache_dir).read_bytes().startswith(story_cache.MAGIC)


@pytest.mark.parametrize("keep", [0, 1, 10, 0.5, -1])
def test_truncated_cache_file(story_dir: Path, cache_dir: Path, keep: float) -> None:
    _damage_and_check(
        story_dir, cache_dir, lambda data: data[: int(len(data) * keep) if isinstance(keep, float) else keep]
    )


def test_random_bytes_cache_file(story_dir: Path, cache_dir: Path) -> None:
    _damage_and_check(story_dir, cache_dir, lambda data: random.Random(1).randbytes(len(data)))


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, 0.999])
def test_bytes_flipped_anywhere(story_dir: Path, cache_dir: Path, where: float) -> None:
    """Even inside a chunk of scenes that is only decoded when a scene is first used."""

    def flip(data: bytes) -> bytes:
        out = bytearray(data)
        at = int(len(out) * where)
        for i in range(at, min(len(out), at + 8)):
            out[i] ^= 0x5A
        return bytes(out)

    _damage_and_check(story_dir, cache_dir, flip)


def test_the_exec_attack_of_the_issue_runs_nothing(story_dir: Path, cache_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / MARKER
    for payload in (issue_exploit(marker), pickle.dumps(Exploit(marker))):
        for forged in (payload, story_cache.frame(payload)):  # without and with a valid header and digest
            _damage_and_check(story_dir, cache_dir, lambda _data, forged=forged: forged)
            assert not marker.exists()


def _forge(root: Path, cache_dir: Path, edit: Callable[[dict, list[bytes]], None]) -> bytes:  # type: ignore[type-arg]
    """A well-framed entry (valid header and digest) whose JSON ``edit`` changed."""
    load_story(root, cache_dir=cache_dir)
    data = _entry(root, cache_dir).read_bytes()
    start = len(story_cache.MAGIC) + 40
    offset = int.from_bytes(data[start - 8 : start], "big")
    outer = json.loads(data[offset:])
    chunks = [data[a:b] for a, b in outer["spans"]]
    edit(outer, chunks)
    at, spans = start, []
    for chunk in chunks:
        spans.append([at, at + len(chunk)])
        at += len(chunk)
    outer["spans"] = spans
    return story_cache.frame(json.dumps(outer).encode(), chunks)


FORGERIES: dict[str, Callable[[dict, list[bytes]], None]] = {  # type: ignore[type-arg]
    "not a story at all": lambda o, c: o.clear(),
    "the key of another story": lambda o, c: o.update(key="0" * 64),
    "a field of the wrong type": lambda o, c: o["story"].__setitem__(1, ["a", "list"]),
    "a story with a field too many": lambda o, c: o["story"].append("extra"),
    "a condition that does not parse": lambda o, c: o["story"][5].__setitem__(
        0, ["coins", "Coins", "__import__('os')"]
    ),
    "a float": lambda o, c: o["story"][3].__setitem__("coins", 1.5),
    "a chunk out of the file": lambda o, c: o["index"].__setitem__("hall", 99),
    "an ending of no scene": lambda o, c: o["endings"].__setitem__("nowhere", "mercy"),
    "an index that is a list": lambda o, c: o.__setitem__("index", []),
    "a deeply nested value": lambda o, c: o["story"].__setitem__(3, json.loads("[" * 500 + "]" * 500)),
}


@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
def test_a_forged_entry_is_a_miss(story_dir: Path, cache_dir: Path, forgery: str) -> None:
    forged = _forge(story_dir, cache_dir, FORGERIES[forgery])
    _damage_and_check(story_dir, cache_dir, lambda _data: forged)


@pytest.mark.parametrize(
    "chunk",
    [
        b'{"hall": "not a scene"}',
        b'{"hall": ["hall", "t", [], [], [], null, ["f", []], "extra"]}',
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        b'{"hall": ' + b"1" * 5000 + b"}",
        b"\x80\x04 a pickle",
    ],
)
def test_a_forged_chunk_decoded_later_falls_back_to_a_fresh_load(
    story_dir: Path, cache_dir: Path, chunk: bytes
) -> None:
    expected = _plain(story_dir)
    forged = _forge(story_dir, cache_dir, lambda _o, chunks: chunks.__setitem__(0, chunk))
    _entry(story_dir, cache_dir).write_bytes(forged)
    story = load_story(story_dir, cache_dir=cache_dir).story  # the outer part is fine: a hit, for now
    assert story is not None and isinstance(story.scenes, story_cache.LazyScenes)
    assert {sid: _summary(story.scenes[sid]) for sid in story.scenes} == expected


def test_an_entry_for_another_story_is_not_used(story_dir: Path, cache_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(MINI, other)
    load_story(other, cache_dir=cache_dir)
    _damage_and_check(story_dir, cache_dir, lambda _data: _entry(other, cache_dir).read_bytes())


def test_cache_that_cannot_be_written(story_dir: Path, cache_dir: Path) -> None:
    expected = _plain(story_dir)
    stories = story_cache.entry_path(cache_dir, "x").parent
    stories.parent.mkdir(parents=True, exist_ok=True)
    stories.write_text("a file where the cache folder should be", encoding="utf-8")
    _assert_loads_clean(story_dir, cache_dir, expected)
    _assert_loads_clean(story_dir, cache_dir, expected)


@pytest.mark.parametrize("kind", ["folder", "fifo", "link to /dev/zero"])
def test_entry_that_is_no_file(story_dir: Path, cache_dir: Path, kind: str) -> None:
    expected = _plain(story_dir)
    entry = _entry(story_dir, cache_dir)
    entry.parent.mkdir(parents=True)
    {
        "folder": entry.mkdir,
        "fifo": lambda: os.mkfifo(entry),
        "link to /dev/zero": lambda: entry.symlink_to("/dev/zero"),
    }[kind]()
    _assert_loads_clean(story_dir, cache_dir, expected)


def test_any_change_to_the_story_invalidates(story_dir: Path, cache_dir: Path) -> None:
    load_story(story_dir, cache_dir=cache_dir)
    scenes = story_dir / "scenes.yaml"
    scenes.write_text(scenes.read_text(encoding="utf-8").replace("The Desk", "The Front Desk"), encoding="utf-8")
    story = load_story(story_dir, cache_dir=cache_dir).story
    assert story is not None and story.scenes["desk"].title == "The Front Desk"


def test_a_cached_story_sent_to_another_process_has_every_scene(story_dir: Path, cache_dir: Path) -> None:
    expected = _plain(story_dir)
    load_story(story_dir, cache_dir=cache_dir)
    story = load_story(story_dir, cache_dir=cache_dir).story
    assert story is not None and isinstance(story.scenes, story_cache.LazyScenes)
    story.scenes["hall"]  # one chunk out, the others still in the file's bytes
    copy = pickle.loads(pickle.dumps(story))  # what a worker process of the explorer receives
    assert {sid: _summary(scene) for sid, scene in copy.scenes.items()} == expected
