"""``evegame serve``: the Textual game in a web browser through textual-serve, one game process per tab.

textual-serve runs a fixed shell command for every browser connection and relays the terminal
over a websocket. This module builds that command from values fixed at start (the story folder
and the data folder, each shell-quoted), so nothing a browser sends chooses a path, and it adds
what a server needs around it: a cap on the games running at once, a same-origin check on the
websocket (and a Host check on loopback, against DNS rebinding), and a stop that leaves no game
process behind, on Ctrl+C or when a tab closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ipaddress
import logging
import os
import shlex
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("evegame.serve")

QUIT_GRACE = 5.0  # seconds a game has to quit when asked, before it is terminated
TERM_GRACE = 3.0  # seconds after SIGTERM before SIGKILL
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
FULL = (
    "\r\n  This server is running as many games as it allows ({limit}).\r\n  Close another tab, then press Restart.\r\n"
)


def game_command(story_dir: Path, data_dir: Path, python: str = sys.executable) -> str:
    """The shell command each browser tab runs: the full-screen game on fixed, quoted paths.

    ``exec`` replaces the shell, so the game is the server's own child and nothing sits between.
    """
    args = [python, "-m", "evegame", "play", "--tui", "--story", str(story_dir), "--data-dir", str(data_dir)]
    return "exec " + shlex.join(args)


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def end_with_parent() -> None:
    """In the game's process before it runs: on Linux, ask for SIGTERM when the server dies, even by SIGKILL.

    The game runs in its own session (Ctrl+C in the server's terminal is the server's to handle),
    so without this a killed server would leave its games running with no one to talk to.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class GameProcess(AppService):
    """One tab's game process: started in its own session (Ctrl+C in the server's terminal does not
    reach it), asked to quit when the tab goes, and terminated or killed if it does not."""

    _stopping: asyncio.Task[None] | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_shell(
            self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
            preexec_fn=end_with_parent,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def stop(self) -> None:
        """Stop the game (once, however many callers ask) and wait until its process is gone."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(super().stop(), QUIT_GRACE)
        process = self._process
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), TERM_GRACE)
        except TimeoutError:
            process.kill()
            await process.wait()

    def kill_now(self) -> None:
        """Last resort, outside any event loop: kill the process and reap it."""
        pid = self.pid
        if pid is None or (self._process is not None and self._process.returncode is not None):
            return
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


class GameServer(Server):
    """textual-serve's server with evegame's limits and clean stop."""

    def __init__(self, command: str, *, host: str, port: int, title: str, max_games: int) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.max_games = max_games
        self.games: set[GameProcess] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        self.stopping = False

    # -- the web application -------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Callable[[web.Request], Awaitable[Any]]) -> Any:
        """Refuse a Host that is not this loopback server (DNS rebinding) and a websocket from another site."""
        if is_loopback(self.host) and request.host not in self.loopback_names():
            raise web.HTTPForbidden(text="evegame serve answers only to the address it listens on\n")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="a game can only be played from its own page\n")
        return await handler(request)

    def loopback_names(self) -> set[str]:
        suffix = "" if self.port == 80 else f":{self.port}"
        own = f"[{self.host}]" if ":" in self.host else self.host
        return {f"{name}{suffix}" for name in (own, "127.0.0.1", "localhost", "[::1]")}

    async def handle_index(self, request: web.Request) -> Any:
        """The page, with its websocket address on the host the browser used (same origin)."""
        self.public_url = f"{request.scheme}://{request.host}"  # read synchronously by the page's template
        return await super().handle_index(request)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to print before the port is open (``serve`` says when it is)."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab's connection and stop every game."""
        for socket in list(self.sockets):
            await socket.close(code=1001, message=b"server stopped")
        await asyncio.gather(*(game.stop() for game in list(self.games)), return_exceptions=True)

    # -- one tab ---------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A browser tab: its own game process for as long as the connection lasts."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        if len(self.games) >= self.max_games:
            await websocket.send_bytes(FULL.format(limit=self.max_games).encode())
            await websocket.close()
            return websocket
        game = GameProcess(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,  # type: ignore[arg-type]  # returns a bool nobody reads
            download_manager=self.download_manager,
        )
        self.games.add(game)
        self.sockets.add(websocket)
        try:
            await game.start(max(1, min(width, 1000)), max(1, min(height, 1000)))
            await self._process_messages(websocket, game)
        except asyncio.CancelledError:
            pass
        except (ValueError, TypeError, KeyError, AttributeError, AssertionError) as exc:
            log.warning("a browser sent a message that is not the game's protocol (%s); its game is closed", exc)
        finally:
            self.sockets.discard(websocket)
            await game.stop()
            self.games.discard(game)  # only once its process has ended: else ``serve`` kills it at the end
            await websocket.close()
        return websocket

    # -- running ---------------------------------------------------------------------------

    def serve(self, debug: bool = False, *, ready: Callable[[], None] | None = None) -> None:
        """Serve until Ctrl+C (SIGINT) or SIGTERM; every game process has ended when this returns."""
        logging.basicConfig(level=logging.WARNING, format="evegame serve: %(message)s")
        loop = asyncio.new_event_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=(lambda *_: ready()) if ready else None,
                shutdown_timeout=QUIT_GRACE + TERM_GRACE + 1,
                access_log=None,
            )
        finally:
            for game in list(self.games):
                game.kill_now()

    def request_exit(self) -> None:
        """The first Ctrl+C stops the server; more while the games are closing are not needed and ignored."""
        if self.stopping:
            return
        self.stopping = True
        raise GracefulExit()
