"""Game: the public API that the TUI, the CLI and the test tools share."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from .effects import compile_effects, compile_entry, unlocks_by_scene
from .errors import ChoiceError, SaveError
from .flow import FlowError, destination, targets
from .loader import read_story
from .machine import SceneMachine, build_machine, destinations, trigger_name
from .model import Achievement, Choice, Scene, Story, Value
from .render import interpolate, render_text
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
    """A choice shown now: its id, text, 1-based number among those shown, and target.

    ``locked`` is the reason it cannot be taken now (its ``requires`` fails), or None.
    """

    id: str
    text: str
    number: int
    goto: str
    locked: str | None = None


@dataclass
class Outcome:
    """What one choice changed: variables (old, new) and newly unlocked codex entries."""

    changes: dict[str, tuple[Value, Value]] = field(default_factory=dict)
    unlocked: list[str] = field(default_factory=list)


@dataclass
class _UndoStep:
    """What one choice changed, to take it back: O(what changed), not O(the whole state).

    The path and the codex only grow during a choice, so their old lengths are enough.
    """

    scene: str
    path_len: int
    codex_len: int
    variables: dict[str, Value]  # old values of the variables that changed
    visits: dict[str, int | None]  # old count of the scenes it could enter (None: not visited before)
    stack: list[str]  # the call stack before
    taken_len: int  # choices taken once, before
    rng: int  # the random generator before


class _Model:
    """The transitions model: the machine keeps the current scene id in ``state``."""

    state: str
    trigger: Callable[[str], bool]  # added by the machine


class Game:
    """One game of a story. Every client changes the state only through this class."""

    def __init__(
        self, story: Story, *, record_undo: bool = True, game_id: str | None = None, seed: int | None = None
    ) -> None:
        self.story = story
        self.record_undo = record_undo
        self.game_id = game_id or os.urandom(16).hex()  # one game's identity across saves (autosaves follow it)
        self.notices: list[str] = []
        self.state = GameState.initial(story, random.getrandbits(64) if seed is None else seed)
        self._undo: list[_UndoStep] = []
        self._replay_callbacks: dict[tuple[str, str, str | None], list[Callable[[], None]]] = {}
        self._unlocks_by_scene = unlocks_by_scene(story)
        self._model = _Model()
        self._return_points = tuple(dict.fromkeys(c.goto for s in story.scenes.values() for c in s.choices if c.call))
        self.machine: SceneMachine = build_machine(
            story, self._model, holds=self._holds, apply_choice=self._apply_choice, enter_scene=self._enter_scene
        )
        self._enter_scene(story.scenes[story.start])()

    # -- construction ---------------------------------------------------------------

    @classmethod
    def load(cls, story_dir: str | Path, *, cache_dir: str | Path | None = None, **kwargs: Any) -> Game:
        """Load a story folder (raises StoryError listing every problem) and start a game.

        Nothing is cached unless ``cache_dir`` is given (see ``load_story``).
        """
        return cls(read_story(story_dir, cache_dir=cache_dir), **kwargs)

    @classmethod
    def restore(
        cls, story: Story | str | Path, snapshot: Mapping[str, Any], *, replay: bool = False, **kwargs: Any
    ) -> Game:
        """A game in the state of ``snapshot`` (from ``snapshot()``); raises SaveError.

        With ``replay`` the saved path is played again through ``choose`` from the start, so
        undo reaches back to the start; when the replay does not reproduce the snapshot (the
        story changed) the game is the snapshot's state with no undo history. Time and memory
        are linear in the path's length.
        """
        if not isinstance(story, Story):
            story = read_story(story)
        if not isinstance(snapshot, Mapping):
            raise SaveError("the saved state is not a mapping")
        state, notices = GameState.from_snapshot(story, dict(snapshot))
        game = cls(story, **{"seed": state.seed, **kwargs})  # the same seed: a replay draws the same chances
        if replay and game.record_undo and game._replay(state.path) and game.state == state:
            game.notices = notices
            return game
        game._undo.clear()
        game._set_state(state)
        game.notices = notices
        return game

    def _replay(self, path: list[tuple[str, str]]) -> bool:
        """Take the choices of ``path`` from the current state; False at the first one that does not apply."""
        for scene, key in path:
            if self.state.scene != scene:
                return False
            picked = next((c for c in self.available() if c.key == key), None)
            if picked is None:
                return False
            self._take(picked, self._run_callbacks)
        self._set_state(self.state)
        return True

    def snapshot(self) -> dict[str, Any]:
        """The whole state as a JSON-ready dict; ``Game.restore`` takes it back."""
        return self.state.snapshot()

    def reset(self) -> None:
        """Start again from the story's start, forgetting undo history."""
        self._undo.clear()
        self.game_id = os.urandom(16).hex()
        self._set_state(GameState.initial(self.story, random.getrandbits(64)))
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
        ending_title = self.text(self.story.ending_title(scene.ending)) if scene.ending else None
        return SceneView(scene.id, self.text(scene.title), self.render(scene), scene.ending, ending_title)

    def render(self, scene: Scene) -> str:
        return render_text(scene, self.state.variables, self.state.visits, self.story.labels)

    def text(self, text: str) -> str:
        """A story text (title, choice, codex entry, label ...) as the player reads it now."""
        return interpolate(text, self.state.variables, self.state.visits, self.story.labels)

    @property
    def choices(self) -> list[ChoiceView]:
        """The choices shown now, numbered from 1 in story order; locked ones carry their reason."""
        return [
            ChoiceView(c.key, self.text(c.text), i, c.goto, self.locked_reason(c))
            for i, c in enumerate(self.shown(), 1)
        ]

    def shown(self) -> list[Choice]:
        """The choices shown now: their ``if`` holds and, if ``once``, they were not taken yet."""
        scene = self.current
        if scene.is_ending:
            return []
        variables, visits, taken = self.state.variables, self.state.visits, self.state.taken
        return [
            c
            for c in scene.choices
            if (c.condition is None or c.condition(variables, visits))
            and not (c.once and f"{scene.id}:{c.key}" in taken)
        ]

    def locked_reason(self, choice: Choice) -> str | None:
        """Why a shown choice cannot be taken now (its ``requires`` fails), or None when it can."""
        if choice.requires is None or choice.requires(self.state.variables, self.state.visits):
            return None
        return self.text(choice.locked) if choice.locked else f"needs {choice.requires.source}"

    def available(self) -> list[Choice]:
        """The choices that can be taken now: shown, and not locked; evaluated directly on the state
        (the same conditions the machine's transitions check; ``triggers`` asks the machine itself, and a
        test keeps the two in step). Direct, because replaying a saved path moves the state ahead of
        the machine until the end."""
        return [c for c in self.shown() if self.locked_reason(c) is None]

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
        return [
            replace(a, title=self.text(a.title), description=self.text(a.description))
            for a in self.story.achievements
            if a.condition is None or a.condition(variables, visits)
        ]

    def status(self) -> list[tuple[str, str]]:
        """The manifest's sidebar entries shown now, as (label, formatted value)."""
        from .render import format_value

        out = []
        for item in self.story.status:
            if item.condition is None or item.condition(self.state.variables, self.state.visits):
                out.append((self.text(item.label), format_value(self.state.variables[item.var], self.story.labels)))
        return out

    # -- acting ---------------------------------------------------------------------

    def find_choice(self, choice: str | int) -> Choice:
        """The available choice named by id, exact text, or 1-based number; ChoiceError if none."""
        if self.is_over:
            raise ChoiceError(f"the game is over (ending {self.ending!r}); there is nothing to choose")
        available = self.shown()
        if isinstance(choice, int) and not isinstance(choice, bool):
            if 1 <= choice <= len(available):
                return self._unlocked(available[choice - 1])
            raise ChoiceError(
                f"there is no choice number {choice}: {len(available)} available in scene {self.state.scene!r}"
            )
        text = str(choice).strip()
        for c in available:
            if c.key == text:
                return self._unlocked(c)
        for c in available:
            if c.text.strip() == text or self.text(c.text).strip() == text:
                return self._unlocked(c)
        if text.isdigit():
            return self.find_choice(int(text))
        hidden = [c for c in self.current.choices if text in (c.key, c.text.strip())]
        if hidden:
            raise ChoiceError(
                f"choice {text!r} is not available now (its condition '{hidden[0].condition}' does not hold)"
            )
        names = ", ".join(repr(c.key) for c in available)
        raise ChoiceError(f"scene {self.state.scene!r} has no choice {text!r}; available: {names}")

    def _unlocked(self, choice: Choice) -> Choice:
        reason = self.locked_reason(choice)
        if reason is not None:
            raise ChoiceError(f"choice {choice.key!r} is locked: {reason}")
        return choice

    def choose(self, choice: str | int) -> Outcome:
        """Take a choice (by id, exact text or number) through the state machine."""
        return self._take(self.find_choice(choice), self._fire)

    def _take(self, picked: Choice, move: Callable[[Choice, str | None], None]) -> Outcome:
        """Take ``picked`` with ``move``, noting what changed and (with ``record_undo``) how to undo it.

        Raises ChoiceError (the state unchanged) when play cannot follow the choice (``flow.FlowError``).
        """
        state = self.state
        before_vars = dict(state.variables)
        before_scene, before_path, before_codex = state.scene, len(state.path), len(state.codex)
        before_stack, before_taken, before_rng = list(state.stack), len(state.taken), state.rng
        entered = (state.stack[-1],) if picked.returns and state.stack else targets(picked)
        before_visits = {sid: state.visits.get(sid) for sid in entered}  # only entering a scene counts a visit
        try:
            dest = self._route(picked)
        except FlowError as exc:
            raise ChoiceError(str(exc)) from None
        state.path.append((before_scene, picked.key))
        move(picked, dest)  # the machine's may_* still sees a once choice as not yet taken
        if picked.once:
            state.taken.append(f"{before_scene}:{picked.key}")
        changes = {k: (v, state.variables[k]) for k, v in before_vars.items() if state.variables[k] != v}
        if self.record_undo:
            old = {k: (list(v) if isinstance(v, list) else v) for k, (v, _) in changes.items()}
            self._undo.append(
                _UndoStep(
                    before_scene, before_path, before_codex, old, before_visits, before_stack, before_taken, before_rng
                )
            )
        return Outcome(changes, state.codex[before_codex:])

    def _route(self, choice: Choice) -> str | None:
        """Decide where ``choice`` leads (on the values its effects leave: ``flow.destination``); the
        destination when the choice has several (one trigger each), else None."""
        state = self.state
        dest = None
        if choice.branches or choice.returns or choice.call is not None:
            after = {k: (list(v) if isinstance(v, list) else v) for k, v in state.variables.items()}
            for apply in compile_effects(choice.effects):
                apply(after, list(state.codex))
            dest, state.rng = destination(choice, after, state.visits, state.stack, state.rng)
            if destinations(choice, self._return_points) is None:
                dest = None
        return dest

    def _fire(self, picked: Choice, dest: str | None) -> None:
        if not self._model.trigger(trigger_name(self.state.scene, picked.key, dest)):
            raise ChoiceError(f"choice {picked.key!r} was refused by the machine")

    def _run_callbacks(self, picked: Choice, dest: str | None) -> None:
        """What the machine's transition for ``picked`` runs (its ``before`` and the target's ``on_enter``
        callbacks, the very same objects), without the machine's dispatch: for replaying long paths."""
        for callback in self._callbacks(picked, dest):
            callback()

    def _callbacks(self, picked: Choice, dest: str | None) -> list[Callable[[], None]]:
        key = (self.state.scene, picked.key, dest)
        found = self._replay_callbacks.get(key)
        if found is None:
            event = self.machine.events[trigger_name(self.state.scene, picked.key, dest)]
            transition = event.transitions[self.state.scene][0]
            # our machine's callbacks are all callables (build_machine), never names of model methods
            found = cast(
                "list[Callable[[], None]]", [*transition.before, *self.machine.get_state(str(transition.dest)).on_enter]
            )
            self._replay_callbacks[key] = found
        return found

    def step(self, choice: Choice) -> None:
        """Take an available model choice with no undo record (for explorers); raises ChoiceError."""
        record, self.record_undo = self.record_undo, False
        try:
            self._take(choice, self._fire)
        finally:
            self.record_undo = record

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
            step = self._undo.pop()
            state = self.state
            state.variables.update(step.variables)
            for sid, count in step.visits.items():
                if count is None:
                    state.visits.pop(sid, None)
                else:
                    state.visits[sid] = count
            del state.path[step.path_len :]
            del state.codex[step.codex_len :]
            del state.taken[step.taken_len :]
            state.stack[:] = step.stack
            state.rng = step.rng
            state.scene = step.scene
            self._set_state(state)
            done += 1
        return done

    # -- machine callbacks ------------------------------------------------------------

    def _holds(self, choice: Choice) -> Callable[[], bool]:
        """The machine's may_* for a choice: its ``if`` and ``requires`` hold and, if ``once``, it
        was not taken yet (the trigger's source is the current scene)."""
        tests = [c for c in (choice.condition, choice.requires) if c is not None]
        if choice.once:
            key = choice.key
            return lambda: (
                f"{self.state.scene}:{key}" not in self.state.taken
                and all(c(self.state.variables, self.state.visits) for c in tests)
            )
        return lambda: all(c(self.state.variables, self.state.visits) for c in tests)

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
