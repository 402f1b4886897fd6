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

COUNT_SPLIT = 3  # visit counts a guard bounds, followed one by one up to this many visits
ONCE_SPLIT = 8  # once choices the range analysis follows one by one (at most 2**8 copies of a scene)
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
    clamp: dict[int, tuple[float, float]] = field(default_factory=dict)  # a bounded number's add: its bounds


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
        self.edges = []
        self.edge_moves: list[Move] = []  # the choice of each edge
        for moves in table.moves:
            for m in moves:
                for t in table.targets(m):
                    self.edges.append(self._edge(m, t))
                    self.edge_moves.append(m)
        self._solve(scenes, n)

    def _observe_flow(self, m: Move, obs: _Obs) -> None:
        """What a choice's v2 flow reads where it is taken, each read whole (exact values): the
        slots its goto branches test (on the values its effects leave) and its once flag."""
        c = m.choice
        if c is None:
            return
        if any(b.condition is not None for b in c.branches):
            self._observe_branches(m, obs)
        if c.once:
            obs.whole.add(self.once_slot[m.number])

    def _observe_branches(self, m: Move, obs: _Obs) -> None:
        """A goto by condition tests the values the choice's effects leave: read where it is taken,
        each cut point moved back through the effect's shift, a name or a number the effects set
        outright not read at all (it is decided), an opaque change (bounded, computed) read whole."""
        assert m.choice is not None
        after = _Obs()
        for b in m.choice.branches:
            if b.condition is not None:
                self._observe(b.condition.tree, after)
        changes: dict[int, SlotChange] = {}
        for effect in m.effects:
            i = self.slot[effect.var]
            abstract = EFFECTS[effect.op].abstract
            assert abstract is not None
            changes[i] = abstract(changes.get(i, SlotChange()), effect.value)
        for slot, cuts in after.cuts.items():
            change = changes.get(slot, SlotChange())
            if change.whole:
                obs.whole.add(slot)
            elif change.shift is not None:
                obs.cuts.setdefault(slot, set()).update(c - change.shift for c in cuts)
        for slot, names in after.names.items():
            change = changes.get(slot, SlotChange())
            if change.whole:
                obs.whole.add(slot)
            elif change.killed is not None:
                obs.names.setdefault(slot, set()).update(names - change.killed)
        for slot in after.whole:
            change = changes.get(slot, SlotChange())
            if change.whole or change.shift is not None or change.killed is not None:
                obs.whole.add(slot)  # not set outright by the effects: its value before decides

    def _observe_effects(self, effects: tuple[Effect, ...], obs: _Obs) -> None:
        """Effects that read values: a bounded ``add`` its own, an expression its variables (read whole)."""
        for e in effects:
            if isinstance(e.value, Clamp):
                if e.op == "add" and not _bounded_shift(e, effects):
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
        clamp: dict[int, tuple[float, float]] = {}
        for effect in effects:
            i = self.slot[effect.var]
            if _bounded_shift(effect, effects):  # the one add to a bounded number: a shift, then its bounds
                value = effect.value
                if effect.op == "add":
                    changes[i] = SlotChange(value.amount)
                    clamp[i] = (-INF if value.low is None else value.low, INF if value.high is None else value.high)
                else:
                    changes[i] = SlotChange(None, value.limit(value.amount), None)
                continue
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
        return Edge(move.scene, target, tuple(shift), tuple(killed), tuple(const), guard, clamp)

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
        # Over the scene graph split by call context, once choices and visit counts
        # (``_call_contexts``); what each scene keeps is the union over its copies.
        node_scene, node_out = self._call_contexts()
        preds: list[list[tuple[Edge, int]]] = [[] for _ in node_scene]
        for i, outs in enumerate(node_out):
            for e, t in outs:
                preds[t].append((e, i))
        observed = [self.observed[sc] for sc in node_scene]
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
                self._solve_range(slot, node_scene, node_out)
                # cut points filtered by the scene's range (all its copies'): the state does not
                # say which copy it is in, so the values of different copies must stay apart
                hull = [self.range[slot][sc] for sc in node_scene]
                cuts = self._solve_cuts(slot, observed, hull, preds)
                if cuts is None:
                    self.kind[slot] = WHOLE
                else:
                    for i, c in enumerate(cuts):
                        self.cuts[slot][node_scene[i]] |= c
            if self.kind[slot] == LIST:
                for i, names in enumerate(self._solve_names(slot, observed, preds)):
                    self.keep_names[slot][node_scene[i]] |= names
            if self.kind[slot] == WHOLE:
                for i, live in enumerate(self._solve_live(slot, observed, preds)):
                    if live:
                        self.live[slot][node_scene[i]] = True
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

    def _call_contexts(self) -> tuple[list[int], list[list[tuple[Edge, int]]]]:
        """The scene graph with each scene split by the call it is inside (the innermost return
        point, or none) and by the ``once`` choices taken (up to ``ONCE_SPLIT`` of them): a
        ``return`` goes back only to its own call's return point, and a choice taken once is not
        taken again, so values do not flow around loops no game can take (a late caller back to
        an early one, a once choice's loop repeated) and widen to infinity.

        Nodes are (scene, return point or -1, once choices taken), numbered as found; the result
        is each node's scene and its out-edges (edge, target node). Used by the forward range analysis.
        """
        table = self.table
        split = {c: 1 << i for i, c in enumerate(self.onces)} if len(self.onces) <= ONCE_SPLIT else {}
        # visit counts a guard bounds, each kept up to the largest count its guards tell apart
        caps: dict[int, int] = {}
        for e in self.edges:
            for slot, (lo, hi) in e.guard.items():
                if slot in self.counter_slot.values():
                    top = max(int(x) for x in (lo, hi + 1) if x not in (INF, -INF)) if (lo, hi) != (-INF, INF) else 0
                    caps[slot] = max(caps.get(slot, 0), top)
        counted = sorted(s for s, c in caps.items() if 0 < c <= COUNT_SPLIT)
        scene_counter = {
            table.index[name]: n for n, slot in enumerate(counted) for name, j in self.counter_slot.items() if j == slot
        }
        node: dict[tuple[int, int, int, tuple[int, ...]], int] = {}
        scene_of: list[int] = []
        by_source: dict[int, list[tuple[Edge, Move]]] = {}
        for e, m in zip(self.edges, self.edge_moves, strict=True):
            by_source.setdefault(e.source, []).append((e, m))
        returns = {
            s for s, pairs in by_source.items() if any(m.choice is not None and m.choice.returns for _, m in pairs)
        }
        callers: dict[int, set[int]] = {}  # return point -> contexts its calls are made in
        out: list[list[tuple[Edge, int]]] = []
        work: list[tuple[int, int, int, tuple[int, ...]]] = []

        def at(scene: int, ctx: int, taken: int, counts: tuple[int, ...]) -> int:
            n = scene_counter.get(scene)
            if n is not None and counts[n] < caps[counted[n]]:  # entering counts the visit
                counts = (*counts[:n], counts[n] + 1, *counts[n + 1 :])
            k = (scene, ctx, taken, counts)
            i = node.get(k)
            if i is None:
                i = node[k] = len(scene_of)
                scene_of.append(scene)
                out.append([])
                work.append(k)
            return i

        def allowed(e: Edge, counts: tuple[int, ...]) -> bool:
            for n, slot in enumerate(counted):
                lo, hi = e.guard.get(slot, (-INF, INF))
                have = counts[n]
                if hi < have or (have < caps[slot] and lo > have):  # at the cap: that many or more
                    return False
            return True

        at(table.start, -1, 0, (0,) * len(counted))
        while work:
            scene, ctx, taken, counts = work.pop()
            i = node[(scene, ctx, taken, counts)]
            out[i] = []
            for e, m in by_source.get(scene, ()):
                bit = split.get(m.number, 0)
                if taken & bit or not allowed(e, counts):
                    continue  # taken once already, or a visit count its guard excludes
                after = taken | bit
                c = m.choice
                if c is not None and c.returns:
                    if e.target == ctx:  # back to this call's return point, in its caller's context
                        out[i] += [(e, at(e.target, back, after, counts)) for back in sorted(callers.get(ctx, ()))]
                elif c is not None and c.call is not None:
                    point = table.index[c.goto]
                    if ctx not in callers.setdefault(point, set()):
                        callers[point].add(ctx)
                        # nodes returning to ``point`` learn this caller: look at them again
                        work += [k for k in node if k[1] == point and k[0] in returns]
                    out[i].append((e, at(e.target, point, after, counts)))
                else:
                    out[i].append((e, at(e.target, ctx, after, counts)))
        return scene_of, out

    def _solve_range(
        self, slot: int, nodes: list[int], out_edges: list[list[tuple[Edge, int]]]
    ) -> list[tuple[float, float] | None]:
        """Forward: the interval of values a number can hold in each scene (guards narrow it), found
        per call context (``_call_contexts``), then joined per scene."""
        rng: list[tuple[float, float] | None] = [None] * len(nodes)
        v = self._start_value(slot)
        rng[0] = (v, v)
        grown = [0] * len(nodes)
        work = [0]
        while work:
            s = work.pop()
            lo, hi = rng[s]  # type: ignore[misc]
            for e, t in out_edges[s]:
                g_lo, g_hi = e.guard.get(slot, (-INF, INF))
                a, b = max(lo, g_lo), min(hi, g_hi)
                if a > b:
                    continue  # the choice is never available with these values
                d = e.shift[slot]
                new = (e.const[slot], e.const[slot]) if d is None else (a + d, b + d)
                bounds = e.clamp.get(slot)
                if bounds is not None:
                    new = (min(max(new[0], bounds[0]), bounds[1]), min(max(new[1], bounds[0]), bounds[1]))
                old = rng[t]
                if old is None:
                    rng[t] = new
                elif new[0] < old[0] or new[1] > old[1]:
                    grown[t] += 1
                    widen = grown[t] > WIDEN_AFTER
                    rng[t] = (
                        (-INF if widen else new[0]) if new[0] < old[0] else old[0],
                        (INF if widen else new[1]) if new[1] > old[1] else old[1],
                    )
                else:
                    continue
                work.append(t)
        joined = self.range[slot]
        for i, r in enumerate(rng):
            if r is not None:
                scene = nodes[i]
                have = joined[scene]
                joined[scene] = r if have is None else (min(have[0], r[0]), max(have[1], r[1]))
        return rng

    @staticmethod
    def _solve_cuts(
        slot: int,
        observed: list[_Obs],
        rng: list[tuple[float, float] | None],
        preds: list[list[tuple[Edge, int]]],
    ) -> list[set[int]] | None:
        """Backward: the cut points that still matter in each node, within its range of values
        (None: more than ``CUT_LIMIT`` somewhere, the number is kept whole)."""
        cuts: list[set[int]] = [set() for _ in observed]
        work = []
        for s, obs in enumerate(observed):
            own = obs.cuts.get(slot)
            if own and rng[s] is not None:
                lo, hi = rng[s]  # type: ignore[misc]
                cuts[s] |= {c for c in own if lo < c <= hi}
                if cuts[s]:
                    work.append(s)
        delta = {s: set(cuts[s]) for s in work}  # cuts not yet carried back to predecessors
        while work:
            t = work.pop()
            fresh = delta.pop(t)
            for e, source in preds[t]:
                d = e.shift[slot]
                if d is None or rng[source] is None:
                    continue
                lo, hi = rng[source]  # type: ignore[misc]
                # only values that take this choice matter: the guard's own cuts split the rest
                g_lo, g_hi = e.guard.get(slot, (-INF, INF))
                lo, hi = max(lo, g_lo), min(hi, g_hi)
                have = cuts[source]
                bounds = e.clamp.get(slot)
                carried = fresh if bounds is None else {c for c in fresh if bounds[0] < c <= bounds[1]}
                new = {c - d for c in carried if lo < c - d <= hi} - have
                if new:
                    have |= new
                    if len(have) > CUT_LIMIT:
                        return None
                    if source in delta:
                        delta[source] |= new
                    else:
                        delta[source] = new
                        work.append(source)
        return cuts

    @staticmethod
    def _solve_names(slot: int, observed: list[_Obs], preds: list[list[tuple[Edge, int]]]) -> list[set[str]]:
        keep: list[set[str]] = [set() for _ in observed]
        work = []
        for s, obs in enumerate(observed):
            own = obs.names.get(slot)
            if own:
                keep[s] |= own
                work.append(s)
        while work:
            t = work.pop()
            for e, source in preds[t]:
                killed = e.killed[slot]
                if killed is None:
                    continue
                new = keep[t] - killed - keep[source]
                if new:
                    keep[source] |= new
                    work.append(source)
        return keep

    @staticmethod
    def _solve_live(slot: int, observed: list[_Obs], preds: list[list[tuple[Edge, int]]]) -> list[bool]:
        live = [False] * len(observed)
        work = []
        for s, obs in enumerate(observed):
            if slot in obs.whole or slot in obs.cuts or slot in obs.names:
                live[s] = True
                work.append(s)
        while work:
            t = work.pop()
            for e, source in preds[t]:
                if e.killed[slot] is None or live[source]:
                    continue
                live[source] = True
                work.append(source)
        return live

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


def _bounded_shift(effect: Effect, effects: tuple[Effect, ...]) -> bool:
    """An add or set of a whole number on a bounded number, the only effect on it here: followed
    as a shift (a constant) clamped to the bounds, so its thresholds still apply."""
    value = effect.value
    return (
        isinstance(value, Clamp)
        and isinstance(value.amount, int)
        and effect.op in ("add", "set")
        and sum(e.var == effect.var for e in effects) == 1
    )


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
