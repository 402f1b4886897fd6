"""Successors of abstract states: the step of the exhaustive search (and of value summaries).

``Expander`` computes a packed state's successors without a Game or a machine, from the
story's compiled ``Table``, the abstraction's canonical forms (``abstraction``) and the
packing (``packing``); the engine's own appliers compute effects that read other values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..engine.conditions import Condition
from ..engine.effects import compile_effects
from ..engine.flow import MAX_CALLS, FlowError, conditional_target, is_chance
from ..engine.model import Clamp, Effect, Story
from .abstraction import Analysis
from .packing import Codec
from .sim import Move, Table
from .status import DEAD, ENDING, ERROR, EXPANDED

PLAIN, CHANCE, BRANCH, CALL, RETURN = range(5)  # how a choice goes


class Expander:
    """Computes a state's successors on the abstract state, without a Game or a machine.

    A state is an int (``packing.Codec``): the scene index in the low bits, then
    each slot's code in its own bit field, in its canonical form for that scene (see
    abstraction). Condition results and each slot's change along each choice are
    memoized by the codes they read, so most steps are a few int operations and
    dictionary lookups.
    """

    def __init__(self, story: Story, extra: tuple[tuple[int, Condition], ...] = ()) -> None:
        self.table = table = Table(story)
        self.extra = extra  # conditions kept beside the choices' (``Analysis``)
        self.analysis = Analysis(table, extra)
        self.codec = Codec(self.analysis)
        self.scene_mask = self.codec.scene_mask
        self.endings = table.endings
        # The call stack, above every slot: one digit (return point + 1) per open call, the innermost lowest.
        self.stack_base = len(table.return_points) + 1
        self.stack_shift = self.codec.width * 8
        if table.return_points:
            self.codec.width += ((self.stack_base**MAX_CALLS).bit_length() + 7) // 8
        self.entry_effects = [compile_effects(e) for e in table.on_enter]
        self.moves = [tuple(self._move(m) for m in moves) for moves in table.moves]
        # Per scene: the bits its conditions read, and (memo) those bits -> the moves available.
        self.guard_mask = [0] * len(table.ids)
        for scene, moves in enumerate(self.moves):
            for guard, *_ in moves:
                if guard is not None:
                    self.guard_mask[scene] |= guard[0]
        self.available: list[dict[int, tuple[Any, ...]]] = [{} for _ in table.ids]

    def _bits(self, slots: Iterable[int]) -> int:
        mask = 0
        for slot in slots:
            code = self.codec.slots[slot]
            mask |= code.mask << code.shift
        return mask

    def _move(self, m: Move) -> tuple[Any, ...]:
        an = self.analysis
        guard = None
        c = m.choice
        conds = [x for x in (m.condition, c.requires if c is not None else None) if x is not None]
        once = an.once_slot.get(m.number)
        if conds or once is not None:
            names = sorted({v for x in conds for v in x.variables})
            scenes = sorted({s for x in conds for s in x.scenes})
            read = [an.slot[v] for v in names] + [an.counter_slot[s] for s in scenes]
            tests = tuple(x.evaluate for x in conds)
            evaluate = (tests[0] if len(tests) == 1 else (lambda v, s: all(t(v, s) for t in tests))) if tests else None
            guard = (self._bits(read + ([once] if once is not None else [])), evaluate, names, scenes, read, once)
        outs = {t: self._outcome(m, t) for t in self.table.targets(m)}
        extra: Any
        if c is None or not (c.branches or c.call is not None or c.returns):
            goto, touched, memo, trans = outs[m.goto if c is None else self.table.index[c.goto]]
            # (choice number, target, bits the effects read, memo: those bits -> the bits to flip, effects)
            return (guard, m.number, goto, touched, memo, trans)
        if c.returns:
            kind, extra = RETURN, (self.table.return_points, c.key)
        elif c.call is not None:
            kind, extra = CALL, (self.table.return_points.index(self.table.index[c.goto]), c.key, c.call)
        elif is_chance(c):
            kind, extra = CHANCE, None
        else:
            kind, extra = BRANCH, self._selector(m)
        return (guard, m.number, -1, kind, outs, extra)

    def _outcome(self, m: Move, target: int) -> tuple[Any, ...]:
        """(target, bits read, memo, effects) of one way a choice goes; effects None: computed (``_computed``)."""
        an = self.analysis
        changes = an.transfer(m, target)
        slots = [slot for slot, _fn in changes]
        if not an.computed(m, target):
            # {}: this slot's code before -> after
            return (target, self._bits(slots), {}, tuple((self.codec.slots[slot], fn, {}) for slot, fn in changes))
        reads = {an.slot[v] for e in (*m.effects, *self.table.on_enter[target]) for v in _expression_reads(e)}
        spec = (m, target, sorted(set(slots) | reads), tuple(changes))
        return (target, self._bits(set(slots) | reads), {}, spec)

    def _values(self, key: int, slots: Iterable[int]) -> tuple[dict[str, Any], dict[str, int]]:
        """Variables and visit counts of ``slots`` in a state (lists as lists, for the engine's effects)."""
        an, codec = self.analysis, self.codec
        variables: dict[str, Any] = {}
        visits: dict[str, int] = {}
        nv, nc = len(an.variables), len(an.counters)
        for slot in slots:
            v = codec.value(key, slot)
            if slot < nv:
                variables[an.variables[slot]] = list(v) if isinstance(v, tuple) else v
            elif slot < nv + nc:
                visits[an.counters[slot - nv]] = v
        return variables, visits

    def _computed(self, key: int, spec: tuple[Any, ...]) -> int:
        """The bits a choice with an expression flips: its effects and its target's entry applied to the
        values read (the engine's own appliers), then each slot in the target's canonical form."""
        m, target, slots, changes = spec
        an = self.analysis
        variables, visits = self._values(key, slots)
        for apply in (*m.apply, *self.entry_effects[target]):
            apply(variables, [])
        nv, nc = len(an.variables), len(an.counters)
        flip = 0
        for slot, canon in changes:
            code = self.codec.slots[slot]
            before = key >> code.shift & code.mask
            value: Any
            if slot < nv:
                value = variables[an.variables[slot]]
                value = tuple(value) if isinstance(value, list) else value
            elif slot < nv + nc:
                value = visits[an.counters[slot - nv]] + (an.table.ids[target] == an.counters[slot - nv])
            else:  # a once flag: set by the choice taken, others as they were
                value = True if slot == an.once_slot.get(m.number) else code.decode(before)
            flip |= (before ^ code.encode(canon(value))) << code.shift
        return flip

    def _selector(self, m: Move) -> tuple[Any, ...]:
        """How a goto by condition picks its branch: (bits read, memo, the choice's move)."""
        an = self.analysis
        c = m.choice
        assert c is not None
        reads = {an.slot[e.var] for e in m.effects} | {an.slot[v] for e in m.effects for v in _expression_reads(e)}
        for b in c.branches:
            if b.condition is not None:
                reads |= {an.slot[v] for v in b.condition.variables} | {an.counter_slot[s] for s in b.condition.scenes}
        return (self._bits(reads), {}, m, sorted(reads))

    def _select(self, key: int, selector: tuple[Any, ...]) -> int:
        mask, memo, m, slots = selector
        k = key & mask
        target = memo.get(k)
        if target is None:
            variables, visits = self._values(key, slots)
            for apply in m.apply:
                apply(variables, [])
            target = memo[k] = self.table.index[conditional_target(m.choice, variables, visits)]
        return target  # type: ignore[no-any-return]

    def _go(self, key: int, outcome: tuple[Any, ...]) -> int:
        """The successor of ``key`` by one way a choice goes (the stack left as it is)."""
        goto, touched, memo, trans = outcome
        k = key & touched
        flip = memo.get(k)
        if flip is None:
            flip = memo[k] = self._computed(key, trans) if self.is_computed(trans) else self._flip(trans, k)
        return ((key ^ (key & self.scene_mask)) | goto) ^ flip

    def _flow(self, key: int, kind: int, outs: dict[int, Any], extra: Any) -> list[int]:
        """The successors by a choice with v2 flow (its goto branches, call or return)."""
        if kind == CHANCE:
            return [self._go(key, o) for o in outs.values()]
        if kind == BRANCH:
            return [self._go(key, outs[self._select(key, extra)])]
        stack = key >> self.stack_shift
        low = key & ((1 << self.stack_shift) - 1)
        base = self.stack_base
        if kind == CALL:
            back, choice, called = extra
            if _depth(stack, base) >= MAX_CALLS:
                raise FlowError(f"choice {choice!r} calls {called!r} with {MAX_CALLS} calls already open")
            (outcome,) = outs.values()
            return [self._go(low, outcome) | ((stack * base + back + 1) << self.stack_shift)]
        points, choice = extra
        top = stack % base
        if top == 0:
            raise FlowError(f"choice {choice!r} returns, but no call is open")
        return [self._go(low, outs[points[top - 1]]) | ((stack // base) << self.stack_shift)]

    def initial(self) -> int:
        an, start = self.analysis, self.table.start
        values = [an._start_value(i) for i in range(len(an.names))]
        for i, fn in an.canon[start]:
            values[i] = fn(values[i])
        return self.codec.pack(start, values)

    def scene(self, key: int) -> int:
        return key & self.scene_mask

    def expand(self, key: int) -> tuple[int, Any]:
        """(ENDING, name) | (DEAD, None) | (ERROR, message) | (EXPANDED, [(choice number, successor key)])."""
        scene = key & self.scene_mask
        ending = self.endings[scene]
        if ending is not None:
            return (ENDING, ending)
        out = []
        base = key ^ scene
        try:
            read = key & self.guard_mask[scene]
            moves = self.available[scene].get(read)
            if moves is None:
                moves = self._available(scene, key, read)
            for number, goto, touched, memo, trans in moves:
                if goto < 0:  # v2 flow: touched is its kind, memo its ways, trans what picks one
                    out += [(number, k) for k in self._flow(key, touched, memo, trans)]
                    continue
                k = key & touched
                flip = memo.get(k)
                if flip is None:
                    flip = memo[k] = self._computed(key, trans) if self.is_computed(trans) else self._flip(trans, k)
                out.append((number, (base | goto) ^ flip))
        except FlowError as exc:
            return (ERROR, str(exc))
        except Exception as exc:  # a rule the checker passed but play cannot follow
            return (ERROR, f"{type(exc).__name__}: {exc}")
        return (EXPANDED, out) if out else (DEAD, None)

    def _available(self, scene: int, key: int, read: int) -> tuple[Any, ...]:
        """The moves whose conditions hold for these values (then memoized under their bits)."""
        out = []
        for guard, number, goto, touched, memo, trans in self.moves[scene]:
            if guard is not None:
                _mask, evaluate, names, scenes, slots, once = guard
                if once is not None and self.codec.value(key, once):
                    continue  # taken once already
                nv = len(names)
                variables = {n: self.codec.value(key, i) for n, i in zip(names, slots[:nv], strict=True)}
                visits = {s: self.codec.value(key, i) for s, i in zip(scenes, slots[nv:], strict=True)}
                if evaluate is not None and not evaluate(variables, visits):
                    continue
            out.append((number, goto, touched, memo, trans))
        result = self.available[scene][read] = tuple(out)
        return result

    @staticmethod
    def is_computed(trans: tuple[Any, ...]) -> bool:
        """Whether an outcome's effects are computed from other values (``_computed``), not slot by slot."""
        return bool(trans) and type(trans[0]) is Move

    @staticmethod
    def _flip(trans: tuple[Any, ...], k: int) -> int:
        """The bits a choice's effects flip, given the bits of the slots they touch."""
        flip = 0
        for code, fn, memo in trans:
            v = k >> code.shift & code.mask
            w = memo.get(v)
            if w is None:
                w = memo[v] = code.encode(fn(code.decode(v)))
            flip |= (v ^ w) << code.shift
        return flip


def _depth(stack: int, base: int) -> int:
    depth = 0
    while stack:
        stack //= base
        depth += 1
    return depth


def _expression_reads(effect: Effect) -> frozenset[str]:
    value = effect.value
    return value.amount.variables if isinstance(value, Clamp) and not isinstance(value.amount, int) else frozenset()
