"""Abstract states packed into one integer: the scene in the low bits, then one field per slot.

Hashing and comparing a Python int is much cheaper than a tuple of values, and a
choice changes a state by replacing a few bit fields. Each slot's values have
fixed codes that every process computes alike (so worker processes agree):

* numbers kept as thresholds: the index among every canonical value they can take;
* lists kept as tested names: a bit per name;
* flags: 0/1; other whole numbers: offset binary; strings: index among the values
  the story can give them. Lists kept whole (rare) get codes as they are met, in
  this process only: ``dynamic`` is then true and the search stays in one process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine.effects import EFFECTS, SlotChange
from .abstraction import INT, LIST, Analysis

WHOLE_INT_BITS = 40
OFFSET = 1 << (WHOLE_INT_BITS - 1)


@dataclass
class SlotCode:
    shift: int
    bits: int
    kind: str  # table | names | bool | int | dynamic
    table: list[Any] = field(default_factory=list)  # code -> value (table, dynamic)
    index: dict[Any, int] = field(default_factory=dict)  # value -> code (table, dynamic)
    names: tuple[str, ...] = ()

    @property
    def mask(self) -> int:
        return (1 << self.bits) - 1

    def encode(self, value: Any) -> int:
        kind = self.kind
        if kind == "names":
            code = 0
            for i, name in enumerate(self.names):
                if name in value:
                    code |= 1 << i
            return code
        if kind == "bool":
            return int(bool(value))
        if kind == "int":
            code = value + OFFSET
            if not 0 <= code < (1 << self.bits):
                raise OverflowError(f"a number reached {value}, beyond what exploration can hold")
            return code
        found = self.index.get(value)
        if found is not None:
            return found
        if kind != "dynamic":
            raise ValueError(f"value {value!r} was not foreseen by the analysis")
        code = self.index[value] = len(self.table)
        self.table.append(value)
        if code >= (1 << self.bits):
            raise OverflowError("too many distinct values of a list compared whole")
        return code

    def decode(self, code: int) -> Any:
        kind = self.kind
        if kind == "names":
            return tuple(name for i, name in enumerate(self.names) if code >> i & 1)
        if kind == "bool":
            return bool(code)
        if kind == "int":
            return code - OFFSET
        return self.table[code]


class Codec:
    """Packs (scene, slot values) into an int and back."""

    def __init__(self, an: Analysis) -> None:
        table = an.table
        self.scene_bits = max(1, (len(table.ids) - 1).bit_length())
        self.scene_mask = (1 << self.scene_bits) - 1
        self.dynamic = False
        self.slots: list[SlotCode] = []
        shift = self.scene_bits
        story_strings = _string_values(an)
        for slot, kind in enumerate(an.kind):
            default = an.defaults[slot]
            if kind == INT:
                values = sorted({v for s in range(len(table.ids)) for v in an.reps(slot, s)} | {0})
                code = SlotCode(shift, max(1, (len(values) - 1).bit_length()), "table", values)
            elif kind == LIST:
                names = tuple(sorted({n for s in an.keep_names[slot] for n in s}))
                code = SlotCode(shift, max(1, len(names)), "names", names=names)
            elif isinstance(default, bool):
                code = SlotCode(shift, 1, "bool")
            elif isinstance(default, int):
                code = SlotCode(shift, WHOLE_INT_BITS, "int")
            elif isinstance(default, str):
                strings = sorted(story_strings.get(slot, set()) | {default})
                code = SlotCode(shift, max(1, (len(strings) - 1).bit_length()), "table", list(strings))
            else:
                self.dynamic = True
                code = SlotCode(shift, 32, "dynamic")
            if code.kind == "table":
                code.index = {v: i for i, v in enumerate(code.table)}
            self.slots.append(code)
            shift += code.bits
        self.width = (shift + 7) // 8  # bytes per packed state

    def pack(self, scene: int, values: list[Any]) -> int:
        key = scene
        for code, value in zip(self.slots, values, strict=True):
            key |= code.encode(value) << code.shift
        return key

    def value(self, key: int, slot: int) -> Any:
        code = self.slots[slot]
        return code.decode(key >> code.shift & code.mask)


def _string_values(an: Analysis) -> dict[int, set[str]]:
    """Every string a story's effects can set each string variable to."""
    out: dict[int, set[str]] = {}
    table = an.table
    effects = [e for moves in table.moves for m in moves for e in m.effects]
    effects += [e for enter in table.on_enter for e in enter]
    for effect in effects:
        abstract = EFFECTS[effect.op].abstract
        change = abstract(SlotChange(), effect.value) if abstract is not None else None
        if change is not None and change.shift is None and isinstance(change.const, str):
            out.setdefault(an.slot[effect.var], set()).add(change.const)
    return out
