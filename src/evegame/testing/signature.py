"""What the random walker knows on entering a scene, memoized by the values conditions read.

Every variable and visit count that some condition reads (of a choice, a paragraph or an
achievement) has a bit field in one int, the *signature*, holding a code for its value;
codes are handed out as values are met, in this process. A choice changes the fields of
what its effects (and its target's entry) touch, and the new bits depend only on the old
ones, so they are memoized per choice. On entering a scene, ``signature & mask`` (the
fields that scene's conditions read) picks its *view*: the choices available, the text
items shown and the words read. Each view is computed once by evaluating the conditions;
every later visit in the same view is one dictionary lookup.
"""

from __future__ import annotations

from typing import Any

from ..engine.conditions import Binary, Call, Condition, Lit, Node
from ..engine.operators import FUNCTIONS, OPERATORS, SCENE, Threshold
from ..engine.render import count_words
from .abstraction import children
from .sim import Table
from .textcov import Catalogue

Field = tuple[bool, str]  # (is a visit count, variable or scene id)
WIDE = 24  # bits of a field whose values cannot be counted in advance (numbers, lists)


class View(list[Any]):
    """[times entered, words read, items shown, moves available]: the tally of one view."""


class Signature:
    def __init__(self, table: Table, catalogue: Catalogue, moves: list[tuple[Any, ...]], max_steps: int) -> None:
        story = table.story
        self.moves = moves
        self.probes = catalogue.probes()
        self.item_words = [item.words for item in catalogue.items]
        self.base_words = [
            sum(count_words(p.text) for p in story.scenes[sid].paragraphs if p.condition is None) for sid in table.ids
        ]
        reads: list[set[Field]] = []
        for scene, keys in enumerate(catalogue.by_scene):
            conditions: list[Condition] = [c for k in keys for c, _ in catalogue.items[k].literals]
            conditions += [m.condition for m in table.moves[scene] if m.condition is not None]
            reads.append(
                {(False, v) for c in conditions for v in c.variables}
                | {(True, s) for c in conditions for s in c.scenes}
            )
        self.fields: list[Field] = sorted(set().union(*reads))
        self.codes: list[dict[Any, int]] = [{} for _ in self.fields]
        every = [c for keys in catalogue.by_scene for k in keys for c, _ in catalogue.items[k].literals]
        every += [m.condition for ms in table.moves for m in ms if m.condition is not None]
        self.caps = _visit_caps(every)
        self.widths = [self._width(story.variables, f, max_steps) for f in self.fields]
        self.shifts: list[int] = []
        shift = 0
        for width in self.widths:
            self.shifts.append(shift)
            shift += width
        index = {f: i for i, f in enumerate(self.fields)}

        def mask(fields: set[Field]) -> int:
            return sum(((1 << self.widths[index[f]]) - 1) << self.shifts[index[f]] for f in fields)

        self.masks = [mask(r) for r in reads]
        self.views: list[dict[int, View]] = [{} for _ in table.ids]
        # per choice: the fields it touches (as a mask and as indexes), and its memo
        self.touched: list[int] = [0] * len(table.choice_ids)
        self.changes: list[list[int]] = [[] for _ in table.choice_ids]
        for scene_moves in table.moves:
            for m in scene_moves:
                fields = {(False, e.var) for e in (*m.effects, *table.on_enter[m.goto])}
                fields = (fields | {(True, table.ids[m.goto])}) & set(index)
                self.touched[m.number] = mask(fields)
                self.changes[m.number] = sorted(index[f] for f in fields)
        self.memos: list[dict[int, int]] = [{} for _ in table.choice_ids]

    def _width(self, variables: dict[str, Any], f: Field, max_steps: int) -> int:
        is_visit, name = f
        if is_visit:
            return (min(self.caps.get(name) or max_steps + 1, max_steps + 1) + 1).bit_length()
        return 1 if isinstance(variables[name], bool) else WIDE

    def _code(self, i: int, variables: dict[str, Any], visits: dict[str, int]) -> int:
        is_visit, name = self.fields[i]
        value: Any
        if is_visit:
            value = visits.get(name, 0)
            cap = self.caps.get(name)
            if cap is not None and value > cap:  # beyond every constant it is compared with
                value = cap
        else:
            value = variables[name]
            if type(value) is list:  # lists change by replacement, never in place: a copy as a key
                value = tuple(value)
        codes = self.codes[i]
        code = codes.get(value)
        if code is None:
            code = codes[value] = len(codes)
            if code >> self.widths[i]:
                raise OverflowError(f"more than {1 << self.widths[i]} values of {name!r} met")
        return code << self.shifts[i]

    def initial(self, variables: dict[str, Any], visits: dict[str, int]) -> int:
        return sum(self._code(i, variables, visits) for i in range(len(self.fields)))

    def encode(self, number: int, variables: dict[str, Any], visits: dict[str, int]) -> int:
        """The bits of the fields choice ``number`` touches, for the values after taking it."""
        return sum(self._code(i, variables, visits) for i in self.changes[number])

    def view(self, scene: int, key: int, variables: dict[str, Any], visits: dict[str, int]) -> View:
        """The view of ``scene`` for these values (``key``: the signature's bits it reads)."""
        shown = tuple(k for ev, t, f in self.probes[scene] for k in (t if ev(variables, visits) else f))
        moves = tuple(m for m in self.moves[scene] if m[0] is None or m[0](variables, visits))
        words = self.base_words[scene] + sum(self.item_words[k] for k in shown)
        view = self.views[scene][key] = View((0, words, shown, moves))
        return view

    def text_hits(self, items: int) -> list[int]:
        """Times each conditional item was shown, from the views' tallies."""
        hits = [0] * items
        for views in self.views:
            for times, _words, shown, _moves in views.values():
                for k in shown:
                    hits[k] += times
        return hits


def _visit_caps(conditions: list[Condition]) -> dict[str, int | None]:
    """Per scene whose visits are read: the count above which no condition can tell counts
    apart (seen() and comparisons with constants only), or None (read otherwise)."""
    caps: dict[str, int | None] = {}

    def note(scene: str, cap: int | None) -> None:
        if scene in caps and caps[scene] is None:
            return
        caps[scene] = None if cap is None else max(cap, caps.get(scene) or 0)

    def walk(node: Node) -> None:
        if isinstance(node, Binary) and isinstance(OPERATORS[node.op].abstract, Threshold):
            for call, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(call, Call) and _scene_call(call) and isinstance(other, Lit):
                    note(call.arg, abs(int(other.value)) + 1)
                    return
        if isinstance(node, Call) and _scene_call(node):
            compared = FUNCTIONS[node.func].abstract
            note(node.arg, compared[1] + 1 if compared is not None else None)
            return
        for child in children(node):
            walk(child)

    for c in conditions:
        walk(c.tree)
    return caps


def _scene_call(node: Call) -> bool:
    return FUNCTIONS[node.func].args == (SCENE,)
