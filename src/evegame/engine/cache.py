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
Scenes are pickled in chunks (consecutive scenes of one file), written one at a
time, and a chunk is unpickled straight from the file's bytes when one of its
scenes is first used (``LazyScenes``): a warm load costs little more than reading
the file, however large the story, using every scene costs one unpickle per
chunk with the garbage collector paused, and writing the cache holds no second
copy of the story in memory.
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

CACHE_FORMAT = 4
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


def _unpickle(data: bytes | memoryview) -> Any:
    return _SafeUnpickler(io.BytesIO(data)).load()


def _chunks(scenes: Mapping[str, Scene]) -> Iterator[dict[str, Scene]]:
    """Consecutive scenes from the same file, at most ``CHUNK`` at a time."""
    chunk: dict[str, Scene] = {}
    last_file = None
    for sid, scene in scenes.items():
        if chunk and (scene.loc.file != last_file or len(chunk) >= CHUNK):
            yield chunk
            chunk = {}
        chunk[sid] = scene
        last_file = scene.loc.file
    if chunk:
        yield chunk


class LazyScenes(Mapping[str, Scene]):
    """Scene id -> Scene; each chunk of scenes is unpickled from the cache file's bytes on first access.

    Pickled, it is only its index (``spans``: where each chunk lies in the cache file); the
    loader attaches the file's bytes. A copy sent elsewhere (a worker process) is a plain dict.
    """

    def __init__(self, index: dict[str, int], spans: list[tuple[int, int]], endings: dict[str, str]) -> None:
        self._index = index  # scene id -> chunk number, in story order
        self._spans: list[tuple[int, int] | None] = list(spans)  # None once unpickled
        self._endings = endings  # scene id -> ending name, for the ending scenes
        self._scenes: dict[str, Scene] = {}
        self._data: memoryview | None = None

    def attach(self, data: memoryview) -> bool:
        """Use ``data`` (the whole cache file) for the chunks; False when the index does not fit it."""
        chunks = len(self._spans)
        if not (isinstance(self._index, dict) and isinstance(self._endings, dict)):
            return False
        if not all(isinstance(n, int) and 0 <= n < chunks for n in self._index.values()):
            return False
        if not all(isinstance(e, str) and sid in self._index for sid, e in self._endings.items()):
            return False
        for span in self._spans:
            if not (isinstance(span, tuple) and len(span) == 2 and _HEADER <= span[0] <= span[1] <= len(data)):
                return False
        self._data = data
        return True

    def __getitem__(self, sid: str) -> Scene:
        scene = self._scenes.get(sid)
        if scene is None:
            self._load(self._index[sid])
            scene = self._scenes[sid]
        return scene

    def _load(self, number: int) -> None:
        span = self._spans[number]
        if span is None:
            return
        if self._data is None:
            raise KeyError(number)
        with gc_paused(freeze=True):  # long-lived, acyclic, no garbage: as the loader does
            chunk = _unpickle(self._data[span[0] : span[1]])
        if not isinstance(chunk, dict) or not all(isinstance(s, Scene) for s in chunk.values()):  # pragma: no cover
            raise pickle.UnpicklingError("a story cache chunk that holds no scenes")
        self._scenes.update(chunk)
        self._spans[number] = None
        if all(s is None for s in self._spans):
            self._data = None  # every scene is out: the file's bytes can go

    def __contains__(self, sid: object) -> bool:
        return sid in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __reduce__(self) -> tuple[Any, ...]:
        if self._data is None and not self._scenes:  # the index written into a cache entry
            return (LazyScenes, (self._index, self._spans, self._endings))
        return (dict, (dict(self.items()),))

    def ending_scenes(self) -> dict[str, str]:
        """Scene id -> ending name for every ending scene, without unpickling any scene."""
        return dict(self._endings)


# A cache file: MAGIC, the SHA-256 of everything after the header (then of the 8-byte offset),
# the offset of the story's own pickle, the scene chunks' pickles, and the story's pickle.
_DIGEST = len(MAGIC)
_OFFSET = _DIGEST + 32
_HEADER = _OFFSET + 8


def frame(outer: bytes, chunks: list[bytes] | tuple[bytes, ...] = ()) -> bytes:
    """A whole cache file around pickled ``chunks`` (starting at ``_HEADER``) and the story's pickle."""
    body = b"".join(chunks) + outer
    offset = (_HEADER + len(body) - len(outer)).to_bytes(8, "big")
    digest = hashlib.sha256(body)
    digest.update(offset)
    return MAGIC + digest.digest() + offset + body


def _path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "stories" / f"{key}.pickle"


def load(cache_dir: Path, key: str) -> Story | None:
    """The cached story for ``key``, or None (absent, corrupt, foreign: all the same)."""
    path = _path(cache_dir, key)
    try:
        data = memoryview(path.read_bytes())
        offset = int.from_bytes(data[_OFFSET:_HEADER], "big")
        if data[:_DIGEST] != MAGIC or not _HEADER <= offset <= len(data):
            return None
        digest = hashlib.sha256(data[_HEADER:])
        digest.update(data[_OFFSET:_HEADER])
        if digest.digest() != data[_DIGEST:_OFFSET]:
            return None
        story = _unpickle(data[offset:])
        if not isinstance(story, Story) or story.content_hash != key or not isinstance(story.scenes, LazyScenes):
            return None
        return story if story.scenes.attach(data) else None
    except Exception:  # a damaged cache is never an error: it is a miss
        return None


def store(cache_dir: Path, key: str, story: Story) -> None:
    """Write the entry atomically, one chunk at a time; a cache that cannot be written is skipped silently."""
    path = _path(cache_dir, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + bytes(_HEADER - _DIGEST))
            digest = hashlib.sha256()
            index: dict[str, int] = {}
            spans: list[tuple[int, int]] = []
            at = _HEADER
            for number, chunk in enumerate(_chunks(story.scenes)):
                blob = pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
                handle.write(blob)
                digest.update(blob)
                spans.append((at, at + len(blob)))
                at += len(blob)
                index.update(dict.fromkeys(chunk, number))
            endings = {sid: s.ending for sid, s in story.scenes.items() if s.ending is not None}
            outer = pickle.dumps(
                replace(story, scenes=LazyScenes(index, spans, endings)), protocol=pickle.HIGHEST_PROTOCOL
            )
            handle.write(outer)
            digest.update(outer)
            offset = at.to_bytes(8, "big")
            digest.update(offset)
            handle.seek(_DIGEST)
            handle.write(digest.digest() + offset)
        os.replace(tmp, path)
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
