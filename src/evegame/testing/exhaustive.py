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
bound count as able to finish). ``max_seconds`` stops the search at a deadline, leaving
the rest of the frontier unexpanded; any bound hit makes the report incomplete. With ``jobs > 1`` each level's frontier is
expanded in chunks over processes and merged in order, so the result is the same.
When the state or depth bound stops the search, value summaries (``summaries``) decide
what it left open and random games witness what it did not reach (``_decide_the_rest``).
"""

from __future__ import annotations

import os
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from ..engine.conditions import Condition
from ..engine.gcpause import gc_paused
from ..engine.model import Story
from .abstraction import Analysis
from .concrete import ConcreteExpander
from .diagnose import Diagnosis, diagnose
from .expander import Expander
from .sim import Table
from .status import DEAD, ENDING, ERROR, EXPANDED, OPEN, PARTIAL
from .summaries import Proof, prove
from .textcov import Catalogue
from .textreach import Exact, Reach, TextReach, decide_exact

PARALLEL_MIN = 4096  # smaller frontiers are expanded in-process: shipping them costs more
WITNESS_GAMES = 20_000  # at most this many random games witness what a bounded search did not reach
WITNESS_BATCH = 4000
REFINE_UNWITNESSED = 3  # value summaries asked again, with what no game showed kept exact
SETTLE_AFTER = 8  # passes of the soft-lock analysis before it switches to a backward search


# --- worker processes ---------------------------------------------------------------

_WORKER: Expander | None = None


def _init_worker(story: Story, extra: tuple[tuple[int, Condition], ...]) -> None:
    global _WORKER
    _WORKER = Expander(story, extra)


def _expand_chunk(blob: bytes) -> tuple[bytes, array[int], bytes, dict[int, str]]:
    """Expand keys sent as fixed-width bytes; answer in the same compact form (pickling
    millions of (number, key) tuples would cost more than expanding them)."""
    ex = _WORKER
    assert ex is not None
    width = ex.codec.width
    statuses = bytearray()
    numbers = array("q")
    keys = []
    notes: dict[int, str] = {}
    for n, i in enumerate(range(0, len(blob), width)):
        state, payload = ex.expand(int.from_bytes(blob[i : i + width], "little"))
        statuses.append(state)
        if state == EXPANDED:
            numbers.append(len(payload))
            for number, key in payload:
                numbers.append(number)
                keys.append(key.to_bytes(width, "little"))
        elif payload is not None:
            notes[n] = payload
    return bytes(statuses), numbers, b"".join(keys), notes


def _unpack(answer: tuple[bytes, array[int], bytes, dict[int, str]], width: int) -> Iterator[tuple[int, Any]]:
    """A worker's answer as (status, payload) pairs; successors come as lazy (number, key) pairs."""
    statuses, numbers, blob, notes = answer
    view = memoryview(blob)
    at = pos = 0
    from_bytes = int.from_bytes
    for n, state in enumerate(statuses):
        if state == EXPANDED:
            count = numbers[at]
            end = pos + count * width
            keys = [from_bytes(view[p : p + width], "little") for p in range(pos, end, width)]
            yield (state, zip(numbers[at + 1 : at + 1 + count], keys, strict=True))
            at += 1 + count
            pos = end
        else:
            yield (state, notes.get(n))


# --- the report -----------------------------------------------------------------------


@dataclass
class Finding:
    """A scene where something was found: how many states, and the shortest path to one."""

    scene: str
    states: int
    path: list[tuple[str, str]]
    detail: str = ""
    diagnosis: Diagnosis | None = None  # dead ends and soft-locks: the state there, the closed choices

    def to_dict(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "states": self.states,
            "steps": len(self.path),
            "path": [list(p) for p in self.path],
            "detail": self.detail,
            **(self.diagnosis.to_dict() if self.diagnosis else {}),
        }


@dataclass
class Witness:
    """The shortest route to an ending, to a scene no ending route passes through, or to a
    dead end or soft-lock (with its diagnosis)."""

    kind: str  # ending | scene | dead_end | soft_lock
    target: str  # ending name or scene id
    scene: str
    path: list[tuple[str, str]]
    diagnosis: Diagnosis | None = None


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
    max_seconds: float | None = None
    time_bound_hit: bool = False
    catalogue: Catalogue | None = None  # text coverage (None: not asked for)
    text: Reach | None = None
    scene_states: list[int] = field(default_factory=list)  # states explored per scene
    proof: Proof | None = None  # what value summaries decided after a bound stopped the search
    text_reach: TextReach | None = field(default=None, repr=False)

    @property
    def bound_hit(self) -> bool:
        return self.state_bound_hit or self.depth_bound_hit or self.time_bound_hit

    @property
    def complete(self) -> bool:
        """Whether every question is answered: no bound hit, or value summaries decided the rest."""
        return not self.bound_hit or (self.proof is not None and self.proof.decided)

    def limits_hit(self) -> list[str]:
        """The limits that stopped the search, as the options that set them."""
        out = []
        if self.state_bound_hit:
            out.append(f"--max-states {self.max_states:,}")
        if self.depth_bound_hit:
            out.append(f"--max-depth {self.max_depth:,}")
        if self.time_bound_hit:
            out.append(f"--max-seconds {self.max_seconds:g}")
        return out


@dataclass
class _Graph:
    """The explored states: keys in BFS order, how each was first reached, status, successors."""

    scene_mask: int
    stride: int  # origin = parent index * stride + choice number (-1: the start)
    keys: list[int] = field(default_factory=list)
    index: dict[int, int] = field(default_factory=dict)
    origin: list[int] = field(default_factory=list)
    status: list[int] = field(default_factory=list)
    succ: list[tuple[int, ...]] = field(default_factory=list)
    note: dict[int, str] = field(default_factory=dict)  # ending name or error message
    labels: dict[int, tuple[int, ...]] = field(default_factory=dict)  # choice number of each successor edge

    def add(self, key: int, origin: int) -> int:
        i = len(self.keys)
        self.keys.append(key)
        self.index[key] = i
        self.origin.append(origin)
        self.status.append(OPEN)
        self.succ.append(())
        return i


def explore_exhaustive(
    story: Story,
    *,
    max_states: int = 4_000_000,
    max_depth: int = 10_000,
    jobs: int = 1,
    max_seconds: float | None = None,
    text: bool = True,
    progress: Callable[[int, str], None] | None = None,
    concrete: bool = False,
    summaries: bool = True,
) -> ExhaustiveReport:
    """Search every reachable state (within the bounds) and report what was and was not reached;
    with ``text``, also which conditional text can be shown and why the rest never is (``textreach``).
    ``progress(done, note)`` is called now and then while it runs. ``concrete``: search full game
    states (``concrete``) instead of the abstraction, as the tests' reference. ``summaries``: when
    the state or depth bound stops the search, decide what it left open by value summaries
    (``summaries.prove``)."""
    with gc_paused():  # millions of tuples and no cycles: collector passes would cost more than the search
        report = _explore(story, max_states, max_depth, jobs, max_seconds, text, progress, concrete)
        if summaries and not concrete and report.bound_hit and not report.time_bound_hit:
            _decide_the_rest(story, report, max_seconds, progress)
        return report


def _explore(
    story: Story,
    max_states: int,
    max_depth: int,
    jobs: int,
    max_seconds: float | None,
    text: bool,
    progress: Callable[[int, str], None] | None = None,
    concrete: bool = False,
    reach: TextReach | None = None,
    observe: bool = False,
) -> ExhaustiveReport:
    """``observe``: the states keep what the open text reads (``TextReach.observations``), decided on
    them; otherwise it is decided along the explored graph's edges (``judge_by_paths``), and only
    when that gives up is the search run again observing."""
    began = time.perf_counter()
    deadline = None if max_seconds is None else began + max_seconds
    if reach is None and text and not concrete:
        reach = TextReach(story)
    extra = reach.observations if reach is not None and observe else ()
    labelled = reach is not None and reach.by_choice and not observe
    # concrete states hold every value, so text is decided on them directly
    flow_text = Catalogue(Table(story)) if text and concrete else None
    ex: Any = (
        ConcreteExpander(story, flow_text.visit_scenes() if flow_text else ()) if concrete else Expander(story, extra)
    )
    table = ex.table
    g = _Graph(ex.scene_mask, len(table.choice_ids) + 1)
    if ex.codec.dynamic:
        jobs = 1  # codes of whole lists are made as met: they would differ between processes
    g.add(ex.initial(), -1)
    frontier = range(1)
    depth = 0
    taken = [False] * len(table.choice_ids)
    state_bound = depth_bound = time_bound = False
    edges = 0
    keys, index, origin, status, succ = g.keys, g.index, g.origin, g.status, g.succ
    stride = g.stride
    workers = _workers(jobs)
    pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(story, extra)) if workers else None
    try:
        while frontier:
            if depth >= max_depth:
                depth_bound = True
                break
            results = _expand_level(ex, pool, workers, keys[frontier.start : frontier.stop])
            first_new = len(keys)
            for i, (state, payload) in zip(frontier, results, strict=True):
                if not i & 1023:
                    if progress is not None:
                        progress(len(keys), f"depth {depth}")
                    if deadline is not None and time.perf_counter() > deadline:
                        time_bound = True  # the rest of the frontier stays unexpanded (OPEN)
                        break
                status[i] = state
                if state == EXPANDED:
                    out = []
                    numbers = []
                    for number, key in payload:
                        taken[number] = True
                        j = index.get(key)
                        if j is None:
                            j = len(keys)
                            if j >= max_states:
                                state_bound = True
                                status[i] = PARTIAL
                                edges += 1  # followed, but its new state is not kept
                                continue
                            keys.append(key)
                            index[key] = j
                            origin.append(i * stride + number)
                        out.append(j)
                        numbers.append(number)
                    edges += len(out)
                    succ[i] = tuple(out)
                    if labelled:
                        g.labels[i] = tuple(numbers)
                elif state in (ENDING, ERROR):
                    g.note[i] = payload
            added = len(keys) - first_new
            status.extend([OPEN] * added)
            succ.extend([()] * added)
            frontier = range(first_new, len(keys))
            depth += 1
            if time_bound:
                break
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
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
        max_seconds=max_seconds,
        time_bound_hit=time_bound,
    )
    _analyse(g, report)
    report.scene_states = _scene_states(g, len(table.ids))
    if reach is not None:
        report.catalogue, report.text_reach = reach.catalogue, reach
        complete = not report.bound_hit and not report.errors
        if observe:
            report.text = reach.judge(ex.analysis, ex.codec, g.keys, complete=complete)
        else:
            report.text = reach.judge_by_paths(table, g.keys, g.succ, g.labels, g.scene_mask, complete=complete)
            if report.text is None:  # a loop keeps changing what the text reads: the states must keep it
                del g, report
                return _explore(
                    story, max_states, max_depth, jobs, max_seconds, text, progress, reach=reach, observe=True
                )
    if flow_text is not None:
        report.catalogue = flow_text
        report.text = _judge_concrete(flow_text, ex, complete=not report.bound_hit and not report.errors)
    report.seconds = time.perf_counter() - began
    return report


def _decide_the_rest(
    story: Story, report: ExhaustiveReport, max_seconds: float | None, progress: Callable[[int, str], None] | None
) -> None:
    """After a state or depth bound: value summaries (``summaries``) say what may still happen, and
    random games witness what the search did not reach; ``report`` is completed in place."""
    began = time.perf_counter()
    found = {
        "dead_end": {f.scene for f in report.dead_ends},
        "soft_lock": {f.scene for f in report.soft_locks},
        "error": {f.scene for f in report.errors},
    }
    keep: frozenset[str] = frozenset()
    seed = 0  # the next random game to play: an attempt after the first plays new games, not the same ones
    for _attempt in range(REFINE_UNWITNESSED):
        left = None if max_seconds is None else max(0.0, max_seconds - report.seconds - (time.perf_counter() - began))
        proof = prove(
            story,
            found,
            report.text_reach,
            report.text,
            keep=keep,
            max_seconds=left,
            progress=None if progress is None else (lambda done, note: progress(report.states + done, note)),
        )
        report.proof = proof
        if proof.gave_up:
            break
        unseen, seed = _witness(story, report, proof, seed)
        # what may happen but no game showed: keep exact what is read on the way to it, and ask again
        wanted = keep.union(*(proof.reads.get(q, frozenset()) for q in unseen))
        if proof.decided or wanted == keep:
            break
        keep = wanted
    report.seconds += time.perf_counter() - began


def _witness(story: Story, report: ExhaustiveReport, proof: Proof, seed: int) -> tuple[list[tuple[str, int]], int]:
    """Play random games from game ``seed`` on (in batches, while they find something new) until each
    scene, choice, ending and text item the summaries allow is shown by a game. Returns what none shows
    (("scene"|"choice"|"text", index), left undecided) and the next game to play."""
    from .randomwalk import explore_random

    table = report.table
    scenes, choices = list(report.scenes_reached), list(report.choices_taken)
    endings = {name: 0 for name in report.endings_reached}
    text = report.text
    routes: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    while seed < WITNESS_GAMES:
        before = len(_unseen(proof, scenes, choices, text))
        if not before:
            break
        played = explore_random(story, WITNESS_BATCH, seed=seed, text=bool(proof.text))
        seed += WITNESS_BATCH
        scenes = [a or h > 0 for a, h in zip(scenes, played.scene_hits, strict=True)]
        choices = [a or h > 0 for a, h in zip(choices, played.choice_hits, strict=True)]
        endings.update({name: 0 for name, games in played.endings.items() if games and name not in endings})
        for name, (scene, path) in played.routes.items():  # a witness of each ending the search did not reach
            if name not in report.endings_reached and (name not in routes or len(path) < len(routes[name][1])):
                routes[name] = (scene, path)
        if text is not None:
            for k in proof.text:
                text.shown[k] = text.shown[k] or played.text_hits[k] > 0
        if len(_unseen(proof, scenes, choices, text)) == before:
            break  # a batch that shows nothing new: more of the same would not either
    # what random games reached counts as reached: each was played by the rules
    report.witnesses += [Witness("ending", name, scene, path) for name, (scene, path) in sorted(routes.items())]
    report.scenes_reached, report.choices_taken = scenes, choices
    report.endings_reached = {name: report.endings_reached.get(name, 0) for name in sorted(endings)}
    unseen = _unseen(proof, scenes, choices, text)
    undecided = []
    for kind, i in unseen:
        if kind == "scene":
            undecided.append(f"scene {table.ids[i]!r} may be reachable, but no game reached it")
        elif kind == "choice":
            undecided.append("choice {}:{} may be available, but no game took it".format(*table.choice_ids[i]))
        elif text is not None and report.catalogue is not None:
            text.undecided[i] = "its condition may hold where it is shown, but no game showed it"
            undecided.append(f"text at {report.catalogue.items[i].where()} may be shown, but no game showed it")
    if text is not None:
        for k in proof.text:
            if text.shown[k]:
                text.undecided.pop(k, None)
    proof.undecided = undecided + proof.alarms
    return unseen, seed


def _unseen(proof: Proof, scenes: list[bool], choices: list[bool], text: Reach | None) -> list[tuple[str, int]]:
    """The scenes, choices and text items the summaries allow that no game has shown yet."""
    out = [("scene", i) for i in sorted(proof.scenes) if not scenes[i]]
    out += [("choice", n) for n in sorted(proof.choices) if not choices[n]]
    if text is not None:
        out += [("text", k) for k in proof.text if not text.shown[k]]
    return out


def _judge_concrete(cat: Catalogue, ex: ConcreteExpander, *, complete: bool) -> Reach:
    """The conditional text shown on the concrete states met (each holds every value)."""
    reach = Reach([not cat.items[k].literals for k in range(len(cat.items))])
    met: dict[int, set[tuple[Any, ...]]] = {}
    for state in ex.states:
        met.setdefault(state[0], set()).add(state[1] + state[2])
    rules = ex.rules
    exact = Exact(ex.table, rules.variables, rules.tracked)
    items = [k for k in cat.conditional if cat.items[k].literals]
    decide_exact(cat, items, exact, met, reach, complete=complete)
    return reach


def _scene_states(g: _Graph, n: int) -> list[int]:
    mask = g.scene_mask
    counts = Counter(key & mask for key in g.keys)
    return [counts.get(i, 0) for i in range(n)]


def _workers(jobs: int) -> int:
    """Worker processes for ``--jobs``: this process works too, so one fewer, and no more than
    the cores that are idle now (on busy cores, shipping states to workers costs more than it
    saves). The results never depend on it."""
    if jobs <= 1:
        return 0
    return max(0, min(jobs - 1, _idle_cores() - 1))


def _idle_cores() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 0.0
    return max(1, int(cores - busy + 0.5))


def _expand_level(ex: Expander, pool: ProcessPoolExecutor | None, jobs: int, keys: list[int]) -> Iterable[Any]:
    """Each key's expansion, in order. With workers, this process expands the first share
    while they expand the rest, and their results are merged as they arrive."""
    if pool is None or len(keys) < PARALLEL_MIN:
        return map(ex.expand, keys)
    size = -(-len(keys) // (jobs * 8))  # several chunks per worker: merging overlaps their work
    chunks = [keys[i : i + size] for i in range(0, len(keys), size)]
    width = ex.codec.width
    theirs = pool.map(_expand_chunk, [b"".join(k.to_bytes(width, "little") for k in c) for c in chunks[1:]])
    mine = [ex.expand(k) for k in chunks[0]]
    return chain(mine, chain.from_iterable(_unpack(answer, width) for answer in theirs))


def _scenes_reached(g: _Graph, n: int) -> list[bool]:
    mask = g.scene_mask
    reached = [False] * n
    for key in g.keys:
        reached[key & mask] = True
    return reached


def _path(g: _Graph, table: Table, i: int) -> list[tuple[str, str]]:
    steps = []
    while g.origin[i] >= 0:
        i, number = divmod(g.origin[i], g.stride)
        steps.append(table.choice_ids[number])
    steps.reverse()
    return steps


def _settle(undecided: list[int], succ: list[tuple[int, ...]], can_finish: bytearray) -> list[int]:
    """Backward search over the undecided states; return those that cannot finish."""
    preds: dict[int, list[int]] = {i: [] for i in undecided}
    queue = []
    for i in undecided:
        for j in succ[i]:
            if can_finish[j]:
                queue.append(i)
            elif j in preds:
                preds[j].append(i)
    while queue:
        j = queue.pop()
        if can_finish[j] and j not in preds:
            continue
        can_finish[j] = 1
        for i in preds.pop(j, ()):
            if not can_finish[i]:
                queue.append(i)
    return [i for i in undecided if not can_finish[i]]


def _analyse(g: _Graph, report: ExhaustiveReport) -> None:
    mask = g.scene_mask
    table = report.table
    ids = table.ids
    n = len(g.keys)
    status, succ = g.status, g.succ
    # Which states can still finish: endings, and (unknown, so given the benefit of the
    # doubt) states a bound or an error kept from being fully expanded. Successors mostly
    # come later in BFS order, so one backward pass settles nearly all; loops need more.
    can_finish = bytearray(st != EXPANDED and st != DEAD for st in status)
    undecided = [i for i in range(n - 1, -1, -1) if status[i] == EXPANDED]
    changed = True
    passes = 0
    while changed and undecided:  # passes until nothing changes; merges and loops need a few
        passes += 1
        if passes > SETTLE_AFTER:  # long chains of back edges: settle the rest by a backward search
            undecided = _settle(undecided, succ, can_finish)
            break
        changed = False
        rest = []
        for i in undecided:
            for j in succ[i]:
                if can_finish[j]:
                    can_finish[i] = 1
                    changed = True
                    break
            else:
                rest.append(i)
        undecided = rest
    undecided.reverse()
    scene_of = [key & mask for key in g.keys]
    scene_first: dict[int, int] = {}
    for i, sc in enumerate(scene_of):
        if sc not in scene_first:
            scene_first[sc] = i
    per_scene = Counter(scene_of)
    endings: dict[str, int] = {}
    ending_first: dict[str, int] = {}
    for sc, i in scene_first.items():
        name = table.endings[sc]
        if name is not None:  # an ending (even one at the depth bound, left unexpanded)
            endings[name] = endings.get(name, 0) + per_scene[sc]
            ending_first[name] = min(i, ending_first.get(name, i))
    first: dict[tuple[str, int], int] = {}
    counts: dict[tuple[str, int], int] = {}
    bad = [(i, st) for i, st in enumerate(status) if st in (DEAD, ERROR)]
    bad += [(i, EXPANDED) for i in undecided]  # soft-locks
    for i, kind in sorted(bad):
        group = (ids[scene_of[i]], kind)
        first.setdefault(group, i)
        counts[group] = counts.get(group, 0) + 1
    report.endings_reached = dict(sorted(endings.items()))
    for (scene, kind), i in sorted(first.items(), key=lambda item: item[1]):
        finding = Finding(scene, counts[(scene, kind)], _path(g, table, i))
        if kind == DEAD:
            finding.detail = "no choice is available"
            finding.diagnosis = diagnose(table, finding.path, scene)
            report.dead_ends.append(finding)
        elif kind == ERROR:
            finding.detail = g.note[i]
            report.errors.append(finding)
        else:
            finding.detail = "no ending can be reached from here"
            finding.diagnosis = diagnose(table, finding.path, scene)
            report.soft_locks.append(finding)
    # Witnesses: the shortest route to each ending, then to each scene no ending route visits.
    on_routes: set[str] = set()
    for name, i in sorted(ending_first.items(), key=lambda item: item[1]):
        path = _path(g, table, i)
        scene = ids[g.keys[i] & mask]
        report.witnesses.append(Witness("ending", name, scene, path))
        on_routes.update(s for s, _ in path)
        on_routes.add(scene)
    for sc, i in scene_first.items():
        scene = ids[sc]
        if scene not in on_routes:
            report.witnesses.append(Witness("scene", scene, scene, _path(g, table, i)))
    for problem, findings in (("dead_end", report.dead_ends), ("soft_lock", report.soft_locks)):
        report.witnesses += [Witness(problem, f.scene, f.scene, f.path, f.diagnosis) for f in findings]
