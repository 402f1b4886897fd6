"""Drive the installed ``evegame`` in a real terminal: a private tmux server, keys in, the screen out.

tmux rather than pexpect + pyte: tmux is a terminal players really use, it emulates everything
Textual draws (pyte misses some of the escape sequences, so its screen can differ from what a
player sees), ``resize-window`` changes the size the way a window manager does (the program gets
SIGWINCH and the new size from the tty), ``remain-on-exit`` keeps a crashed program's last screen
(its traceback) to read, and it needs no Python package. Each test gets its own server socket.

Waiting is event-driven, not a sleep: tmux copies everything the program writes into a FIFO
(``pipe-pane``), and the test blocks on that FIFO until the program draws again, then reads the
screen. The deadline only bounds a hang.
"""

from __future__ import annotations

import os
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

TMUX = shutil.which("tmux")
EVEGAME = Path(sys.executable).with_name("evegame")
WAIT = 60.0  # seconds: a deadline for the game to draw something, never a speed assertion


class Terminal:
    """One evegame running in a tmux window of a chosen size."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (100, 30)) -> None:
        assert TMUX is not None
        self.socket = f"evegame-test-{uuid.uuid4().hex[:12]}"
        self.args, self.env, self.size = args, env, size
        self.folder = Path(tempfile.mkdtemp(prefix="evegame-tty-"))
        self.fifo = self.folder / "output"
        os.mkfifo(self.fifo)
        self.output = os.open(self.fifo, os.O_RDWR | os.O_NONBLOCK)  # our own writer end: never EOF
        self.started = False
        self.launches = 0
        self.name = "game0"  # the tmux session the program runs in (a new one each launch)
        self.start()

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [TMUX, "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self) -> None:
        """(Re)launch evegame in a fresh window of ``self.size``."""
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # COLUMNS/LINES exported, as some shells do: the game must still follow the window's real size
        command = (
            f"env COLUMNS=80 LINES=24 TERM=xterm-256color COLORTERM=truecolor {env} {shlex.quote(str(EVEGAME))} "
            + " ".join(shlex.quote(a) for a in self.args)
        )
        width, height = self.size
        before = self.name if self.started else None
        self.launches += 1
        self.name = f"game{self.launches}"
        # start the shell paused on a read, so the pipe and remain-on-exit are set before evegame writes a byte
        self.tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), f"read _go; exec {command}"
        )
        if before is not None:  # only now: killing the server's last session would end the server under us
            self.tmux("kill-session", "-t", before)
        self.tmux("set-option", "-t", self.name, "remain-on-exit", "on")
        self.tmux("pipe-pane", "-t", self.name, "-o", f"cat >> {shlex.quote(str(self.fifo))}")
        self.tmux("send-keys", "-t", self.name, "Enter")
        self.started = True

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def alive(self) -> bool:
        return self.tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "0"

    def wait_for(self, test: str | Callable[[str], bool], timeout: float = WAIT) -> str:
        """Poll the screen until ``test`` (a text, or a predicate) holds; fail with the screen if it never does."""
        check = (lambda s: test in s) if isinstance(test, str) else test
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if check(shown):
                return shown
            left = deadline - time.monotonic()
            if left <= 0 or not self.alive():
                shown = self.screen()
                if check(shown):  # it came true as the program ended (e.g. a test of the process itself)
                    return shown
                raise AssertionError(f"waited for {test!r}; the screen shows:\n{shown}")
            self._wait_for_output(left)

    def wait_for_all(self, *texts: str, timeout: float = WAIT) -> str:
        """Wait until every one of ``texts`` is on the screen at once.

        A frame reaches tmux in pieces (and a dialog is drawn over a few frames), so a screen that shows one
        line of it may not show the rest yet: wait for everything a test then reads, not for its first line.
        """
        return self.wait_for(lambda screen: all(text in screen for text in texts), timeout)

    def _wait_for_output(self, timeout: float) -> None:
        """Block until the program writes something (or ``timeout``), then take everything written."""
        ready, _, _ = select.select([self.output], [], [], min(timeout, 5.0))
        while ready:
            try:
                os.read(self.output, 65536)
            except BlockingIOError:
                break

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    def close(self) -> None:
        self.tmux("kill-server", check=False)
        os.close(self.output)
        shutil.rmtree(self.folder, ignore_errors=True)


def dialog_text(screen: str) -> str:
    """The words inside the dialog box on ``screen`` (its sides are drawn with █), its lines joined.

    A dialog wraps its text at its own width, so where a line breaks depends on what it quotes (a path
    in a temporary folder is longer on one machine than another): read it as one text.
    """
    inside = [line.split("█")[1] for line in screen.splitlines() if line.count("█") >= 2]
    return " ".join(" ".join(inside).split())


def evegame_env(data_dir: Path, cache_dir: Path) -> dict[str, str]:
    return {"EVEGAME_DATA_DIR": str(data_dir), "EVEGAME_CACHE_DIR": str(cache_dir), "NO_COLOR": ""} | {
        k: v for k, v in os.environ.items() if k in ("HOME", "PATH", "LANG", "LC_ALL")
    }
