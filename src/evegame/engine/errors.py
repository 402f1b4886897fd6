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


class EvegameError(Exception):
    """Base of every error evegame reports to a user without a traceback."""


class StoryError(EvegameError):
    """A story that cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors) or "story has errors")


class ChoiceError(EvegameError):
    """A choice that cannot be taken now."""


class SaveError(EvegameError):
    """A save that cannot be read or written."""


class SlotChanged(SaveError):
    """Saving would replace a save this game has not seen: another game (or the player) wrote it.

    Nothing was written. Ask the player, then save again with ``overwrite=True``.
    """
