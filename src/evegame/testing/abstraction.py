"""The exact state abstraction behind exhaustive exploration.

Two game states in the same scene behave the same for the rest of the game when
every choice condition that can still be evaluated gives the same answer along
every future path. A backward analysis over the scene graph finds, for each
scene, what of each variable can still matter:

* a number compared only with constants (``coins >= 2``) and changed only by
  ``add``/``set``: the *cut points* where a future comparison flips, shifted back
  through the ``add`` effects on the way. Values between two cuts are equivalent
  and stored as the lower cut. A number with no cut left is dead.
* a list tested only with ``'name' in list``: the names that can still be
  tested before a ``give``/``take``/``set`` overwrites them; the state keeps just
  those names (sorted).
* anything else (flags, strings, numbers compared with each other, lists used
  otherwise): kept whole while some future condition can read it (liveness).
* visit counts: counters that entering their scene adds 1 to, treated as numbers.

The result is a bisimulation: the graph of scenes and choices, its dead ends,
soft-locks and shortest paths are those of the full game. When the cut points
of a number grow without end (a loop that keeps adding to it), it is kept whole.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..engine.conditions import Binary, BoolOp, Call, Condition, Lit, Node, Not, Var
from ..engine.effects import EFFECTS, SlotChange
from ..engine.model import Clamp, Effect
from ..engine.operators import FUNCTIONS, MEMBERSHIP, OPERATORS, SCENE, Threshold
from .sim import Move, Table

CUT_LIMIT = 256  # more cut points than this at one scene: keep the number whole
WIDEN_AFTER = 12  # a scene's range of a number grown this often: widened to infinity
INF = float("inf")

INT, LIST, WHOLE = "int", "list", "whole"


def _threshold(op: str) -> Threshold | None:
    """How ``number OP constant`` reads the number (operators.OPERATORS), when it is a threshold."""
    abstract = OPERATORS[op].abstract
    return abstract if isinstance(abstract, Threshold) else None


@dataclass
class _Obs:
    """What one scene's conditions read: cut points per number, names per list, whole slots."""

    cuts: dict[int, set[int]] = field(default_factory=dict)
    names: dict[int, set[str]] = field(default_factory=dict)
    whole: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    # per slot: shift of a number (None: set to a constant), names a list effect overwrites
    # (None: the whole list is set), whether a whole slot is overwritten
    shift: tuple[int | None, ...]
    killed: tuple[frozenset[str] | None, ...]
    const: tuple[Any, ...]  # the value a number is set to, where shift is None
    guard: dict[int, tuple[float, float]]  # bounds the choice's condition puts on numbers


class Analysis:
    """Slots (variables, then visit counters), their kinds, and each scene's canonical form."""

    def __init__(self, table: Table, extra: tuple[tuple[int, Condition], ...] = ()) -> None:
        """``extra``: (scene, condition) read on entering a scene beside its choices' conditions
        (text conditions, kept exactly like choice conditions)."""
        story = table.story
        self.table = table
        conditions = table.choice_conditions() + [c for _, c in extra]
        conditions += [c for moves in table.moves for m in moves for c in _flow_conditions(m)]
        counters: set[str] = {s for c in conditions for s in c.scenes}
        self.variables: tuple[str, ...] = tuple(story.variables)
        self.counters: tuple[str, ...] = tuple(sorted(counters))
        # choices taken ``once``: a flag each, set when taken
        self.onces: tuple[int, ...] = tuple(
            m.number for moves in table.moves for m in moves if m.choice is not None and m.choice.once
        )
        self.names: tuple[str, ...] = (
            self.variables
            + tuple(f"visits({s})" for s in self.counters)
            + tuple("taken({}:{})".format(*table.choice_ids[c]) for c in self.onces)
        )
        n = len(self.names)
        self.slot = {name: i for i, name in enumerate(self.variables)}
        self.counter_slot = {s: len(self.variables) + i for i, s in enumerate(self.counters)}
        first_once = len(self.variables) + len(self.counters)
        self.once_slot = {c: first_once + i for i, c in enumerate(self.onces)}
        defaults = [story.variables[v] for v in self.variables] + [0] * len(self.counters) + [False] * len(self.onces)
        self.defaults: list[Any] = [tuple(v) if isinstance(v, list) else v for v in defaults]
        self.kind: list[str] = [
            INT if (type(v) is int) else LIST if isinstance(v, tuple) else WHOLE for v in self.defaults
        ]
        for i in range(len(self.variables), first_once):
            self.kind[i] = INT
        scenes = len(table.ids)
        self.observed = [_Obs() for _ in range(scenes)]
        for i, moves in enumerate(table.moves):
            for m in moves:
                for cond in (m.condition, m.choice.requires if m.choice is not None else None):
                    if cond is not None:
                        self._observe(cond.tree, self.observed[i])
                self._observe_flow(m, self.observed[i])
        for i, cond in extra:
            self._observe(cond.tree, self.observed[i])
        self.edges = [self._edge(m, t) for moves in table.moves for m in moves for t in table.targets(m)]
        self._solve(scenes, n)

    def _observe_flow(self, m: Move, obs: _Obs) -> None:
        """What a choice's v2 flow reads where it is taken, each read whole (exact values): the
        slots its goto branches test (on the values its effects leave) and its once flag."""
        c = m.choice
        if c is None:
            return
        for branch in c.branches:
            if branch.condition is not None:
                obs.whole |= {self.slot[v] for v in branch.condition.variables}
                obs.whole |= {self.counter_slot[s] for s in branch.condition.scenes}
        if c.once:
            obs.whole.add(self.once_slot[m.number])

    def _observe_effects(self, effects: tuple[Effect, ...], obs: _Obs) -> None:
        """Effects that read values: a bounded ``add`` its own, an expression its variables (read whole)."""
        for e in effects:
            if isinstance(e.value, Clamp):
                if e.op == "add":
                    obs.whole.add(self.slot[e.var])
                if not isinstance(e.value.amount, int):
                    obs.whole |= {self.slot[v] for v in e.value.amount.variables}

    # -- what conditions read ---------------------------------------------------------------

    def _slot_of(self, node: Node) -> int | None:
        if isinstance(node, Var):
            return self.slot[node.name]
        if isinstance(node, Call) and node.func in self.scene_functions:
            return self.counter_slot[node.arg]
        return None

    scene_functions = frozenset(name for name, f in FUNCTIONS.items() if f.args == (SCENE,))

    def _observe(self, node: Node, obs: _Obs) -> None:
        """Record what ``node`` reads, as each operator's and function's abstract rule says."""
        if isinstance(node, Binary):
            left, right = node.left, node.right
            ls, rs = self._slot_of(left), self._slot_of(right)
            abstract = OPERATORS[node.op].abstract
            if abstract is MEMBERSHIP:
                if isinstance(left, Lit) and rs is not None and self.kind[rs] == LIST:
                    obs.names.setdefault(rs, set()).add(left.value)
                    return
            elif isinstance(abstract, Threshold):
                if isinstance(right, Lit) and ls is not None and self._numeric(left, ls):
                    obs.cuts.setdefault(ls, set()).update(abstract.cuts(_num(right.value)))
                    return
                if isinstance(left, Lit) and rs is not None and self._numeric(right, rs):
                    mirror = _threshold(abstract.mirror)
                    assert mirror is not None
                    obs.cuts.setdefault(rs, set()).update(mirror.cuts(_num(left.value)))
                    return
            for side, slot in ((left, ls), (right, rs)):
                if slot is not None:
                    obs.whole.add(slot)
                elif not isinstance(side, Lit):
                    self._observe(side, obs)
            return
        if isinstance(node, Call) and node.func in self.scene_functions:
            slot = self.counter_slot[node.arg]
            compared = FUNCTIONS[node.func].abstract
            if compared is not None:  # seen(s): the count compared with a constant
                threshold = _threshold(compared[0])
                assert threshold is not None
                obs.cuts.setdefault(slot, set()).update(threshold.cuts(compared[1]))
            else:
                obs.whole.add(slot)
            return
        if isinstance(node, Var):
            obs.whole.add(self.slot[node.name])
            return
        for child in children(node):
            self._observe(child, obs)

    def _numeric(self, node: Node, slot: int) -> bool:
        """A number or a visit count (seen() included) compared with a constant."""
        return self.kind[slot] == INT

    # -- what choices do --------------------------------------------------------------------------

    def _edge(self, move: Move, target: int) -> Edge:
        n = len(self.names)
        shift: list[int | None] = [0] * n
        const: list[Any] = [None] * n
        killed: list[frozenset[str] | None] = [frozenset()] * n
        changes: dict[int, SlotChange] = {}
        effects = (*move.effects, *self.table.on_enter[target])
        self._observe_effects(effects, self.observed[move.scene])
        if move.number in self.once_slot:
            changes[self.once_slot[move.number]] = SlotChange(None, True, None, True)
        for effect in effects:
            i = self.slot[effect.var]
            abstract = EFFECTS[effect.op].abstract
            assert abstract is not None  # the table keeps only effects on variables
            changes[i] = abstract(changes.get(i, SlotChange()), effect.value)
        for i, change in changes.items():
            if change.whole:
                self.kind[i] = WHOLE
                shift[i] = None
            else:
                shift[i], const[i], killed[i] = change.shift, change.const, change.killed
        sid = self.table.ids[target]
        if sid in self.counter_slot:
            j = self.counter_slot[sid]
            shift[j] = (shift[j] or 0) + 1
        guard: dict[int, tuple[float, float]] = {}
        for cond in (move.condition, move.choice.requires if move.choice is not None else None):
            if cond is not None:
                self._guard(cond.tree, guard)
        return Edge(move.scene, target, tuple(shift), tuple(killed), tuple(const), guard)

    def _guard(self, node: Node, out: dict[int, tuple[float, float]]) -> None:
        """Bounds on numbers implied by a condition: from the atoms of its top-level 'and'."""
        if isinstance(node, BoolOp):
            if node.op == "and":
                self._guard(node.left, out)
                self._guard(node.right, out)
            return
        negate = False
        if isinstance(node, Not):
            node, negate = node.operand, True
        if isinstance(node, Call) and node.func in self.scene_functions:
            compared = FUNCTIONS[node.func].abstract
            if compared is None:
                return
            threshold = _threshold(compared[0])
            assert threshold is not None
            if negate:
                threshold = _threshold(threshold.negation)
                assert threshold is not None
            bound = threshold.bound(compared[1])
            if bound is not None:
                self._narrow(out, self.counter_slot[node.arg], bound)
            return
        if not isinstance(node, Binary):
            return
        threshold = _threshold(node.op)
        if threshold is None:
            return
        left, right = node.left, node.right
        if isinstance(left, Lit):
            left, right = right, left
            threshold = _threshold(threshold.mirror)
            assert threshold is not None
        slot = self._slot_of(left)
        if slot is None or not isinstance(right, Lit) or self.kind[slot] != INT:
            return
        if negate:
            threshold = _threshold(threshold.negation)
            assert threshold is not None
        bound = threshold.bound(_num(right.value))
        if bound is not None:  # '!=' bounds nothing
            self._narrow(out, slot, bound)

    @staticmethod
    def _narrow(out: dict[int, tuple[float, float]], slot: int, bound: tuple[float, float]) -> None:
        lo, hi = out.get(slot, (-INF, INF))
        out[slot] = (max(lo, bound[0]), min(hi, bound[1]))

    # -- the backward fixpoint -------------------------------------------------------------------

    def _solve(self, scenes: int, n: int) -> None:
        preds: list[list[Edge]] = [[] for _ in range(scenes)]
        out_edges: list[list[Edge]] = [[] for _ in range(scenes)]
        for e in self.edges:
            preds[e.target].append(e)
            out_edges[e.source].append(e)
        # A slot read whole anywhere is whole everywhere (its values are compared to each other).
        for obs in self.observed:
            for s in obs.whole:
                self.kind[s] = WHOLE
        self.cuts: list[list[set[int]]] = [[set() for _ in range(scenes)] for _ in range(n)]
        self.keep_names: list[list[set[str]]] = [[set() for _ in range(scenes)] for _ in range(n)]
        self.live: list[list[bool]] = [[False] * scenes for _ in range(n)]
        self.range: list[list[tuple[float, float] | None]] = [[None] * scenes for _ in range(n)]
        for slot in range(n):
            if self.kind[slot] == INT:
                self._solve_range(slot, scenes, out_edges)
                if not self._solve_cuts(slot, scenes, preds):
                    self.kind[slot] = WHOLE
            if self.kind[slot] == LIST:
                self._solve_names(slot, scenes, preds)
            if self.kind[slot] == WHOLE:
                self._solve_live(slot, scenes, preds)
        self.canon: list[tuple[tuple[int, Callable[[Any], Any]], ...]] = [
            self._canonical(scene) for scene in range(scenes)
        ]
        self._canon_of = [dict(c) for c in self.canon]
        self._reps: dict[tuple[int, int], list[int]] = {}

    def _start_value(self, slot: int) -> Any:
        """A slot's value on entering the start scene (before its canonical form)."""
        value = self.defaults[slot]
        if slot >= len(self.variables) + len(self.counters):
            return value  # no choice is taken yet
        if slot >= len(self.variables):
            return value + (self.counters[slot - len(self.variables)] == self.table.ids[self.table.start])
        ops = [_op(e) for e in self.table.on_enter[self.table.start] if e.var == self.variables[slot]]
        return _compose(ops, None)(value)

    def _solve_range(self, slot: int, scenes: int, out_edges: list[list[Edge]]) -> None:
        """Forward: the interval of values a number can hold in each scene (guards narrow it)."""
        rng = self.range[slot]
        start = self.table.start
        v = self._start_value(slot)
        rng[start] = (v, v)
        grown = [0] * scenes
        work = [start]
        while work:
            s = work.pop()
            lo, hi = rng[s]  # type: ignore[misc]
            for e in out_edges[s]:
                g_lo, g_hi = e.guard.get(slot, (-INF, INF))
                a, b = max(lo, g_lo), min(hi, g_hi)
                if a > b:
                    continue  # the choice is never available with these values
                d = e.shift[slot]
                new = (e.const[slot], e.const[slot]) if d is None else (a + d, b + d)
                old = rng[e.target]
                if old is None:
                    rng[e.target] = new
                elif new[0] < old[0] or new[1] > old[1]:
                    grown[e.target] += 1
                    widen = grown[e.target] > WIDEN_AFTER
                    rng[e.target] = (
                        (-INF if widen else new[0]) if new[0] < old[0] else old[0],
                        (INF if widen else new[1]) if new[1] > old[1] else old[1],
                    )
                else:
                    continue
                work.append(e.target)

    def _solve_cuts(self, slot: int, scenes: int, preds: list[list[Edge]]) -> bool:
        """Backward: the cut points that still matter in each scene, within its range of values."""
        cuts, rng = self.cuts[slot], self.range[slot]
        work = []
        for s in range(scenes):
            own = self.observed[s].cuts.get(slot)
            if own and rng[s] is not None:
                lo, hi = rng[s]  # type: ignore[misc]
                cuts[s] |= {c for c in own if lo < c <= hi}
                if cuts[s]:
                    work.append(s)
        delta = {s: set(cuts[s]) for s in work}  # cuts not yet carried back to predecessors
        while work:
            t = work.pop()
            fresh = delta.pop(t)
            for e in preds[t]:
                d = e.shift[slot]
                if d is None or rng[e.source] is None:
                    continue
                lo, hi = rng[e.source]  # type: ignore[misc]
                # only values that take this choice matter: the guard's own cuts split the rest
                g_lo, g_hi = e.guard.get(slot, (-INF, INF))
                lo, hi = max(lo, g_lo), min(hi, g_hi)
                have = cuts[e.source]
                new = {c - d for c in fresh if lo < c - d <= hi} - have
                if new:
                    have |= new
                    if len(have) > CUT_LIMIT:
                        return False
                    if e.source in delta:
                        delta[e.source] |= new
                    else:
                        delta[e.source] = new
                        work.append(e.source)
        return True

    def _solve_names(self, slot: int, scenes: int, preds: list[list[Edge]]) -> None:
        keep = self.keep_names[slot]
        work = []
        for s in range(scenes):
            own = self.observed[s].names.get(slot)
            if own:
                keep[s] |= own
                work.append(s)
        while work:
            t = work.pop()
            for e in preds[t]:
                killed = e.killed[slot]
                if killed is None:
                    continue
                new = keep[t] - killed - keep[e.source]
                if new:
                    keep[e.source] |= new
                    work.append(e.source)

    def _solve_live(self, slot: int, scenes: int, preds: list[list[Edge]]) -> None:
        live = self.live[slot]
        work = []
        for s in range(scenes):
            obs = self.observed[s]
            if slot in obs.whole or slot in obs.cuts or slot in obs.names:
                live[s] = True
                work.append(s)
        while work:
            t = work.pop()
            for e in preds[t]:
                if e.killed[slot] is None or live[e.source]:
                    continue
                live[e.source] = True
                work.append(e.source)

    def _canonical(self, scene: int) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
        out: list[tuple[int, Callable[[Any], Any]]] = []
        for slot, kind in enumerate(self.kind):
            default = self.defaults[slot]
            if kind == INT:
                cuts = sorted(self.cuts[slot][scene])
                lo, hi = self.range[slot][scene] or (0, 0)
                out.append((slot, _interval(cuts, lo, hi)))
            elif kind == LIST:
                names = frozenset(self.keep_names[slot][scene])
                out.append((slot, _names(names) if names else _const(())))
            elif not self.live[slot][scene]:
                out.append((slot, _const(default)))
        return tuple(out)

    def transfer(self, move: Move, target: int | None = None) -> list[tuple[int, Callable[[Any], Any]]]:
        """The slots a choice can change, each with value -> canonical value in the target scene
        (``target``: one of ``table.targets(move)``; by default its goto).

        Slots the choice leaves alone and whose canonical form the target keeps are left out.
        A choice with an expression (``computed``) changes slots by more than their own values:
        its slots come with their canonical forms only, the effects applied by the caller.
        """
        target = move.goto if target is None else target
        ops: dict[int, list[tuple[Callable[[Any, Any], Any], Any]]] = {}
        for effect in (*move.effects, *self.table.on_enter[target]):
            ops.setdefault(self.slot[effect.var], []).append(_op(effect))
        counter = self.counter_slot.get(self.table.ids[target])
        if counter is not None:
            ops.setdefault(counter, []).append(_op(Effect("add", "", 1)))  # entering counts the visit
        once = self.once_slot.get(move.number)
        if once is not None:
            ops.setdefault(once, []).append(_op(Effect("set", "", True)))
        computed = self.computed(move, target)
        canon = self._canon_of[target]
        out = []
        for slot in range(len(self.names)):
            if slot not in ops and self._kept(slot, move.scene, target):
                continue
            out.append((slot, _compose([] if computed else ops.get(slot, []), canon.get(slot))))
        return out

    def computed(self, move: Move, target: int) -> bool:
        """Whether a choice (with its target's entry) sets a value from an expression over others."""
        return any(
            isinstance(e.value, Clamp) and not isinstance(e.value.amount, int)
            for e in (*move.effects, *self.table.on_enter[target])
        )

    def _kept(self, slot: int, source: int, target: int) -> bool:
        """Whether canonical values of ``slot`` at ``source`` are canonical at ``target`` too."""
        kind = self.kind[slot]
        if kind == INT:
            canon = self._canon_of[target][slot]
            return all(canon(v) == v for v in self.reps(slot, source))
        if kind == LIST:
            return self.keep_names[slot][target] >= self.keep_names[slot][source]
        return self.live[slot][target] or not self.live[slot][source]

    def reps(self, slot: int, scene: int) -> list[int]:
        """The canonical values a number can take in a scene."""
        cached = self._reps.get((slot, scene))
        if cached is None:
            cached = self._reps[(slot, scene)] = self._compute_reps(slot, scene)
        return cached

    def _compute_reps(self, slot: int, scene: int) -> list[int]:
        cuts = sorted(self.cuts[slot][scene])
        lo, hi = self.range[slot][scene] or (0, 0)
        floor = lo if lo != -INF else (cuts[0] - 1 if cuts else (hi if hi != INF else 0))
        return [int(floor), *cuts]

    def describe(self) -> dict[str, str]:
        """How each slot is kept, for reports: 'thresholds', 'names', 'whole' or 'unused'."""
        out = {}
        for slot, name in enumerate(self.names):
            kind = self.kind[slot]
            if kind == INT:
                used = any(self.cuts[slot])
            elif kind == LIST:
                used = any(self.keep_names[slot])
            else:
                used = any(self.live[slot])
            label = {INT: "thresholds", LIST: "names tested", WHOLE: "whole"}[kind]
            out[name] = label if used else "unused"
        return out


def _flow_conditions(m: Move) -> list[Condition]:
    """A choice's conditions besides its ``if``: ``requires`` and its goto branches'."""
    c = m.choice
    if c is None:
        return []
    out = [b.condition for b in c.branches if b.condition is not None]
    return out + ([c.requires] if c.requires is not None else [])


def _num(value: Any) -> int:
    return int(value)  # seen() compared with true/false: True -> 1


def children(node: Node) -> list[Node]:
    """The sub-expressions of a condition node."""
    out: list[Node] = []
    for value in vars(node).values():
        if isinstance(value, Node):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(v for v in value if isinstance(v, Node))
    return out


def _op(effect: Effect) -> tuple[Callable[[Any, Any], Any], Any]:
    """An effect as (the engine's step rule, its value), lists as tuples (abstract values are hashable)."""
    step = EFFECTS[effect.op].step
    assert step is not None
    value = effect.value
    return step, tuple(value) if isinstance(value, list) else value


def _compose(
    ops: list[tuple[Callable[[Any, Any], Any], Any]], canon: Callable[[Any], Any] | None
) -> Callable[[Any], Any]:
    """One slot's effects (the engine's own step rules on a single value), then its canonical form."""

    def f(v: Any) -> Any:
        for step, value in ops:
            v = step(v, value)
        if type(v) is list:
            v = tuple(v)
        return canon(v) if canon is not None else v

    return f


def _const(value: Any) -> Callable[[Any], Any]:
    return lambda _v: value


def _interval(cuts: list[int], lo: float, hi: float) -> Callable[[int], int]:
    """Values between two cuts -> the lowest value of the interval that the scene can hold."""
    floor = lo if lo != -INF else (cuts[0] - 1 if cuts else (hi if hi != INF else 0))
    if not cuts:
        value = int(floor)
        return lambda _v: value
    reps = [int(floor), *cuts]

    def canon(v: int) -> int:
        return reps[bisect_right(cuts, v)]

    return canon


def _names(names: frozenset[str]) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    return lambda v: tuple(sorted(names.intersection(v)))
