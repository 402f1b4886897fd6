"""The save and load screens: nine slots (for loading also the autosave and the previous games), damaged files
with their reason."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...engine.saves import AUTOSAVE, PREVIOUS, SLOTS, SaveInfo
from ...session import slot_lines
from .base import Panel
from .dialogs import ConfirmScreen


class SlotsScreen(Panel):
    """Pick a slot to save into (``mode="save"``) or to load from (``mode="load"``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("1", "slot('1')", "Slot", key_display="1-9"),
        *(Binding(s, f"slot('{s}')", f"Slot {s}", show=False) for s in SLOTS[1:]),
        Binding("a", "slot('auto')", "Autosave (load)"),
    ]

    def __init__(self, mode: Literal["save", "load"]) -> None:
        super().__init__(classes="panel")
        self.mode = mode
        self.infos: dict[str, SaveInfo | None] = {}

    @property
    def slots(self) -> list[str]:
        """Saving: slots 1-9. Loading: the autosave, the previous games kept (New game put them aside), 1-9."""
        if self.mode == "save":
            return SLOTS
        kept = [slot for slot in PREVIOUS if self.eve.saves.path(slot).exists()]
        return [AUTOSAVE, *kept, *SLOTS]

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel-box") as box:
            box.border_title = "Save the game" if self.mode == "save" else "Load a game"
            box.border_subtitle = "1-9 or enter picks · escape closes"
            lead = "Pick a slot to save into." if self.mode == "save" else "Pick a save to load."
            yield Static(lead, classes="panel-lead")
            yield OptionList(id="slots")

    def on_mount(self) -> None:
        self.refresh_slots()

    def refresh_slots(self, *, highlight_free: bool = False) -> None:
        """List the slots as they are on disk now; ``highlight_free``: the first empty slot is highlighted."""
        saves = self.eve.saves
        options = []
        for slot in self.slots:
            info = saves.info(slot)
            self.infos[slot] = info
            head, detail = slot_lines(slot, info)
            style = "bold" if info is not None and info.ok else ("bold reverse" if info is not None else "dim")
            text = Content.assemble((head, style), f"\n{detail}" if detail else "")
            options.append(Option(text, id=f"slot-{slot}"))
        menu = self.query_one("#slots", OptionList)
        menu.set_options(options)
        free = [i for i, slot in enumerate(self.slots) if self.infos[slot] is None]
        menu.highlighted = free[0] if highlight_free and free else 0
        menu.focus()

    @on(OptionList.OptionSelected, "#slots")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_slot((event.option.id or "slot-1").removeprefix("slot-"))

    def action_slot(self, slot: str) -> None:
        if slot not in self.slots:
            return
        info = self.infos.get(slot)
        if self.mode == "load":
            if info is None:
                self.notify(f"Slot {slot} is empty.", severity="warning")
            elif not info.ok:
                self.notify(f"That save is damaged: {info.reason}", title="Load", severity="error", markup=False)
            else:
                self.dismiss(None)
                self.eve.load_slot(slot)
            return
        if info is None:
            self._save(slot)
            return
        what = f"the save of {info.scene_title}" if info.ok else "a damaged save file"
        question = ConfirmScreen(f"Overwrite slot {slot}?", f"It holds {what}.", yes="Overwrite", no="Cancel")
        self.app.push_screen(question, lambda yes: self._save(slot) if yes else None)

    def _save(self, slot: str) -> None:
        self.eve.save_slot(slot, then=lambda: self.dismiss(None))
