"""Files the game writes and reads back: atomic JSON writes, bounded reads, locks, backups, sweeping.

Everything read back (saves, settings, the gallery) is untrusted: ``read_json`` reads at most
``MAX_JSON_BYTES`` from a regular file (never a FIFO, a device or a folder, never blocking),
refuses numbers Python cannot hold sensibly (huge integers, ``NaN``, ``Infinity``, ``1e400``)
and nesting deeper than ``MAX_DEPTH``, and turns every problem into ``SaveError`` with a
one-line reason. Writes go through a temporary file in the same folder, ``fsync`` and
``os.replace``; a damaged file is moved to a ``.damaged`` name that never replaces an earlier one.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import SaveError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no advisory locks, one game per data folder
    fcntl = None  # type: ignore[assignment]

MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64  # lists and mappings inside each other; the game writes 3
MAX_INT_DIGITS = 100
LEFTOVER_AGE = 600.0  # seconds before a killed write's temp file is swept away
# ".<name>.json.<8 random characters>.tmp": what write_json_atomic creates, and nothing else.
TEMP_NAME = re.compile(r"\.[A-Za-z0-9_.-]+\.json\.[a-z0-9_]{8}\.tmp")

Fingerprint = tuple[int, int, int, int] | None  # (device, inode, size, mtime ns); None: no file


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so that ``path`` holds either the old or the new document, never a mix."""
    write_bytes_atomic(path, json.dumps(data, ensure_ascii=False, allow_nan=False).encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` through a temp file, fsync and rename; the folder is fsynced too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (best effort)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def fingerprint(path: Path) -> Fingerprint:
    """What ``path`` is on disk now (None when absent): a rename or rewrite changes it.

    A link to nothing (or a loop) is something: the link itself.
    """
    try:
        st = os.stat(path)
    except OSError:
        try:
            st = os.lstat(path)
        except OSError:
            return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def read_bytes_bounded(path: Path, limit: int = MAX_JSON_BYTES) -> bytes:
    """At most ``limit`` bytes of the regular file at ``path``; SaveError for anything else.

    Symlinks are followed only to regular files; FIFOs, devices, sockets and folders are
    refused before they are opened, and the file is opened non-blocking and checked again.
    """
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise SaveError("is a link to nothing" if os.path.islink(path) else "file is missing") from None
    except OSError as exc:
        raise SaveError(f"cannot read file: {_plain(exc)}") from None
    if not stat.S_ISREG(before.st_mode):
        raise SaveError(f"is not a regular file (it is {_kind(before.st_mode)})")
    if before.st_size > limit:
        raise SaveError(f"file is too large ({before.st_size:,} bytes; the limit is {limit:,})")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SaveError(f"cannot read file: {_plain(exc)}") from None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise SaveError("file changed while it was being read")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise SaveError(f"cannot read file: {_plain(exc)}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise SaveError(f"file is too large (more than {limit:,} bytes)")
    return b"".join(chunks)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _plain(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise SaveError(f"holds a number of {len(text.lstrip('-')):,} digits (the limit is {MAX_INT_DIGITS})")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise SaveError(f"holds a number too large to use ({text[:20]})")
    return value


def _constant(name: str) -> Any:
    raise SaveError(f"holds {name}, which is not a number a save can hold")


def parse_json(raw: bytes) -> Any:
    """JSON from untrusted bytes: SaveError (one line) for anything the game would not write."""
    if not raw.strip():
        raise SaveError("file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError("file is not UTF-8 text") from None
    if too_deep(text):
        raise SaveError(f"file nests lists or mappings too deeply (more than {MAX_DEPTH} levels)")
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise SaveError(f"file is truncated or corrupt (JSON error at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise SaveError(f"file nests lists or mappings too deeply (more than {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # e.g. Python's own limit on digits
        raise SaveError(f"file holds a value that cannot be read ({str(exc).splitlines()[0][:80]})") from None
    if _SURROGATE.search(text):  # rare: then check that every string is text that can be written back
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise SaveError("file holds text that is not valid Unicode (a lone surrogate)") from None
    return data


# A JSON string (an unfinished one runs to the end: matching stays linear on any input), and
# everything that is not a bracket. Possessive quantifiers: no backtracking.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # an escaped UTF-16 surrogate (alone, it is no character)


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and mappings nest more than ``limit`` deep in the JSON ``text``.

    Checked before parsing, in linear passes (strings dropped, then innermost bracket pairs
    removed once per level), so no parser or later code ever recurses that deep.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _ in range(limit):
        shorter = brackets.replace("[]", "").replace("{}", "")
        if shorter == brackets:  # nothing left, or unbalanced (then the parser reports it)
            return False
        brackets = shorter
    return bool(brackets.replace("[]", "").replace("{}", "") != brackets)


def read_json(path: Path, limit: int = MAX_JSON_BYTES) -> Any:
    """Read a JSON file the game wrote; raise SaveError with a readable one-line reason."""
    return parse_json(read_bytes_bounded(path, limit))


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock (``flock``) on ``lock_path`` while the body runs.

    Every evegame process takes it before it reads-and-writes the files it guards, so two
    games on one data folder take turns instead of overwriting each other's changes.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def backup_damaged(path: Path) -> Path:
    """Move ``path`` aside to ``<name>.damaged`` (or ``.damaged-2``, ``-3``, ...): never over an earlier backup."""
    for n in range(1, 10_000):
        aside = path.with_name(f"{path.name}.damaged" if n == 1 else f"{path.name}.damaged-{n}")
        try:
            os.link(path, aside, follow_symlinks=False)  # fails if ``aside`` exists: nothing is replaced
        except FileExistsError:
            continue
        except OSError:  # no hard links here: rename, having checked the name is free
            if aside.exists() or aside.is_symlink():
                continue
            os.rename(path, aside)
            return aside
        os.unlink(path)
        return aside
    raise OSError(f"too many backups of {path.name}")


def sweep_temp_files(folder: Path, min_age: float = LEFTOVER_AGE) -> int:
    """Remove temp files of writes that were killed (our own name pattern, regular files, older than ``min_age`` s).

    A temp file never is a save: it becomes one only by the final rename. Returns how many went.
    """
    removed = 0
    cutoff = time.time() - min_age
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not TEMP_NAME.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and st.st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
