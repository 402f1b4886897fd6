"""Random exploration: N seeded games, coverage, and the games that went wrong.

Game ``i`` of a run with seed ``S`` uses seed ``S + i``, so any single game is
reproduced with ``--random 1 --seed S+i``. With ``jobs > 1`` the games are split
into contiguous ranges over processes and merged in game order: the report is
identical to a one-process run. ``max_seconds`` stops starting new games at a
deadline (a game under way plays on to its end or its step bound).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from ..engine.flow import is_chance, roll
from ..engine.model import Story
from .concrete import FlowRules, TextViews, uses_flow
from .diagnose import Diagnosis, diagnose
from .signature import Signature
from .sim import Table
from .textcov import Catalogue

KINDS = ("exception", "dead_end", "step_bound")


@dataclass
class GameProblem:
    """A game that went wrong: what, the game's seed, and the path that reproduces it."""

    kind: str  # exception | dead_end | step_bound
    game: int
    seed: int
    scene: str
    path: list[tuple[str, str]]
    detail: str = ""
    diagnosis: Diagnosis | None = None  # dead ends: the state there, the closed choices

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "game": self.game,
            "seed": self.seed,
            "scene": self.scene,
            "steps": len(self.path),
            "path": [list(p) for p in self.path],
            "detail": self.detail,
            **(self.diagnosis.to_dict() if self.diagnosis else {}),
        }


@dataclass
class _Partial:
    games: int = 0
    steps: int = 0
    scene_hits: list[int] = field(default_factory=list)
    choice_hits: list[int] = field(default_factory=list)
    endings: dict[str, int] = field(default_factory=dict)
    problem_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    problems: list[GameProblem] = field(default_factory=list)  # the first ``keep`` of each kind
    route_lengths: list[int] = field(default_factory=list)  # scenes read, per game that reached an ending
    route_words: list[tuple[str, int]] = field(default_factory=list)  # (ending, words read), per such game
    text_hits: list[int] = field(default_factory=list)  # per catalogue item: times shown
    routes: dict[str, tuple[int, list[int]]] = field(default_factory=dict)  # ending -> (its scene, the choices
    # of the shortest game to it)


@dataclass
class RandomReport:
    story: Story
    table: Table
    games: int
    seed: int
    max_steps: int
    steps: int
    seconds: float
    scene_hits: list[int]
    choice_hits: list[int]
    endings: dict[str, int]
    problem_counts: dict[str, int]
    problems: list[GameProblem]
    route_lengths: list[int]  # scenes read (the ending included) by each game that ended, in game order
    catalogue: Catalogue
    text_hits: list[int]  # per catalogue item: times shown (codex: times unlocked)
    route_words: list[tuple[str, int]]  # (ending, words of text read) by each game that ended, in game order
    # ending -> (its scene, the path of the shortest game to it)
    routes: dict[str, tuple[str, list[tuple[str, str]]]] = field(default_factory=dict)
    games_asked: int = 0
    max_seconds: float | None = None

    @property
    def time_bound_hit(self) -> bool:
        return self.games < self.games_asked

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.seconds if self.seconds > 0 else 0.0

    @property
    def failures(self) -> int:
        return sum(self.problem_counts.values())


def _run_games(
    table: Table,
    catalogue: Catalogue,
    first: int,
    count: int,
    seed: int,
    max_steps: int,
    keep: int,
    deadline: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> _Partial:
    """Play games ``first .. first+count-1`` (fewer if ``time.monotonic()`` passes ``deadline``):
    the hot loop of random exploration. ``progress(games played)`` is called every 256 games.

    Moves are plain tuples (evaluate, apply, goto, number); effects and scene entry are
    the engine's own compiled functions (``Table``). On entering a scene, the bits of
    the signature its conditions read pick a memoized view (``signature``): the moves
    available, the text shown and the words read, so conditions are evaluated once per
    view rather than once per visit. Scene hits are summed afterwards from choice hits.
    """
    if uses_flow(table.story):
        rules = FlowRules(table.story, catalogue.visit_scenes(), table)
        return _run_flow_games(rules, catalogue, first, count, seed, max_steps, keep, deadline, progress)
    out = _Partial(scene_hits=[0] * len(table.ids), choice_hits=[0] * len(table.choice_ids))
    choice_hits, endings_hit = out.choice_hits, out.endings
    ids, endings, entries = table.ids, table.endings, table.entries
    all_moves = [
        tuple((m.condition.evaluate if m.condition else None, m.apply, m.goto, m.number) for m in moves)
        for moves in table.moves
    ]
    sig_of = Signature(table, catalogue, all_moves, max_steps)
    views, masks, touched, memos, new_view = sig_of.views, sig_of.masks, sig_of.touched, sig_of.memos, sig_of.view
    start, initial = table.start, table.initial_variables()
    list_vars = [k for k, v in initial.items() if isinstance(v, list)]
    total_steps = played = 0
    first_sig = None
    for game in range(first, first + count):
        if deadline is not None and time.monotonic() > deadline:
            break
        if progress is not None and not played & 255:
            progress(played)
        played += 1
        rand = random.Random(seed + game).random
        variables = dict(initial)
        for k in list_vars:
            variables[k] = list(initial[k])
        visits: dict[str, int] = {}
        codex: list[str] = []
        trail: list[Any] = []  # the moves taken, for the path of a game that goes wrong
        cur = start
        kind = detail = ""
        try:
            entry = entries[cur]
            if entry is not None:
                entry(variables, visits, codex)
            if first_sig is None:  # every game starts in the same state
                first_sig = sig_of.initial(variables, visits)
            sig = first_sig
            steps = words = 0
            while True:
                key = sig & masks[cur]
                view = views[cur].get(key)
                if view is None:
                    view = new_view(cur, key, variables, visits)
                view[0] += 1
                words += view[1]
                moves: Sequence[Any] = view[3]
                if not moves:
                    ending = endings[cur]
                    if ending is not None:
                        endings_hit[ending] = endings_hit.get(ending, 0) + 1
                        out.route_lengths.append(steps + 1)
                        out.route_words.append((ending, words))
                        best = out.routes.get(ending)
                        if best is None or len(trail) < len(best[1]):
                            out.routes[ending] = (cur, [m[3] for m in trail])
                    else:
                        kind, detail = "dead_end", f"no choice is available in scene {ids[cur]!r}"
                    break
                if steps >= max_steps:
                    kind, detail = "step_bound", f"no ending after {max_steps} steps"
                    break
                move = moves[int(rand() * len(moves))]
                trail.append(move)
                number = move[3]
                choice_hits[number] += 1
                for apply in move[1]:
                    apply(variables, codex)
                cur = move[2]
                entry = entries[cur]
                if entry is not None:
                    entry(variables, visits, codex)
                tm = touched[number]
                if tm:
                    old = sig & tm
                    memo = memos[number]
                    new = memo.get(old)
                    if new is None:
                        new = memo[old] = sig_of.encode(number, variables, visits)
                    sig ^= old ^ new
                steps += 1
        except Exception as exc:  # a story the checker passed but the rules cannot play
            kind, detail = "exception", f"{type(exc).__name__}: {exc}"
        total_steps += len(trail)
        if kind:
            out.problem_counts[kind] += 1
            if sum(p.kind == kind for p in out.problems) < keep:
                path = [table.choice_ids[m[3]] for m in trail]
                out.problems.append(GameProblem(kind, game, seed + game, ids[cur], path, detail))
    scene_hits = out.scene_hits
    scene_hits[start] += played
    for number, hits in enumerate(choice_hits):
        scene_hits[table.goto_of[number]] += hits
    out.text_hits = sig_of.text_hits(len(catalogue.items))
    out.games = played
    out.steps = total_steps
    return out


def _run_flow_games(
    rules: FlowRules,
    catalogue: Catalogue,
    first: int,
    count: int,
    seed: int,
    max_steps: int,
    keep: int,
    deadline: float | None,
    progress: Callable[[int], None] | None = None,
) -> _Partial:
    """``_run_games`` for stories with v2 flow, on the concrete rules; chances are drawn from each
    game's own generator, seeded like a game's (``seed + game``). The text shown on entering a
    scene is tallied as in ``_run_games`` (``concrete.TextViews``: memoized by the values it reads)."""
    table = rules.table
    out = _Partial(scene_hits=[0] * len(table.ids), choice_hits=[0] * len(table.choice_ids))
    views = TextViews(rules, catalogue)
    played = total_steps = 0
    for game in range(first, first + count):
        if deadline is not None and time.monotonic() > deadline:
            break
        if progress is not None and not played & 255:
            progress(played)
        played += 1
        rand = random.Random(seed + game).random
        rng = (seed + game) & ((1 << 64) - 1)
        trail: list[int] = []
        kind = detail = ""
        state = rules.initial()
        out.scene_hits[state[0]] += 1
        words = 0
        try:
            while True:
                words += views.view(state)[2]
                ending = table.endings[state[0]]
                if ending is not None:
                    out.endings[ending] = out.endings.get(ending, 0) + 1
                    out.route_lengths.append(len(trail) + 1)
                    out.route_words.append((ending, words))
                    best = out.routes.get(ending)
                    if best is None or len(trail) < len(best[1]):
                        out.routes[ending] = (state[0], list(trail))
                    break
                if len(trail) >= max_steps:
                    kind, detail = "step_bound", f"no ending after {max_steps} steps"
                    break
                moves = rules.available(state)
                if not moves:
                    kind, detail = "dead_end", f"no choice is available in scene {table.ids[state[0]]!r}"
                    break
                move = moves[int(rand() * len(moves))]
                trail.append(move.number)
                out.choice_hits[move.number] += 1
                draws = None
                if is_chance(move.choice):
                    rng, draw = roll(rng)
                    draws = [draw]
                state = rules.take(state, move, draws)[0]
                out.scene_hits[state[0]] += 1
        except Exception as exc:  # a return with no call open, or a rule play cannot follow
            kind, detail = "exception", f"{type(exc).__name__}: {exc}"
        total_steps += len(trail)
        if kind:
            out.problem_counts[kind] += 1
            if sum(p.kind == kind for p in out.problems) < keep:
                path = [table.choice_ids[n] for n in trail]
                out.problems.append(GameProblem(kind, game, seed + game, table.ids[state[0]], path, detail))
    out.text_hits = views.text_hits(len(catalogue.items))
    out.games = played
    out.steps = total_steps
    return out


def _worker(
    story: Story, first: int, count: int, seed: int, max_steps: int, keep: int, deadline: float | None, text: bool
) -> _Partial:
    table = Table(story)
    return _run_games(table, Catalogue(table, text=text), first, count, seed, max_steps, keep, deadline)


def explore_random(
    story: Story,
    games: int,
    *,
    seed: int = 0,
    max_steps: int = 1000,
    jobs: int = 1,
    keep: int = 20,
    max_seconds: float | None = None,
    text: bool = True,
    progress: Callable[[int], None] | None = None,
) -> RandomReport:
    """Play ``games`` random games (fewer when ``max_seconds`` runs out); keep the first ``keep``
    problem games of each kind. ``text``: count the conditional text shown (``textcov``).
    ``progress(games played)`` is called now and then (with ``jobs``, as each process ends)."""
    table = Table(story)
    catalogue = Catalogue(table, text=text)
    began = time.perf_counter()
    deadline = None if max_seconds is None else time.monotonic() + max_seconds  # the same clock in every process
    jobs = max(1, min(jobs, games))
    if jobs == 1:
        parts = [_run_games(table, catalogue, 0, games, seed, max_steps, keep, deadline, progress)]
    else:
        bounds = [games * j // jobs for j in range(jobs + 1)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [
                pool.submit(_worker, story, bounds[j], bounds[j + 1] - bounds[j], seed, max_steps, keep, deadline, text)
                for j in range(jobs)
            ]
            if progress is not None:
                done = 0
                for finished in as_completed(futures):
                    done += finished.result().games
                    progress(done)
            parts = [f.result() for f in futures]
    seconds = time.perf_counter() - began
    scene_hits = [sum(p.scene_hits[i] for p in parts) for i in range(len(table.ids))]
    choice_hits = [sum(p.choice_hits[i] for p in parts) for i in range(len(table.choice_ids))]
    endings: dict[str, int] = {}
    for p in parts:
        for name, n in p.endings.items():
            endings[name] = endings.get(name, 0) + n
    counts = {k: sum(p.problem_counts[k] for p in parts) for k in KINDS}
    problems: list[GameProblem] = []
    for kind in KINDS:
        problems += [q for p in parts for q in p.problems if q.kind == kind][:keep]
    problems.sort(key=lambda q: q.game)
    for q in problems:
        if q.kind == "dead_end":
            q.diagnosis = diagnose(table, q.path, q.scene)
    return RandomReport(
        story,
        table,
        sum(p.games for p in parts),
        seed,
        max_steps,
        sum(p.steps for p in parts),
        seconds,
        scene_hits,
        choice_hits,
        dict(sorted(endings.items())),
        counts,
        problems,
        [n for p in parts for n in p.route_lengths],
        catalogue,
        _text_hits(catalogue, parts, scene_hits, choice_hits),
        [r for p in parts for r in p.route_words],
        routes=_shortest_routes(table, parts),
        games_asked=games,
        max_seconds=max_seconds,
    )


def _shortest_routes(table: Table, parts: list[_Partial]) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Per ending, its scene and the path (scene, choice) of the shortest game that reached it (the first such)."""
    best: dict[str, tuple[int, list[int]]] = {}
    for part in parts:
        for ending, route in part.routes.items():
            if ending not in best or len(route[1]) < len(best[ending][1]):
                best[ending] = route
    return {
        ending: (table.ids[scene], [table.choice_ids[n] for n in route])
        for ending, (scene, route) in sorted(best.items())
    }


def _text_hits(catalogue: Catalogue, parts: list[_Partial], scenes: list[int], choices: list[int]) -> list[int]:
    """Times each item was shown: conditional text from the games' tallies, codex entries from
    the scenes entered and choices taken that unlock them."""
    hits = [sum(p.text_hits[k] for p in parts if p.text_hits) for k in range(len(catalogue.items))]
    for k, item in enumerate(catalogue.items):
        if item.kind == "codex":
            hits[k] = sum(scenes[i] for i in item.scenes) + sum(choices[c] for c in item.choices)
    return hits
