"""Plain line mode: the game as text and typed commands, with no Textual (screen readers, pipes, scripts)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..engine import Story
from ..session import GameSession
from ..terminal import is_terminal, use_colour
from .game import PlainGame, Reader
from .output import Output, terminal_width

__all__ = ["PlainGame", "play_plain"]


def line_reader(stdin: TextIO, stdout: TextIO) -> Reader:
    """Lines typed at a terminal (with line editing), or read from a pipe and echoed after the prompt."""
    if stdin is sys.stdin and is_terminal(stdin) and is_terminal(stdout):

        def typed(prompt: str) -> str | None:
            try:
                return input(prompt)
            except EOFError:
                stdout.write("\n")
                return None

        return typed

    def piped(prompt: str) -> str | None:
        stdout.write(prompt)
        line = stdin.readline()
        stdout.write(line if line.endswith("\n") else line + "\n")  # the transcript shows what was typed
        stdout.flush()
        return line or None

    return piped


def play_plain(story: Story, data_dir: Path, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Play ``story`` in line mode with the saves under ``data_dir``; return the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    session = GameSession(story, data_dir, codex_hint="type codex")
    out = Output(stdout, colour=use_colour(stdout), width=terminal_width())
    return PlainGame(session, line_reader(stdin, stdout), out).run()
