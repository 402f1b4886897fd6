"""Exhaustive exploration: breadth-first search over (scene, game state), deduplicated.

A state is the scene plus what of the game state can still change which
choices are available (``abstraction.Analysis``): numbers up to the thresholds
conditions will compare them with, the names a list will still be tested for,
flags while a condition can still read them, and visit counts asked about. The
codex and the path are never part of it: no condition reads them.

Lists kept whole keep their order (as in snapshots). The search stops expanding at
``max_depth`` choices and stops adding states at ``max_states``; both are
reported. Soft-locks are states with choices from which no ending can be
reached (a reverse search over the explored graph; states left unexpanded by a
bound count as able to finish). With ``jobs > 1`` each level's frontier is
expanded in chunks over processes and merged in order, so the result is the same.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..engine.model import Story
from .abstraction import Analysis
from .sim import Table

OPEN, EXPANDED, ENDING, DEAD, ERROR, PARTIAL = range(6)  # per-state status
PARALLEL_MIN = 4096  # smaller frontiers are expanded in-process: shipping them costs more


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class Expander:
    """Computes a state's successors on the abstract state, without a Game or a machine.

    A state key is ``(scene index, values)``: the variables in story order, then
    the visit counters, each in its canonical form for that scene (see abstraction).
    """

    def __init__(self, story: Story) -> None:
        self.table = table = Table(story)
        self.analysis = an = Analysis(table)
        self.nv = len(an.variables)
        self.canon = an.canon
        self.endings = table.endings
        self.moves = [
            tuple(
                (
                    m.condition.evaluate if m.condition is not None else None,
                    m.number,
                    m.goto,
                    tuple((op, var, _freeze(val)) for op, var, val in (*m.effects, *table.on_enter[m.goto])),
                    an.counter_slot.get(table.ids[m.goto], -1),
                )
                for m in moves
            )
            for moves in table.moves
        ]

    def initial(self) -> tuple[int, tuple[Any, ...]]:
        an, start = self.analysis, self.table.start
        variables = dict(zip(an.variables, an.defaults, strict=False))
        for op, var, value in self.table.on_enter[start]:
            _apply(variables, op, var, _freeze(value))
        values = [*variables.values(), *an.defaults[self.nv :]]
        slot = an.counter_slot.get(self.table.ids[start], -1)
        if slot >= 0:
            values[slot] += 1
        for i, fn in self.canon[start]:
            values[i] = fn(values[i])
        return (start, tuple(values))

    def expand(self, key: tuple[int, tuple[Any, ...]]) -> tuple[int, Any]:
        """(ENDING, name) | (DEAD, None) | (ERROR, message) | (EXPANDED, [(choice number, successor key)])."""
        scene, values = key
        ending = self.endings[scene]
        if ending is not None:
            return (ENDING, ending)
        an, nv, canon = self.analysis, self.nv, self.canon
        try:
            variables = dict(zip(an.variables, values, strict=False))
            counts = values[nv:]
            visits = dict(zip(an.counters, counts, strict=True))
            out = []
            for cond, number, goto, effects, slot in self.moves[scene]:
                if cond is not None and not cond(variables, visits):
                    continue
                after = dict(variables)
                for op, var, value in effects:
                    _apply(after, op, var, value)
                new = [*after.values(), *counts]
                if slot >= 0:
                    new[slot] += 1
                for i, fn in canon[goto]:
                    new[i] = fn(new[i])
                out.append((number, (goto, tuple(new))))
        except Exception as exc:  # a rule the checker passed but play cannot follow
            return (ERROR, f"{type(exc).__name__}: {exc}")
        return (EXPANDED, out) if out else (DEAD, None)


def _apply(variables: dict[str, Any], op: str, var: str, value: Any) -> None:
    """GameState.apply on frozen values (lists as tuples)."""
    if op == "add":
        variables[var] += value
    elif op == "set":
        variables[var] = value
    elif op == "give":
        items = variables[var]
        if value not in items:
            variables[var] = (*items, value)
    elif op == "take":
        items = variables[var]
        if value in items:
            variables[var] = tuple(i for i in items if i != value)


# --- worker processes ---------------------------------------------------------------

_WORKER: Expander | None = None


def _init_worker(story: Story) -> None:
    global _WORKER
    _WORKER = Expander(story)


def _expand_chunk(keys: list[tuple[Any, ...]]) -> list[tuple[int, Any]]:
    assert _WORKER is not None
    return [_WORKER.expand(k) for k in keys]


# --- the report -----------------------------------------------------------------------


@dataclass
class Finding:
    """A scene where something was found: how many states, and the shortest path to one."""

    scene: str
    states: int
    path: list[tuple[str, str]]
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "states": self.states,
            "steps": len(self.path),
            "path": [list(p) for p in self.path],
            "detail": self.detail,
        }


@dataclass
class Witness:
    """The shortest route to an ending or to a scene no ending route passes through."""

    kind: str  # ending | scene
    target: str  # ending name or scene id
    scene: str
    path: list[tuple[str, str]]


@dataclass
class ExhaustiveReport:
    story: Story
    table: Table
    abstraction: Analysis
    states: int
    edges: int
    depth: int
    seconds: float
    max_states: int
    max_depth: int
    state_bound_hit: bool
    depth_bound_hit: bool
    scenes_reached: list[bool]
    choices_taken: list[bool]
    endings_reached: dict[str, int]  # ending -> number of ending states
    dead_ends: list[Finding] = field(default_factory=list)
    soft_locks: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    witnesses: list[Witness] = field(default_factory=list)
    jobs: int = 1

    @property
    def bound_hit(self) -> bool:
        return self.state_bound_hit or self.depth_bound_hit


@dataclass
class _Graph:
    keys: list[tuple[Any, ...]] = field(default_factory=list)
    index: dict[tuple[Any, ...], int] = field(default_factory=dict)
    parent: list[int] = field(default_factory=list)
    via: list[int] = field(default_factory=list)  # choice number that led here
    status: list[int] = field(default_factory=list)
    succ: list[tuple[int, ...]] = field(default_factory=list)
    note: dict[int, str] = field(default_factory=dict)  # ending name or error message

    def add(self, key: tuple[Any, ...], parent: int, via: int) -> int:
        i = len(self.keys)
        self.keys.append(key)
        self.index[key] = i
        self.parent.append(parent)
        self.via.append(via)
        self.status.append(OPEN)
        self.succ.append(())
        return i


def explore_exhaustive(
    story: Story,
    *,
    max_states: int = 1_000_000,
    max_depth: int = 10_000,
    jobs: int = 1,
) -> ExhaustiveReport:
    """Search every reachable state (within the bounds) and report what was and was not reached."""
    began = time.perf_counter()
    ex = Expander(story)
    table = ex.table
    g = _Graph()
    g.add(ex.initial(), -1, -1)
    frontier = [0]
    depth = 0
    taken = [False] * len(table.choice_ids)
    state_bound = depth_bound = False
    edges = 0
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(story,)) if jobs > 1 else None
    try:
        while frontier:
            if depth >= max_depth:
                depth_bound = True
                break
            results = _expand_level(ex, pool, jobs, [g.keys[i] for i in frontier])
            nxt: list[int] = []
            for i, (status, payload) in zip(frontier, results, strict=True):
                g.status[i] = status
                if status == EXPANDED:
                    succ = []
                    for number, key in payload:
                        taken[number] = True
                        edges += 1
                        j = g.index.get(key)
                        if j is None:
                            if len(g.keys) >= max_states:
                                state_bound = True
                                g.status[i] = PARTIAL
                                continue
                            j = g.add(key, i, number)
                            nxt.append(j)
                        succ.append(j)
                    g.succ[i] = tuple(succ)
                elif status in (ENDING, ERROR):
                    g.note[i] = payload
            frontier = nxt
            depth += 1
    finally:
        if pool is not None:
            pool.shutdown()
    report = ExhaustiveReport(
        story,
        table,
        ex.analysis,
        states=len(g.keys),
        edges=edges,
        depth=depth,
        seconds=0.0,
        max_states=max_states,
        max_depth=max_depth,
        state_bound_hit=state_bound,
        depth_bound_hit=depth_bound,
        scenes_reached=_scenes_reached(g, len(table.ids)),
        choices_taken=taken,
        endings_reached={},
        jobs=jobs,
    )
    _analyse(g, report)
    report.seconds = time.perf_counter() - began
    return report


def _expand_level(
    ex: Expander, pool: ProcessPoolExecutor | None, jobs: int, keys: list[tuple[Any, ...]]
) -> list[tuple[int, Any]]:
    if pool is None or len(keys) < PARALLEL_MIN:
        return [ex.expand(k) for k in keys]
    size = -(-len(keys) // (jobs * 4))  # a few chunks per worker evens out the load
    chunks = [keys[i : i + size] for i in range(0, len(keys), size)]
    out: list[tuple[int, Any]] = []
    for part in pool.map(_expand_chunk, chunks):
        out.extend(part)
    return out


def _scenes_reached(g: _Graph, n: int) -> list[bool]:
    reached = [False] * n
    for key in g.keys:
        reached[key[0]] = True
    return reached


def _path(g: _Graph, table: Table, i: int) -> list[tuple[str, str]]:
    steps = []
    while g.parent[i] >= 0:
        steps.append(table.choice_ids[g.via[i]])
        i = g.parent[i]
    steps.reverse()
    return steps


def _analyse(g: _Graph, report: ExhaustiveReport) -> None:
    table = report.table
    ids = table.ids
    n = len(g.keys)
    # Which states can still finish: endings, and (unknown, so given the benefit of
    # the doubt) states a bound or an error kept from being fully expanded.
    preds: list[list[int]] = [[] for _ in range(n)]
    for i, succ in enumerate(g.succ):
        for j in succ:
            preds[j].append(i)
    can_finish = [s in (ENDING, OPEN, ERROR, PARTIAL) for s in g.status]
    queue = deque(i for i in range(n) if can_finish[i])
    while queue:
        j = queue.popleft()
        for i in preds[j]:
            if not can_finish[i]:
                can_finish[i] = True
                queue.append(i)
    first: dict[tuple[str, int], int] = {}
    counts: dict[tuple[str, int], int] = {}
    endings: dict[str, int] = {}
    ending_first: dict[str, int] = {}
    for i in range(n):
        status = g.status[i]
        if status == ENDING:
            name = g.note[i]
            endings[name] = endings.get(name, 0) + 1
            ending_first.setdefault(name, i)
            continue
        kind = {DEAD: DEAD, ERROR: ERROR}.get(status)
        if kind is None and status == EXPANDED and not can_finish[i]:
            kind = EXPANDED  # a soft-lock
        if kind is None:
            continue
        group = (ids[g.keys[i][0]], kind)
        first.setdefault(group, i)
        counts[group] = counts.get(group, 0) + 1
    report.endings_reached = dict(sorted(endings.items()))
    for (scene, kind), i in sorted(first.items(), key=lambda item: item[1]):
        finding = Finding(scene, counts[(scene, kind)], _path(g, table, i))
        if kind == DEAD:
            finding.detail = "no choice is available"
            report.dead_ends.append(finding)
        elif kind == ERROR:
            finding.detail = g.note[i]
            report.errors.append(finding)
        else:
            finding.detail = "no ending can be reached from here"
            report.soft_locks.append(finding)
    # Witnesses: the shortest route to each ending, then to each scene no ending route visits.
    on_routes: set[str] = set()
    for name, i in sorted(ending_first.items(), key=lambda item: item[1]):
        path = _path(g, table, i)
        scene = ids[g.keys[i][0]]
        report.witnesses.append(Witness("ending", name, scene, path))
        on_routes.update(s for s, _ in path)
        on_routes.add(scene)
    scene_first: dict[str, int] = {}
    for i, key in enumerate(g.keys):
        scene_first.setdefault(ids[key[0]], i)
    for scene, i in scene_first.items():
        if scene not in on_routes:
            report.witnesses.append(Witness("scene", scene, scene, _path(g, table, i)))
