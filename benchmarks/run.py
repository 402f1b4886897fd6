"""Measure every figure of the speed-and-scale issue side by side, in one run.

    python benchmarks/run.py              # everything (about 10 minutes on 2 cores: 100,000 scenes)
    python benchmarks/run.py --quick      # a smoke run with small stories (about a minute)
    python benchmarks/run.py --only startup --only cache

Every time figure is a ratio of two commands measured in the same run, alternately
(A B, B A, A B, ...), each in a fresh subprocess, and compared by their medians:
wall-clock time decides PASS/FAIL, CPU time (user + system, from ``wait4``) is shown
beside it because it is much steadier on a busy machine. Peak memory is the child's
``ru_maxrss``. Generated stories are kept in ``benchmarks/.data/`` (ignored by git)
and reused while ``gen_story.py`` is unchanged.

Figures (targets from the issue):
  startup  ``evegame`` to its first screen, headless, vs a bare Textual app     <= 1.3x
  check    ``evegame check`` of 10,000 scenes (cache off) vs a bare CSafeLoader
           parse of the same files                                           <= 1.25x
  scaling  ``evegame check`` time at 100,000 scenes / at 10,000              <= 11x
  cache    cold ``load_story`` / warm ``load_story`` through the cache        >= 10x
  explore  random exploration steps/s on the shipped story, one core         >= 50,000/s
  memory   peak memory of a cold 100,000-scene load vs the bare parse        <= 2x
  continue Continue of a 40,000-choice autosave: seconds and peak memory     < 2 s, < 200 MB
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DRIVERS = HERE / "drivers"
DATA = HERE / ".data"
PY = sys.executable
FIGURES = ("startup", "check", "scaling", "cache", "explore", "memory", "continue")

sys.path.insert(0, str(HERE))
import gen_story  # noqa: E402


class BenchError(Exception):
    """A command under measurement failed."""


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss_mb: float  # peak resident memory
    out: str


@dataclass
class Figure:
    name: str
    title: str
    lines: list[str]
    value: float | None  # the ratio (or rate) compared with the target
    target: float
    higher_is_better: bool
    unit: str = "×"
    cpu_ratio: float | None = None
    skipped: str = ""
    details: dict[str, object] = field(default_factory=dict)

    @property
    def passed(self) -> bool | None:
        if self.value is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    @property
    def verdict(self) -> str:
        return "SKIP" if self.passed is None else ("PASS" if self.passed else "FAIL")

    def target_text(self) -> str:
        op = "≥" if self.higher_is_better else "≤"
        return f"{op} {_fmt(self.target)}{self.unit}"

    def value_text(self) -> str:
        return "-" if self.value is None else f"{_fmt(self.value)}{self.unit}"


def _fmt(x: float) -> str:
    if x >= 1000:
        return f"{x:,.0f}"
    return f"{x:.2f}"


# --- running children -------------------------------------------------------------


def run_child(cmd: Sequence[str], env: dict[str, str]) -> Sample:
    """Run ``cmd`` to completion; its wall time, CPU time and peak RSS. Raise BenchError on failure."""
    with tempfile.TemporaryFile() as out:
        began = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{text[-3000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text)


def side_by_side(a: Callable[[], Sample], b: Callable[[], Sample], runs: int) -> tuple[list[Sample], list[Sample]]:
    """``runs`` samples of each, alternating which goes first so drifting load hits both alike."""
    xs, ys = round_robin([a, b], runs)
    return xs, ys


def round_robin(commands: Sequence[Callable[[], Sample]], runs: int) -> list[list[Sample]]:
    """``runs`` samples of each command, taken in turn, each round starting one further along."""
    out: list[list[Sample]] = [[] for _ in commands]
    for i in range(runs):
        for k in range(len(commands)):
            j = (i + k) % len(commands)
            out[j].append(commands[j]())
    return out


def med(samples: Sequence[Sample], attr: str = "wall") -> float:
    return statistics.median(getattr(s, attr) for s in samples)


def evegame_cmd() -> list[str]:
    script = Path(PY).parent / "evegame"
    return [str(script)] if script.is_file() else [PY, "-m", "evegame"]


# --- the context: options, stories, environments ---------------------------------------


@dataclass
class Context:
    runs: int
    large_runs: int
    small: int  # scenes for check / cache / the low end of scaling
    large: int  # scenes for the high end of scaling and for memory
    explore_seconds: float
    tmp: Path
    verbose: bool
    memo: dict[tuple[tuple[str, int], ...], list[list[Sample]]] = field(default_factory=dict)

    def log(self, message: str) -> None:
        if self.verbose:
            print(f"  … {message}", file=sys.stderr, flush=True)

    def env(self, **extra: str) -> dict[str, str]:
        """The children's environment: user folders in a temp dir, never the real ones."""
        env = dict(os.environ)
        env.setdefault("EVEGAME_DATA_DIR", str(self.tmp / "data"))
        env.setdefault("EVEGAME_CACHE_DIR", str(self.tmp / "cache"))
        env.pop("EVEGAME_NO_CACHE", None)
        env.update(extra)
        return env

    def story(self, scenes: int) -> Path:
        """A generated story of ``scenes`` scenes, reused while the generator is unchanged."""
        out = DATA / "stories" / f"s{scenes}"
        stamp = out / ".generated"
        want = f"{hashlib.sha256(Path(gen_story.__file__).read_bytes()).hexdigest()} {scenes} seed=1"
        if not (stamp.is_file() and stamp.read_text() == want):
            self.log(f"generating a story of {scenes:,} scenes in {out}")
            gen_story.generate(scenes, out, seed=1)
            stamp.write_text(want)
        return out

    def series(self, specs: Sequence[tuple[str, int]], runs: int) -> list[list[Sample]]:
        """Samples of several (kind, scenes) runs measured in turn, side by side; memoised per group."""
        key = tuple(specs)
        if key not in self.memo:
            stories = [self.story(n) for _, n in specs]
            self.log(", ".join(f"{kind} {n:,}" for kind, n in specs) + f": {runs} run(s) each, in turn")
            commands = [
                lambda kind=kind, story=story: self.run_kind(kind, story)
                for (kind, _), story in zip(specs, stories, strict=True)
            ]
            self.memo[key] = round_robin(commands, runs)
        return self.memo[key]

    def run_kind(self, kind: str, story: Path) -> Sample:
        if kind == "check":
            sample = run_child([*evegame_cmd(), "check", str(story)], self.env(EVEGAME_NO_CACHE="1"))
            if ": OK:" not in sample.out:
                raise BenchError(f"evegame check {story} did not report OK:\n{sample.out[-2000:]}")
            return sample
        if kind == "check-warm":
            return run_child([*evegame_cmd(), "check", str(story)], self.env())
        if kind == "check-store":  # a cold load with the cache on (the default): the entry is written
            fresh = Path(tempfile.mkdtemp(prefix="cache-", dir=self.tmp))
            try:
                return run_child([*evegame_cmd(), "check", str(story)], self.env(EVEGAME_CACHE_DIR=str(fresh)))
            finally:
                shutil.rmtree(fresh, ignore_errors=True)
        if kind == "parse":
            return run_child([PY, str(DRIVERS / "bare_parse.py"), str(story)], self.env())
        if kind == "parse-keep":
            return run_child([PY, str(DRIVERS / "bare_parse.py"), str(story), "--keep"], self.env())
        raise ValueError(kind)


# --- the figures ------------------------------------------------------------------------


def fig_startup(ctx: Context) -> Figure:
    title = "start-up: `evegame` to its first screen (headless) vs a bare Textual app with one Static"
    env = ctx.env()
    probe = subprocess.run([PY, "-c", "import evegame.tui"], env=env, capture_output=True, text=True)
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return Figure("startup", title, [], None, 1.3, False, skipped=f"evegame.tui does not import: {reason}")
    eve = [PY, str(DRIVERS / "evegame_app.py"), "--tui"]
    bare = [PY, str(DRIVERS / "bare_app.py")]
    ctx.log("start-up warm-up (fills the story cache and the OS file cache)")
    run_child(eve, env)
    run_child(bare, env)
    xs, ys = side_by_side(lambda: run_child(eve, env), lambda: run_child(bare, env), ctx.runs)
    ratio, cpu = med(xs) / med(ys), med(xs, "cpu") / med(ys, "cpu")

    def first_start() -> Sample:  # the very first start: no cache yet, the story is parsed and the cache written
        fresh = Path(tempfile.mkdtemp(prefix="cache-", dir=ctx.tmp))
        return run_child(eve, ctx.env(EVEGAME_CACHE_DIR=str(fresh)))

    firsts = [first_start() for _ in range(3)]
    lines = [
        f"evegame {med(xs):.3f} s (CPU {med(xs, 'cpu'):.3f} s) · bare Textual {med(ys):.3f} s (CPU {med(ys, 'cpu'):.3f} s)",
        "the shipped story through its warm cache (as on every start after the first), empty data folder",
        f"for comparison, the very first start (no cache yet): {med(firsts):.3f} s = {med(firsts) / med(ys):.2f}× the bare app",
    ]
    details = {
        "evegame_s": med(xs),
        "bare_s": med(ys),
        "evegame_cpu_s": med(xs, "cpu"),
        "bare_cpu_s": med(ys, "cpu"),
        "first_start_s": med(firsts),
    }
    return Figure("startup", title, lines, ratio, 1.3, False, cpu_ratio=cpu, details=details)


def fig_check(ctx: Context) -> Figure:
    n = ctx.small
    title = f"`evegame check` of {n:,} scenes (EVEGAME_NO_CACHE=1) vs a bare yaml.load(CSafeLoader) of the same files"
    ctx.run_kind("parse", ctx.story(n))  # warm the OS file cache
    xs, ys = ctx.series([("check", n), ("parse", n)], ctx.runs)
    story = ctx.story(n)
    size = sum(p.stat().st_size for p in story.rglob("*.yaml"))
    files = sum(1 for _ in story.rglob("*.yaml"))
    lines = [
        f"check {med(xs):.2f} s (CPU {med(xs, 'cpu'):.2f} s) · bare parse {med(ys):.2f} s (CPU {med(ys, 'cpu'):.2f} s)",
        f"{files} files, {size / 1e6:.1f} MB; both are whole processes (interpreter start-up included)",
    ]
    details = {"check_s": med(xs), "parse_s": med(ys), "files": files, "megabytes": size / 1e6}
    return Figure(
        "check",
        title,
        lines,
        med(xs) / med(ys),
        1.25,
        False,
        cpu_ratio=med(xs, "cpu") / med(ys, "cpu"),
        details=details,
    )


def _large_series(ctx: Context) -> list[list[Sample]]:
    """check at the small size; check (cache off), check writing the cache, the bare parse at the large one."""
    kinds = [("check", ctx.small), ("check", ctx.large), ("check-store", ctx.large), ("parse-keep", ctx.large)]
    return ctx.series(kinds, ctx.large_runs)


def fig_scaling(ctx: Context) -> Figure:
    lo, hi = ctx.small, ctx.large
    title = f"`evegame check` time at {hi:,} scenes / at {lo:,} scenes (linear growth is {hi // lo}×)"
    small, big, _, big_parse = _large_series(ctx)
    limit = 1.1 * hi / lo
    lines = [
        f"{lo:,}: {med(small):.2f} s (CPU {med(small, 'cpu'):.2f} s) · {hi:,}: {med(big):.2f} s (CPU {med(big, 'cpu'):.2f} s)",
        f"medians of {len(big)} runs each, taken in turn; at {hi:,} the bare parse (keeping every document) "
        f"took {med(big_parse):.2f} s (CPU {med(big_parse, 'cpu'):.2f} s), so check / parse = {med(big) / med(big_parse):.2f}×",
    ]
    details = {"small_s": med(small), "large_s": med(big), "large_parse_keep_s": med(big_parse)}
    return Figure(
        "scaling",
        title,
        lines,
        med(big) / med(small),
        limit,
        False,
        cpu_ratio=med(big, "cpu") / med(small, "cpu"),
        details=details,
    )


def _load_seconds(ctx: Context, story: Path, env: dict[str, str], *flags: str) -> Sample:
    sample = run_child([PY, str(DRIVERS / "load.py"), str(story), *flags], env)
    seconds = json.loads(sample.out.strip().splitlines()[-1])["seconds"]
    return Sample(seconds, sample.cpu, sample.rss_mb, sample.out)


def fig_cache(ctx: Context) -> Figure:
    n = ctx.small
    title = f"cache: cold load_story / warm load_story through the compiled-story cache, {n:,} scenes"
    story = ctx.story(n)
    cache = ctx.tmp / "cache-figure"
    warm_env = ctx.env(EVEGAME_CACHE_DIR=str(cache))
    cold_env = ctx.env(EVEGAME_CACHE_DIR=str(cache), EVEGAME_NO_CACHE="1")
    _load_seconds(ctx, story, warm_env)  # fills the cache
    cold, warm = side_by_side(
        lambda: _load_seconds(ctx, story, cold_env), lambda: _load_seconds(ctx, story, warm_env), ctx.runs
    )
    touched = [_load_seconds(ctx, story, warm_env, "--touch") for _ in range(ctx.runs)]
    ctx.run_kind("check-warm", story)  # the `evegame check` cache (its own folder) filled
    warm_checks, cold_checks = ctx.series([("check-warm", n), ("check", n)], ctx.runs)
    lines = [
        f"cold {med(cold):.3f} s · warm {med(warm):.4f} s (load_story in-process, the timed call only)",
        f"warm and then every scene used (lazy chunks unpickled): {med(touched):.3f} s, "
        f"cold / that = {med(cold) / med(touched):.1f}×",
        f"whole `evegame check` process: cold {med(cold_checks):.2f} s · warm {med(warm_checks):.2f} s "
        f"= {med(cold_checks) / med(warm_checks):.1f}×",
    ]
    details = {
        "cold_s": med(cold),
        "warm_s": med(warm),
        "warm_every_scene_s": med(touched),
        "check_cold_s": med(cold_checks),
        "check_warm_s": med(warm_checks),
    }
    return Figure("cache", title, lines, med(cold) / med(warm), 10.0, True, details=details)


def _explore(ctx: Context, *flags: str) -> tuple[float, str]:
    env = ctx.env(EVEGAME_EXPLORE_SECONDS=str(ctx.explore_seconds))
    sample = run_child([PY, str(DRIVERS / "explore.py"), str(ROOT / "story"), *flags], env)
    result = json.loads(sample.out.strip().splitlines()[-1])
    return float(result["steps_per_second"]), str(result["how"])


def fig_explore(ctx: Context) -> Figure:
    title = "random exploration of the shipped story: steps per second on one core"
    runs = [_explore(ctx) for _ in range(ctx.runs)]
    how = runs[0][1]
    api = [_explore(ctx, "--game-api")[0] for _ in range(max(1, ctx.runs // 2))]
    rate = statistics.median(r for r, _ in runs)
    lines = [
        f"{rate:,.0f} steps/s with {how} (what `evegame explore --random` runs)",
        f"for comparison, a Python loop over Game.available() / Game.step(): {statistics.median(api):,.0f} steps/s",
    ]
    details = {"steps_per_second": rate, "how": how, "game_api_steps_per_second": statistics.median(api)}
    return Figure("explore", title, lines, rate, 50_000, True, unit="/s", details=details)


def fig_memory(ctx: Context) -> Figure:
    n = ctx.large
    title = f"memory: peak RSS of a cold load of {n:,} scenes (`evegame check`) vs the bare parse"
    _, load, store, parse = _large_series(ctx)
    worst = max(med(load, "rss_mb"), med(store, "rss_mb"))
    lines = [
        f"evegame check, cache off {med(load, 'rss_mb'):.0f} MB · cache on and written (the default, first load) "
        f"{med(store, 'rss_mb'):.0f} MB · bare parse keeping every document {med(parse, 'rss_mb'):.0f} MB",
        "ru_maxrss of each process (interpreter included in all); the ratio is the larger evegame figure",
    ]
    details = {
        "evegame_mb": med(load, "rss_mb"),
        "evegame_store_mb": med(store, "rss_mb"),
        "parse_mb": med(parse, "rss_mb"),
    }
    return Figure("memory", title, lines, worst / med(parse, "rss_mb"), 2.0, False, details=details)


def fig_continue(ctx: Context) -> Figure:
    choices = 4_000 if ctx.small < 10_000 else 40_000
    title = f"Continue of a {choices:,}-choice autosave (listed, read, checked, replayed for undo), fresh process"
    folder = ctx.tmp / "continue"
    driver = [PY, str(DRIVERS / "continue_save.py")]
    run_child([*driver, "make", str(folder), str(choices)], ctx.env())
    samples = [run_child([*driver, "continue", str(folder)], ctx.env()) for _ in range(ctx.runs)]
    figures = [json.loads(s.out.strip().splitlines()[-1]) for s in samples]
    seconds = statistics.median(f["seconds"] for f in figures)
    cpu = statistics.median(f["cpu_seconds"] for f in figures)
    peak = max(f["peak_mb"] for f in figures)
    size = figures[0]["save_bytes"]
    lines = [
        f"{seconds:.2f} s (CPU {cpu:.2f} s) · peak memory {peak:.0f} MB (whole process) · save {size / 1e6:.2f} MB",
        "the story loaded before the clock starts; what is timed is GameSession.continue_slot() + load()",
    ]
    details = {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak, "choices": choices, "save_bytes": size}
    value = max(seconds / 2.0, peak / 200.0)  # both limits in one figure: at most 1.0
    return Figure("continue", title, lines, value, 1.0, False, unit=" of the limits", details=details)


MEASURE: dict[str, Callable[[Context], Figure]] = {
    "startup": fig_startup,
    "check": fig_check,
    "scaling": fig_scaling,
    "cache": fig_cache,
    "explore": fig_explore,
    "memory": fig_memory,
    "continue": fig_continue,
}


# --- main -------------------------------------------------------------------------------


def environment() -> dict[str, object]:
    import textual
    import yaml

    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "textual": textual.__version__,
        "load_average": os.getloadavg()[0],
    }


def print_figure(fig: Figure) -> None:
    print(f"\n[{fig.name}] {fig.title}")
    if fig.skipped:
        print(f"    SKIPPED: {fig.skipped}")
        return
    for line in fig.lines:
        print(f"    {line}")
    cpu = f" (CPU {fig.cpu_ratio:.2f}×)" if fig.cpu_ratio is not None else ""
    print(f"    => {fig.value_text()}{cpu}   target {fig.target_text()}   {fig.verdict}")


def print_summary(figures: list[Figure]) -> None:
    print("\nsummary")
    print(f"  {'figure':<9} {'measured':>12} {'CPU':>8} {'target':>12}  result")
    for fig in figures:
        cpu = f"{fig.cpu_ratio:.2f}×" if fig.cpu_ratio is not None else ""
        print(f"  {fig.name:<9} {fig.value_text():>12} {cpu:>8} {fig.target_text():>12}  {fig.verdict}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small stories and 3 runs: a smoke run")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help=f"one of {', '.join(FIGURES)}")
    parser.add_argument("--runs", type=int, help="runs per side (default 5; 3 with --quick)")
    parser.add_argument("--large-runs", type=int, help="runs per side at the large size (default 3; 1 with --quick)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    names = [n for item in args.only for n in item.split(",") if n]
    for name in names:
        if name not in FIGURES:
            parser.error(f"unknown figure {name!r}: choose from {', '.join(FIGURES)}")
    args.names = [n for n in FIGURES if not names or n in names]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    large_runs = args.large_runs or (1 if args.quick else 3)
    small, large = (1_000, 10_000) if args.quick else (10_000, 100_000)
    # Byte-compile evegame as `pip install` does: this environment may set PYTHONDONTWRITEBYTECODE,
    # and then every start would compile the sources again, which no installed copy does.
    compileall.compile_dir(str(ROOT / "src" / "evegame"), quiet=2)
    DATA.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="evegame-bench-"))
    ctx = Context(runs, large_runs, small, large, 0.5 if args.quick else 1.0, tmp, not args.quiet)
    env = environment()
    print(
        f"evegame benchmarks · Python {env['python']} · {env['cpus']} CPUs · PyYAML {env['pyyaml']}"
        f"{' (libyaml)' if env['libyaml'] else ''} · Textual {env['textual']} · load average {env['load_average']:.1f}"
    )
    print(f"medians of {runs} runs per side ({large_runs} at {large:,} scenes); ratios of wall-clock time")
    figures: list[Figure] = []
    try:
        for name in args.names:
            began = time.perf_counter()
            try:
                fig = MEASURE[name](ctx)
            except BenchError as exc:
                fig = Figure(name, name, [], None, 0, False, skipped=f"a command failed: {exc}")
            fig.details["seconds_to_measure"] = round(time.perf_counter() - began, 1)
            figures.append(fig)
            print_figure(fig)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_summary(figures)
    if args.json:
        payload = {"environment": env, "runs": runs, "large_runs": large_runs, "figures": []}
        for fig in figures:
            item = asdict(fig)
            item.update(passed=fig.passed, verdict=fig.verdict)
            payload["figures"].append(item)  # type: ignore[attr-defined]
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
