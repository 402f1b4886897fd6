"""The compiled-story cache: a loaded story kept on disk as plain data, keyed by its files' content.

A story folder whose files hash to the same digest (paths and bytes, plus the folder's
location and a fingerprint of the engine's code) loads from the cache without parsing any
YAML. Any change to any file changes the key. Only clean stories (no errors, no warnings)
are cached, and only where the caller says (``cache_dir``): a library call writes nothing
unless given a folder. A cache entry that cannot be used, for any reason, is a miss.

An entry is JSON data only, never pickle: reading it can build nothing but evegame's own
model dataclasses, field by field, each value checked against the field's declared type
(``_decode``); conditions are stored as their source and parsed and type-checked again by
the condition parser. A SHA-256 digest over the whole file makes a damaged file (truncated,
bytes flipped anywhere) a miss. Scenes are stored in chunks (consecutive scenes of one
file), each decoded when one of its scenes is first used (``LazyScenes``): a warm load costs
little more than reading the file. Should a chunk still not decode (a forger who rewrote
the digest too), the scenes come from a fresh load of the story instead: still a miss.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
import tempfile
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Union

from . import model
from .conditions import Condition, ConditionError, parse_condition, parse_expression
from .gcpause import gc_paused
from .model import Scene, SourceLoc, Story
from .values import type_name

CACHE_FORMAT = 6
MAGIC = b"evegame-story-cache-json\n"
CHUNK = 256  # scenes per lazily decoded chunk, at most
MAX_NESTING = 32  # a YAML path or a value in an entry never nests deeper


class CacheMiss(ValueError):
    """An entry (or part of one) that does not decode to a story of this engine."""


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


# --- plain data, both ways ---------------------------------------------------------------


class Rebase:
    """File names relative to the story folder as it was typed, both ways.

    An entry is keyed by the folder's resolved path, but the folder may be typed another way
    (relative to another directory, through a link): an entry stores each file under the folder
    as ``"\0" + its path inside it``, and a load puts the folder as typed now in front, so
    ``file:line`` in every message names the files as a fresh load would.
    """

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.prefix = "" if self.root == "." else self.root.rstrip(os.sep) + os.sep

    def out(self, file: str) -> str:
        if file == self.root:
            return "\0"
        return "\0" + file[len(self.prefix) :] if file.startswith(self.prefix) else file

    def back(self, file: str) -> str:
        if not file.startswith("\0"):
            return file
        return self.prefix + file[1:] if len(file) > 1 else self.root


def _encode(value: Any, rebase: Rebase) -> Any:
    """A model object as JSON data: a dataclass as the list of its fields, a condition as its source."""
    if isinstance(value, Condition):
        return value.source
    if isinstance(value, model.Clamp):  # an effect's value: tagged, as no plain value is a mapping
        return {"clamp": [_encode(value.amount, rebase), value.low, value.high]}
    if isinstance(value, SourceLoc):
        return [rebase.out(value.file), [_encode(p, rebase) for p in value.path]]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_encode(getattr(value, f.name), rebase) for f in dataclasses.fields(value) if f.init]
    if isinstance(value, (list, tuple, frozenset, set)):
        return [_encode(v, rebase) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v, rebase) for k, v in value.items()}
    if value is None or isinstance(value, (str, bool, int)):
        return value
    raise TypeError(f"a story cache cannot hold {type(value).__name__}")


@cache
def _hints(cls: type) -> list[tuple[str, Any]]:
    """The init fields of a model dataclass with their resolved types."""
    names = vars(model) | {"Condition": Condition}
    hints = typing.get_type_hints(cls, globalns=names, localns=names)
    return [(f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init]


class _Decoder:
    """Builds model objects from JSON data, checking every value against its field's type."""

    def __init__(
        self,
        types_of: Mapping[str, str],
        scene_exists: Callable[[str], bool],
        rebase: Rebase | None = None,
        bounds: Mapping[str, tuple[int | None, ...]] | None = None,
    ) -> None:
        self.types_of = types_of
        self.scene_exists = scene_exists
        self.rebase = rebase
        self.bounds = bounds or {}
        self.conditions: dict[str, Condition] = {}
        self.expressions: dict[str, Condition] = {}

    def clamp(self, op: str, var: str, data: dict[str, Any]) -> model.Clamp:
        """A clamped or computed effect value, checked as the loader makes them: an ``add`` of a whole
        number to a bounded number, or a ``set`` of a number variable to an expression (parsed and
        type-checked again); either way with exactly the variable's declared bounds."""
        parts = data.get("clamp")
        if len(data) != 1 or type(parts) is not list or len(parts) != 3 or self.types_of.get(var) != "int":
            raise _miss("a clamped value of the wrong shape")
        amount, low, high = parts
        if op == "add" and type(amount) is int and var in self.bounds:
            bounds = tuple(self.bounds[var])
        elif op == "set" and type(amount) is str:
            bounds = tuple(self.bounds.get(var, (None, None)))
            amount = self.expression(amount)
        else:
            raise _miss(f"a clamped value in a {op!r} effect")
        if (low, high) != bounds:
            raise _miss("a clamped value with other bounds than its variable's")
        return model.Clamp(amount, low, high)

    def expression(self, source: str) -> Condition:
        found = self.expressions.get(source)
        if found is None:
            try:
                found = parse_expression(source, self.types_of)
            except ConditionError as exc:
                raise CacheMiss(f"an expression that does not check: {exc}") from None
            self.expressions[source] = found
        return found

    def condition(self, source: Any) -> Condition:
        if not isinstance(source, str):
            raise CacheMiss("a condition that is not text")
        found = self.conditions.get(source)
        if found is None:
            try:
                found = parse_condition(source, self.types_of, self.scene_exists)
            except ConditionError as exc:
                raise CacheMiss(f"a condition that does not check: {exc}") from None
            self.conditions[source] = found
        return found

    def decode(self, hint: Any, data: Any) -> Any:
        """``data`` as a value of type ``hint``; CacheMiss when it is not one."""
        return _compiled(hint)(data, self)

    def plain(self, data: Any, depth: int) -> Any:
        """A JSON value as it is (lists, mappings of text, text, whole numbers, true/false, null)."""
        if depth > MAX_NESTING:
            raise CacheMiss("nested too deeply")
        if isinstance(data, list):
            return [self.plain(d, depth + 1) for d in data]
        if isinstance(data, dict):
            return {k: self.plain(v, depth + 1) for k, v in data.items()}
        if data is None or isinstance(data, (str, bool, int)):
            return data
        raise CacheMiss(f"{type(data).__name__} in a story cache")


Decode = Callable[[Any, _Decoder], Any]


def _miss(what: str) -> CacheMiss:
    return CacheMiss(f"{what} in a story cache")


@cache
def _compiled(hint: Any) -> Decode:
    """A function that checks and builds a value of type ``hint`` from JSON data (made once per type)."""
    if hint is Any:
        return lambda d, ctx: ctx.plain(d, 0)
    if hint is Condition:
        return lambda d, ctx: ctx.condition(d)
    if hint is SourceLoc:
        return _source_loc
    if hint is model.Effect:
        return _effect
    if hint in (str, int, bool, type(None)):
        want = hint

        def scalar(d: Any, _ctx: _Decoder) -> Any:
            if type(d) is not want:
                raise _miss(f"{type(d).__name__} where {want.__name__} belongs")
            return d

        return scalar
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        return _union([_compiled(a) for a in args if a is not type(None)], type(None) in args)
    if origin in (tuple, list, frozenset):
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            raise TypeError(f"a story cache cannot hold {hint}")
        return _sequence(_compiled(args[0]), origin)
    if origin is dict:
        key, value = _compiled(args[0]), _compiled(args[1])

        def mapping(d: Any, ctx: _Decoder) -> Any:
            if type(d) is not dict:
                raise _miss(f"{type(d).__name__} where a mapping belongs")
            return {key(k, ctx): value(v, ctx) for k, v in d.items()}

        return mapping
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint.__module__ == model.__name__:
        return _dataclass(hint)
    raise TypeError(f"a story cache cannot hold {hint}")


def _source_loc(d: Any, ctx: _Decoder) -> SourceLoc:
    if (
        type(d) is list
        and len(d) == 2
        and type(d[0]) is str
        and type(d[1]) is list
        and all(type(p) is str or type(p) is int for p in d[1])
    ):
        return SourceLoc((ctx.rebase.back(d[0]) if ctx.rebase else d[0], tuple(d[1])))
    raise _miss("a source location that is not [file, path]")


def _effect(d: Any, ctx: _Decoder) -> model.Effect:
    """An effect: its kind, its variable and its value (plain data, or a tagged ``Clamp``)."""
    if type(d) is not list or len(d) != 3 or type(d[0]) is not str or type(d[1]) is not str:
        raise _miss("an Effect of the wrong shape")
    op, var, value = d
    return model.Effect(op, var, ctx.clamp(op, var, value) if type(value) is dict else ctx.plain(value, 0))


def _union(options: list[Decode], optional: bool) -> Decode:
    def union(d: Any, ctx: _Decoder) -> Any:
        if d is None and optional:
            return None
        for option in options:
            try:
                return option(d, ctx)
            except CacheMiss:
                continue
        raise _miss("a value of none of its field's types")

    return union


def _sequence(item: Decode, kind: type) -> Decode:
    def sequence(d: Any, ctx: _Decoder) -> Any:
        if type(d) is not list:
            raise _miss(f"{type(d).__name__} where a list belongs")
        items = [item(x, ctx) for x in d]
        return items if kind is list else kind(items)

    return sequence


def _dataclass(cls: type) -> Decode:
    names = [name for name, _ in _hints(cls)]
    fields = [_compiled(hint) for _, hint in _hints(cls)]
    count = len(fields)
    plain_init = not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")

    def build(d: Any, ctx: _Decoder) -> Any:
        if type(d) is not list or len(d) != count:
            raise _miss(f"a {cls.__name__} of the wrong shape")
        values = [f(x, ctx) for f, x in zip(fields, d, strict=True)]
        if not plain_init:
            return cls(*values)
        made: Any = object.__new__(cls)  # what the generated __init__ would do, without a setattr per field
        made.__dict__.update(zip(names, values, strict=True))
        return made

    return build


def _parse(data: bytes | memoryview) -> Any:
    def refuse(name: str) -> Any:
        raise CacheMiss(f"{name} in a story cache")

    try:
        return json.loads(bytes(data), parse_constant=refuse, parse_float=refuse)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, int digits
        raise CacheMiss(str(exc)) from None


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
    """Scene id -> Scene; each chunk of scenes is decoded from the cache file's bytes on first access.

    ``fallback`` gives every scene from a fresh load of the story, used should a chunk not
    decode. A copy sent elsewhere (a worker process) is a plain dict.
    """

    def __init__(
        self,
        index: dict[str, int],
        spans: list[tuple[int, int]],
        endings: dict[str, str],
        data: memoryview,
        decoder: _Decoder,
        fallback: Callable[[], Mapping[str, Scene]],
    ) -> None:
        self._index = index  # scene id -> chunk number, in story order
        self._spans: list[tuple[int, int] | None] = list(spans)  # None once decoded
        self._endings = endings  # scene id -> ending name, for the ending scenes
        self._scenes: dict[str, Scene] = {}
        self._data: memoryview | None = data
        self._decoder = decoder
        self._fallback = fallback

    def __getitem__(self, sid: str) -> Scene:
        scene = self._scenes.get(sid)
        if scene is None:
            self._load(self._index[sid])
            scene = self._scenes[sid]
        return scene

    def _load(self, number: int) -> None:
        span = self._spans[number]
        if span is None or self._data is None:
            return
        try:
            with gc_paused():  # a chunk is hundreds of long-lived objects and no garbage, as in a load
                chunk = self._decoder.decode(dict[str, Scene], _parse(self._data[span[0] : span[1]]))
            if any(self._index.get(sid) != number or scene.id != sid for sid, scene in chunk.items()):
                raise CacheMiss("a chunk that holds other scenes than its index says")
        except CacheMiss:
            self._use_fallback()
            return
        self._scenes.update(chunk)
        self._spans[number] = None
        if all(s is None for s in self._spans):
            self._data = None  # every scene is out: the file's bytes can go

    def _use_fallback(self) -> None:
        fresh = self._fallback()
        if list(fresh) != list(self._index):
            raise KeyError("the story changed while it was being read")
        self._scenes = dict(fresh)
        self._spans = [None] * len(self._spans)
        self._data = None

    def __contains__(self, sid: object) -> bool:
        return sid in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self.items()),))

    def ending_scenes(self) -> dict[str, str]:
        """Scene id -> ending name for every ending scene, without decoding any scene."""
        return dict(self._endings)


# A cache file: MAGIC, the SHA-256 of everything after the header (then of the 8-byte offset),
# the offset of the story's own JSON, the scene chunks' JSON, and the story's JSON.
_DIGEST = len(MAGIC)
_OFFSET = _DIGEST + 32
_HEADER = _OFFSET + 8


def frame(outer: bytes, chunks: list[bytes] | tuple[bytes, ...] = ()) -> bytes:
    """A whole cache file around encoded ``chunks`` (starting at ``_HEADER``) and the story's JSON."""
    body = b"".join(chunks) + outer
    offset = (_HEADER + len(body) - len(outer)).to_bytes(8, "big")
    digest = hashlib.sha256(body)
    digest.update(offset)
    return MAGIC + digest.digest() + offset + body


def entry_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "stories" / f"{key}.json"


def _story_fields() -> list[tuple[str, Any]]:
    return [(name, hint) for name, hint in _hints(Story) if name != "scenes"]


def _decode_story(
    key: str, outer: Any, data: memoryview, fallback: Callable[[], Mapping[str, Scene]], rebase: Rebase
) -> Story:
    if not (isinstance(outer, dict) and outer.get("key") == key):
        raise CacheMiss("an entry for another story")
    index, spans, endings = outer.get("index"), outer.get("spans"), outer.get("endings")
    if not (isinstance(index, dict) and isinstance(spans, list) and isinstance(endings, dict)):
        raise CacheMiss("no scene index")
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < len(spans) for n in index.values()):
        raise CacheMiss("a scene index pointing nowhere")
    for span in spans:
        if not (isinstance(span, list) and len(span) == 2 and all(type(x) is int for x in span)):
            raise CacheMiss("a chunk span that is not two numbers")
        if not _HEADER <= span[0] <= span[1] <= len(data):
            raise CacheMiss("a chunk span outside the file")
    if not all(isinstance(e, str) and sid in index for sid, e in endings.items()):
        raise CacheMiss("an ending of no scene")
    fields = outer.get("story")
    names = _story_fields()
    if not (isinstance(fields, list) and len(fields) == len(names)):
        raise CacheMiss("a story of the wrong shape")
    variables = _Decoder({}, lambda _s: False).decode(
        dict[str, model.Value], fields[[n for n, _ in names].index("variables")]
    )
    bounds = _Decoder({}, lambda _s: False).decode(
        dict[str, tuple[int | None, ...]], fields[[n for n, _ in names].index("bounds")]
    )
    decoder = _Decoder({k: type_name(v) for k, v in variables.items()}, index.__contains__, rebase, bounds)
    values = {name: decoder.decode(hint, value) for (name, hint), value in zip(names, fields, strict=True)}
    values["root"] = rebase.back(values["root"])
    values["files"] = [rebase.back(f) for f in values["files"]]
    scenes = LazyScenes(index, [tuple(s) for s in spans], endings, data, decoder, fallback)
    story = Story(**values, scenes=scenes)
    if story.content_hash != key or story.start not in index:
        raise CacheMiss("an entry for another story")
    return story


def load(cache_dir: Path, key: str, fallback: Callable[[], Mapping[str, Scene]], root: Path) -> Story | None:
    """The cached story for ``key``, or None (absent, damaged, forged, foreign: all a miss).

    ``fallback`` loads the story's scenes afresh, for a chunk that turns out not to decode;
    ``root``: the story folder as typed now (file names are rebased on it, ``Rebase``).
    """
    path = entry_path(cache_dir, key)
    try:
        from .safefiles import read_bytes_bounded

        data = memoryview(read_bytes_bounded(path, limit=1 << 34))
        offset = int.from_bytes(data[_OFFSET:_HEADER], "big")
        if data[:_DIGEST] != MAGIC or not _HEADER <= offset <= len(data):
            return None
        digest = hashlib.sha256(data[_HEADER:])
        digest.update(data[_OFFSET:_HEADER])
        if digest.digest() != data[_DIGEST:_OFFSET]:
            return None
        return _decode_story(key, _parse(data[offset:]), data, fallback, Rebase(root))
    except Exception:  # a damaged cache is never an error: it is a miss
        return None


def store(cache_dir: Path, key: str, story: Story, root: Path) -> None:
    """Write the entry atomically, one chunk at a time; a cache that cannot be written is skipped silently.

    ``root``: the folder as it was typed for this load (file names are stored relative to it).
    """
    path = entry_path(cache_dir, key)
    rebase = Rebase(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
                blob = json.dumps(_encode(chunk, rebase), ensure_ascii=False, separators=(",", ":")).encode()
                handle.write(blob)
                digest.update(blob)
                spans.append((at, at + len(blob)))
                at += len(blob)
                index.update(dict.fromkeys(chunk, number))
            endings = {sid: s.ending for sid, s in story.scenes.items() if s.ending is not None}
            fields = [_encode(getattr(story, name), rebase) for name, _ in _story_fields()]
            names = [name for name, _ in _story_fields()]
            fields[names.index("root")] = rebase.out(story.root)
            fields[names.index("files")] = [rebase.out(f) for f in story.files]
            outer = {"key": key, "story": fields, "index": index, "spans": spans, "endings": endings}
            blob = json.dumps(outer, ensure_ascii=False, separators=(",", ":")).encode()
            handle.write(blob)
            digest.update(blob)
            offset = at.to_bytes(8, "big")
            digest.update(offset)
            handle.seek(_DIGEST)
            handle.write(digest.digest() + offset)
        os.replace(tmp, path)
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
