"""The game in a real browser: Debian's Chromium, headless, driven by Playwright against ``evegame serve``.

Why Playwright: it drives the system Chromium through ``executable_path`` (no browser download),
its ``wait_for_function`` waits on what the page shows instead of sleeping, and ``page.evaluate``
reads xterm.js's own terminal buffer, which is the only place the text exists: textual-serve
paints the terminal on a canvas (WebGL), so the DOM holds no rows of text. The init script below
keeps a reference to each page's ``Terminal`` as textual.js creates it (``this.terminal = ...``).

Set ``EVEGAME_UPDATE_SCREENSHOTS=1`` to also write the README's screenshot into docs/images/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import ROOT
from serving import wait_for_exit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
README_SCREENSHOT = ROOT / "docs" / "images" / "evegame-in-a-browser.png"
WAIT_MS = 45_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no browser: /usr/bin/chromium is missing (apt-get install chromium)"
    ),
]

KEEP_TERMINALS = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer) window.__terminals.push(value);
  },
});
"""
SCREEN_TEXT = """() => {
  const terminal = window.__terminals[0];
  if (!terminal) return "";
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_tab(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1100, "height": 680})
    page.add_init_script(KEEP_TERMINALS)
    page.goto(url)
    return page


def wait_for_text(page, *texts: str) -> str:  # type: ignore[no-untyped-def]
    """Wait until every one of ``texts`` is on the terminal's screen at once; return the whole screen.

    A frame reaches the terminal in pieces: wait for everything the test then reads, not for one line of it.
    """
    page.wait_for_function(
        f"(want) => {{ const shown = ({SCREEN_TEXT})(); return want.every((text) => shown.includes(text)); }}",
        arg=list(texts),
        timeout=WAIT_MS,
    )
    return str(page.evaluate(SCREEN_TEXT))


def press(page, key: str) -> None:  # type: ignore[no-untyped-def]
    page.focus(".xterm-helper-textarea")  # the keyboard goes to the terminal (a click would pick a menu item)
    page.keyboard.press(key)


def test_a_game_in_the_browser_to_the_third_room_then_a_tab_closed_mid_game(browser, served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = open_tab(browser, served.url)
    assert "New game" in wait_for_text(page, "Three Rooms", "New game")
    press(page, "n")
    wait_for_text(page, "Rain on the cobbles.")
    press(page, "1")
    wait_for_text(page, "a brass key on a nail")
    press(page, "1")
    wait_for_text(page, "Shelves of letters")
    press(page, "1")
    # "^p palette" ends the footer line (read below for its width): wait until it is drawn too
    screen = wait_for_text(
        page, "The top of the house.", "Room Three", "Open the window with the brass key", "^p palette"
    )
    assert "Room Three" in screen and "Open the window with the brass key" in screen
    columns = int(page.evaluate("() => window.__terminals[0].cols"))
    footer = screen.rstrip("\n").splitlines()[-1]
    assert len(footer.rstrip()) > columns - 3, "the game fills the browser's terminal, not 80 columns of it"
    shot = tmp_path / "evegame-in-a-browser.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("EVEGAME_UPDATE_SCREENSHOTS"):
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, README_SCREENSHOT)
    [first_game] = served.games()  # one tab, one game process

    second = open_tab(browser, served.url)
    wait_for_text(second, "Continue")
    assert len(served.games()) == 2  # each tab is its own game

    page.close()  # the first tab goes away mid-game: its process ends, the server and the other tab go on
    assert wait_for_exit([first_game], timeout=30) == []
    assert len(served.games()) == 1
    press(second, "c")
    assert "Room Three" in wait_for_text(
        second, "The top of the house.", "Room Three"
    )  # the autosave of the closed tab's game
    second.close()
    assert served.wait_for_no_games() == []
    assert served.proc.poll() is None
