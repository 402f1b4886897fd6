"""``evegame serve`` as an operator meets it: safe defaults, limits, a clean stop, and no process left behind.

Connections are made with aiohttp's websocket client (the protocol the browser page speaks),
always to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from evegame.web.server import game_command, is_loopback
from serving import ROOMS, Served, free_port, processes_mentioning, start_server, wait_for_exit

pytestmark = pytest.mark.browser  # runs a server and game processes: with the browser tests


async def first_screen(url: str, **headers: str) -> bytes:
    """Open a tab's websocket and read until the game's title screen has arrived; then close it."""
    received = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url + "ws?width=90&height=30", headers=headers) as ws,
    ):
        while b"New game" not in received:
            message = await ws.receive(timeout=60)
            if message.type != aiohttp.WSMsgType.BINARY:
                break
            received += message.data
    return received


def test_a_hundred_connections_opened_and_closed_leave_no_process_and_the_server_still_plays(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data", "--max-games", "4")

    async def storm() -> None:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                async with session.ws_connect(server.url + "ws"):
                    pass

    try:
        asyncio.run(storm())
        assert len(server.games()) <= 4  # --max-games: the rest were turned away
        assert server.wait_for_no_games() == []
        assert server.proc.poll() is None
        assert b"New game" in asyncio.run(first_screen(server.url, Origin=server.url.rstrip("/")))
        assert server.wait_for_no_games() == []
    finally:
        assert server.stop() == 0
    assert processes_mentioning(str(server.data_dir)) == []


def test_more_tabs_than_allowed_are_told_why(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data", "--max-games", "1")
    try:

        async def two_tabs() -> bytes:
            async with aiohttp.ClientSession() as session, session.ws_connect(server.url + "ws") as first:
                await first.receive(timeout=60)  # the first game is running
                async with session.ws_connect(server.url + "ws") as second:
                    message = await second.receive(timeout=60)
                    assert (await second.receive(timeout=60)).type == aiohttp.WSMsgType.CLOSE
                    return bytes(message.data)

        assert b"as many games as it allows (1)" in asyncio.run(two_tabs())
    finally:
        assert server.stop() == 0
    assert processes_mentioning(str(server.data_dir)) == []


def test_another_site_or_host_name_is_refused(served: Served) -> None:
    async def status(path: str, **headers: str) -> int:
        async with aiohttp.ClientSession() as session, session.get(served.url + path, headers=headers) as response:
            return response.status

    assert asyncio.run(status("")) == 200
    assert asyncio.run(status("", Host=f"localhost:{served.port}")) == 200
    assert asyncio.run(status("", Host=f"attacker.example:{served.port}")) == 403  # DNS rebinding
    assert asyncio.run(status("ws", Origin="http://attacker.example")) == 403  # another site's page
    assert served.games() == []


def test_ctrl_c_stops_the_server_and_the_games_still_open(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data")

    async def ctrl_c_with_a_tab_open() -> None:
        async with aiohttp.ClientSession() as session, session.ws_connect(server.url + "ws") as tab:
            await tab.receive(timeout=60)
            assert len(server.games()) == 1
            server.proc.send_signal(signal.SIGINT)
            while (await tab.receive(timeout=60)).type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                pass

    asyncio.run(ctrl_c_with_a_tab_open())
    assert server.stop() == 0 and server.output[-1] == "evegame serve: stopped"
    assert processes_mentioning(str(server.data_dir)) == []


def test_a_killed_server_takes_its_games_with_it(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data")

    async def open_tab_and_kill_the_server() -> None:
        async with aiohttp.ClientSession() as session, session.ws_connect(server.url + "ws") as tab:
            await tab.receive(timeout=60)
            games = server.games()
            assert len(games) == 1
            server.proc.kill()  # SIGKILL: no clean stop at all
            assert wait_for_exit(games, timeout=30) == []

    asyncio.run(open_tab_and_kill_the_server())
    server.stop()
    assert processes_mentioning(str(server.data_dir)) == []


def test_any_other_host_is_warned_about(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as holder:  # the port is taken, so nothing is ever exposed beyond this machine
        holder.bind(("127.0.0.1", port))
        holder.listen()
        serve = [sys.executable, "-m", "evegame", "serve", "--story", str(ROOMS), "--data-dir", str(tmp_path)]
        run = subprocess.run(
            [*serve, "--host", "0.0.0.0", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert run.returncode == 1
    assert f"warning: listening on 0.0.0.0: anyone who can reach port {port} can play and write saves in" in run.stderr
    assert f"cannot listen on 0.0.0.0:{port}" in run.stderr and "Traceback" not in run.stderr


def test_without_the_web_extra_serve_says_how_to_install_it(tmp_path: Path) -> None:
    code = "import sys; sys.modules['textual_serve'] = None; from evegame.cli import main; sys.exit(main(['serve']))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 1
    assert run.stderr.strip() == (
        "evegame serve: the web server is not installed; install it with: pip install 'evegame[web]'"
    )


def test_a_broken_story_is_reported_before_serving(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("story: [\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "evegame", "serve", "--story", str(tmp_path), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1 and "story.yaml:" in run.stderr and "Traceback" not in run.stderr


def test_the_game_command_is_fixed_and_quoted() -> None:
    command = game_command(Path("/srv/my story; rm -rf ~"), Path("/data/$HOME"), python="/usr/bin/python3")
    assert command == (
        "exec /usr/bin/python3 -m evegame play --tui --story '/srv/my story; rm -rf ~' --data-dir '/data/$HOME'"
    )
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")
