"""The ``playtest`` and ``explore`` verbs: run the test tools and report for people or CI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..progress import ProgressLine
from ..terminal import use_colour
from .playfile import find_playthroughs
from .runner import PlayResult, Runner

if TYPE_CHECKING:
    from ..engine.model import Story
    from .exhaustive import ExhaustiveReport
    from .randomwalk import RandomReport


def _tint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def playtest(args: argparse.Namespace) -> int:
    """Run every playthrough found under ``args.paths``; exit 1 when any fails or none is found."""
    try:
        files = list(dict.fromkeys(find_playthroughs(args.paths)))
    except FileNotFoundError as exc:
        print(f"evegame playtest: no such file or folder: {exc}", file=sys.stderr)
        return 1
    if not files:
        print(f"evegame playtest: no *.play.yaml files in {', '.join(args.paths)}", file=sys.stderr)
        return 1
    runner = Runner(Path(args.story) if args.story else None)
    colour = use_colour(sys.stdout) and args.format == "text"
    results: list[PlayResult] = []
    for path in files:
        result = runner.run_file(path)
        results.append(result)
        if args.format == "text":
            if result.ok:
                if not args.quiet:
                    steps = f"{result.steps_run} step{'s' * (result.steps_run != 1)}"
                    print(f"{_tint('PASS', '32', colour)} {result.file} ({steps})")
            else:
                print(f"{_tint('FAIL', '31;1', colour)} {result.file}")
                print("  " + str(result.failure).replace("\n", "\n  "))
    failed = sum(not r.ok for r in results)
    if args.format == "json":
        payload = {
            "ok": failed == 0,
            "passed": len(results) - failed,
            "failed": failed,
            "results": [r.to_dict() for r in results],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        summary = f"{len(results)} playthrough(s): {len(results) - failed} passed, {failed} failed"
        print(_tint(summary, "31;1" if failed else "32", colour))
    return 1 if failed else 0


def explore(args: argparse.Namespace) -> int:
    """Explore a story randomly or exhaustively; exit 1 when it finds a problem, 3 when a limit
    stopped it first (``report.EXIT_*``)."""
    import os

    from ..engine.errors import StoryError
    from ..engine.loader import load_story
    from . import report as rep
    from .stories import default_story_dir

    if args.force and not args.emit_witnesses:
        print("evegame explore: --force goes with --emit-witnesses", file=sys.stderr)
        return 2
    story_dir = Path(args.story) if args.story else default_story_dir()
    label = args.story or str(story_dir)
    result = load_story(story_dir, lenient=True)
    if result.story is None:
        raise StoryError(result.problems)
    story = result.story
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    if args.random:
        if args.emit_witnesses:
            print("evegame explore: --emit-witnesses needs --exhaustive", file=sys.stderr)
            return 2
        from .randomwalk import explore_random

        with ProgressLine("explore", "games", total=args.random) as line:
            rreport = explore_random(
                story,
                args.random,
                seed=args.seed,
                max_steps=args.max_steps,
                jobs=jobs,
                max_seconds=args.max_seconds,
                progress=line.update,
            )
        if args.format == "json":
            payload = rep.random_json(rreport, label, args.min_coverage, args.min_text_coverage)
            print(json.dumps(payload, indent=2, ensure_ascii=False))
        else:
            print(rep.random_text(rreport, label, args.min_coverage, args.min_text_coverage, args.hits))
        if args.report:
            _write_report(args.report, story, label, rreport)
        return rep.random_summary(rreport, label, args.min_coverage, args.min_text_coverage)[1].exit_code
    from .exhaustive import explore_exhaustive

    with ProgressLine("explore", "states") as line:
        ereport = explore_exhaustive(
            story,
            max_states=args.max_states,
            max_depth=args.max_depth,
            jobs=jobs,
            max_seconds=args.max_seconds,
            progress=line.update,
            summaries=not args.no_summaries,
        )
    notes: list[str] = []
    witness_files: dict[str, list[str]] = {}
    if args.emit_witnesses:
        from .witnesses import write_witnesses

        try:
            done = write_witnesses(ereport, story_dir, args.emit_witnesses, force=args.force)
        except OSError as exc:
            print(f"evegame explore: cannot write witnesses in {args.emit_witnesses}: {exc.strerror}", file=sys.stderr)
            return rep.EXIT_FAIL
        notes, witness_files = done.lines(), done.to_dict()
    if args.format == "json":
        payload = rep.exhaustive_json(ereport, label, args.min_coverage, args.min_text_coverage)
        payload["witness_files"] = witness_files.get("written", [])
        if args.emit_witnesses:
            payload["witness_outcome"] = witness_files
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(rep.exhaustive_text(ereport, label, args.min_coverage, notes, args.min_text_coverage, args.hits))
    if args.report:
        _write_report(args.report, story, label, ereport)
    return rep.exhaustive_summary(ereport, args.min_coverage, args.min_text_coverage)[1].exit_code


def _write_report(path: str, story: Story, label: str, result: RandomReport | ExhaustiveReport) -> None:
    """``--report``: the HTML page (``htmlreport``), its agency figures from 2,000 seeded random games."""
    from .agency import analyse
    from .htmlreport import render

    Path(path).write_text(render(story, label, result, analyse(story)), encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
