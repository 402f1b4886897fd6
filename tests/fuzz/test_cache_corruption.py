"""A damaged compiled-story cache is a cache miss: the story still loads, plays, and reports nothing."""

from __future__ import annotations

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
from evegame.paths import cache_dir
from helpers import MINI

MARKER = "evegame-cache-exploit"


class Exploit:
    """Unpickling this would run a command that creates a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    # enough scenes for several lazily unpickled chunks
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


def _entry(root: Path) -> Path:
    key = story_cache.content_key(root, story_files(root))
    return cache_dir() / "stories" / f"{key}.pickle"


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
    result = load_story(root, use_cache=False)
    assert result.story is not None and not result.problems
    return {sid: _summary(scene) for sid, scene in result.story.scenes.items()}


def _assert_loads_clean(root: Path, expected: dict[str, object]) -> None:
    result = load_story(root)
    assert result.problems == []
    story = result.story
    assert story is not None
    assert {sid: _summary(story.scenes[sid]) for sid in story.scenes} == expected
    assert story.endings == {"mercy": ["end_mercy"], "excommunicado": ["end_bad"]}
    game = Game(story)
    game.choose("to_desk")
    assert game.scene.title == "The Desk"


def _damage_and_check(root: Path, damage: Callable[[bytes], bytes]) -> None:
    expected = _plain(root)
    load_story(root)  # writes the cache entry
    entry = _entry(root)
    assert entry.is_file()
    entry.write_bytes(damage(entry.read_bytes()))
    _assert_loads_clean(root, expected)
    # the damaged entry was replaced by a good one: the next load is a hit
    key = story_cache.content_key(root, story_files(root))
    assert story_cache.load(cache_dir(), key) is not None
    _assert_loads_clean(root, expected)


@pytest.mark.parametrize("keep", [0, 1, 10, 0.5, -1])
def test_truncated_cache_file(story_dir: Path, keep: float) -> None:
    _damage_and_check(story_dir, lambda data: data[: int(len(data) * keep) if isinstance(keep, float) else keep])


def test_random_bytes_cache_file(story_dir: Path) -> None:
    _damage_and_check(story_dir, lambda data: random.Random(1).randbytes(len(data)))


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, 0.999])
def test_bytes_flipped_anywhere(story_dir: Path, where: float) -> None:
    """Even inside a chunk of scenes that is only unpickled when a scene is first used."""

    def flip(data: bytes) -> bytes:
        out = bytearray(data)
        at = int(len(out) * where)
        for i in range(at, min(len(out), at + 8)):
            out[i] ^= 0x5A
        return bytes(out)

    _damage_and_check(story_dir, flip)


def test_pickle_of_a_forbidden_class_does_not_run(story_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / MARKER
    payload = pickle.dumps(Exploit(marker))
    for forged in (payload, story_cache.frame(payload)):  # without and with a valid header and digest
        _damage_and_check(story_dir, lambda _data, forged=forged: forged)
        assert not marker.exists()


def test_forbidden_class_inside_a_scene_chunk_does_not_run(story_dir: Path, tmp_path: Path) -> None:
    """A forger who knows the format gets no code run, even in a chunk unpickled later."""
    marker = tmp_path / MARKER
    story = load_story(story_dir).story
    assert story is not None
    chunk = pickle.dumps({"hall": Exploit(marker)})
    start = len(story_cache.frame(b""))  # where the first chunk goes
    bad = story_cache.LazyScenes({"hall": 0}, [(start, start + len(chunk))], {})
    forged = pickle.dumps(story.__class__(**{**story.__dict__, "scenes": bad}))
    _entry(story_dir).write_bytes(story_cache.frame(forged, [chunk]))
    loaded = load_story(story_dir).story
    assert loaded is not None
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        loaded.scenes["hall"]
    assert not marker.exists()


def test_well_formed_entry_of_the_wrong_kind(story_dir: Path) -> None:
    for payload in (pickle.dumps({"not": "a story"}), pickle.dumps(None), b""):
        _damage_and_check(story_dir, lambda _data, payload=payload: story_cache.frame(payload))


def test_an_entry_for_another_story_is_not_used(story_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(MINI, other)
    load_story(other)
    _damage_and_check(story_dir, lambda _data: _entry(other).read_bytes())


def test_cache_that_cannot_be_written(story_dir: Path) -> None:
    expected = _plain(story_dir)
    stories = cache_dir() / "stories"
    stories.parent.mkdir(parents=True, exist_ok=True)
    stories.write_text("a file where the cache folder should be", encoding="utf-8")
    _assert_loads_clean(story_dir, expected)
    _assert_loads_clean(story_dir, expected)


def test_entry_is_a_folder(story_dir: Path) -> None:
    expected = _plain(story_dir)
    _entry(story_dir).mkdir(parents=True)
    _assert_loads_clean(story_dir, expected)


def test_any_change_to_the_story_invalidates(story_dir: Path) -> None:
    load_story(story_dir)
    scenes = story_dir / "scenes.yaml"
    scenes.write_text(scenes.read_text(encoding="utf-8").replace("The Desk", "The Front Desk"), encoding="utf-8")
    story = load_story(story_dir).story
    assert story is not None and story.scenes["desk"].title == "The Front Desk"


def test_a_forged_index_that_does_not_fit_the_file_is_a_miss(story_dir: Path) -> None:
    story = load_story(story_dir).story
    assert story is not None
    for index, spans, endings in (
        ({"hall": 5}, [(0, 10)], {}),  # a chunk that does not exist
        ({"hall": 0}, [(0, 10**9)], {}),  # a span outside the file
        ({"hall": 0}, [(0, 1)], {"nowhere": "mercy"}),  # an ending of no scene
        ([], [], {}),  # not a mapping at all
    ):
        bad = story_cache.LazyScenes(index, spans, endings)  # type: ignore[arg-type]
        forged = pickle.dumps(story.__class__(**{**story.__dict__, "scenes": bad}))
        _damage_and_check(story_dir, lambda _data, forged=forged: story_cache.frame(forged))


def test_a_cached_story_sent_to_another_process_has_every_scene(story_dir: Path) -> None:
    expected = _plain(story_dir)
    load_story(story_dir)
    story = load_story(story_dir).story
    assert story is not None and isinstance(story.scenes, story_cache.LazyScenes)
    story.scenes["hall"]  # one chunk out, the others still in the file's bytes
    copy = pickle.loads(pickle.dumps(story))
    assert {sid: _summary(scene) for sid, scene in copy.scenes.items()} == expected
