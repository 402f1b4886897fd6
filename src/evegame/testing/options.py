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
