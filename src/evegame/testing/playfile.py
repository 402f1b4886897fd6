"""Playthrough files (``*.play.yaml``): safe loading, validation with file:line:col, line marks.

The file is parsed with the engine's safe YAML loader; line numbers come from
``yamlsource.locate`` (composed again with marks only once, cached). Validation
covers the file itself (keys, step kinds, value types); ``check_names`` then checks
the variable names it uses against the story, before any step runs. Whether a
choice can be taken depends on the game so far, and is checked when the step runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from ..engine.errors import EvegameError, Problem
from ..engine.model import Story
from ..engine.problems import did_you_mean
from ..engine.yamlsource import Key, YamlFileError, decode, locate, parse

SUFFIXES = (".play.yaml", ".play.yml")
TOP_KEYS = ("name", "description", "story", "seed", "start", "steps")
START_KEYS = ("scene", "variables")
STEP_KINDS = ("choose", "expect", "undo", "save", "load")
EXPECT_KEYS = (
    "scene",
    "ending",
    "over",
    "variables",
    "has",
    "lacks",
    "codex",
    "text_contains",
    "text_excludes",
    "choices_include",
    "choices_exclude",
    "choices_count",
)
COUNT_KEYS = ("min", "max")
DEFAULT_SLOT = "default"


class PlaythroughError(EvegameError):
    """A playthrough file that cannot be read or is malformed; carries located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Step:
    """One step of a playthrough: its 1-based number, kind, argument and position."""

    number: int
    kind: str
    arg: Any
    line: int
    col: int


@dataclass
class Playthrough:
    """A validated playthrough file."""

    path: Path
    name: str
    steps: list[Step]
    story: Path | None = None  # resolved against the file's folder
    seed: int | None = None
    start_scene: str | None = None
    start_variables: dict[str, Any] = field(default_factory=dict)
    start_line: int = 1
    start_col: int = 1
    story_line: int = 0


def default_name(path: Path) -> str:
    """A playthrough's name when it gives none: the file name without ``.play.yaml``."""
    for suffix in SUFFIXES:
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return path.stem


def is_playthrough(path: Path) -> bool:
    return path.name.endswith(SUFFIXES)


def find_playthroughs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Each file given, and every ``*.play.yaml`` below each folder given (sorted).

    Raises FileNotFoundError for a path that does not exist.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if is_playthrough(p) and p.is_file() and not any(s.startswith(".") for s in p.relative_to(path).parts)
            )
            yield from found
        elif path.exists():
            yield path
        else:
            raise FileNotFoundError(str(path))


def load_playthrough(path: str | Path) -> Playthrough:
    """Read and validate one playthrough file; raise PlaythroughError with every problem."""
    path = Path(path)
    display = str(path)
    try:
        text = decode(path.read_bytes())
        data = parse(text)
    except OSError as exc:
        raise PlaythroughError([Problem(display, 0, 0, f"cannot read file: {exc.strerror or exc}")]) from None
    except YamlFileError as exc:
        raise PlaythroughError([Problem(display, exc.line, exc.col, str(exc))]) from None
    checker = _Checker(path)
    play = checker.check(data)
    if checker.found:
        raise PlaythroughError(checker.problems())
    assert play is not None
    return play


# --- validation ---------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _is_value(value: Any) -> bool:
    """A story value: number, flag, string, or list of strings."""
    if isinstance(value, (bool, int, str)):
        return True
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_strings(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


@dataclass
class _Checker:
    path: Path
    found: list[tuple[tuple[Any, ...], str]] = field(default_factory=list)

    def error(self, ypath: tuple[Any, ...], message: str) -> None:
        self.found.append((ypath, message))

    def problems(self) -> list[Problem]:
        return [Problem(str(self.path), *locate(str(self.path), yp), msg) for yp, msg in self.found]

    def where(self, ypath: tuple[Any, ...]) -> tuple[int, int]:
        return locate(str(self.path), ypath)

    def unknown_keys(self, mapping: dict[Any, Any], ypath: tuple[Any, ...], known: tuple[str, ...], what: str) -> None:
        for key in mapping:
            if key not in known:
                hint = did_you_mean(str(key), known) or f" (known: {', '.join(known)})"
                self.error((*ypath, Key(str(key))), f"unknown key {key!r} in {what}{hint}")

    def check(self, data: Any) -> Playthrough | None:
        if not isinstance(data, dict):
            self.error((), f"a playthrough is a mapping with 'steps:', not {_kind(data)}")
            return None
        self.unknown_keys(data, (), TOP_KEYS, "a playthrough")
        play = Playthrough(self.path, default_name(self.path), [])
        name = data.get("name")
        if name is not None:
            if isinstance(name, str):
                play.name = name
            else:
                self.error(("name",), f"'name' must be a string, not {_kind(name)}")
        if "description" in data and not isinstance(data["description"], str):
            self.error(("description",), "'description' must be a string")
        story = data.get("story")
        if story is not None:
            if isinstance(story, str) and story.strip():
                play.story = (self.path.parent / story).resolve()
                play.story_line = self.where(("story",))[0]
            else:
                self.error(("story",), f"'story' must be a folder path, relative to this file, not {_kind(story)}")
        seed = data.get("seed")
        if seed is not None:
            if isinstance(seed, int) and not isinstance(seed, bool):
                play.seed = seed
            else:
                self.error(("seed",), f"'seed' must be a whole number, not {_kind(seed)}")
        if "start" in data:
            self.check_start(data["start"], play)
        if "steps" not in data:
            self.error((), "a playthrough needs 'steps:', a list of steps")
        elif not isinstance(data["steps"], list):
            self.error(("steps",), f"'steps' must be a list of steps, not {_kind(data['steps'])}")
        else:
            for i, raw in enumerate(data["steps"]):
                step = self.check_step(raw, i)
                if step is not None:
                    play.steps.append(step)
        return play

    def check_start(self, start: Any, play: Playthrough) -> None:
        play.start_line, play.start_col = self.where(("start",))
        if not isinstance(start, dict):
            self.error(("start",), f"'start' must be a mapping (scene:, variables:), not {_kind(start)}")
            return
        self.unknown_keys(start, ("start",), START_KEYS, "'start'")
        scene = start.get("scene")
        if scene is not None:
            if isinstance(scene, str):
                play.start_scene = scene
            else:
                self.error(("start", "scene"), f"'scene' must be a scene id, not {_kind(scene)}")
        variables = start.get("variables")
        if variables is not None:
            if not isinstance(variables, dict):
                self.error(("start", "variables"), f"'variables' must be a mapping, not {_kind(variables)}")
                return
            for name, value in variables.items():
                if not _is_value(value):
                    self.error(
                        ("start", "variables", name),
                        f"variable {name!r}: a value is a number, true/false, a string or a list of strings, "
                        f"not {_kind(value)}",
                    )
            play.start_variables = {str(k): v for k, v in variables.items()}

    def check_step(self, raw: Any, i: int) -> Step | None:
        ypath: tuple[Any, ...] = ("steps", i)
        if isinstance(raw, str) and raw in ("undo", "save", "load"):  # the bare forms: '- undo'
            raw = {raw: None}
        if not isinstance(raw, dict) or len(raw) != 1:
            got = f"a mapping with {len(raw)} keys" if isinstance(raw, dict) else _kind(raw)
            self.error(ypath, f"step {i + 1}: a step is a mapping with one key ({', '.join(STEP_KINDS)}), not {got}")
            return None
        ((kind, arg),) = raw.items()
        if kind not in STEP_KINDS:
            hint = did_you_mean(str(kind), STEP_KINDS) or f" (known: {', '.join(STEP_KINDS)})"
            self.error((*ypath, Key(str(kind))), f"step {i + 1}: unknown step kind {kind!r}{hint}")
            return None
        at = (*ypath, kind)
        before = len(self.found)
        if kind == "choose":
            if not (isinstance(arg, str) and arg.strip()) and not (isinstance(arg, int) and not isinstance(arg, bool)):
                self.error(at, f"step {i + 1}: 'choose' takes a choice id, its text or its number, not {_kind(arg)}")
        elif kind == "undo":
            if arg is None:
                arg = 1
            if not isinstance(arg, int) or isinstance(arg, bool) or arg < 1:
                self.error(at, f"step {i + 1}: 'undo' takes how many choices to undo (1 or more), not {arg!r}")
        elif kind in ("save", "load"):
            if arg is None:
                arg = DEFAULT_SLOT
            if isinstance(arg, int) and not isinstance(arg, bool):
                arg = str(arg)
            if not isinstance(arg, str) or not arg.strip():
                self.error(at, f"step {i + 1}: '{kind}' takes an optional slot name, not {_kind(arg)}")
        else:
            self.check_expect(arg, at, i)
        if len(self.found) > before:
            return None
        line, col = self.where(ypath)
        return Step(i + 1, kind, arg, line, col)

    def check_expect(self, arg: Any, at: tuple[Any, ...], i: int) -> None:
        if not isinstance(arg, dict) or not arg:
            self.error(at, f"step {i + 1}: 'expect' takes a mapping of checks ({', '.join(EXPECT_KEYS)})")
            return
        for key in arg:
            if key not in EXPECT_KEYS:
                hint = did_you_mean(str(key), EXPECT_KEYS) or (
                    f" (known: {', '.join(EXPECT_KEYS)}; a variable is checked with 'variables: {{{key}: ...}}')"
                )
                self.error((*at, Key(str(key))), f"unknown key {key!r} in step {i + 1}'s 'expect'{hint}")
        for key, value in arg.items():
            where = (*at, key)
            if key in ("scene", "ending"):
                ok = (isinstance(value, str) and bool(value.strip())) or (key == "ending" and value is None)
                want = "a scene id" if key == "scene" else "an ending name"
            elif key == "over":
                ok, want = isinstance(value, bool), "true or false"
            elif key == "variables":
                ok, want = isinstance(value, dict) and bool(value), "a mapping of variable names to values"
                for name, v in value.items() if ok else ():
                    if not _is_value(v):
                        self.error(
                            (*where, name),
                            f"step {i + 1}: variable {name!r}: a value is a number, true/false, a string "
                            f"or a list of strings, not {_kind(v)}",
                        )
            elif key in ("has", "lacks"):
                ok = _is_strings(value) or (
                    isinstance(value, dict) and bool(value) and all(_is_strings(v) for v in value.values())
                )
                want = "an item, a list of items, or a mapping of list variables to items"
            elif key in ("codex", "text_contains", "text_excludes"):
                ok, want = _is_strings(value), "a string or a list of strings"
            elif key in ("choices_include", "choices_exclude"):
                items = value if isinstance(value, list) else [value]
                ok = all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in items)
                want = "a list of choice ids or texts"
                if ok and any(isinstance(v, int) and v < 1 for v in items):
                    self.error(
                        where,
                        f"step {i + 1}: choices are numbered from 1 in '{key}'; "
                        "to check that no choice is shown (a dead end), write 'choices_count: 0'",
                    )
            elif key == "choices_count":
                self.check_count(value, where, i)
                continue
            else:
                continue  # unknown: reported above
            if not ok:
                self.error(where, f"step {i + 1}: '{key}' expects {want}, not {_kind(value)}")

    def check_count(self, value: Any, where: tuple[Any, ...], i: int) -> None:
        """``choices_count: N`` (exactly N) or ``{min: N, max: M}`` (either or both)."""
        if _is_count(value):
            return
        if not isinstance(value, dict) or not value:
            self.error(where, f"step {i + 1}: 'choices_count' expects a number (0 or more) or {{min: N, max: M}}")
            return
        self.unknown_keys(value, where, COUNT_KEYS, f"step {i + 1}'s 'choices_count'")
        for bound in COUNT_KEYS:
            if bound in value and not _is_count(value[bound]):
                self.error((*where, bound), f"step {i + 1}: '{bound}' is a number of choices (0 or more)")
        low, high = value.get("min"), value.get("max")
        if _is_count(low) and _is_count(high) and low > high:
            self.error(where, f"step {i + 1}: 'min' ({low}) is more than 'max' ({high})")


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# --- names checked against the story ------------------------------------------------------


def check_names(play: Playthrough, story: Story) -> list[Problem]:
    """Variable names the playthrough uses that the story does not declare, each located.

    Checked before any step runs: ``start: variables``, ``expect: variables``, and the list
    variables named in ``has``/``lacks`` mappings.
    """
    found: list[tuple[tuple[Any, ...], str]] = []
    known = story.variables

    def unknown(ypath: tuple[Any, ...], name: Any, what: str) -> None:
        found.append(
            ((*ypath, Key(str(name))), f"{what}: the story has no variable {name!r}{did_you_mean(str(name), known)}")
        )

    for name in play.start_variables:
        if name not in known:
            unknown(("start", "variables"), name, "start")
    for step in play.steps:
        if step.kind != "expect":
            continue
        at = ("steps", step.number - 1, "expect")
        for name in step.arg.get("variables", {}):
            if name not in known:
                unknown((*at, "variables"), name, f"step {step.number}")
        for key in ("has", "lacks"):
            held = step.arg.get(key)
            for name in held if isinstance(held, dict) else ():
                if not isinstance(known.get(name), list):
                    what = "no list variable" if name in known else "no variable"
                    found.append(
                        (
                            (*at, key, Key(str(name))),
                            f"step {step.number}: '{key}': the story has {what} {name!r}"
                            + ("" if name in known else did_you_mean(str(name), known)),
                        )
                    )
    path = str(play.path)
    return [Problem(path, *locate(path, ypath), message) for ypath, message in found]
