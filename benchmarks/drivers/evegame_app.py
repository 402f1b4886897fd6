"""``evegame`` (play the shipped story) to its first screen, headless, exiting after the first refresh.

Goes through the real entry point, ``evegame.cli.run`` (the ``evegame`` program) with ``play``. The one change: ``App.run``
runs headless with the same autopilot as ``bare_app.py``, which exits once the screen is painted.
"""

from __future__ import annotations

import sys
from typing import Any

from textual.app import App
from textual.pilot import Pilot


async def exit_after_first_refresh(pilot: Pilot[Any]) -> None:
    pilot.app.call_after_refresh(pilot.app.exit)


_run = App.run


def headless_run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
    return _run(self, headless=True, auto_pilot=exit_after_first_refresh)


if __name__ == "__main__":
    App.run = headless_run  # type: ignore[method-assign]
    from evegame.cli import run

    sys.argv = ["evegame", "play", *sys.argv[1:]]
    run()
