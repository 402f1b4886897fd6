"""Problems found in a story, and the error that carries them to the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a story, located in its source file."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"
    code: str = field(default="", compare=False)
    cause: str = field(default="", compare=False)  # str() of the problem this one follows from

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


# Problems that other problems follow from: they are listed first.
ROOT_CODES = frozenset({"yaml", "duplicate-key", "manifest", "structure"})
SHOWN_ALIKE = 5  # a message repeated more often is shown this many times, then counted


@dataclass
class ProblemGroup:
    """A problem as reported: the problems that follow from it, and how many more alike were left out."""

    problem: Problem
    follows: list[Problem] = field(default_factory=list)
    more_like_this: int = 0

    def lines(self) -> list[str]:
        out = [str(self.problem)]
        out += [f"  {p}" for p in self.follows]
        if self.more_like_this:
            out.append(f"... and {self.more_like_this:,} more like this")
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "problem": self.problem.to_dict(),
            "follows": [p.to_dict() for p in self.follows],
            "more_like_this": self.more_like_this,
        }


def group_problems(problems: list[Problem]) -> list[ProblemGroup]:
    """Root causes first, each with the problems that follow from it folded under it;
    a message repeated more than ``SHOWN_ALIKE`` times is kept that often, then counted."""
    known = {str(p) for p in problems}
    follows: dict[str, list[Problem]] = {}
    roots = []
    for p in sorted(problems):
        if p.cause and p.cause in known:
            follows.setdefault(p.cause, []).append(p)
        else:
            roots.append(p)

    def rank(p: Problem) -> tuple[int, Problem]:
        first = p.code in ROOT_CODES or str(p) in follows
        return (0 if first else 1 if p.severity == "error" else 2, p)

    groups: list[ProblemGroup] = []
    alike: dict[tuple[str, str], ProblemGroup] = {}
    seen: dict[tuple[str, str], int] = {}
    for p in sorted(roots, key=rank):
        key = (p.severity, p.message)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > SHOWN_ALIKE:
            alike[key].more_like_this += 1 + len(follows.get(str(p), ()))
            continue
        group = ProblemGroup(p, follows.get(str(p), []))
        alike[key] = group
        groups.append(group)
    return groups


def problem_lines(problems: list[Problem]) -> list[str]:
    """The problems as text lines, grouped (see ``group_problems``)."""
    return [line for group in group_problems(problems) for line in group.lines()]


class EvegameError(Exception):
    """Base of every error evegame reports to a user without a traceback."""


class StoryError(EvegameError):
    """A story that cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__("\n".join(problem_lines(errors)) or "story has errors")


class ChoiceError(EvegameError):
    """A choice that cannot be taken now."""


class SaveError(EvegameError):
    """A save that cannot be read or written."""


class SlotChanged(SaveError):
    """Saving would replace a save this game has not seen: another game (or the player) wrote it.

    Nothing was written. Ask the player, then save again with ``overwrite=True``.
    """
