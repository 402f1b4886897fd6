"""The compiled-story cache: a loaded story kept on disk, keyed by its files' content.

A story folder whose files hash to the same digest (paths and bytes, plus the
folder's location and a fingerprint of the engine's code) loads from the cache without parsing
any YAML. Any change to any file changes the key. Only clean stories (no errors,
no warnings) are cached. A cache file that cannot be read, for any reason, is
ignored and rewritten: the cache can make loading faster, never wrong.

Entries are pickles read through an allow-list unpickler that can only build
evegame's own model classes and plain data, so a tampered file cannot run code,
behind a SHA-256 digest of the pickle, so a damaged file (truncated, bytes
flipped anywhere, even inside a scene that is unpickled later) is a cache miss.
Scenes are pickled in chunks (consecutive scenes of one file) and a chunk is
unpickled when one of its scenes is first used (``LazyScenes``): a warm load
costs little more than reading the file, however large the story, and using
every scene costs one unpickle per chunk, with the garbage collector paused.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .gcpause import gc_paused
from .model import Scene, Story

CACHE_FORMAT = 3
MAGIC = b"evegame-story-cache\n"
CHUNK = 256  # scenes per lazily unpickled chunk, at most
_ALLOWED_MODULES = {"evegame.engine.model", "evegame.engine.conditions"}
_ALLOWED_CLASSES = {("evegame.engine.cache", "LazyScenes")}
_ALLOWED_BUILTINS = {"frozenset", "set", "tuple", "list", "dict", "str", "int", "bool"}


def enabled() -> bool:
    return os.environ.get("EVEGAME_NO_CACHE", "") in ("", "0")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The engine's own code (each module's name, size and mtime) and the Python version.

    An upgrade, or an edit in a checkout, changes the loader's results: every entry made
    by other code is then a miss. (Cheaper than asking importlib.metadata for the version.)
    """
    parts = [f"{sys.version_info[0]}.{sys.version_info[1]}"]
    for path in sorted(Path(__file__).parent.glob("*.py")):
        stat = path.stat()
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\0".join(parts)


def content_key(root: Path, files: list[Path]) -> str:
    """The digest of a story folder's files (relative paths and bytes, in order) and of the engine's code."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{code_fingerprint()}\0{root.resolve()}\0".encode())
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
    """Scene id -> Scene; each chunk of scenes is unpickled from its own bytes on first access."""

    def __init__(self, index: dict[str, int], blobs: list[bytes], endings: dict[str, str]) -> None:
        self._index = index  # scene id -> chunk number, in story order
        self._blobs: list[bytes | None] = list(blobs)
        self._endings = endings  # scene id -> ending name, for the ending scenes
        self._scenes: dict[str, Scene] = {}

    @classmethod
    def of(cls, scenes: Mapping[str, Scene]) -> LazyScenes:
        """Chunks of consecutive scenes from the same file, at most ``CHUNK`` each."""
        index: dict[str, int] = {}
        chunks: list[dict[str, Scene]] = []
        last_file = None
        for sid, scene in scenes.items():
            if not chunks or scene.loc.file != last_file or len(chunks[-1]) >= CHUNK:
                chunks.append({})
                last_file = scene.loc.file
            chunks[-1][sid] = scene
            index[sid] = len(chunks) - 1
        blobs = [pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL) for c in chunks]
        return cls(index, blobs, {sid: s.ending for sid, s in scenes.items() if s.ending is not None})

    def __getitem__(self, sid: str) -> Scene:
        scene = self._scenes.get(sid)
        if scene is None:
            self._load(self._index[sid])
            scene = self._scenes[sid]
        return scene

    def _load(self, number: int) -> None:
        blob = self._blobs[number]
        if blob is None:
            return
        with gc_paused(freeze=True):  # long-lived, acyclic, no garbage: as the loader does
            chunk = _unpickle(blob)
        if not isinstance(chunk, dict) or not all(isinstance(s, Scene) for s in chunk.values()):  # pragma: no cover
            raise pickle.UnpicklingError("a story cache chunk that holds no scenes")
        self._scenes.update(chunk)
        self._blobs[number] = None

    def __contains__(self, sid: object) -> bool:
        return sid in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __reduce__(self) -> tuple[Any, ...]:
        if any(blob is None for blob in self._blobs):  # some chunks are unpickled: pickle what is there
            return LazyScenes.of(self).__reduce__()
        return (LazyScenes, (self._index, self._blobs, self._endings))

    def ending_scenes(self) -> dict[str, str]:
        """Scene id -> ending name for every ending scene, without unpickling any scene."""
        return dict(self._endings)


def _path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "stories" / f"{key}.pickle"


def load(cache_dir: Path, key: str) -> Story | None:
    """The cached story for ``key``, or None (absent, corrupt, foreign: all the same)."""
    path = _path(cache_dir, key)
    try:
        data = path.read_bytes()
        head, digest, payload = data[: len(MAGIC)], data[len(MAGIC) : len(MAGIC) + 32], data[len(MAGIC) + 32 :]
        if head != MAGIC or hashlib.sha256(payload).digest() != digest:
            return None
        story = _unpickle(payload)
    except Exception:  # a damaged cache is never an error: it is a miss
        return None
    if not isinstance(story, Story) or story.content_hash != key or not isinstance(story.scenes, LazyScenes):
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
            payload = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
            handle.write(MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
