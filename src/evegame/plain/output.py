"""Where plain mode writes: lines wrapped to the terminal width, colour only where it is wanted."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import TextIO

from .markdown import render, wrap

STYLES = {"title": "1", "number": "1;36", "note": "2", "problem": "33", "end": "1;35"}
MIN_WIDTH = 20


def terminal_width() -> int:
    """The terminal's width in columns (``COLUMNS`` first; 80 when there is no terminal)."""
    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)


@dataclass
class Output:
    stream: TextIO
    colour: bool = False
    width: int = 80

    def paint(self, text: str, style: str | None) -> str:
        if not self.colour or style is None or not text:
            return text
        return f"\x1b[{STYLES[style]}m{text}\x1b[0m"

    def line(self, text: str = "", style: str | None = None, *, indent: str = "", hang: str = "") -> None:
        """``text`` wrapped to the width, every line indented by ``indent`` and later ones also by ``hang``."""
        wrapped = wrap(text, self.width, indent, indent + hang) if text else ""
        self.stream.write(self.paint(wrapped, style) + "\n")

    def markdown(self, text: str) -> None:
        if text.strip():
            self.stream.write(render(text, self.width) + "\n")

    def numbered(self, number: int, text: str, style: str | None = None) -> None:
        """A numbered item, its text wrapped under itself: ``  2. Go to the desk``."""
        mark = f"{number:>3}. "
        body = wrap(text, self.width, mark, " " * len(mark))[len(mark) :]
        self.stream.write(self.paint(mark, "number") + self.paint(body, style) + "\n")

    def write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
