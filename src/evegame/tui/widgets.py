"""Small widgets of the play screen: the scene text with its typewriter, the choices, the status sidebar."""

from __future__ import annotations

from time import monotonic

from textual.await_complete import AwaitComplete
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ..engine import ChoiceView, Game

TICKS_PER_SECOND = 30


class SceneText(Markdown):
    """The scene's Markdown, optionally revealed a few characters at a time (any key skips)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._full = ""
        self._shown = 0
        self._speed = 0
        self._started = 0.0
        self._timer: Timer | None = None

    @property
    def revealing(self) -> bool:
        return self._timer is not None

    def show(self, text: str, speed: int = 0) -> AwaitComplete:
        """Show ``text``; with ``speed`` > 0 reveal it at that many characters per second.

        Returns what completes once the new text (or the start of its reveal) is mounted.
        """
        self._stop()
        self._full = text
        if speed <= 0 or not text:
            return self.update(text)
        self._speed = speed
        self._shown = 0
        self._started = monotonic()
        shown = self.update("")
        self._timer = self.set_interval(1 / TICKS_PER_SECOND, self._tick)
        return shown

    def _tick(self) -> None:
        """Show as much as the elapsed time allows: the speed holds even when ticks run late."""
        before = self._shown
        after = min(len(self._full), int((monotonic() - self._started) * self._speed))
        if after > before:
            self._shown = after
            self.append(self._full[before:after])
        if after >= len(self._full):
            self._stop()

    def skip(self) -> bool:
        """Show the whole text at once; True when a reveal was in progress."""
        if self._timer is None:
            return False
        self._stop()
        self.update(self._full)
        return True

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


class ReadingPane(VerticalScroll):
    """The scrolling text of a scene; ``more_below`` is True while some of it is out of view below."""

    more_below: reactive[bool] = reactive(False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_more()

    def watch_virtual_size(self) -> None:
        self._check_more()

    def on_resize(self) -> None:
        self._check_more()

    def _check_more(self) -> None:
        self.more_below = self.scroll_y < self.max_scroll_y


class MoreBelow(Static):
    """A one-line hint under a ReadingPane while there is more text below (hidden otherwise)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("▼ more below · PgDn or space reads on", id=id, markup=False)
        self.display = False

    def follow(self, pane: ReadingPane) -> None:
        self.watch(pane, "more_below", self._show)

    def _show(self, more: bool) -> None:
        self.display = more


class ChoiceList(OptionList):
    """The choices shown, numbered (the screen handles ``OptionSelected``: Enter or a click); locked ones greyed."""

    def show_choices(self, choices: list[ChoiceView]) -> None:
        """One option per choice; a locked choice is shown greyed (disabled) with its reason."""
        self.set_options(
            Option(Content.assemble((f"{c.number}. ", "bold"), c.text), id=c.id)
            if c.locked is None
            else Option(
                Content.assemble(f"{c.number}. {c.text} ", (f"(locked: {c.locked})", "italic")), id=c.id, disabled=True
            )
            for c in choices
        )
        first = next((i for i, c in enumerate(choices) if c.locked is None), None)
        if first is not None:
            self.highlighted = first


class StatusPanel(Static):
    """The variables the story shows players, as ``label: value`` lines (text, not colour).

    ``heading``: start with a "Status" line (the sidebar); the narrow panel has it as its border title.
    """

    def __init__(self, *, heading: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.heading = heading

    def show_game(self, game: Game, codex_seen: set[str]) -> None:
        """The game's status lines, then the choices made and the codex found (new entries counted)."""
        found = len(game.codex)
        new = len([c for c in game.codex if c not in codex_seen])
        extra = [("Choices made", str(len(game.path)))]
        if game.story.codex:
            extra.append(("Codex", f"{found}/{len(game.story.codex)}" + (f" ({new} new)" if new else "")))
        self.show_status(game.status(), extra)

    def show_status(self, lines: list[tuple[str, str]], extra: list[tuple[str, str]]) -> None:
        parts: list[Content | str] = [Content.styled("Status", "bold underline"), "\n"] if self.heading else []
        if not lines:
            parts.append("(nothing to show yet)\n")
        for label, value in lines:
            parts.extend([Content.styled(f"{label}:", "bold"), f" {value}\n"])
        parts.append("\n")
        for label, value in extra:
            parts.extend([Content.styled(f"{label}:", "bold"), f" {value}\n"])
        self.update(Content.assemble(*parts))
