"""Command-line options of the test verbs (argparse only: imported when the parser is built)."""

from __future__ import annotations

import argparse


def add_playtest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="*.play.yaml files, or folders searched for them")
    p.add_argument(
        "--story", metavar="DIR", help="the story for playthroughs that name none (default: the shipped story)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")


def _percent(value: str) -> float:
    try:
        number = float(value.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a percentage: {value!r}") from None
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError("a percentage is between 0 and 100")
    return number


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def add_explore_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("story", nargs="?", metavar="STORY_DIR", help="the story folder (default: the shipped story)")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--random", type=_positive, metavar="N", help="play N random games (game i uses seed S+i)")
    mode.add_argument("--exhaustive", action="store_true", help="breadth-first search of every reachable state")
    rnd = p.add_argument_group("random exploration")
    rnd.add_argument("--seed", type=int, default=0, metavar="S", help="the first game's seed (default: 0)")
    rnd.add_argument(
        "--max-steps", type=_positive, default=1000, metavar="K", help="step bound per game (default: 1000)"
    )
    exh = p.add_argument_group("exhaustive exploration")
    exh.add_argument(
        "--max-states", type=_positive, default=4_000_000, metavar="M", help="state bound (default: 4000000)"
    )
    exh.add_argument(
        "--max-depth",
        type=_positive,
        default=10_000,
        metavar="D",
        help="bound on choices from the start (default: 10000)",
    )
    exh.add_argument(
        "--no-summaries",
        action="store_true",
        help="when a bound stops the search, leave the rest undecided (INCOMPLETE) instead of deciding it "
        "by value summaries",
    )
    exh.add_argument(
        "--emit-witnesses",
        metavar="OUTDIR",
        help="write the shortest playthrough to each ending and each otherwise-unvisited scene into OUTDIR, "
        "and one that reproduces each dead end and soft-lock (existing files are kept, and listed, unless --force)",
    )
    exh.add_argument(
        "--force",
        action="store_true",
        help="with --emit-witnesses: replace existing files that differ and remove stale generated witnesses "
        "(a symbolic link is never written through)",
    )
    p.add_argument(
        "--max-seconds",
        type=_seconds,
        metavar="T",
        help="stop after about T seconds: random starts no new game, exhaustive expands no more states; "
        "the run is then INCOMPLETE (exit 3)",
    )
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (0: one per core; default: 1)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument(
        "--min-coverage",
        type=_percent,
        metavar="P",
        help="fail when fewer than P%% of the scenes are reached",
    )
    p.add_argument(
        "--min-text-coverage",
        type=_percent,
        metavar="P",
        help="fail when fewer than P%% of the conditional paragraphs, codex entries and achievements are shown",
    )
    p.add_argument(
        "--hits",
        action="store_true",
        help="list hit counts: random, times each scene, choice and paragraph was reached; exhaustive, states per scene",
    )
    p.add_argument(
        "--report",
        metavar="FILE.html",
        help="also write a self-contained HTML report: coverage, text never shown, hit counts, agency, story map",
    )
