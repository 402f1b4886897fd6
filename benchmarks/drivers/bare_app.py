"""The start-up baseline: a bare Textual app that shows one Static, headless, and exits after its first refresh."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello from a bare Textual app")


async def exit_after_first_refresh(pilot: Pilot[None]) -> None:
    pilot.app.call_after_refresh(pilot.app.exit)


if __name__ == "__main__":
    Bare().run(headless=True, auto_pilot=exit_after_first_refresh)
