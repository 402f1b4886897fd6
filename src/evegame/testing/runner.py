"""Running a playthrough against a story through the public Game API.

A failure names the file, the step's number and line, what was expected and what
was found, and the path taken so far (scene ids and the choices between them).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.effects import compile_entry, unlocks_by_scene
from ..engine.errors import ChoiceError, Problem, SaveError
from ..engine.game import Game
from ..engine.model import Story
from ..engine.problems import did_you_mean
from ..engine.saves import deserialize, serialize
from ..engine.state import GameState
from ..engine.values import type_name
from .diagnose import why_false
from .playfile import Playthrough, PlaythroughError, Step, check_names, load_playthrough
from .stories import StoryCache, default_story_dir

DEFAULT_SEED = 0  # a playthrough without ``seed:`` replays the same chances every run


def play_seed(play: Playthrough) -> int:
    """The game's seed for a playthrough: its own, else ``DEFAULT_SEED`` (never the global generator's)."""
    return play.seed if play.seed is not None else DEFAULT_SEED


def show(value: Any) -> str:
    """A value as a tester writes it in YAML/JSON: "text", 3, true, ["a", "b"]."""
    return json.dumps(value, ensure_ascii=False)


def path_text(path: list[tuple[str, str]], current: str) -> str:
    """``hall --to_desk--> desk --pay--> room``: the scenes and the choices between them."""
    if not path:
        return f"{current} (no choices taken)"
    parts = [path[0][0]]
    for i, (_scene, choice) in enumerate(path):
        nxt = path[i + 1][0] if i + 1 < len(path) else current
        parts.append(f" --{choice}--> {nxt}")
    return "".join(parts)


@dataclass
class Failure:
    """Why a playthrough failed, located in its file."""

    file: str
    line: int
    col: int
    step: int | None
    kind: str | None
    details: list[str]
    path: str = ""

    @property
    def headline(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        if self.step is None:
            return f"{where}: {self.kind}"
        return f"{where}: step {self.step} ({self.kind}) failed"

    def __str__(self) -> str:
        lines = [self.headline, *(f"  {d}" for d in self.details)]
        if self.path:
            lines.append(f"  path so far: {self.path}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "step": self.step,
            "kind": self.kind,
            "details": self.details,
            "path": self.path,
            "message": str(self),
        }


@dataclass
class PlayResult:
    file: str
    name: str
    ok: bool
    steps_run: int = 0
    steps_total: int = 0
    failure: Failure | None = None
    story: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "name": self.name,
            "ok": self.ok,
            "steps_run": self.steps_run,
            "steps": self.steps_total,
            "story": self.story,
            "seconds": round(self.seconds, 4),
            "failure": self.failure.to_dict() if self.failure else None,
        }


class _StepFailed(Exception):
    def __init__(self, *details: str) -> None:
        super().__init__(details)
        self.details = list(details)


def _mismatch(what: str, expected: str, found: str, found_what: str | None = None) -> list[str]:
    """Two aligned lines: ``expected WHAT: X`` and ``found    WHAT: Y``."""
    return [f"expected {what}: {expected}", f"found    {found_what or what}: {found}"]


def _normal(text: str) -> str:
    return " ".join(text.split())


_MARKUP = re.compile(r"[*_`]+")


def _text_has(text: str, needle: str) -> bool:
    """Substring match with whitespace collapsed, also ignoring Markdown emphasis marks."""
    n = _normal(needle)
    t = _normal(text)
    return n in t or _MARKUP.sub("", n) in _MARKUP.sub("", t)


def _excerpt(text: str, limit: int = 160) -> str:
    t = _normal(text)
    return show(t if len(t) <= limit else t[: limit - 1] + "…")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _same(want: Any, found: Any) -> bool:
    if type_name(want) != type_name(found):
        return False
    if isinstance(want, list):
        return sorted(want) == sorted(found)  # lists hold each name once: order does not matter
    return bool(want == found)


@dataclass
class Runner:
    """Runs playthroughs; stories are loaded once per folder."""

    story_dir: Path | None = None  # the default story when a file names none
    stories: StoryCache = field(default_factory=StoryCache)

    def run_file(self, path: str | Path) -> PlayResult:
        try:
            play = load_playthrough(path)
        except PlaythroughError as exc:
            first = exc.problems[0] if exc.problems else Problem(str(path), 0, 0, "invalid playthrough")
            details = [str(p) for p in exc.problems]
            failure = Failure(str(path), first.line, first.col, None, "invalid playthrough file", details)
            return PlayResult(str(path), Path(path).name, False, failure=failure)
        return self.run(play)

    def run(self, play: Playthrough) -> PlayResult:
        began = time.perf_counter()
        file = str(play.path)
        result = PlayResult(file, play.name, False, steps_total=len(play.steps))
        story_dir = play.story or self.story_dir or default_story_dir()
        result.story = str(story_dir)
        story = self.stories.get(story_dir)
        if not isinstance(story, Story):
            details = [f"the story {str(story_dir)!r} has errors:", *(f"  {p}" for p in story[:20])]
            line, col = (play.story_line, 1) if play.story else (0, 0)
            result.failure = Failure(file, line, col, None, "the story cannot be loaded", details)
            return result
        unknown = check_names(play, story)
        if unknown:
            first = unknown[0]
            details = [str(p) for p in unknown]
            result.failure = Failure(file, first.line, first.col, None, "invalid playthrough file", details)
            return result
        try:
            game = self.start(play, story)
        except _StepFailed as exc:
            result.failure = Failure(file, play.start_line, play.start_col, None, "start failed", exc.details)
            return result
        saves: dict[str, str] = {}
        for step in play.steps:
            try:
                game = self.do(step, game, story, saves)
            except _StepFailed as exc:
                result.failure = self.failure(play, step, exc.details, game)
                break
            except Exception as exc:  # an engine bug or a story problem the checker missed
                result.failure = self.failure(play, step, [f"error: {type(exc).__name__}: {exc}"], game)
                break
            result.steps_run += 1
        result.ok = result.failure is None
        result.seconds = time.perf_counter() - began
        return result

    def failure(self, play: Playthrough, step: Step, details: list[str], game: Game) -> Failure:
        return Failure(
            str(play.path), step.line, step.col, step.number, step.kind, details, path_text(game.path, game.state.scene)
        )

    # -- start ----------------------------------------------------------------------

    def start(self, play: Playthrough, story: Story) -> Game:
        if play.start_scene is None and not play.start_variables:
            return Game(story, seed=play_seed(play))
        scene = play.start_scene or story.start
        if scene not in story.scenes:
            raise _StepFailed(f"start: the story has no scene {scene!r}{did_you_mean(scene, story.scenes)}")
        state = GameState.initial(story, play_seed(play))
        state.scene = scene  # entered as the Game enters a scene, by the engine's own rule:
        entry = compile_entry(scene, story.scenes[scene].on_enter, unlocks_by_scene(story).get(scene, ()))
        entry(state.variables, state.visits, state.codex)
        for name, value in play.start_variables.items():  # names: checked by check_names
            want = type_name(story.variables[name])
            if type_name(value) != want:
                raise _StepFailed(f"start: variable {name!r} holds {want}, not {show(value)}")
            state.variables[name] = list(value) if isinstance(value, list) else value
        return Game.restore(story, state.snapshot())

    # -- steps ----------------------------------------------------------------------

    def do(self, step: Step, game: Game, story: Story, saves: dict[str, str]) -> Game:
        kind, arg = step.kind, step.arg
        if kind == "choose":
            try:
                game.choose(arg)
            except ChoiceError as exc:
                raise _StepFailed(*_mismatch("choice", f"{show(arg)} can be taken", str(exc))) from None
        elif kind == "expect":
            problems: list[str] = []
            for key, want in arg.items():
                problems += getattr(self, f"expect_{key}")(game, story, want)
            if problems:
                raise _StepFailed(*problems)
        elif kind == "undo":
            done = game.undo(arg)
            if done < arg:
                raise _StepFailed(*_mismatch("undo", f"{arg} choice(s) to undo", f"only {done} could be undone"))
        elif kind == "save":
            saves[arg] = json.dumps(serialize(game, slot=arg, play_time=0.0))
        elif kind == "load":
            if arg not in saves:
                known = ", ".join(repr(s) for s in saves) or "none"
                raise _StepFailed(*_mismatch("save slot", repr(arg), f"no save step wrote it (saved: {known})"))
            try:
                game = deserialize(story, json.loads(saves[arg])).game
            except SaveError as exc:
                raise _StepFailed(f"load: the save in slot {arg!r} cannot be loaded: {exc}") from None
        return game

    # -- expectations: each returns mismatch lines ------------------------------------

    def expect_scene(self, game: Game, story: Story, want: str) -> list[str]:
        found = game.state.scene
        if found == want:
            return []
        hint = "" if want in story.scenes else f" (the story has no scene {want!r}{did_you_mean(want, story.scenes)})"
        return _mismatch("scene", show(want) + hint, show(found))

    def expect_ending(self, game: Game, story: Story, want: str | None) -> list[str]:
        if want is None:  # ending: null -- the game goes on
            return self.expect_over(game, story, False)
        if game.is_over and game.ending == want:
            return []
        found = (
            f"ending {show(game.ending)}" if game.is_over else f"the game is not over (scene {show(game.state.scene)})"
        )
        hint = (
            "" if want in story.endings else f" (the story has no ending {want!r}{did_you_mean(want, story.endings)})"
        )
        return _mismatch("ending", show(want) + hint, found)

    def expect_over(self, game: Game, story: Story, want: bool) -> list[str]:
        if game.is_over == want:
            return []
        found = f"ending {show(game.ending)}" if game.is_over else f"not over (scene {show(game.state.scene)})"
        return _mismatch("game over", show(want), found)

    def expect_variables(self, game: Game, story: Story, want: dict[str, Any]) -> list[str]:
        out: list[str] = []
        for name, value in want.items():  # names: checked by check_names
            if not _same(value, game.variables[name]):
                out += _mismatch(f"variables.{name}", show(value), show(game.variables[name]))
        return out

    def _held(self, story: Story, want: Any) -> dict[str, list[str]]:
        """List variable -> the names asked about (list names: checked by check_names)."""
        if isinstance(want, dict):
            return {str(k): _as_list(v) for k, v in want.items()}
        if story.inventory is None:  # no inventory: an item held in any list counts
            return {ANY_LIST: _as_list(want)}
        return {story.inventory: _as_list(want)}

    def expect_has(self, game: Game, story: Story, want: Any) -> list[str]:
        out: list[str] = []
        for name, items in self._held(story, want).items():
            held = _holding(game, name)
            missing = [i for i in items if i not in held]
            if missing:
                out += _mismatch(f"{name} holding", show(missing), show(held), name)
        return out

    def expect_lacks(self, game: Game, story: Story, want: Any) -> list[str]:
        out: list[str] = []
        for name, items in self._held(story, want).items():
            held = _holding(game, name)
            present = [i for i in items if i in held]
            if present:
                out += _mismatch(f"{name} not holding", show(present), show(held), name)
        return out

    def expect_codex(self, game: Game, story: Story, want: Any) -> list[str]:
        missing = [c for c in _as_list(want) if c not in game.codex]
        if not missing:
            return []
        return _mismatch("codex entries unlocked", show(missing), show(game.codex), "codex")

    def expect_text_contains(self, game: Game, story: Story, want: Any) -> list[str]:
        text = game.scene.text
        missing = [w for w in _as_list(want) if not _text_has(text, w)]
        return _mismatch("text containing", show(missing), _excerpt(text), "text") if missing else []

    def expect_text_excludes(self, game: Game, story: Story, want: Any) -> list[str]:
        text = game.scene.text
        present = [w for w in _as_list(want) if _text_has(text, w)]
        return _mismatch("text without", show(present), _excerpt(text), "text") if present else []

    def _choice_matches(self, game: Game, name: Any) -> bool:
        choices = game.choices
        if isinstance(name, int):
            return 1 <= name <= len(choices)
        text = str(name).strip()
        return any(c.id == text or c.text.strip() == text for c in choices)

    def _choices_shown(self, game: Game) -> str:
        shown = [f"{c.id} ({c.text})" for c in game.choices]
        return show(shown) if shown else "no choices (the game is over)" if game.is_over else "no choices"

    def _closed(self, game: Game) -> list[str]:
        """The current scene's choices that are not shown, each with why its condition is false."""
        if game.is_over:
            return []
        shown = {c.key for c in game.available()}
        variables, visits = dict(game.variables), dict(game.visits)
        return [
            f"closed: {c.key} (if: {c.condition.source}): {'; '.join(why_false(c.condition, variables, visits))}"
            for c in game.current.choices
            if c.key not in shown and c.condition is not None
        ]

    def expect_choices_include(self, game: Game, story: Story, want: Any) -> list[str]:
        missing = [w for w in _as_list(want) if not self._choice_matches(game, w)]
        if not missing:
            return []
        return [
            *_mismatch("choices including", show(missing), self._choices_shown(game), "choices"),
            *self._closed(game),
        ]

    def expect_choices_count(self, game: Game, story: Story, want: Any) -> list[str]:
        low, high = (want, want) if isinstance(want, int) else (want.get("min", 0), want.get("max"))
        count = len(game.choices)
        if low <= count and (high is None or count <= high):
            return []
        if low == high:
            expected = f"exactly {low}"
        elif high is None:
            expected = f"at least {low}"
        else:
            expected = f"at most {high}" if low == 0 else f"between {low} and {high}"
        found = f"{count}: {self._choices_shown(game)}" if count else self._choices_shown(game)
        return [*_mismatch("number of choices", expected, found, "choices"), *self._closed(game)]

    def expect_choices_exclude(self, game: Game, story: Story, want: Any) -> list[str]:
        present = [w for w in _as_list(want) if self._choice_matches(game, w)]
        return (
            _mismatch("choices not including", show(present), self._choices_shown(game), "choices") if present else []
        )


ANY_LIST = "any list"


def _holding(game: Game, name: str) -> list[str]:
    if name == ANY_LIST:
        return [i for v in game.variables.values() if isinstance(v, list) for i in v]
    held = game.variables[name]
    return held if isinstance(held, list) else []


def run_playthrough(play: Playthrough, story_dir: str | Path | None = None) -> PlayResult:
    """Run one loaded playthrough (its own ``story:`` wins over ``story_dir``)."""
    return Runner(Path(story_dir) if story_dir else None).run(play)


def run_file(path: str | Path, story_dir: str | Path | None = None) -> PlayResult:
    """Load and run one playthrough file; an invalid file is a failed result, not an exception."""
    return Runner(Path(story_dir) if story_dir else None).run_file(path)
