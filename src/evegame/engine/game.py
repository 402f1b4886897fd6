"""Game: the public API that the TUI, the CLI and the test tools share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .effects import compile_effects, compile_entry, unlocks_by_scene
from .errors import ChoiceError
from .gcpause import gc_paused
from .loader import read_story
from .machine import SceneMachine, build_machine, trigger_name
from .model import Achievement, Choice, Scene, Story, Value
from .render import render_text
from .state import GameState


@dataclass(frozen=True)
class SceneView:
    """The scene as a player sees it now."""

    id: str
    title: str
    text: str
    ending: str | None
    ending_title: str | None


@dataclass(frozen=True)
class ChoiceView:
    """An available choice: its id, text, 1-based number among those shown, and target."""

    id: str
    text: str
    number: int
    goto: str


@dataclass
class Outcome:
    """What one choice changed: variables (old, new) and newly unlocked codex entries."""

    changes: dict[str, tuple[Value, Value]] = field(default_factory=dict)
    unlocked: list[str] = field(default_factory=list)


class _Model:
    """The transitions model: the machine keeps the current scene id in ``state``."""

    state: str


class Game:
    """One game of a story. Every client changes the state only through this class."""

    def __init__(self, story: Story, *, record_undo: bool = True) -> None:
        self.story = story
        self.record_undo = record_undo
        self.notices: list[str] = []
        self.state = GameState.initial(story)
        self._undo: list[GameState] = []
        self._unlocks_by_scene = unlocks_by_scene(story)
        self._model = _Model()
        with gc_paused():
            self.machine: SceneMachine = build_machine(
                story, self._model, holds=self._holds, apply_choice=self._apply_choice, enter_scene=self._enter_scene
            )
        self._enter_scene(story.scenes[story.start])()

    # -- construction ---------------------------------------------------------------

    @classmethod
    def load(cls, story_dir: str | Path, **kwargs: Any) -> Game:
        """Load a story folder (raises StoryError listing every problem) and start a game."""
        return cls(read_story(story_dir), **kwargs)

    @classmethod
    def restore(cls, story: Story | str | Path, snapshot: Mapping[str, Any], **kwargs: Any) -> Game:
        """A game in the state of ``snapshot`` (from ``snapshot()``); raises SaveError."""
        if not isinstance(story, Story):
            story = read_story(story)
        game = cls(story, **kwargs)
        state, notices = GameState.from_snapshot(story, dict(snapshot))
        game._set_state(state)
        game.notices = notices
        return game

    def snapshot(self) -> dict[str, Any]:
        """The whole state as a JSON-ready dict; ``Game.restore`` takes it back."""
        return self.state.snapshot()

    def reset(self) -> None:
        """Start again from the story's start, forgetting undo history."""
        self._undo.clear()
        self._set_state(GameState.initial(self.story))
        self._enter_scene(self.story.scenes[self.story.start])()

    def _set_state(self, state: GameState) -> None:
        self.state = state
        self.machine.set_state(state.scene, model=self._model)

    # -- reading --------------------------------------------------------------------

    @property
    def current(self) -> Scene:
        return self.story.scenes[self.state.scene]

    @property
    def scene(self) -> SceneView:
        scene = self.current
        ending_title = self.story.ending_title(scene.ending) if scene.ending else None
        return SceneView(scene.id, scene.title, self.render(scene), scene.ending, ending_title)

    def render(self, scene: Scene) -> str:
        return render_text(scene, self.state.variables, self.state.visits)

    @property
    def choices(self) -> list[ChoiceView]:
        """The choices available now, numbered from 1 in story order."""
        return [ChoiceView(c.key, c.text, i, c.goto) for i, c in enumerate(self.available(), 1)]

    def available(self) -> list[Choice]:
        """The model choices available now (via the machine's triggers and their conditions)."""
        scene = self.current
        if scene.is_ending:
            return []
        variables, visits = self.state.variables, self.state.visits
        return [c for c in scene.choices if c.condition is None or c.condition(variables, visits)]

    @property
    def triggers(self) -> list[str]:
        """The machine's triggers from the current scene whose conditions hold now."""
        model = self._model
        return [t for t in self.machine.get_triggers(self.state.scene) if getattr(model, f"may_{t}")()]

    @property
    def is_over(self) -> bool:
        return self.current.is_ending

    @property
    def ending(self) -> str | None:
        return self.current.ending

    @property
    def variables(self) -> Mapping[str, Value]:
        return self.state.variables

    @property
    def visits(self) -> Mapping[str, int]:
        return self.state.visits

    @property
    def path(self) -> list[tuple[str, str]]:
        return self.state.path

    @property
    def codex(self) -> list[str]:
        """Ids of the codex entries unlocked so far, in the order found."""
        return self.state.codex

    def achievements(self) -> list[Achievement]:
        """The story's achievements whose conditions hold now (meaningful once the game is over)."""
        variables, visits = self.state.variables, self.state.visits
        return [a for a in self.story.achievements if a.condition is None or a.condition(variables, visits)]

    def status(self) -> list[tuple[str, str]]:
        """The manifest's sidebar entries shown now, as (label, formatted value)."""
        from .render import format_value

        out = []
        for item in self.story.status:
            if item.condition is None or item.condition(self.state.variables, self.state.visits):
                out.append((item.label, format_value(self.state.variables[item.var])))
        return out

    # -- acting ---------------------------------------------------------------------

    def find_choice(self, choice: str | int) -> Choice:
        """The available choice named by id, exact text, or 1-based number; ChoiceError if none."""
        if self.is_over:
            raise ChoiceError(f"the game is over (ending {self.ending!r}); there is nothing to choose")
        available = self.available()
        if isinstance(choice, int) and not isinstance(choice, bool):
            if 1 <= choice <= len(available):
                return available[choice - 1]
            raise ChoiceError(
                f"there is no choice number {choice}: {len(available)} available in scene {self.state.scene!r}"
            )
        text = str(choice).strip()
        for c in available:
            if c.key == text:
                return c
        for c in available:
            if c.text.strip() == text:
                return c
        if text.isdigit():
            return self.find_choice(int(text))
        hidden = [c for c in self.current.choices if text in (c.key, c.text.strip())]
        if hidden:
            raise ChoiceError(
                f"choice {text!r} is not available now (its condition '{hidden[0].condition}' does not hold)"
            )
        names = ", ".join(repr(c.key) for c in available)
        raise ChoiceError(f"scene {self.state.scene!r} has no choice {text!r}; available: {names}")

    def choose(self, choice: str | int) -> Outcome:
        """Take a choice (by id, exact text or number) through the state machine."""
        picked = self.find_choice(choice)
        before_vars = dict(self.state.variables)
        before_codex = len(self.state.codex)
        if self.record_undo:
            self._undo.append(self.state.copy())
        self.state.path.append((self.state.scene, picked.key))
        if not self._model.trigger(trigger_name(self.state.scene, picked.key)):
            raise ChoiceError(f"choice {picked.key!r} was refused by the machine")
        changes = {k: (v, self.state.variables[k]) for k, v in before_vars.items() if self.state.variables[k] != v}
        return Outcome(changes, self.state.codex[before_codex:])

    def step(self, choice: Choice) -> None:
        """Take an available model choice with no bookkeeping beyond the state (for explorers)."""
        self.state.path.append((self.state.scene, choice.key))
        self._model.trigger(trigger_name(self.state.scene, choice.key))

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def undo_depth(self) -> int:
        return len(self._undo)

    def undo(self, steps: int = 1) -> int:
        """Step back ``steps`` choices (as far as the start); return how many were undone."""
        done = 0
        while done < steps and self._undo:
            self._set_state(self._undo.pop())
            done += 1
        return done

    # -- machine callbacks ------------------------------------------------------------

    def _holds(self, choice: Choice) -> Callable[[], bool]:
        condition = choice.condition
        assert condition is not None
        return lambda: condition(self.state.variables, self.state.visits)

    def _apply_choice(self, choice: Choice) -> Callable[[], None]:
        appliers = compile_effects(choice.effects)

        def apply() -> None:
            state = self.state
            for effect in appliers:
                effect(state.variables, state.codex)

        return apply

    def _enter_scene(self, scene: Scene) -> Callable[[], None]:
        sid, entry = scene.id, compile_entry(scene.id, scene.on_enter, self._unlocks_by_scene.get(scene.id, ()))

        def enter() -> None:
            state = self.state
            state.scene = sid
            entry(state.variables, state.visits, state.codex)

        return enter
