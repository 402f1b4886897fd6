"""A live progress line on standard error, for work that may run past a couple of seconds.

Drawn only when the stream is a terminal (piped output and CI logs stay clean), redrawn at
most ten times a second, and erased when the work ends so the report starts on a clean line::

    explore: 1,204,480 states · 151,220/s · 8.0 s
    explore: 1,500 of 2,000 games · 1,873/s · 0.8 s · about 0.3 s left
"""

from __future__ import annotations

import shutil
import sys
import time
from types import TracebackType
from typing import TextIO

from .terminal import is_terminal


class ProgressLine:
    """``update(done)`` as work advances; ``close()`` (or leave the ``with`` block) when it ends."""

    def __init__(
        self,
        label: str,
        unit: str,
        *,
        total: int | None = None,
        stream: TextIO | None = None,
        interval: float = 0.1,
        enabled: bool | None = None,
    ) -> None:
        self.label, self.unit, self.total = label, unit, total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self.interval = interval
        self.began = time.monotonic()
        self._next = self.began + interval
        self._width = 0  # the length of the line on screen, to erase it

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def update(self, done: int, note: str = "") -> None:
        """Report ``done`` units so far; cheap when called often (it redraws at most every ``interval``)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + self.interval
        self._draw(self.line(done, now - self.began, note))

    def line(self, done: int, elapsed: float, note: str = "") -> str:
        """The text of the line: done (of total), rate, elapsed, and an estimate when the total is known."""
        count = f"{done:,} of {self.total:,} {self.unit}" if self.total is not None else f"{done:,} {self.unit}"
        parts = [f"{self.label}: {count}"]
        if elapsed > 0:
            parts.append(f"{done / elapsed:,.0f}/s")
        parts.append(f"{elapsed:.1f} s")
        if self.total is not None and 0 < done < self.total and elapsed > 0:
            parts.append(f"about {(self.total - done) * elapsed / done:.1f} s left")
        if note:
            parts.append(note)
        return " · ".join(parts)

    def close(self) -> None:
        """Erase the line (nothing to do when none was drawn)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def _draw(self, text: str) -> None:
        text = text[: max(10, shutil.get_terminal_size().columns - 1)]  # one row: a wrapped line cannot be erased
        pad = max(0, self._width - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._width = len(text)
