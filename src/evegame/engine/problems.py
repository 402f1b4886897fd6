"""Collecting problems against YAML paths, and turning them into located Problems."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import Problem, Severity
from .model import SourceLoc
from .yamlsource import locate


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


@dataclass
class Problems:
    """Problems found so far; located (line, col) only when asked for."""

    root: Path
    _pending: list[tuple[SourceLoc, str, Severity, str, tuple[int, int] | None, int | None]] = field(
        default_factory=list
    )

    def error(self, loc: SourceLoc, message: str, code: str = "", *, under: int | None = None) -> int:
        """Record an error; ``under`` is the problem (as returned here) it follows from. Returns its handle."""
        self._pending.append((loc, message, "error", code, None, under))
        return len(self._pending) - 1

    def warning(self, loc: SourceLoc, message: str, code: str = "", *, under: int | None = None) -> int:
        self._pending.append((loc, message, "warning", code, None, under))
        return len(self._pending) - 1

    def at(
        self, loc: SourceLoc, line: int, col: int, message: str, code: str = "", severity: Severity = "error"
    ) -> int:
        """A problem at a known position (YAML syntax, bad bytes, a repeated key)."""
        self._pending.append((loc, message, severity, code, (line, col), None))
        return len(self._pending) - 1

    @property
    def has_errors(self) -> bool:
        return any(p[2] == "error" for p in self._pending)

    def __len__(self) -> int:
        return len(self._pending)

    def resolve(self) -> list[Problem]:
        out = []
        for loc, message, severity, code, pos, _ in self._pending:
            if pos is None:
                pos = locate(loc.file, loc.path) if loc.path or Path(loc.file).is_file() else (0, 0)
            out.append(Problem(self.display(loc.file), pos[0], pos[1], message, severity, code))
        for i, pending in enumerate(self._pending):
            under = pending[5]
            if under is not None:
                out[i] = replace(out[i], cause=str(out[under]))
        return sorted(out)

    def display(self, file: str) -> str:
        """A path as the user typed the story folder: relative to the cwd when possible."""
        return display_path(file)


def display_path(file: str) -> str:
    """A story file's path as the user typed the story folder: relative to the cwd when possible."""
    path = Path(file)
    try:  # the folder resolved, not the file: a link is named as itself, never as its target
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
