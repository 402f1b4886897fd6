"""Settings: theme, text reveal speed (typewriter), animations; saved as soon as they change."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Switch

from .base import Panel

SPEEDS = [("Instant", 0), ("Fast (120 characters/s)", 120), ("Medium (60/s)", 60), ("Slow (30/s)", 30)]


class SettingsScreen(Panel):
    def compose(self) -> ComposeResult:
        settings = self.eve.settings
        themes = sorted(name for name in self.app.available_themes if name != "textual-ansi")
        speeds = list(SPEEDS)
        if settings.reveal_speed not in [v for _, v in speeds]:
            speeds.append((f"{settings.reveal_speed} characters/s", settings.reveal_speed))
        with Vertical(classes="panel-box") as box:
            box.border_title = "Settings"
            box.border_subtitle = "saved at once · escape closes"
            with Horizontal(classes="setting"):
                yield Label("Theme", classes="setting-label")
                yield Select(
                    [(t, t) for t in themes], value=self.app.theme, allow_blank=False, id="theme", compact=True
                )
            with Horizontal(classes="setting"):
                yield Label("Text reveal", classes="setting-label")
                yield Select(speeds, value=settings.reveal_speed, allow_blank=False, id="speed", compact=True)
            with Horizontal(classes="setting"):
                yield Label("Animations", classes="setting-label")
                yield Switch(value=settings.animations, id="animations")
                yield Label("on" if settings.animations else "off", id="animations-state")

    @on(Select.Changed, "#theme")
    def _theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.app.theme:
            self.app.theme = event.value  # the app saves it (theme_changed_signal)

    @on(Select.Changed, "#speed")
    def _speed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.eve.settings.reveal_speed:
            self.eve.settings.reveal_speed = event.value
            self.eve.save_settings()

    @on(Switch.Changed, "#animations")
    def _animations(self, event: Switch.Changed) -> None:
        self.eve.settings.animations = event.value
        self.query_one("#animations-state", Label).update("on" if event.value else "off")
        self.eve.save_settings()
