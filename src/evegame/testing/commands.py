"""The ``playtest`` and ``explore`` verbs: run the test tools and report for people or CI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .playfile import find_playthroughs
from .runner import PlayResult, Runner


def _tint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def playtest(args: argparse.Namespace) -> int:
    """Run every playthrough found under ``args.paths``; exit 1 when any fails or none is found."""
    from ..cli import use_colour

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
