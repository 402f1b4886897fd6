"""The compiled-story cache: a loaded story kept on disk, keyed by its files' content.

A story folder whose files hash to the same digest (paths and bytes, plus the
folder's location and the evegame version) loads from the cache without parsing
any YAML. Any change to any file changes the key. Only clean stories (no errors,
no warnings) are cached. A cache file that cannot be read, for any reason, is
ignored and rewritten: the cache can make loading faster, never wrong.

Entries are pickles read through an allow-list unpickler that can only build
evegame's own model classes and plain data, so a tampered file cannot run code.
Scenes are pickled one by one and unpickled when first used (``LazyScenes``), so
a warm load costs little more than reading the file, however large the story.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .model import Scene, Story

CACHE_FORMAT = 2
_ALLOWED_MODULES = {"evegame.engine.model", "evegame.engine.conditions"}
_ALLOWED_CLASSES = {("evegame.engine.cache", "LazyScenes")}
_ALLOWED_BUILTINS = {"frozenset", "set", "tuple", "list", "dict", "str", "int", "bool"}


def enabled() -> bool:
    return os.environ.get("EVEGAME_NO_CACHE", "") in ("", "0")


def content_key(root: Path, files: list[Path]) -> str:
    """The digest of a story folder's files: relative paths and bytes, in order."""
    from .. import __version__

    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{__version__}\0{root.resolve()}\0".encode())
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (
            module in _ALLOWED_MODULES
            or (module, name) in _ALLOWED_CLASSES
            or (module == "builtins" and name in _ALLOWED_BUILTINS)
        ):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a story cache")


def _unpickle(data: bytes) -> Any:
    return _SafeUnpickler(io.BytesIO(data)).load()


class LazyScenes(Mapping[str, Scene]):
    """Scene id -> Scene, each unpickled from its own bytes on first access."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self._blobs = blobs
        self._scenes: dict[str, Scene] = {}

    @classmethod
    def of(cls, scenes: Mapping[str, Scene]) -> LazyScenes:
        return cls({sid: pickle.dumps(scene, protocol=pickle.HIGHEST_PROTOCOL) for sid, scene in scenes.items()})

    def __getitem__(self, sid: str) -> Scene:
        scene = self._scenes.get(sid)
        if scene is None:
            scene = _unpickle(self._blobs[sid])
            if not isinstance(scene, Scene):
                raise KeyError(sid)
            self._scenes[sid] = scene
        return scene

    def __contains__(self, sid: object) -> bool:
        return sid in self._blobs

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyScenes, (self._blobs,))


def _path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "stories" / f"{key}.pickle"


def load(cache_dir: Path, key: str) -> Story | None:
    """The cached story for ``key``, or None (absent, corrupt, foreign: all the same)."""
    path = _path(cache_dir, key)
    try:
        story = _unpickle(path.read_bytes())
    except Exception:  # a damaged cache is never an error: it is a miss
        return None
    if not isinstance(story, Story) or story.content_hash != key:
        return None
    return story


def store(cache_dir: Path, key: str, story: Story) -> None:
    """Write the entry atomically; a cache that cannot be written is skipped silently."""
    path = _path(cache_dir, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            entry = replace(story, scenes=LazyScenes.of(story.scenes))
            pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
