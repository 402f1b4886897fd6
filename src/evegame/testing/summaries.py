"""Deciding what a bounded exhaustive search leaves open: value summaries per location.

A story with many stats has more states than any search can list (the shipped one:
hundreds of millions). Most questions the search answers need no list, only a
*superset* of the reachable states that is closed under the rules. This module
computes one: for each **location** (a scene, the call stack, and the exact values
of a few *relational* slots), the set of values each other slot can take there,
grown from the start until nothing grows (every combination of a location's
values is expanded by the search's own ``Expander``, so every rule is the game's).
Every reachable state's values lie in its location's sets, so:

* a scene, choice or ending no location offers can never be reached;
* no dead end and no flow error is possible when no combination of the values a
  location's choices read leaves them all closed (or raises);
* no soft-lock is possible when, besides, every cycle of locations (a strongly
  connected component) is left by some path from each of its states: checked by an
  exact search confined to the cycle, over the slots its choices read (the others
  cannot change which choice is open there). A game that always has a choice and
  always leaves a cycle reaches an ending;
* text whose condition holds in no combination at its scenes is never shown.

Merging values loses how they go together, so a combination no game can reach may
raise a false alarm. The slots read where an alarm is raised are then kept exact
(made relational) and the summaries computed again, for a few rounds. What is still
possible but was never seen in play stays *undecided*, and the run stays incomplete.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from heapq import heappop, heappush
from itertools import product
from typing import Any

from ..engine.conditions import Condition
from ..engine.model import Story
from .expander import BRANCH, Expander
from .status import DEAD, ENDING, ERROR, EXPANDED
from .textreach import Reach, TextReach, slots_read

MAX_VALUES = 2048  # values of one slot at one location: beyond, the summaries give up (a value grows without end)
MAX_LOCATIONS = 250_000
MAX_COMBINATIONS = 1 << 20  # combinations one location's choices read, or one cycle's confined search holds
ROUNDS = 6  # rounds of making alarmed slots relational


class GiveUp(Exception):
    """The summaries outgrew a bound: nothing is decided by them. ``place``: where a slot's values grew
    without end (keeping the loop there exact may stop it)."""

    def __init__(self, message: str, place: int | None = None, slot: int | None = None) -> None:
        super().__init__(message)
        self.place, self.slot = place, slot


@dataclass
class Alarm:
    """A problem the summaries cannot rule out: where, what, and the values that raise it."""

    kind: str  # dead_end | error | soft_lock
    scene: str
    detail: str
    slots: frozenset[int]  # the slots read there (made relational for the next round)


@dataclass
class Summaries:
    """The fixpoint of one round: per location, per non-relational slot, the codes it can hold."""

    locations: dict[int, dict[int, set[int]]]
    edges: dict[int, set[int]]
    offered: set[int]  # choice numbers available in some combination
    alarms: list[Alarm]
    expansions: int


@dataclass
class Proof:
    """What value summaries decided for a search stopped by a bound: what may happen (each needs a
    game that shows it, else it stays undecided), and the alarms they could not rule out."""

    seconds: float = 0.0
    rounds: int = 0
    locations: int = 0
    relational: tuple[str, ...] = ()
    gave_up: str = ""  # why nothing was decided ("" when the summaries were computed)
    reads: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict)  # ("scene"|"choice"|"text", index)
    # -> the variables read on the way (kept exact next time, should no game show it)
    scenes: set[int] = field(default_factory=set)  # scenes some place offers
    choices: set[int] = field(default_factory=set)  # choices some combination leaves open
    text: list[int] = field(default_factory=list)  # open text items whose condition may hold
    alarms: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)  # questions left open, for people (``witness``)

    @property
    def decided(self) -> bool:
        return not self.gave_up and not self.undecided


class _Pass:
    """One round: the summaries with a given set of relational slots."""

    def __init__(
        self,
        ex: Expander,
        relational: frozenset[int],
        deadline: float | None,
        progress: Callable[[int, str], None] | None = None,
        round_: int = 1,
    ) -> None:
        self.ex = ex
        self.deadline = deadline
        self.progress, self.round = progress, round_
        codec = ex.codec
        self.fields = [(c.shift, c.mask) for c in codec.slots]
        self.nonrel = [i for i in range(len(self.fields)) if i not in relational]
        body = 0
        for i in self.nonrel:
            shift, mask = self.fields[i]
            body |= mask << shift
        self.keep = ~body  # a key's location: everything but the non-relational fields
        self.coupled = [[i for i in self._read(scene) if i not in relational] for scene in range(len(ex.table.ids))]
        self.sets: dict[int, dict[int, set[int]]] = {}
        self.done: dict[int, dict[int, set[int]]] = {}
        self.base: dict[int, int] = {}
        self.reps: dict[int, list[int]] = {}  # per place: combinations that first took some (choice, place) pair
        self.pairs: dict[int, set[tuple[int, int]]] = {}  # per place: the (choice, place it leads to) pairs met
        self.edges: dict[int, set[int]] = {}
        self.offered: set[int] = set()
        self.dead: dict[int, int] = {}  # scene -> combinations there that leave no choice open
        self.errors: dict[tuple[int, str], int] = {}
        # places waiting to be (re)processed, first found first: near the start before what follows it,
        # so a place is mostly processed once its predecessors have grown it
        self.queue: list[tuple[int, int]] = []
        self.queued: set[int] = set()
        self.order: dict[int, int] = {}
        self.expansions = 0

    def _read(self, scene: int) -> list[int]:
        """Slots read together where a scene's choices are decided: their conditions, how a goto by
        condition picks its branch, and effects computed from other values."""
        ex = self.ex
        mask = ex.guard_mask[scene]
        for _guard, _number, goto, touched, memo, trans in ex.moves[scene]:
            if goto >= 0:
                if ex.is_computed(trans):
                    mask |= touched
                continue
            for outcome in memo.values():
                if ex.is_computed(outcome[3]):
                    mask |= outcome[1]
            if touched == BRANCH:
                mask |= trans[0]
        return self._slots_in(mask)

    def _slots_in(self, mask: int) -> list[int]:
        """The slots whose bit fields a mask covers."""
        return [i for i, (shift, m) in enumerate(self.fields) if mask >> shift & m]

    # --- the fixpoint -------------------------------------------------------------------

    def run(self) -> None:
        start = self.ex.initial()
        self._arrive(start)
        checked = 0
        while self.queue:
            _rank, location = heappop(self.queue)
            self.queued.discard(location)
            self._process(location)
            checked += 1
            if not checked & 63:
                if self.progress is not None:
                    self.progress(self.expansions, f"value summaries, round {self.round}: {len(self.sets):,} places")
                if self.deadline is not None and time.perf_counter() > self.deadline:
                    raise GiveUp("out of time")

    def _arrive(self, key: int) -> None:
        location = key & self.keep
        sets = self.sets.get(location)
        if sets is None:
            if len(self.sets) >= MAX_LOCATIONS:
                raise GiveUp(f"more than {MAX_LOCATIONS:,} locations")
            sets = self.sets[location] = {i: set() for i in self.nonrel}
            grew = True  # a new place is processed even when every slot is kept exact (none to grow)
        else:
            grew = False
        for i in self.nonrel:
            shift, mask = self.fields[i]
            code = key >> shift & mask
            values = sets[i]
            if code not in values:
                values.add(code)
                grew = True
                if len(values) > MAX_VALUES:
                    raise GiveUp(
                        f"{self.ex.analysis.names[i]} takes more than {MAX_VALUES:,} values in one place", location, i
                    )
        if grew and location not in self.queued:
            self._enqueue(location)

    def _enqueue(self, location: int) -> None:
        self.queued.add(location)
        heappush(self.queue, (self.order.setdefault(location, len(self.order)), location))

    def _arrive_one(self, key: int, slot: int) -> None:
        """A successor that differs from one already met in ``slot`` only."""
        location = key & self.keep
        shift, mask = self.fields[slot]
        code = key >> shift & mask
        values = self.sets[location][slot]
        if code not in values:
            values.add(code)
            if len(values) > MAX_VALUES:
                raise GiveUp(
                    f"{self.ex.analysis.names[slot]} takes more than {MAX_VALUES:,} values in one place", location, slot
                )
            if location not in self.queued:
                self._enqueue(location)

    def _process(self, location: int) -> None:
        """Expand the combinations of this location's values not expanded yet (semi-naive)."""
        sets = self.sets[location]
        first = location not in self.done
        done = self.done.setdefault(location, {i: set() for i in self.nonrel})
        now = {i: set(v) for i, v in sets.items()}
        scene = location & self.ex.scene_mask
        read = self.coupled[scene]
        others = [i for i in self.nonrel if i not in read]
        base = self.base.get(location)
        if base is None:
            base = location
            for i in others:
                shift, _mask = self.fields[i]
                base |= min(now[i]) << shift
            self.base[location] = base
        self._bound_combinations(now, read, scene)
        reps = self.reps.setdefault(location, [])
        old_reps = len(reps)
        combos: Iterable[tuple[int, ...]] = (
            _new_combinations([sorted(done[i]) for i in read], [sorted(now[i] - done[i]) for i in read])
            if read
            else [()]
            if first
            else []  # nothing read here: its one combination, the first time only
        )
        pairs = self.pairs.setdefault(location, set())
        for combo in combos:
            key = base
            for i, code in zip(read, combo, strict=True):
                key |= code << self.fields[i][0]
            payload = self._expand(key, location, all_slots=True)
            fresh_pairs = {(number, successor & self.keep) for number, successor in payload} - pairs
            if fresh_pairs:
                pairs |= fresh_pairs
                reps.append(key)
        # The slots no choice here reads change on their own, by what each (choice, place it leads to) does
        # to them alone: vary one at a time around one combination that takes each such pair.
        for i in others:
            shift, mask = self.fields[i]
            fresh = now[i] - done[i]
            for n, rep in enumerate(reps):
                cleared = rep & ~(mask << shift)
                for code in now[i] if n >= old_reps else fresh:
                    key = cleared | code << shift
                    if key != rep:
                        self._expand(key, location, slot=i)
        self.done[location] = now

    def guard_slots(self, move: tuple[Any, ...]) -> list[int]:
        """The slots one compiled move's condition reads (its ``requires`` and ``once`` flag included)."""
        guard = move[0]
        return [] if guard is None else self._slots_in(guard[0])

    def _bound_combinations(self, values: dict[int, set[int]], read: list[int], scene: int) -> None:
        size = 1
        for i in read:
            size *= len(values[i])
        if size > MAX_COMBINATIONS:
            where = self.ex.table.ids[scene]
            raise GiveUp(f"the choices of {where!r} read {size:,} combinations of values")

    def _expand(self, key: int, location: int, *, all_slots: bool = False, slot: int = -1) -> list[tuple[int, int]]:
        """Expand one key; its successors reach their places (all slots, or ``slot`` only). Returns them."""
        self.expansions += 1
        status, payload = self.ex.expand(key)
        if status == EXPANDED:
            edges = self.edges.setdefault(location, set())
            for number, successor in payload:
                self.offered.add(number)
                edges.add(successor & self.keep)
                if all_slots:
                    self._arrive(successor)
                else:
                    self._arrive_one(successor, slot)
            return payload  # type: ignore[no-any-return]
        scene = key & self.ex.scene_mask
        if status == DEAD:
            self.dead[scene] = self.dead.get(scene, 0) + 1
        elif status == ERROR:
            self.errors[(scene, payload)] = self.errors.get((scene, payload), 0) + 1
        return []

    # --- what it shows -----------------------------------------------------------------------

    def combinations(self, location: int, slots: Iterable[int]) -> Iterator[int]:
        """Keys for every combination of ``slots``' values at a location (the others at their base)."""
        chosen = [i for i in slots if i in self.sets[location]]
        self._bound_combinations(self.sets[location], chosen, location & self.ex.scene_mask)
        base = self.base.get(location)
        if base is None:  # never processed (an ending): any value of each other slot will do
            base = location
            for i, values in self.sets[location].items():
                base |= min(values) << self.fields[i][0]
        for combo in product(*(sorted(self.sets[location][i]) for i in chosen)):
            key = base
            for i, code in zip(chosen, combo, strict=True):
                shift, mask = self.fields[i]
                key = key & ~(mask << shift) | code << shift
            yield key

    def soft_locks(self) -> list[tuple[int, frozenset[int]]]:
        """(scene, slots read) of each cycle of locations some state of which may never leave it."""
        out = []
        for component in _components(self.edges):
            if len(component) == 1:
                (only,) = component
                if only not in self.edges.get(only, ()):
                    continue  # no cycle: a game here always moves on
            read = sorted({i for loc in component for i in self.coupled[loc & self.ex.scene_mask]})
            trapped = self._confined(component, read)
            if trapped is not None:
                out.append((trapped, frozenset(read)))
        return out

    def _confined(self, component: set[int], read: list[int]) -> int | None:
        """An exact search inside a cycle of locations over the slots its choices read: the scene of
        a state that cannot leave it, or None when every state can."""
        ignore = 0
        for i in self.nonrel:
            if i not in read:
                shift, mask = self.fields[i]
                ignore |= mask << shift
        index: dict[int, int] = {}
        keys: list[int] = []
        for location in component:
            for key in self.combinations(location, read):
                if key & ~ignore not in index:
                    index[key & ~ignore] = len(keys)
                    keys.append(key)
        succ: list[list[int]] = []
        leaves = bytearray()
        i = 0
        while i < len(keys):
            status, payload = self.ex.expand(keys[i])
            out: list[int] = []
            leaving = status in (ENDING, ERROR)  # an error is reported on its own
            if status == EXPANDED:
                for _number, successor in payload:
                    if successor & self.keep not in component:
                        leaving = True
                        continue
                    j = index.get(successor & ~ignore)
                    if j is None:
                        if len(keys) >= MAX_COMBINATIONS:
                            raise GiveUp(f"a cycle's search holds more than {MAX_COMBINATIONS:,} states")
                        j = index[successor & ~ignore] = len(keys)
                        keys.append(successor)
                    out.append(j)
            succ.append(out)
            leaves.append(leaving)
            i += 1
        preds: list[list[int]] = [[] for _ in keys]
        for a, outs in enumerate(succ):
            for b in outs:
                preds[b].append(a)
        stack = [a for a in range(len(keys)) if leaves[a]]
        while stack:
            b = stack.pop()
            for a in preds[b]:
                if not leaves[a]:
                    leaves[a] = 1
                    stack.append(a)
        for a in range(len(keys)):
            if not leaves[a]:
                return keys[a] & self.ex.scene_mask
        return None


def _new_combinations(old: list[list[int]], new: list[list[int]]) -> Iterator[tuple[int, ...]]:
    """Every combination with at least one new value, each once: the k-th slot new, those before it
    old, those after it any (no slot at all: nothing; the caller expands the empty one once)."""
    every = [o + w for o, w in zip(old, new, strict=True)]
    for k in range(len(old)):
        if new[k]:
            yield from product(*old[:k], new[k], *every[k + 1 :])


def _components(edges: dict[int, set[int]]) -> list[set[int]]:
    """The strongly connected components of a graph (Tarjan's algorithm, without recursion)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: list[set[int]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(edges.get(nxt, ()))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.add(top)
                        if top == node:
                            break
                    out.append(component)
    return out


# --- the driver ------------------------------------------------------------------------------


def prove(
    story: Story,
    found: dict[str, set[str]],
    reach: TextReach | None,
    text: Reach | None,
    *,
    keep: frozenset[str] = frozenset(),
    max_seconds: float | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> Proof:
    """Compute value summaries, making alarmed slots relational (up to ``ROUNDS`` rounds), and say
    with them what may happen. ``found``: kind -> scenes where the search found a problem for real
    (no alarm needed there). ``text``: the search's text decisions, completed here where the
    summaries prove an item is never shown. ``keep``: variables kept exact from the first round."""
    began = time.perf_counter()
    deadline = None if max_seconds is None else began + max_seconds
    open_text = [k for k in (reach.open if reach is not None else []) if text is not None and not text.shown[k]]
    extra: tuple[tuple[int, Condition], ...] = ()
    if reach is not None and open_text:
        cat = reach.catalogue
        extra = tuple((s, c) for k in open_text for s in cat.items[k].scenes for c, _ in cat.items[k].literals)
    ex = Expander(story, extra)
    names = ex.analysis.names
    proof = Proof()
    relational = frozenset(i for i, name in enumerate(names) if name in keep)
    run: _Pass | None = None
    alarms: list[Alarm] = []
    for proof.rounds in range(1, ROUNDS + 1):
        run = _Pass(ex, relational, deadline, progress, proof.rounds)
        try:
            run.run()
        except GiveUp as stop:
            # a loop whose merged values were made up may have grown it: keep the loop's other slots exact (the
            # slot itself kept exact would only grow the places instead)
            wanted = relational | (_loop_reads(run, stop.place) - {stop.slot})
            if wanted == relational or proof.rounds == ROUNDS:
                proof.gave_up = str(stop)
                proof.seconds = time.perf_counter() - began
                return proof
            relational = wanted
            continue
        alarms = _alarms(run, found)
        wanted = relational.union(*(a.slots for a in alarms))
        if not alarms or wanted == relational:
            break
        relational = wanted
    assert run is not None
    proof.locations = len(run.sets)
    proof.relational = tuple(names[i] for i in sorted(relational))
    proof.scenes = {loc & ex.scene_mask for loc in run.sets}
    proof.choices = set(run.offered)
    proof.alarms = [f"{a.kind.replace('_', ' ')} possible in {a.scene!r}: {a.detail}" for a in alarms]
    if reach is not None and text is not None and open_text:
        proof.text = _decide_text(run, ex, reach, text, open_text)
        for k in proof.text:
            proof.reads[("text", k)] = frozenset(names[i] for i in slots_read(ex.analysis, reach.catalogue.items[k]))
    guards = {move[1]: frozenset(names[i] for i in run.guard_slots(move)) for moves in ex.moves for move in moves}
    for moves in ex.table.moves:
        for m in moves:
            proof.reads[("choice", m.number)] = guards[m.number]
            for target in ex.table.targets(m):
                proof.reads[("scene", target)] = proof.reads.get(("scene", target), frozenset()) | guards[m.number]
    proof.seconds = time.perf_counter() - began
    return proof


def _loop_reads(run: _Pass, place: int | None) -> frozenset[int]:
    """The slots read in the loop of places (as far as met) where a slot's values grew without end."""
    if place is None:
        return frozenset()
    for component in _components(run.edges):
        if place in component:
            return frozenset(i for loc in component for i in run.coupled[loc & run.ex.scene_mask])
    return frozenset(run.coupled[place & run.ex.scene_mask])


def _alarms(run: _Pass, found: dict[str, set[str]]) -> list[Alarm]:
    """What the summaries cannot rule out and the search did not find for real."""
    ids = run.ex.table.ids
    out = []
    for scene, count in run.dead.items():
        if ids[scene] not in found.get("dead_end", set()):
            detail = f"{count} combination(s) of the values read there leave no choice open"
            out.append(Alarm("dead_end", ids[scene], detail, frozenset(run.coupled[scene])))
    for (scene, message), _count in run.errors.items():
        if ids[scene] not in found.get("error", set()):
            out.append(Alarm("error", ids[scene], message, frozenset(run.coupled[scene])))
    for scene, read in run.soft_locks():
        if ids[scene] not in found.get("soft_lock", set()):
            out.append(Alarm("soft_lock", ids[scene], "a state may never leave the loop it is in", read))
    return out


def _decide_text(run: _Pass, ex: Expander, reach: TextReach, text: Reach, open_text: list[int]) -> list[int]:
    """Each open text item: never shown when its condition holds in no combination at its scenes
    (the reason goes in ``text``); the items that may be shown are returned."""
    cat = reach.catalogue
    read: dict[int, set[int]] = {}  # scene -> the slots its open items read
    for k in open_text:
        for s in cat.items[k].scenes:
            read.setdefault(s, set()).update(slots_read(ex.analysis, cat.items[k]))
    keys = [
        key
        for loc in run.sets
        if loc & ex.scene_mask in read
        for key in run.combinations(loc, read[loc & ex.scene_mask])
    ]
    possible = reach.judge(ex.analysis, ex.codec, keys, complete=True)
    maybe = []
    for k in open_text:
        if possible.shown[k]:
            maybe.append(k)
        elif k in possible.reasons:
            text.undecided.pop(k, None)
            text.reasons[k] = possible.reasons[k]
    return maybe
