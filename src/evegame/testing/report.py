"""Exploration reports: coverage, failures, exit verdicts; as text for people and JSON for CI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .diagnose import Diagnosis
from .exhaustive import ExhaustiveReport, Finding
from .randomwalk import GameProblem, RandomReport
from .runner import path_text
from .sim import Table
from .textcov import KIND_TITLES, KINDS, Catalogue, TextItem

SHOW = 10  # items listed per section in text output
SHOW_GAMES = 3  # problem games listed per kind in text output (JSON has more)
EXIT_OK, EXIT_FAIL, EXIT_INCOMPLETE = 0, 1, 3  # 2 is a usage error (argparse)


@dataclass
class Coverage:
    covered: int
    total: int
    missed: list[str]

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {"covered": self.covered, "total": self.total, "percent": round(self.percent, 2), "missed": self.missed}


def coverage(table: Table, scenes: list[bool], choices: list[bool], endings: set[str]) -> dict[str, Coverage]:
    reachable_choices = [i for i, (sid, _) in enumerate(table.choice_ids) if table.endings[table.index[sid]] is None]
    return {
        "scenes": Coverage(
            sum(scenes), len(scenes), [sid for sid, hit in zip(table.ids, scenes, strict=True) if not hit]
        ),
        "choices": Coverage(
            sum(choices[i] for i in reachable_choices),
            len(reachable_choices),
            [f"{table.choice_ids[i][0]}:{table.choice_ids[i][1]}" for i in reachable_choices if not choices[i]],
        ),
        "endings": Coverage(
            sum(e in endings for e in table.ending_names),
            len(table.ending_names),
            [e for e in table.ending_names if e not in endings],
        ),
    }


@dataclass
class Verdict:
    """What an exploration concludes: problems found (FAIL), or a limit that stopped it before
    it did what was asked (INCOMPLETE: what was not reached may yet be reachable), or OK."""

    failures: list[str]
    stopped: str = ""  # how a limit stopped it and what was covered; "" when it finished
    unsure: list[str] = field(default_factory=list)  # what was not reached before the limit

    @property
    def ok(self) -> bool:
        return not self.failures and not self.stopped

    @property
    def exit_code(self) -> int:
        return EXIT_FAIL if self.failures else EXIT_INCOMPLETE if self.stopped else EXIT_OK

    @property
    def word(self) -> str:
        return "FAIL" if self.failures else "INCOMPLETE" if self.stopped else "OK"

    def line(self) -> str:
        if not self.stopped:
            return "FAIL: " + "; ".join(self.failures) if self.failures else "OK"
        incomplete = f"INCOMPLETE: {self.stopped}" + "".join(f"; {u}" for u in self.unsure)
        if self.failures:
            return "FAIL: " + "; ".join(self.failures) + "\n" + incomplete
        return incomplete + "; no problem found in the part explored"

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "verdict": self.word,
            "complete": not self.stopped,
            "failures": self.failures,
            "stopped": self.stopped or None,
            "not_reached_before_the_limit": self.unsure,
        }


def text_coverage(cat: Catalogue, shown: list[bool]) -> dict[str, Coverage]:
    """Coverage of the text items, one row per kind present (paragraphs, codex, achievements)."""
    rows = {}
    for kind in KINDS:
        ks = [k for k, item in enumerate(cat.items) if item.kind == kind]
        if ks:
            missed = [item_text(cat.items[k]) for k in ks if not shown[k]]
            rows[KIND_TITLES[kind]] = Coverage(len(ks) - len(missed), len(ks), missed)
    return rows


def item_text(item: TextItem) -> str:
    """``file:line label (if condition)``: how reports name a text item."""
    condition = f" (if {item.condition})" if item.condition else ""
    return f"{item.where()} {item.label}{condition}"


def text_total(text: dict[str, Coverage]) -> Coverage:
    return Coverage(sum(c.covered for c in text.values()), sum(c.total for c in text.values()), [])


def verdict(
    cov: dict[str, Coverage],
    problems: dict[str, int],
    min_coverage: float | None,
    stopped: str = "",
    text: dict[str, Coverage] | None = None,
    min_text: float | None = None,
) -> Verdict:
    """Problems found fail an exploration; what was not reached fails a finished one only (a
    stopped one may not have got there yet). Text shown counts only with ``min_text``."""
    missed = []
    if cov["endings"].missed:
        missed.append(f"ending(s) never reached: {', '.join(cov['endings'].missed)}")
    if min_coverage is not None and cov["scenes"].percent < min_coverage:
        missed.append(f"scene coverage {cov['scenes'].percent:.1f}% is below --min-coverage {min_coverage:g}%")
    if min_text is not None and text is not None and text_total(text).percent < min_text:
        missed.append(
            f"text coverage {text_total(text).percent:.1f}% is below --min-text-coverage {min_text:g}%"
            f" ({text_total(text).total - text_total(text).covered} item(s) never shown)"
        )
    failures = [f"{n} {what}" for what, n in problems.items() if n]
    if not stopped:
        return Verdict(failures + missed)
    return Verdict(failures, stopped, [m.replace("never reached", "not reached so far") for m in missed])


def _covered(cov: dict[str, Coverage]) -> str:
    return ", ".join(f"{c.covered:,}/{c.total:,} {name}" for name, c in cov.items())


def _fmt_cov(name: str, c: Coverage, missed_word: str) -> list[str]:
    line = f"  {name:<12} {c.covered:>6}/{c.total:<6} ({c.percent:5.1f}%)"
    if c.missed:
        shown = ", ".join(c.missed[:SHOW]) + (f", … ({len(c.missed) - SHOW} more)" if len(c.missed) > SHOW else "")
        line += f"  {missed_word}: {shown}"
    return [line]


def _short_path(path: list[tuple[str, str]], current: str, limit: int = 16) -> str:
    if len(path) <= limit:
        return path_text(path, current)
    head = path_text(path[: limit // 2], path[limit // 2][0])
    tail = path_text(path[-limit // 2 :], current)
    return f"{head} … ({len(path) - limit} more choices) … {tail}"


# --- random ----------------------------------------------------------------------------


def random_text_coverage(report: RandomReport) -> dict[str, Coverage]:
    scenes, choices = [h > 0 for h in report.scene_hits], [h > 0 for h in report.choice_hits]
    return text_coverage(report.catalogue, report.catalogue.shown(scenes, choices, [h > 0 for h in report.text_hits]))


def random_summary(
    report: RandomReport, story_label: str, min_coverage: float | None, min_text: float | None = None
) -> tuple[dict[str, Coverage], Verdict]:
    endings = set(report.endings)
    cov = coverage(report.table, [h > 0 for h in report.scene_hits], [h > 0 for h in report.choice_hits], endings)
    counts = {
        "game(s) with an exception": report.problem_counts["exception"],
        "game(s) at a dead end": report.problem_counts["dead_end"],
        "game(s) hit the step bound with no ending (an endless loop?)": report.problem_counts["step_bound"],
    }
    stopped = ""
    if report.time_bound_hit:
        stopped = (
            f"stopped by --max-seconds {report.max_seconds:g} after {report.games:,} of {report.games_asked:,} "
            f"game(s); covered {_covered(cov)}"
        )
    return cov, verdict(cov, counts, min_coverage, stopped, random_text_coverage(report), min_text)


def random_text(
    report: RandomReport,
    story_label: str,
    min_coverage: float | None,
    min_text: float | None = None,
    hits: bool = False,
) -> str:
    cov, result = random_summary(report, story_label, min_coverage, min_text)
    games = f"{report.games} game(s)"
    if report.time_bound_hit:
        games = f"{report.games:,} of {report.games_asked:,} game(s) (stopped by --max-seconds {report.max_seconds:g})"
    out = [
        f"Random exploration of {story_label}: {games}, seed {report.seed}, at most {report.max_steps} steps each",
        f"  {report.steps:,} steps in {report.seconds:.2f} s ({report.steps_per_second:,.0f} steps/s)",
    ]
    out += _fmt_cov("scenes", cov["scenes"], "not reached")
    out += _fmt_cov("choices", cov["choices"], "not taken")
    out += _fmt_cov("endings", cov["endings"], "not reached")
    for name, c in random_text_coverage(report).items():
        out += _fmt_cov(name, c, "never shown")
    if report.endings:
        out.append("  games per ending: " + ", ".join(f"{k} {v}" for k, v in report.endings.items()))
    pc = report.problem_counts
    out.append(f"  exceptions: {pc['exception']}  dead ends: {pc['dead_end']}  step bound hits: {pc['step_bound']}")
    for kind in ("exception", "dead_end", "step_bound"):
        listed = [p for p in report.problems if p.kind == kind]
        for p in listed[:SHOW_GAMES]:
            out += _game_problem(p, story_label, report.max_steps)
        if pc[kind] > SHOW_GAMES:
            out.append(f"  … {pc[kind] - SHOW_GAMES} more game(s) like this (see --format json)")
    if hits:
        out += hits_text(report)
    out.append(result.line())
    return "\n".join(out)


def hit_counts(report: RandomReport) -> dict[str, Any]:
    """Times each scene was entered, each choice taken and each text item shown (codex: unlocked)."""
    table, cat = report.table, report.catalogue
    return {
        "scenes": dict(zip(table.ids, report.scene_hits, strict=True)),
        "choices": {f"{s}:{c}": n for (s, c), n in zip(table.choice_ids, report.choice_hits, strict=True)},
        "text": [
            {"kind": item.kind, "label": item.label, "where": item.where(), "condition": item.condition, "hits": n}
            for item, n in zip(cat.items, report.text_hits, strict=True)
        ],
    }


def hits_text(report: RandomReport) -> list[str]:
    """ChoiceScript's randomtest hit counts: each scene, then its choices and its conditional text."""
    table, cat = report.table, report.catalogue
    out = [f"  hits in {report.games:,} game(s) (scene, then its choices and conditional text):"]
    by_scene: dict[int, list[int]] = {}
    for k, item in enumerate(cat.items):
        if item.kind == "paragraph":
            by_scene.setdefault(item.scenes[0], []).append(k)
    for i, sid in enumerate(table.ids):
        out.append(f"  {report.scene_hits[i]:>9,}  {sid}")
        for m in table.moves[i]:
            out.append(f"  {report.choice_hits[m.number]:>9,}    choice {m.key}")
        for k in by_scene.get(i, []):
            item = cat.items[k]
            out.append(
                f"  {report.text_hits[k]:>9,}    ¶{item.label.rsplit('¶', 1)[1]} if {item.condition}  {item.where()}"
            )
    for k, item in enumerate(cat.items):
        if item.kind != "paragraph":
            out.append(f"  {report.text_hits[k]:>9,}  {item.label}")
    return out


def _game_problem(p: GameProblem, story_label: str, max_steps: int) -> list[str]:
    what = {"exception": "exception", "dead_end": "dead end", "step_bound": "step bound"}[p.kind]
    return [
        f"  {what} in game {p.game} (seed {p.seed}) at scene {p.scene!r}: {p.detail}",
        f"    path: {_short_path(p.path, p.scene)}",
        *_diagnosis(p.diagnosis, p.scene, "    "),
        f"    reproduce: evegame explore {story_label} --random 1 --seed {p.seed}"
        + (f" --max-steps {max_steps}" if max_steps != 1000 else ""),
    ]


def _diagnosis(d: Diagnosis | None, scene: str, indent: str) -> list[str]:
    """The state found and the closed choices, with why each is closed."""
    if d is None:
        return []
    out = [f"{indent}state: {d.state_text()}"]
    if d.scene != scene:
        out.append(f"{indent}closed choices nearest to it, in {d.scene!r} (route: {_short_path(d.route, d.scene)}):")
    else:
        out.append(f"{indent}closed choices:" if d.closed else f"{indent}closed choices: none found")
    out += [f"{indent}  {c}" for c in d.closed]
    return out


def random_json(
    report: RandomReport, story_label: str, min_coverage: float | None, min_text: float | None = None
) -> dict[str, Any]:
    cov, result = random_summary(report, story_label, min_coverage, min_text)
    return {
        "mode": "random",
        "story": story_label,
        **result.to_dict(),
        "games": report.games,
        "games_asked": report.games_asked,
        "max_seconds": report.max_seconds,
        "seed": report.seed,
        "max_steps": report.max_steps,
        "steps": report.steps,
        "seconds": round(report.seconds, 4),
        "steps_per_second": round(report.steps_per_second),
        "coverage": {k: v.to_dict() for k, v in {**cov, **random_text_coverage(report)}.items()},
        "endings": report.endings,
        "problem_counts": report.problem_counts,
        "problems": [p.to_dict() for p in report.problems],
        "hits": hit_counts(report),
    }


# --- exhaustive ----------------------------------------------------------------------------


def exhaustive_text_coverage(report: ExhaustiveReport) -> dict[str, Coverage]:
    if report.catalogue is None or report.text is None:
        return {}
    shown = report.catalogue.shown(report.scenes_reached, report.choices_taken, report.text.shown)
    return text_coverage(report.catalogue, shown)


def exhaustive_summary(
    report: ExhaustiveReport, min_coverage: float | None, min_text: float | None = None
) -> tuple[dict[str, Coverage], Verdict]:
    cov = coverage(report.table, report.scenes_reached, report.choices_taken, set(report.endings_reached))
    counts = {
        "state(s) raise an exception": sum(f.states for f in report.errors),
        "dead end(s) (no choice available outside an ending)": sum(f.states for f in report.dead_ends),
        "soft-locked state(s) (no ending reachable)": sum(f.states for f in report.soft_locks),
    }
    stopped = ""
    if not report.complete:
        stopped = (
            f"stopped by {' and '.join(report.limits_hit())} after {report.states:,} states, "
            f"{report.depth:,} choices deep; covered {_covered(cov)}"
        )
        if report.proof is not None:
            proof = report.proof
            left = f"gave up ({proof.gave_up})" if proof.gave_up else f"left {len(proof.undecided)} question(s) open"
            stopped += f"; value summaries {left}"
    return cov, verdict(cov, counts, min_coverage, stopped, exhaustive_text_coverage(report) or None, min_text)


def _findings(title: str, findings: list[Finding]) -> list[str]:
    total = sum(f.states for f in findings)
    out = [f"  {title}: {total} state(s) in {len(findings)} scene(s)"]
    for f in findings[:SHOW]:
        out.append(f"    in {f.scene!r} ({f.states} state(s)): {f.detail}")
        out.append(f"      shortest path: {_short_path(f.path, f.scene)}")
        out += _diagnosis(f.diagnosis, f.scene, "      ")
    if len(findings) > SHOW:
        out.append(f"    … and {len(findings) - SHOW} more scene(s) (see --format json)")
    return out


def never_shown(report: ExhaustiveReport) -> list[dict[str, Any]]:
    """Text no reachable state shows, each with where it is, its condition and why (then the
    items left undecided, with why)."""
    cat, text = report.catalogue, report.text
    if cat is None or text is None:
        return []
    out: list[dict[str, Any]] = []
    for k, why in (*text.reasons.items(), *text.undecided.items()):
        item = cat.items[k]
        out.append(
            {
                "kind": item.kind,
                "label": item.label,
                "where": item.where(),
                "condition": item.condition,
                "reason": why,
                "decided": k in text.reasons,
            }
        )
    return out


def exhaustive_text(
    report: ExhaustiveReport,
    story_label: str,
    min_coverage: float | None,
    notes: list[str] | None = None,
    min_text: float | None = None,
    hits: bool = False,
) -> str:
    """The report for people; ``notes`` (e.g. what was done with witnesses) go just above the verdict."""
    cov, result = exhaustive_summary(report, min_coverage, min_text)
    kept = ", ".join(f"{k} ({v})" for k, v in report.abstraction.describe().items() if v != "unused") or "nothing"
    out = [
        f"Exhaustive exploration of {story_label}: {report.states:,} states, {report.edges:,} choices followed, "
        f"depth {report.depth}, {report.seconds:.2f} s",
        f"  a state is the scene + what conditions can still read: {kept}",
    ]
    out += _fmt_cov("scenes", cov["scenes"], "not reached")
    out += _fmt_cov("choices", cov["choices"], "not taken")
    out += _fmt_cov("endings", cov["endings"], "not reached")
    for name, c in exhaustive_text_coverage(report).items():
        out += _fmt_cov(name, c, "never shown")
    out += _bounds(report)
    out += _findings("dead ends", report.dead_ends)
    out += _findings("soft-locks", report.soft_locks)
    out += _findings("exceptions", report.errors)
    out += _never_shown_text(report)
    if hits:
        out.append("  states per scene:")
        out += [f"  {n:>9,}  {sid}" for sid, n in zip(report.table.ids, report.scene_states, strict=True)]
    out += [f"  {note}" for note in notes or ()]
    out.append(result.line())
    return "\n".join(out)


def _bounds(report: ExhaustiveReport) -> list[str]:
    """What stopped the search, and what value summaries decided after it."""
    if not report.bound_hit:
        return ["  bounds: none hit; every reachable state was explored"]
    proof = report.proof
    if proof is None:
        return [f"  BOUND: {limit} reached; results are partial" for limit in report.limits_hit()]
    out = [f"  BOUND: {limit} reached" for limit in report.limits_hit()]
    if proof.gave_up:
        return [*out, f"  value summaries gave up ({proof.gave_up}); results are partial"]
    exact = f"; kept exact: {', '.join(proof.relational)}" if proof.relational else ""
    out.append(f"  value summaries: {proof.locations:,} places, {proof.rounds} round(s), {proof.seconds:.1f} s{exact}")
    if proof.decided:
        out.append(
            "    decided the rest: what the search did not reach, random games reached or nothing can;"
            " no dead end, soft-lock or exception is possible beyond the bound"
        )
        return out
    out.append(f"    left {len(proof.undecided)} question(s) open; results are partial:")
    out += [f"    undecided: {line}" for line in proof.undecided[:SHOW]]
    if len(proof.undecided) > SHOW:
        out.append(f"    … and {len(proof.undecided) - SHOW} more (see --format json)")
    return out


def _summaries_json(report: ExhaustiveReport) -> dict[str, Any] | None:
    proof = report.proof
    if proof is None:
        return None
    return {
        "decided": proof.decided,
        "gave_up": proof.gave_up or None,
        "places": proof.locations,
        "rounds": proof.rounds,
        "seconds": round(proof.seconds, 3),
        "kept_exact": list(proof.relational),
        "undecided": proof.undecided,
    }


def _never_shown_text(report: ExhaustiveReport) -> list[str]:
    items = never_shown(report)
    if report.text is None:
        return []
    decided = [i for i in items if i["decided"]]
    out = [f"  text never shown: {len(decided)} item(s) whose condition holds in no reachable state"]
    for i in decided:
        out.append(f"    {i['where']}: {i['label']}: if {i['condition']}")
        out.append(f"      because {i['reason']}")
    for i in items:
        if not i["decided"]:
            out.append(f"    undecided: {i['where']}: {i['label']}: if {i['condition']}: {i['reason']}")
    return out


def exhaustive_json(
    report: ExhaustiveReport, story_label: str, min_coverage: float | None, min_text: float | None = None
) -> dict[str, Any]:
    cov, result = exhaustive_summary(report, min_coverage, min_text)
    return {
        "mode": "exhaustive",
        "story": story_label,
        **result.to_dict(),
        "states": report.states,
        "edges": report.edges,
        "depth": report.depth,
        "seconds": round(report.seconds, 4),
        "jobs": report.jobs,
        "state_key": report.abstraction.describe(),
        "bounds": {
            "max_states": report.max_states,
            "max_depth": report.max_depth,
            "max_seconds": report.max_seconds,
            "state_bound_hit": report.state_bound_hit,
            "depth_bound_hit": report.depth_bound_hit,
            "time_bound_hit": report.time_bound_hit,
        },
        "value_summaries": _summaries_json(report),
        "coverage": {k: v.to_dict() for k, v in {**cov, **exhaustive_text_coverage(report)}.items()},
        "text_never_shown": never_shown(report),
        "states_per_scene": dict(zip(report.table.ids, report.scene_states, strict=True)),
        "endings": report.endings_reached,
        "dead_ends": [f.to_dict() for f in report.dead_ends],
        "soft_locks": [f.to_dict() for f in report.soft_locks],
        "exceptions": [f.to_dict() for f in report.errors],
        "witnesses": [
            {"kind": w.kind, "target": w.target, "scene": w.scene, "steps": len(w.path)} for w in report.witnesses
        ],
    }
