"""Which conditional text the exhaustive search can show, and why the rest never shows.

A text item (``textcov``) is shown when its scene is entered in a state where its
conditions hold. The search's abstract states keep only what choice conditions can
read, so they cannot answer that by themselves; keeping what *every* text condition
reads too would multiply the states. So:

1. a quick seeded random pass (``PREPASS_GAMES`` games) shows most items: each game
   is a real play, so an item it shows is shown;
2. the conditions of the items it never shows are handed to the search's abstraction
   as if choices read them on entering their scenes; the search then keeps exactly
   what they read, and each such item is decided on the states of its scenes.

The answer is exact either way (it does not depend on the random pass, only the
number of states does). For an item that no state shows, the reason names the parts
of its condition whose values never meet what it needs (``'father' is in secrets in
every state that reaches here``), from the values the states at its scenes hold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from heapq import heappop, heappush
from itertools import product
from typing import Any, cast

from ..engine.conditions import Binary, Call, Condition, Lit, Node, Var
from ..engine.effects import compile_effects, compile_entry
from ..engine.model import Clamp, Story
from ..engine.operators import FUNCTIONS, MEMBERSHIP, OPERATORS, SCENE
from .abstraction import INF, INT, WHOLE, Analysis, children
from .packing import Codec
from .sim import Table
from .textcov import Catalogue, TextItem

PREPASS_GAMES = 2000
PASSENGER_CAP = 512  # values of what open text reads one state may hold; beyond, the search keeps them
MAX_COMBINATIONS = 4096  # values a reason enumerates for one item; beyond, no per-part reason

Atom = tuple[str, str, str]  # ("name", list, item) | ("var", variable, "") | ("visits", scene, "")


@dataclass
class Reach:
    """Per catalogue item: shown or not; why an item is never shown; why no answer is given."""

    shown: list[bool]
    reasons: dict[int, str] = field(default_factory=dict)
    undecided: dict[int, str] = field(default_factory=dict)


class TextReach:
    """The random pass and the observations for the search (built before it), then ``judge``."""

    def __init__(self, story: Story) -> None:
        from .randomwalk import explore_random

        pre = explore_random(story, PREPASS_GAMES, seed=0)
        self.catalogue = cat = pre.catalogue
        self.seen = [hits > 0 for hits in pre.text_hits]
        self.open = [k for k in cat.conditional if cat.items[k].literals and not self.seen[k]]
        self.observations: tuple[tuple[int, Condition], ...] = tuple(
            (s, c) for k in self.open for s in cat.items[k].scenes for c, _ in cat.items[k].literals
        )
        self.names, self.scenes = _read_by(cat, self.open)
        # Whether deciding along paths needs each edge's choice (``judge_by_paths``' labels): only when
        # some choice's effects change what the open text reads; else the scene entered is enough.
        self.by_choice = any(e.var in self.names for ms in cat.table.moves for m in ms for e in m.effects)

    def judge_by_paths(
        self,
        table: Table,
        keys: list[int],
        succ: list[tuple[int, ...]],
        labels: Mapping[int, tuple[int, ...]],
        scene_mask: int,
        *,
        complete: bool,
    ) -> Reach | None:
        """Decide the open items on the explored graph, its states kept without what they read.

        What an open item reads changes along a path by the choices' effects only (no choice
        condition reads it: else the search would keep it), so the values it can hold in a state
        are those its effects give along every path there: propagated forward over the graph's
        edges (choice number from ``labels`` when ``by_choice``, and target), as exact values. None
        when some state gathers more than ``PASSENGER_CAP`` of them (a loop that keeps adding): the
        search must keep them itself. An item none of whose scenes the search met needs no values.
        """
        cat = self.catalogue
        reach = self._seen_reach()
        if not self.open:
            return reach
        exact = Exact(table, tuple(table.story.variables), tuple(self.scenes))
        present = set(map(scene_mask.__and__, keys))
        live = [k for k in self.open if any(s in present for s in cat.items[k].scenes)]
        met: dict[int, set[tuple[Any, ...]]] = {}
        if live:
            carried = _Carry(self, table, exact, live, reach).run(keys, succ, labels, scene_mask)
            if carried is None:
                return None
            met = carried
        decide_exact(cat, [k for k in self.open if not reach.shown[k]], exact, met, reach, complete=complete)
        return reach

    def _seen_reach(self) -> Reach:
        cat = self.catalogue
        shown = [False] * len(cat.items)
        for k in cat.conditional:
            shown[k] = self.seen[k] or not cat.items[k].literals
        return Reach(shown)

    def judge(self, an: Analysis, codec: Codec, keys: list[int], *, complete: bool) -> Reach:
        """Decide the open items on the explored states (``keys``); ``complete``: no bound was hit."""
        cat = self.catalogue
        shown = [False] * len(cat.items)
        for k in cat.conditional:
            shown[k] = self.seen[k] or not cat.items[k].literals
        reach = Reach(shown)
        if not self.open:
            return reach
        slots = {k: slots_read(an, cat.items[k]) for k in self.open}
        masks: dict[int, int] = {}
        for k in self.open:
            for s in cat.items[k].scenes:
                for slot in slots[k]:
                    code = codec.slots[slot]
                    masks[s] = masks.get(s, 0) | (code.mask << code.shift)
        met: dict[int, set[int]] = {s: set() for s in masks}
        scene_mask = codec.scene_mask
        for key in keys:
            m = masks.get(key & scene_mask)
            if m is not None:
                met[key & scene_mask].add(key & m)
        for k in self.open:
            item = cat.items[k]
            views = [(s, _values(an, codec, slots[k], bits)) for s in item.scenes if met.get(s) for bits in met[s]]
            if any(_holds(an, item, values) for _s, values in views):
                shown[k] = True
                continue
            _judged(an, item, k, views, reach, complete)
        return reach


class _Always:
    """``x[scene]`` is the same for every scene."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __getitem__(self, _scene: int) -> Any:
        return self.value


class Exact:
    """What the reasons read of an ``Analysis``, over exact values: slots are ``variables`` then the
    visit counts of ``counters``, and each number is its own interval (no cut points)."""

    def __init__(self, table: Table, variables: tuple[str, ...], counters: tuple[str, ...]) -> None:
        story = table.story
        self.table = table
        self.variables, self.counters = variables, counters
        self.slot = {n: i for i, n in enumerate(variables)}
        self.counter_slot = {s: len(variables) + i for i, s in enumerate(counters)}
        self.kind = [INT if type(story.variables[v]) is int else WHOLE for v in variables] + [INT] * len(counters)
        self.cuts = [_Always(())] * len(self.kind)
        self.range = [_Always(None)] * len(self.kind)


def _read_by(cat: Catalogue, items: list[int]) -> tuple[list[str], list[str]]:
    """The variables (with those an expression setting one reads) and the visit counts ``items`` read."""
    table = cat.table
    names: set[str] = set()
    scenes: set[str] = set()
    for k in items:
        for cond, _ in cat.items[k].literals:
            names |= cond.variables
            scenes |= cond.scenes
    effects = [e for ms in table.moves for m in ms for e in m.effects] + [e for en in table.on_enter for e in en]
    grown = True
    while grown:  # an expression setting a variable read makes what it reads read too
        before = len(names)
        for e in effects:
            if e.var in names and isinstance(e.value, Clamp) and not isinstance(e.value.amount, int):
                names |= e.value.amount.variables
        grown = len(names) > before
    return sorted(names), sorted(scenes)


Step = Callable[[tuple[Any, ...]], tuple[Any, ...]]


class _Carry:
    """``TextReach.judge_by_paths``' propagation: the exact values of what the open text reads, carried
    along the graph's edges. Each distinct set of values is interned as an int, so a state holds one
    int and an edge's step and a merge are memoized on ints; a step that changes nothing is skipped."""

    def __init__(self, reach: TextReach, table: Table, exact: Exact, live: list[int], out: Reach) -> None:
        story, cat = table.story, reach.catalogue
        self.table, self.cat, self.out = table, cat, out
        self.names, self.by_choice = reach.names, reach.by_choice
        self.an = cast(Analysis, exact)
        self.slots = [exact.slot[v] for v in self.names] + [exact.counter_slot[s] for s in reach.scenes]
        self.full = len(exact.kind)
        self.counter_at = {table.index[s]: len(self.names) + i for i, s in enumerate(reach.scenes)}
        self.moves = {m.number: m for ms in table.moves for m in ms}
        start_vars = table.initial_variables()
        start_visits: dict[str, int] = {}
        compile_entry(table.ids[table.start], story.scenes[table.ids[table.start]].on_enter, (), count=True)(
            start_vars, start_visits, []
        )
        first = tuple(_hashable(start_vars[v]) for v in self.names) + tuple(
            start_visits.get(s, 0) for s in reach.scenes
        )
        self.sets: list[frozenset[tuple[Any, ...]]] = [frozenset([first])]
        self.ids: dict[frozenset[tuple[Any, ...]], int] = {self.sets[0]: 0}
        # per scene, the live items there not shown yet: once every one is, the rest needs no values
        self.pending: dict[int, list[int]] = {}
        for k in live:
            for sc in cat.items[k].scenes:
                self.pending.setdefault(sc, []).append(k)
        self.arrivals: dict[int, set[int]] = {s: set() for s in self.pending}  # value sets met per scene
        self.left = len(live)

    def intern(self, values: frozenset[tuple[Any, ...]]) -> int:
        n = self.ids.get(values)
        if n is None:
            n = self.ids[values] = len(self.sets)
            self.sets.append(values)
        return n

    def step(self, number: int, target: int) -> Step | None:
        """The values after choice ``number`` (-1: any, none changes them) enters ``target``; None: unchanged."""
        effects = (*(self.moves[number].effects if number >= 0 else ()), *self.table.on_enter[target])
        appliers = compile_effects(tuple(e for e in effects if e.var in self.names))
        counter = self.counter_at.get(target)
        if not appliers and counter is None:
            return None
        names = self.names
        width = len(names)

        def apply(values: tuple[Any, ...]) -> tuple[Any, ...]:
            variables = {v: list(x) if isinstance(x, tuple) else x for v, x in zip(names, values, strict=False)}
            for a in appliers:
                a(variables, [])
            out = [_hashable(variables[v]) for v in names] + list(values[width:])
            if counter is not None:
                out[counter] += 1
            return tuple(out)

        return apply

    def arrived(self, scene: int, vid: int) -> None:
        """Values ``vid`` met at ``scene``: show the items there they make hold."""
        waiting = self.pending.get(scene)
        if not waiting:
            return
        met = self.arrivals[scene]
        if vid in met:
            return
        met.add(vid)
        shown, items = self.out.shown, self.cat.items
        for k in waiting:
            if not shown[k] and any(
                _holds(self.an, items[k], dict(enumerate(_spread(v, self.slots, self.full)))) for v in self.sets[vid]
            ):
                shown[k] = True
                self.left -= 1
        self.pending[scene] = [k for k in waiting if not shown[k]]

    def run(
        self, keys: list[int], succ: list[tuple[int, ...]], labels: Mapping[int, tuple[int, ...]], scene_mask: int
    ) -> dict[int, set[tuple[Any, ...]]] | None:
        """The values met per scene of a pending item (all of them once every live item is shown);
        None when some state gathers more than ``PASSENGER_CAP``."""
        n_scenes = len(self.table.ids)
        by_choice = self.by_choice
        # (choice number * scenes + target), or the target alone: the step's memo (value set -> value set)
        steps: dict[int, tuple[Step | None, dict[int, int]]] = {}
        unions: dict[tuple[int, int], int] = {}
        sets, intern, pending, arrived = self.sets, self.intern, self.pending, self.arrived
        vals = [-1] * len(keys)
        vals[0] = 0
        arrived(keys[0] & scene_mask, 0)
        dirty: list[int] = []
        queued = bytearray(len(keys))
        front = 0  # states below this index were passed: a change to one queues it again
        no_labels: tuple[int, ...] = ()

        def push(i: int) -> bool:
            """Carry state i's values along its edges; False when some state holds too many."""
            here = vals[i]
            out = succ[i]
            for j, number in zip(out, labels.get(i, no_labels) if by_choice else out, strict=True):
                target = keys[j] & scene_mask
                at = number * n_scenes + target if by_choice else target
                got_step = steps.get(at)
                if got_step is None:
                    got_step = steps[at] = (self.step(number if by_choice else -1, target), {})
                fn, memo = got_step
                if fn is None:
                    got = here
                else:
                    got = memo.get(here, -1)
                    if got < 0:
                        got = memo[here] = intern(frozenset(map(fn, sets[here])))
                old = vals[j]
                if old == got:
                    continue
                if old < 0:
                    vals[j] = got
                else:
                    new = unions.get((old, got))
                    if new is None:
                        merged = sets[old] | sets[got]
                        if len(merged) > PASSENGER_CAP:
                            return False
                        new = unions[(old, got)] = intern(merged)
                    if new == old:
                        continue
                    vals[j] = new
                if target in pending:
                    arrived(target, got)
                if j < front and not queued[j]:  # a state already passed (a loop back): again later
                    queued[j] = 1
                    heappush(dirty, j)
            return True

        # In search order, predecessors mostly come first: one pass settles nearly every state.
        for i in range(len(keys)):
            front = i + 1
            if not self.left:
                break  # every live item is shown
            if not push(i):
                return None
        front = len(keys)
        while dirty and self.left:  # the loops' changes, earliest state first (in search order again)
            i = heappop(dirty)
            queued[i] = 0
            if not push(i):
                return None
        return {
            s: {_spread(v, self.slots, self.full) for n in met for v in sets[n]} for s, met in self.arrivals.items()
        }


def decide_exact(
    cat: Catalogue, items: list[int], ex: Exact, met: dict[int, set[tuple[Any, ...]]], reach: Reach, *, complete: bool
) -> None:
    """Decide ``items`` on exact values met per scene (``met``: scene -> value tuples over ``ex``'s slots)."""
    an = cast(Analysis, ex)
    for k in items:
        item = cat.items[k]
        slots = slots_read(an, item)
        views = [
            (s, dict(zip(slots, seen, strict=True)))
            for s in item.scenes
            for seen in {tuple(values[i] for i in slots) for values in met.get(s, ())}
        ]
        if any(_holds(an, item, values) for _s, values in views):
            reach.shown[k] = True
            continue
        _judged(an, item, k, views, reach, complete)


def _judged(
    an: Analysis, item: TextItem, k: int, views: list[tuple[int, dict[int, Any]]], reach: Reach, complete: bool
) -> None:
    """Record why an item no state shows is never shown (or, with a bound hit, undecided)."""
    if not views:
        why = "its scene is never reached" if len(item.scenes) == 1 else "no ending is reached"
    else:
        why = _why(an, item, views)
    if complete:
        reach.reasons[k] = why
    else:
        reach.undecided[k] = f"not shown within the search's bounds ({why})"


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _spread(values: tuple[Any, ...], slots: list[int], width: int) -> tuple[Any, ...]:
    """Values of some slots as a tuple over every slot (the others None, never read)."""
    out: list[Any] = [None] * width
    for slot, v in zip(slots, values, strict=True):
        out[slot] = v
    return tuple(out)


def slots_read(an: Analysis, item: TextItem) -> list[int]:
    """The slots an item's conditions read: its variables and its visit counts."""
    out = set()
    for cond, _ in item.literals:
        out |= {an.slot[v] for v in cond.variables} | {an.counter_slot[s] for s in cond.scenes}
    return sorted(out)


def _values(an: Analysis, codec: Codec, slots: list[int], bits: int) -> dict[int, Any]:
    return {slot: codec.value(bits, slot) for slot in slots}


def _env(an: Analysis, values: dict[int, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    variables: dict[str, Any] = {}
    visits: dict[str, int] = {}
    nv = len(an.variables)
    for slot, v in values.items():
        if slot < nv:
            variables[an.variables[slot]] = v
        else:
            visits[an.counters[slot - nv]] = v
    return variables, visits


def _holds(an: Analysis, item: TextItem, values: dict[int, Any]) -> bool:
    variables, visits = _env(an, values)
    return all(bool(c.evaluate(variables, visits)) is want for c, want in item.literals)


# --- reasons ------------------------------------------------------------------------------------


def _why(an: Analysis, item: TextItem, views: list[tuple[int, dict[int, Any]]]) -> str:
    """The parts of the condition whose values here never meet what it needs; else the
    combinations met (each part can hold, never all together)."""
    atoms = _atoms(item)
    met = [tuple(_atom_value(an, a, values, s) for a in atoms) for s, values in views]
    here = [{m[n] for m in met} for n in range(len(atoms))]
    domains = [_candidates(a, item, here[n]) for n, a in enumerate(atoms)]
    needed: list[set[Any]] = [set() for _ in atoms]
    combos = 1
    for d in domains:
        combos *= len(d)
    if combos <= MAX_COMBINATIONS:
        for combo in product(*domains):
            if _holds_atoms(item, atoms, combo):
                for n, v in enumerate(combo):
                    needed[n].add(v)
    parts = [
        _describe(a, here[n], needed[n], _given(an, a))
        for n, a in enumerate(atoms)
        if needed[n] and not any(_meets(v, w) for v in here[n] for w in needed[n])
    ]
    if parts:
        return "; ".join(parts)
    shown = sorted({" and ".join(f"{_atom_text(a)} {_show({v})}" for a, v in zip(atoms, m, strict=True)) for m in met})
    more = f" (and {len(shown) - 4} more)" if len(shown) > 4 else ""
    return f"each part holds in some state here, never all together; met here: {'; '.join(shown[:4])}{more}"


def _candidates(atom: Atom, item: TextItem, here: set[Any]) -> list[Any]:
    """Values of an atom to try: flags both ways; numbers near every constant the item compares
    them with, and the low end of each interval met."""
    kind = atom[0]
    if kind == "name":
        return [False, True]
    sample = next(iter(here))
    if isinstance(sample, bool):
        return [False, True]
    if not _interval(sample):  # a flag, a string, a list (a tuple of names)
        return sorted(here, key=repr)
    constants = {c for cond, _ in item.literals for c in _constants(cond.tree, atom)}
    points = {p for c in constants for p in (c - 1, c, c + 1)} | {lo for lo, _ in here}
    return sorted(p for p in points if p != -INF and (kind != "visits" or p >= 0))


def _interval(value: Any) -> bool:
    """Whether a value met is a number's interval (low, high)."""
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(x, (int, float)) for x in value)


def _meets(value: Any, wanted: Any) -> bool:
    """Whether a value met (a number: its interval) is one the condition needs."""
    if _interval(value) and not isinstance(wanted, tuple):
        return bool(value[0] <= wanted <= value[1])
    return bool(value == wanted)


def _holds_atoms(item: TextItem, atoms: list[Atom], combo: tuple[Any, ...]) -> bool:
    variables: dict[str, Any] = {}
    visits: dict[str, int] = {}
    for (kind, name, it), v in zip(atoms, combo, strict=True):
        if kind == "name":
            variables[name] = (*variables.get(name, ()), it) if v else variables.get(name, ())
        elif kind == "visits":
            visits[name] = v
        else:
            variables[name] = v
    return all(bool(c.evaluate(variables, visits)) is want for c, want in item.literals)


def _constants(node: Node, atom: Atom) -> list[int]:
    kind, name, _ = atom
    out: list[int] = []
    if isinstance(node, Call) and kind == "visits" and node.arg == name:
        return [0, 1]
    if isinstance(node, Binary):
        for a, b in ((node.left, node.right), (node.right, node.left)):
            mine = (isinstance(a, Var) and kind == "var" and a.name == name) or (
                isinstance(a, Call) and kind == "visits" and a.arg == name
            )
            if mine and isinstance(b, Lit) and isinstance(b.value, int):
                out.append(int(b.value))
    for child in children(node):
        out += _constants(child, atom)
    return out


def _atoms(item: TextItem) -> list[Atom]:
    found: set[Atom] = set()
    for cond, _ in item.literals:
        _walk(cond.tree, found)
    return sorted(found)


def _walk(node: Node, found: set[Atom]) -> None:
    if (
        isinstance(node, Binary)
        and OPERATORS[node.op].abstract is MEMBERSHIP
        and isinstance(node.left, Lit)
        and isinstance(node.right, Var)
    ):
        found.add(("name", node.right.name, node.left.value))
        return
    if isinstance(node, Var):
        found.add(("var", node.name, ""))
        return
    if isinstance(node, Call) and FUNCTIONS[node.func].args == (SCENE,):
        found.add(("visits", node.arg, ""))
        return
    for child in children(node):
        _walk(child, found)


def _atom_value(an: Analysis, atom: Atom, values: dict[int, Any], scene: int) -> Any:
    """An atom's value; numbers as the interval (low, high) their canonical value stands for."""
    kind, name, item = atom
    if kind == "name":
        return item in values[an.slot[name]]
    slot = an.slot[name] if kind == "var" else an.counter_slot[name]
    v = values[slot]
    if an.kind[slot] == INT:
        cuts = sorted(c for c in an.cuts[slot][scene] if c > v)
        _lo, hi = an.range[slot][scene] or (v, v)
        return (v, cuts[0] - 1 if cuts else hi)
    return (v, v) if type(v) is int else v  # a number kept whole: its own interval


def _given(an: Analysis, atom: Atom) -> bool:
    """For a list item: whether anything puts it in the list (its start, give, set)."""
    kind, name, item = atom
    if kind != "name":
        return True
    t = an.table
    effects = [e for ms in t.moves for m in ms for e in m.effects] + [e for en in t.on_enter for e in en]
    return item in t.story.variables[name] or any(  # type: ignore[operator]
        e.var == name and ((e.op == "give" and e.value == item) or (e.op == "set" and item in e.value)) for e in effects
    )


def _describe(atom: Atom, here: set[Any], needed: set[Any], given: bool) -> str:
    kind, name, item = atom
    if kind == "name":
        if needed == {True}:
            return f"{item!r} is never in {name} here" if given else f"no effect ever puts {item!r} in {name}"
        return f"{item!r} is in {name} in every state that reaches here"
    if kind == "visits":
        if here == {(0, 0)}:
            return f"{name} is never visited before this"
        if all(lo >= 1 for lo, _hi in here) and needed == {0}:
            return f"{name} is always visited before this"
        return f"visits({name}) is only {_show(here)} here"
    if all(isinstance(v, bool) for v in here) and len(here) == 1:
        return f"{name} is always {_show(here)} here"
    return f"{name} is only {_show(here)} here"


def _atom_text(atom: Atom) -> str:
    kind, name, item = atom
    if kind == "name":
        return f"{item!r} in {name}"
    return f"visits({name})" if kind == "visits" else name


def _show(values: set[Any]) -> str:
    """Values for a person: intervals merged (0–1, 3 or more), flags as true/false."""
    if all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], int) for v in values):
        runs: list[list[float]] = []
        for lo, hi in sorted(values):
            if runs and lo <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], hi)
            else:
                runs.append([lo, hi])
        return ", ".join(
            f"{lo:g} or more"
            if hi == INF
            else f"{lo:g} or less"
            if lo == -INF
            else f"{lo:g}"
            if lo == hi
            else f"{lo:g}–{hi:g}"
            for lo, hi in runs
        )
    texts = sorted("true" if v is True else "false" if v is False else repr(v) for v in values)
    return " or ".join(texts)
