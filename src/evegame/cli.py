"""The evegame command line: argument parsing and one small function per verb.

No game logic lives here: every verb calls the engine, the TUI or the test tools.
Errors reach the user as messages and exit statuses, never as tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .engine.errors import EvegameError, Problem, StoryError, group_problems
from .terminal import use_colour

EXAMPLES = {
    "play": """examples:
  evegame                          play the shipped story
  evegame play --story mystory/    play your own story folder
  evegame play --story mystory/ --watch   reload as you edit
  evegame play --plain             line mode, for screen readers
  printf '1\\n2\\nquit\\n' | evegame play --plain   a scripted game""",
    "serve": """examples:
  evegame serve                    the shipped story at http://127.0.0.1:8000 (one game per browser tab)
  evegame serve --story mystory/ --port 8080
  evegame serve --host 0.0.0.0     reachable from other machines: anyone who can reach it can play""",
    "check": """examples:
  evegame check                    check the shipped story
  evegame check mystory/           check your story; exit 1 on errors
  evegame check mystory/ --strict  warnings count as errors
  evegame check mystory/ --format json > problems.json""",
    "stats": """examples:
  evegame stats                    figures for the shipped story
  evegame stats mystory/ --by-file scenes, words and choices per file
  evegame stats --format json
  evegame stats --agency           choices that change what happens next, and those that do not
  evegame stats --shape --from warden_hall   words per route and act, and from a scene to the end""",
    "graph": """examples:
  evegame graph > map.mmd          Mermaid flowchart of the shipped story
  evegame graph mystory/ --format dot --out map.dot && dot -Tsvg map.dot > map.svg""",
    "schema": """examples:
  evegame schema story > story.schema.json
  evegame schema playthrough > playthrough.schema.json
  then put '# yaml-language-server: $schema=story.schema.json' on the first line of each story file""",
    "new": """examples:
  evegame new mystory              scaffold a small story that checks and plays
  evegame new mystory --title "The Night Train"
  evegame check mystory && evegame play --story mystory""",
    "playtest": """examples:
  evegame playtest tests/playthroughs           run every *.play.yaml below the folder
  evegame playtest mine.play.yaml --story mystory/   files that name no story: use this one
  evegame playtest tests/playthroughs --format json > results.json""",
    "explore": """examples:
  evegame explore --random 1000                   1000 random games of the shipped story
  evegame explore mystory/ --random 200 --seed 42 --max-steps 500
  evegame explore mystory/ --exhaustive --emit-witnesses tests/playthroughs/witnesses
  evegame explore story --exhaustive --jobs 2 --min-coverage 95 --format json
  evegame explore mystory/ --random 1000000 --max-seconds 60

exit status: 0 OK, 1 a problem found (FAIL), 2 a wrong option,
3 INCOMPLETE (a bound or --max-seconds stopped it before it found a problem)""",
}


def _story_arg(value: str | None) -> Path:
    if value:
        return Path(value)
    from .paths import shipped_story_dir

    return shipped_story_dir()


# --- output helpers ---------------------------------------------------------


def format_problem(problem: Problem, colour: bool) -> str:
    if not colour:
        return str(problem)
    where = f"{problem.path}:{problem.line}:{problem.col}" if problem.line else problem.path
    tint = "\x1b[31m" if problem.severity == "error" else "\x1b[33m"
    return f"\x1b[1m{where}:\x1b[0m {tint}{problem.severity}:\x1b[0m {problem.message}"


def print_problems(problems: Sequence[Problem], stream=None) -> None:  # type: ignore[no-untyped-def]
    """Root causes first, what follows from each indented under it, long runs of one message counted."""
    stream = stream or sys.stderr
    colour = use_colour(stream)
    for group in group_problems(list(problems)):
        print(format_problem(group.problem, colour), file=stream)
        for follow in group.follows:
            print("  " + format_problem(follow, colour), file=stream)
        if group.more_like_this:
            print(f"... and {group.more_like_this:,} more like this", file=stream)


# --- verbs ---------------------------------------------------------------------


def cmd_play(args: argparse.Namespace) -> int:
    from .engine.gcpause import gc_paused
    from .paths import data_dir, story_cache_dir

    # Start-up (the engine and the front end imported, the story read, the app built) makes tens of
    # thousands of long-lived objects and next to no garbage: the collector's passes over them would
    # only delay the first screen. It runs again, as it was, once they are built.
    story_dir = _story_arg(args.story)
    with gc_paused():
        from .engine import read_story

        story = read_story(story_dir, cache_dir=story_cache_dir(not args.no_cache))  # errors before the terminal
    if _plain_mode(args):
        from .plain import play_plain

        if args.watch:
            print(
                "evegame: --watch reloads only the full-screen game; plain mode plays the story as loaded",
                file=sys.stderr,
            )
        return play_plain(story, data_dir(args.data_dir))
    # In a terminal, Textual reads the window size through shutil, which believes COLUMNS/LINES from the
    # environment over the terminal: with them exported the game would never see the window resized.
    # Under another driver (textual-serve's web driver) COLUMNS is how the browser's size arrives: keep it.
    if not os.environ.get("TEXTUAL_DRIVER"):
        for frozen in ("COLUMNS", "LINES"):
            os.environ.pop(frozen, None)
    with gc_paused():
        from .tui import EveGameApp

        app = EveGameApp(story=story, story_dir=story_dir, data_dir=args.data_dir, watch=args.watch)
        if args.program and not args.watch:
            # The game owns the process until the player quits, and what start-up built (modules,
            # story, app: some 40,000 objects, next to no garbage) lives until then: no collection
            # need scan it again (about 40 ms of the start-up figure). With --watch the story is
            # replaced on every edit, so nothing is kept.
            _program_keeps_its_heap()
    app.run()
    return int(app.return_code or 0)


def _plain_mode(args: argparse.Namespace) -> bool:
    """``--plain``, or no terminal to draw the full-screen game on (then say so on stderr)."""
    from .terminal import is_terminal

    if args.plain or args.tui:
        return bool(args.plain)
    missing = [name for name, stream in (("input", sys.stdin), ("output", sys.stdout)) if not is_terminal(stream)]
    if missing:
        what = (
            "standard input and output are not terminals"
            if len(missing) == 2
            else f"standard {missing[0]} is not a terminal"
        )
        print(f"evegame: {what}: playing in plain line mode (--plain)", file=sys.stderr)
    return bool(missing)


def cmd_serve(args: argparse.Namespace) -> int:
    from . import web
    from .engine import read_story
    from .paths import data_dir

    if not web.available():
        print(f"evegame serve: the web server is not installed; install it with: {web.INSTALL_HINT}", file=sys.stderr)
        return 1
    from .web.server import GameServer, game_command, is_loopback

    story_dir = _story_arg(args.story).resolve()
    story = read_story(story_dir)  # a broken story is reported now, not in every browser tab
    data = data_dir(args.data_dir).resolve()
    url = f"http://{f'[{args.host}]' if ':' in args.host else args.host}:{args.port}/"
    if not is_loopback(args.host):
        print(
            f"evegame serve: warning: listening on {args.host}: anyone who can reach port {args.port} "
            f"can play and write saves in {data}",
            file=sys.stderr,
        )
    server = GameServer(
        game_command(story_dir, data), host=args.host, port=args.port, title=story.title, max_games=args.max_games
    )

    def ready() -> None:
        print(f"evegame serve: {story.title} at {url} (one game per browser tab; Ctrl+C stops)", flush=True)

    try:
        server.serve(ready=ready)
    except OSError as exc:
        print(f"evegame serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print("evegame serve: stopped", flush=True)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .engine import load_story
    from .paths import story_cache_dir
    from .progress import ProgressLine

    story_dir = _story_arg(args.story)
    with ProgressLine("check", "files") as line:

        def reading(done: int, files: int) -> None:
            line.total = files
            line.update(done)

        result = load_story(
            story_dir, lenient=args.lenient, cache_dir=story_cache_dir(not args.no_cache), progress=reading
        )
    problems = result.problems
    failed = bool(result.errors) or (args.strict and bool(result.warnings))
    if args.format == "json":
        payload = {
            "story": str(story_dir),
            "ok": not failed,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "problems": [p.to_dict() for p in problems],
            "groups": [g.to_dict() for g in group_problems(problems)],
        }
        print(json.dumps(payload, indent=2))
        return 1 if failed else 0
    print_problems(problems, sys.stdout if not failed else sys.stderr)
    if failed:
        counts = f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)"
        print(f"{story_dir}: {counts}", file=sys.stderr)
        return 1
    story = result.story
    assert story is not None
    endings = len(story.endings)
    warn = f", {len(result.warnings)} warning(s)" if result.warnings else ""
    print(f"{story_dir}: OK: {len(story.scenes)} scenes, {endings} endings, {len(story.codex)} codex entries{warn}")
    return 0


def _load_clean(story_dir: Path):  # type: ignore[no-untyped-def]
    """The story, or StoryError when it has errors (warnings are fine for the tools)."""
    from .engine import StoryError, load_story
    from .paths import story_cache_dir

    result = load_story(story_dir, lenient=True, cache_dir=story_cache_dir())
    if result.errors or result.story is None:
        raise StoryError(result.problems)
    return result.story


def cmd_stats(args: argparse.Namespace) -> int:
    from .authoring import stats
    from .testing.randomwalk import explore_random

    story = _load_clean(_story_arg(args.story))
    if args.agency:
        from .testing import agency

        found = agency.analyse(story, games=2000 if args.games is None else args.games, seed=args.seed)
        print(json.dumps(found.to_dict(), indent=2) if args.format == "json" else agency.format_text(found, story))
        return 0
    if args.shape or args.from_scenes:
        from .authoring import shape
        from .progress import ProgressLine

        games = 500 if args.games is None else args.games
        try:
            with ProgressLine("stats", "games", total=games) as line:
                measured = shape.measure(
                    story, games=games, seed=args.seed, from_scenes=args.from_scenes, progress=line.update
                )
        except KeyError as err:
            print(f"evegame stats: --from: {err.args[0]}", file=sys.stderr)
            return 2
        print(json.dumps(measured.to_dict(), indent=2) if args.format == "json" else shape.format_text(measured, story))
        return 0
    games = 500 if args.games is None else args.games
    played = None
    if games > 0:  # route lengths of seeded random games, played by the random explorer
        lengths = explore_random(story, games, seed=args.seed).route_lengths
        played = stats.played_routes(lengths, games, args.seed)
    figures = stats.compute(story, played=played)
    if args.format == "json":
        print(json.dumps(figures.to_dict(), indent=2))
    else:
        print(stats.format_text(figures, by_file=args.by_file))
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    from .authoring import graph

    text = graph.render(_load_clean(_story_arg(args.story)), args.format)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .authoring.schema import schema_text

    sys.stdout.write(schema_text(args.kind))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .authoring.scaffold import scaffold

    target = Path(args.dir)
    written = scaffold(target, args.title)
    for path in written:
        print(f"  created {path}")
    print(f"\nA new story in {target}. Next:\n  evegame check {target}\n  evegame play --story {target}")
    print(f"  evegame playtest {target / 'playthroughs'}")
    return 0


def cmd_playtest(args: argparse.Namespace) -> int:
    from .testing.commands import playtest

    return playtest(args)


def cmd_explore(args: argparse.Namespace) -> int:
    from .testing.commands import explore

    return explore(args)


# --- parser ----------------------------------------------------------------------


class _VersionAction(argparse.Action):
    """``--version``; the version is looked up only when asked for (importlib.metadata is slow to import)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, default=argparse.SUPPRESS, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from . import __version__

        print(f"evegame {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evegame",
        description="Ballerina: a terminal text adventure. With no command, plays the shipped story.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="run 'evegame COMMAND --help' for each command's options and examples",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def verb(name: str, help: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help,
            description=help,
            epilog=EXAMPLES.get(name),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(func=func)
        return p

    play = verb("play", "play a story in the terminal (the default command)", cmd_play)
    add_play_options(play)

    serve = verb("serve", "play a story in a web browser: one game per browser tab (needs evegame[web])", cmd_serve)
    serve.add_argument("--story", metavar="DIR", help="the story folder to serve (default: the shipped story)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    serve.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where saves and settings live (default: $EVEGAME_DATA_DIR or the user data dir)",
    )
    serve.add_argument(
        "--max-games",
        type=int,
        default=8,
        metavar="N",
        help="games (browser tabs) running at once; more are turned away (default: 8)",
    )

    check = verb("check", "check a story folder and report every problem as file:line:col", cmd_check)
    check.add_argument("story", nargs="?", metavar="STORY_DIR", help="the story folder (default: the shipped story)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--lenient", action="store_true", help="report unreachable scenes and endings as warnings")
    check.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    check.add_argument("--no-cache", action="store_true", help=NO_CACHE_HELP)

    stats = verb("stats", "print a story's figures: scenes, words, endings, choices, codex, routes", cmd_stats)
    stats.add_argument("story", nargs="?", metavar="STORY_DIR", help="the story folder (default: the shipped story)")
    stats.add_argument("--by-file", action="store_true", help="also show the figures of each file")
    stats.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    stats.add_argument(
        "--agency",
        action="store_true",
        help="choice agency instead: choices that change what happens next, indistinguishable siblings, "
        "effects nothing reads, cosmetic scenes, and each ending's share of random games",
    )
    stats.add_argument(
        "--shape",
        action="store_true",
        help="the story's shape as played instead: words read on a route, each part's (top folder's) share, "
        "scene lengths as shown",
    )
    stats.add_argument(
        "--from",
        dest="from_scenes",
        action="append",
        default=[],
        metavar="SCENE",
        help="with --shape (implied): also the words from a game's first visit to SCENE to its ending (repeatable)",
    )
    stats.add_argument(
        "--games",
        type=int,
        default=None,
        metavar="N",
        help="random games played to measure routes (default: 500; with --agency: 2000; 0: none)",
    )
    stats.add_argument("--seed", type=int, default=0, help="seed of the random games (default: 0)")

    graph = verb("graph", "draw the story map: scenes as nodes, choices as edges, one cluster per file", cmd_graph)
    graph.add_argument("story", nargs="?", metavar="STORY_DIR", help="the story folder (default: the shipped story)")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid", help="mermaid (default) or dot")
    graph.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")

    schema = verb("schema", "print the JSON Schema of story files or playthrough files", cmd_schema)
    schema.add_argument("kind", nargs="?", choices=["story", "playthrough"], default="story", help="default: story")

    new = verb("new", "create a small working story to start from", cmd_new)
    new.add_argument("dir", metavar="DIR", help="the folder to create (must be new or empty)")
    new.add_argument("--title", help="the story's title (default: from the folder name)")

    from .testing.options import add_explore_options, add_playtest_options

    playtest = verb("playtest", "run scripted playthroughs (*.play.yaml files, or folders of them)", cmd_playtest)
    add_playtest_options(playtest)
    explore = verb("explore", "explore a story by random games or an exhaustive search; report coverage", cmd_explore)
    add_explore_options(explore)
    return parser


NO_CACHE_HELP = "neither read nor write the compiled-story cache (also: EVEGAME_NO_CACHE=1)"


def add_play_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--story", metavar="DIR", help="the story folder to play (default: the shipped story)")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where saves and settings live (default: $EVEGAME_DATA_DIR or the user data dir)",
    )
    p.add_argument("--watch", action="store_true", help="reload the story when one of its files changes")
    p.add_argument("--no-cache", action="store_true", help=NO_CACHE_HELP)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--plain",
        action="store_true",
        help="line mode: text and typed commands, for screen readers and scripts "
        "(the default when standard input or output is not a terminal)",
    )
    mode.add_argument("--tui", action="store_true", help="the full-screen game even when output is not a terminal")


def run() -> None:
    """The ``evegame`` program (and ``python -m evegame``): ``main``, then exit with its status."""
    code = main(program=True)
    # The process ends now: the interpreter's final collection would walk every object still
    # alive (after ``check`` of 10,000 scenes, about a million: some 50 ms) for memory the system
    # takes back anyway.
    _program_keeps_its_heap()
    sys.exit(code)


def _program_keeps_its_heap() -> None:
    """Take every object alive now out of the collector's sight for good (``gc.freeze``).

    Only for the ``evegame`` program's own process (``main(program=True)``, which ``run`` passes):
    a caller of ``main()`` from Python keeps its collector as it was, or its objects of this
    moment would never be collected.
    """
    import gc

    gc.freeze()


def main(argv: Sequence[str] | None = None, *, program: bool = False) -> int:
    """Run one ``evegame`` command; its exit status. ``program``: this is the ``evegame`` program's
    own process (``run``), which may keep its heap from the collector; never from a library call."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["play", *argv]
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        args = parser.parse_args(["play", *argv])
    args.program = program
    try:
        return args.func(args)
    except StoryError as exc:
        print_problems(exc.problems)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(f"the story has {errors} error(s); run 'evegame check' for details", file=sys.stderr)
        return 1
    except EvegameError as exc:
        print(f"evegame: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: no traceback for users
        if os.environ.get("EVEGAME_DEBUG"):
            raise
        print(
            f"evegame: internal error: {type(exc).__name__}: {exc} (set EVEGAME_DEBUG=1 for details)", file=sys.stderr
        )
        return 2
