"""The game session every front end shares (no user-interface library): saves, autosave, clock, labels.

The Textual TUI and the plain line mode are both clients of this package and of the engine,
so a game saved in one continues in the other.
"""

from .core import Chosen, GameSession, PlayClock, rebuild
from .labels import codex_markdown, counted, format_duration, format_saved_at, outcome_messages, slot_lines
from .transcript import Entry, to_markdown, transcript

__all__ = [
    "Chosen",
    "Entry",
    "GameSession",
    "PlayClock",
    "codex_markdown",
    "counted",
    "format_duration",
    "format_saved_at",
    "outcome_messages",
    "rebuild",
    "slot_lines",
    "to_markdown",
    "transcript",
]
