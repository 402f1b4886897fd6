"""Exploration speed: random steps per second and exhaustive time, on the shipped story
and on a generated one.

    python benchmarks/bench_explore.py                  # shipped story + a 1000-scene generated story
    python benchmarks/bench_explore.py --story mystory/ --games 50000
    python benchmarks/bench_explore.py --generated 0     # the shipped story only
    python benchmarks/bench_explore.py --generated 0 --skip-exhaustive --long-conditions 40

``--long-conditions N`` also measures a story of two scenes whose first offers N choices,
each guarded by the longest condition the loader accepts of the shape that made random
exploration crawl (63 tests ``'xK' in items`` joined by ``or``, over a 50-item list):
287 steps/s before and order 13,000 steps/s after and/or chains learned to test a list once.

The generated story's state space is far larger than any real story's; its exhaustive
run stops at 300,000 states and shows the rate only.

``text cost`` runs each explorer on the story with text coverage off and on, in turn,
and prints the ratio of their median CPU times (target: at most 1.5x). Its exhaustive
runs stop at ``TEXT_COST_STATES`` (4,000,000, the ``--max-states`` default) states: the
shipped story's state space is far beyond any bound, so that figure is a bounded search
(then value summaries) with text coverage against the same without it.

Targets (one core): random exploration >= 50,000 steps/s; exhaustive exploration of
the shipped story complete in < 30 s (as CI runs it: the search stops at 2,000,000 states
and value summaries decide the rest). Figures vary with machine load: run on an idle machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from evegame.engine import load_story
from evegame.engine.model import Story
from evegame.testing.exhaustive import explore_exhaustive
from evegame.testing.randomwalk import explore_random

ROOT = Path(__file__).resolve().parents[1]
TEXT_COST_STATES = 4_000_000  # the exhaustive bound of the text cost runs (the --max-states default)


def generated_story(scenes: int, out: Path) -> Path:
    spec = importlib.util.spec_from_file_location("gen_story", ROOT / "benchmarks" / "gen_story.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(scenes, out)


def load(path: Path) -> Story | None:
    result = load_story(path, lenient=True)
    if result.story is None:
        print(f"  {path}: cannot be loaded ({len(result.errors)} error(s)); skipped")
    return result.story


def bench_text_cost(story: Story, games: int, repeat: int, exhaustive: bool) -> None:
    """Text coverage on and off, run in turn (off, on, off, on, ...), CPU time of each: the cost
    of text coverage (target: at most 1.5x) as the median ratio."""

    def cpu(run: Callable[[], object]) -> float:
        began = time.process_time()
        run()
        return time.process_time() - began

    sides: dict[str, list[tuple[float, float]]] = {"random": []}
    if exhaustive:
        sides["exhaustive"] = []
    for _ in range(repeat):
        for text in (False, True):
            sides["random"].append((text, cpu(lambda t=text: explore_random(story, games, seed=0, text=t))))
            if exhaustive:
                sides["exhaustive"].append(
                    (text, cpu(lambda t=text: explore_exhaustive(story, max_states=TEXT_COST_STATES, text=t)))
                )
    for name, runs in sides.items():
        off = statistics.median(s for t, s in runs if not t)
        on = statistics.median(s for t, s in runs if t)
        verdict = "meets" if on <= 1.5 * off else "MISSES"
        print(
            f"  text cost, {name}: {off:.2f} s without, {on:.2f} s with text coverage (CPU, median of {repeat}, "
            f"in turn) = {on / off:.2f}x; {verdict} the 1.5x target"
        )


def bench_random(story: Story, games: int, repeat: int) -> None:
    best = None
    for _ in range(repeat):
        report = explore_random(story, games, seed=0)
        if best is None or report.steps_per_second > best.steps_per_second:
            best = report
    assert best is not None
    verdict = "meets" if best.steps_per_second >= 50_000 else "MISSES"
    print(
        f"  random:     {best.games:,} games, {best.steps:,} steps in {best.seconds:.2f} s = "
        f"{best.steps_per_second:,.0f} steps/s (best of {repeat}; {verdict} the 50,000 target)"
    )


def long_conditions_story(choices: int, out: Path) -> Path:
    out.mkdir(parents=True)
    items = ", ".join(f"i{k}" for k in range(50))
    (out / "story.yaml").write_text(f"story:\n  title: Slow\n  start: a\n  variables: {{items: [{items}], n: 0}}\n")
    cond = " or ".join(f"'x{k}' in items" for k in range(63)) + " or n >= 0"
    lines = ["scenes:", "  - id: a", "    text: A.", "    choices:"]
    lines += [f'      - {{id: c{c}, text: C{c}, if: "{cond}", goto: b}}' for c in range(choices)]
    lines += [
        "  - id: b",
        "    text: B.",
        "    choices:",
        "      - {id: back, text: Back, goto: a}",
        "      - {id: out, text: Out, if: n > 20, goto: e}",
        "      - {id: up, text: Up, effects: {add: {n: 1}}, goto: a}",
        "  - id: e",
        "    text: E.",
        "    ending: done",
    ]
    (out / "scenes.yaml").write_text("\n".join(lines) + "\n")
    return out


def bench_exhaustive(story: Story, jobs: int, target: bool, max_states: int = 2_000_000) -> None:
    """The search as CI runs it on the shipped story: stopped at ``max_states``, value summaries then
    decide the rest; the target is a complete answer in under 30 s."""
    began = time.perf_counter()
    report = explore_exhaustive(story, jobs=jobs, max_states=max_states)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bound = ""
    if report.bound_hit:
        proof = report.proof
        decided = f"; value summaries decided the rest in {proof.seconds:.1f} s" if proof and proof.decided else ""
        bound = f" (bound hit{decided}{'' if report.complete else ': INCOMPLETE'})"
    verdict = f"; {'meets' if seconds < 30 and report.complete else 'MISSES'} the 30 s target" if target else ""
    print(
        f"  exhaustive: {report.states:,} states, {report.edges:,} choices, depth {report.depth}{bound} "
        f"in {seconds:.2f} s with --jobs {jobs} ({report.states / seconds:,.0f} states/s, "
        f"peak memory {peak:,.0f} MB){verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--story", type=Path, default=ROOT / "story", help="the story to measure (default: story/)")
    parser.add_argument("--games", type=int, default=20_000, help="random games per run (default: 20000)")
    parser.add_argument("--repeat", type=int, default=3, help="random runs; the best is reported (default: 3)")
    parser.add_argument("--generated", type=int, default=1000, help="scenes of the generated story (0: none)")
    parser.add_argument("--jobs", type=int, default=1, help="processes for the exhaustive search (default: 1)")
    parser.add_argument("--skip-exhaustive", action="store_true", help="measure random exploration only")
    parser.add_argument(
        "--long-conditions", type=int, default=0, metavar="N", help="also: N choices with long conditions (0: no)"
    )
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}")
    story = load(args.story)
    if story is not None:
        print(
            f"{args.story} ({len(story.scenes)} scenes, {sum(len(s.choices) for s in story.scenes.values())} choices)"
        )
        bench_random(story, args.games, args.repeat)
        if not args.skip_exhaustive:
            bench_exhaustive(story, args.jobs, target=True)
        bench_text_cost(story, args.games, args.repeat, not args.skip_exhaustive)
    if args.generated:
        with tempfile.TemporaryDirectory() as tmp:
            root = generated_story(args.generated, Path(tmp) / "story")
            generated = load(root)
            if generated is not None:
                print(f"generated story ({args.generated} scenes, benchmarks/gen_story.py)")
                bench_random(generated, args.games, args.repeat)
                if not args.skip_exhaustive:
                    bench_exhaustive(generated, args.jobs, target=False, max_states=300_000)
    if args.long_conditions:
        with tempfile.TemporaryDirectory() as tmp:
            slow = load(long_conditions_story(args.long_conditions, Path(tmp) / "story"))
            if slow is not None:
                print(f"long conditions ({args.long_conditions} choices of 63 list tests each)")
                report = explore_random(slow, 100, seed=0, max_steps=300)
                print(
                    f"  random:     {report.steps:,} steps in {report.seconds:.2f} s = {report.steps_per_second:,.0f} steps/s"
                )


if __name__ == "__main__":
    main()
