"""Loading a story leaves the caller's interpreter as it was, and writes a cache only where it is told."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from evegame.engine import Game, load_story
from evegame.engine import cache as story_cache
from helpers import MINI, SHIPPED


class Node:
    """A cycle (garbage only the cyclic collector can free)."""

    def __init__(self) -> None:
        self.me = self


def test_the_callers_garbage_is_collected_after_a_load(tmp_path: Path) -> None:
    enabled = gc.isenabled()
    alive = [Node() for _ in range(1000)]  # the caller's objects, alive during the load
    refs = [weakref.ref(n) for n in alive]
    load_story(SHIPPED)
    load_story(SHIPPED, cache_dir=tmp_path)  # writes the cache
    story = load_story(SHIPPED, cache_dir=tmp_path).story  # reads it, then every scene
    assert story is not None and all(story.scenes[sid] for sid in story.scenes)
    Game(story)
    assert gc.isenabled() == enabled and gc.get_freeze_count() == 0
    del alive
    gc.collect()
    assert sum(r() is not None for r in refs) == 0


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def test_a_library_load_writes_no_cache_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("EVEGAME_CACHE_DIR", str(tmp_path / "env-cache"))
    monkeypatch.chdir(tmp_path)
    Game.load(MINI)
    load_story(MINI)
    assert files_under(tmp_path) == set()


def test_a_given_cache_folder_is_the_only_place_written(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = files_under(tmp_path)
    load_story(MINI, cache_dir=cache)
    new = files_under(tmp_path) - before
    assert new and all(p.is_relative_to(cache) for p in new)
    assert isinstance(load_story(MINI, cache_dir=cache).story.scenes, story_cache.LazyScenes)  # type: ignore[union-attr]


def run_check(tmp_path: Path, *flags: str) -> None:
    env = {**os.environ, "EVEGAME_CACHE_DIR": str(tmp_path / "cache"), "HOME": str(tmp_path / "home")}
    env.pop("EVEGAME_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-m", "evegame", "check", str(MINI), *flags], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and ": OK:" in done.stdout, done.stderr


def test_evegame_check_uses_the_user_cache_unless_told_not_to(tmp_path: Path) -> None:
    run_check(tmp_path, "--no-cache")
    assert files_under(tmp_path) == set()
    run_check(tmp_path)
    written = files_under(tmp_path)
    assert written and all(p.is_relative_to(tmp_path / "cache") for p in written)


def _first_file(story_dir: str | Path, cache_dir: Path) -> tuple[str, str, list[str]]:
    story = load_story(story_dir, cache_dir=cache_dir).story
    assert story is not None
    return next(iter(story.scenes.values())).loc.file, story.root, story.files


def test_a_cached_story_names_its_files_as_the_folder_is_typed_now(tmp_path: Path, monkeypatch) -> None:
    """The cache once returned the file names of whichever load wrote the entry: a story loaded as
    ``/abs/a`` and then as ``a`` (or a copy) named the first folder in every file:line."""
    import shutil

    cache = tmp_path / "cache"
    for name in ("a", "b"):
        shutil.copytree(MINI, tmp_path / "work" / name)
    fresh = {name: _first_file(tmp_path / "work" / name, cache) for name in ("a", "b")}  # writes both entries
    assert fresh["a"][0] == str(tmp_path / "work" / "a" / "scenes.yaml")
    assert fresh["b"][0] == str(tmp_path / "work" / "b" / "scenes.yaml")
    monkeypatch.chdir(tmp_path / "work")
    assert len(list((cache / "stories").iterdir())) == 2
    assert _first_file("a", cache) == ("a/scenes.yaml", "a", ["a/scenes.yaml", "a/story.yaml"])  # read back
    assert _first_file("b", cache)[0] == "b/scenes.yaml"
    monkeypatch.chdir(tmp_path / "work" / "b")
    assert _first_file(".", cache) == ("scenes.yaml", ".", ["scenes.yaml", "story.yaml"])
    assert len(list((cache / "stories").iterdir())) == 2  # every load above came from the cache
