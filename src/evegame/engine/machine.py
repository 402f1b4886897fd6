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

from .model import Choice, Scene, Story


def trigger_name(scene_id: str, choice_key: str) -> str:
    """The trigger of one choice; scene ids cannot contain ':', so names never clash."""
    return f"{scene_id}:{choice_key}"


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
    for scene in story.scenes.values():
        for choice in scene.choices:
            machine.add_transition(
                trigger_name(scene.id, choice.key),
                scene.id,
                choice.goto,
                conditions=[holds(choice)] if choice.condition is not None else None,
                before=[apply_choice(choice)] if choice.effects else None,
            )
    return machine
