"""The story as a ``transitions`` state machine: one state per scene, one trigger per choice.

Choice conditions are transition conditions, choice effects are ``before``
callbacks, and scene ``on_enter`` effects are state ``on_enter`` callbacks.
Built with ``auto_transitions=False`` (auto transitions make the build quadratic).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from transitions import Machine, State

from .flow import targets
from .model import Choice, Scene, Story


def trigger_name(scene_id: str, choice_key: str, dest: str | None = None) -> str:
    """The trigger of one choice (``dest``: of one of its destinations, when it has several);
    scene ids cannot contain ':' or '>', so names never clash."""
    return f"{scene_id}:{choice_key}" if dest is None else f"{scene_id}:{choice_key}>{dest}"


def destinations(choice: Choice, return_points: tuple[str, ...]) -> tuple[str, ...] | None:
    """The destinations of a choice with several (one trigger each), or None for one (one trigger)."""
    if choice.returns:
        return return_points
    found = targets(choice)
    return found if len(found) > 1 or choice.branches else None


class SceneMachine(Machine):
    """A Machine that indexes triggers by source state.

    ``Machine.get_triggers`` scans every event of the machine (O(choices in the
    story)); stories have thousands, so this subclass keeps the same answer in an
    index filled by ``add_transition``. ``may_<trigger>`` uses it too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._by_source: dict[str, list[str]] = defaultdict(list)
        super().__init__(*args, **kwargs)

    def add_transition(self, trigger: str, source: Any, dest: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().add_transition(trigger, source, dest, **kwargs)
        sources = source if isinstance(source, list) else [source]
        for src in sources:
            name = src.name if hasattr(src, "name") else src
            if trigger not in self._by_source[name]:
                self._by_source[name].append(trigger)

    def get_triggers(self, *args: Any) -> list[str]:
        names = [state.name if hasattr(state, "name") else state for state in args]
        if len(names) == 1:
            return list(self._by_source.get(names[0], ()))
        out: list[str] = []
        for name in names:
            out.extend(t for t in self._by_source.get(name, ()) if t not in out)
        return out


def build_machine(
    story: Story,
    model: Any,
    *,
    holds: Callable[[Choice], Callable[[], bool]],
    apply_choice: Callable[[Choice], Callable[[], None]],
    enter_scene: Callable[[Scene], Callable[[], None]],
) -> SceneMachine:
    """Build the machine for ``story`` over ``model``.

    The three factories turn a choice or scene into the zero-argument callables
    transitions calls: a condition, a ``before`` callback, an ``on_enter`` callback.
    """
    states = [State(scene.id, on_enter=[enter_scene(scene)]) for scene in story.scenes.values()]
    machine = SceneMachine(
        model=model,
        states=states,
        initial=story.start,
        auto_transitions=False,
        send_event=False,
        ignore_invalid_triggers=False,
        model_override=False,
    )
    return_points = tuple(dict.fromkeys(c.goto for s in story.scenes.values() for c in s.choices if c.call))
    for scene in story.scenes.values():
        for choice in scene.choices:
            guarded = choice.condition is not None or choice.requires is not None or choice.once
            conditions = [holds(choice)] if guarded else None
            before = [apply_choice(choice)] if choice.effects else None
            several = destinations(choice, return_points)
            if several is None:
                machine.add_transition(
                    trigger_name(scene.id, choice.key),
                    scene.id,
                    targets(choice)[0],
                    conditions=conditions,
                    before=before,
                )
                continue
            for dest in several:
                machine.add_transition(
                    trigger_name(scene.id, choice.key, dest), scene.id, dest, conditions=conditions, before=before
                )
    return machine
