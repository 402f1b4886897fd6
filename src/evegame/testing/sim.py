"""A compiled, machine-free copy of the game rules for explorers.

The ``Game`` goes through the ``transitions`` machine on every choice, which
costs tens of microseconds; explorers take millions of steps. ``Table`` holds
the same rules as flat tuples (conditions, effects, targets, scene entry), and
``apply`` is ``GameState.apply`` on a bare variables dict. Tests check that a
walk through ``Table`` and through ``Game`` end in identical states.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ..engine.conditions import Call, Condition, Node
from ..engine.model import Effect, Story


def apply(variables: dict[str, Any], op: str, var: str, value: Any) -> None:
    """``GameState.apply`` for the variables (codex unlocks are left to the caller)."""
    if op == "add":
        variables[var] += value
    elif op == "set":
        variables[var] = list(value) if isinstance(value, list) else value
    elif op == "give":
        items = variables[var]
        if value not in items:
            variables[var] = [*items, value]
    elif op == "take":
        items = variables[var]
        if value in items:
            variables[var] = [i for i in items if i != value]


@dataclass(frozen=True, slots=True)
class Move:
    """A compiled choice: its scene, key, global number, condition, effects and target index."""

    scene: int
    key: str
    number: int
    condition: Condition | None
    effects: tuple[tuple[str, str, Any], ...]
    goto: int


class Table:
    """The story's scenes and choices as indexed tuples."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.ids: list[str] = list(story.scenes)
        self.index = {sid: i for i, sid in enumerate(self.ids)}
        self.start = self.index[story.start]
        self.endings: list[str | None] = [story.scenes[s].ending for s in self.ids]
        self.on_enter: list[tuple[tuple[str, str, Any], ...]] = [_effects(story.scenes[s].on_enter) for s in self.ids]
        self.moves: list[tuple[Move, ...]] = []
        self.choice_ids: list[tuple[str, str]] = []  # global number -> (scene id, choice key)
        for i, sid in enumerate(self.ids):
            scene = story.scenes[sid]
            moves = []
            for choice in scene.choices:
                number = len(self.choice_ids)
                self.choice_ids.append((sid, choice.key))
                moves.append(
                    Move(i, choice.key, number, choice.condition, _effects(choice.effects), self.index[choice.goto])
                )
            self.moves.append(tuple(() if scene.ending is not None else moves))
        self.ending_names = sorted(story.endings)
        self.goto_of = [0] * len(self.choice_ids)
        for moves in self.moves:
            for m in moves:
                self.goto_of[m.number] = m.goto

    def initial_variables(self) -> dict[str, Any]:
        return copy.deepcopy(self.story.variables)

    def choice_conditions(self) -> list[Condition]:
        return [m.condition for moves in self.moves for m in moves if m.condition is not None]

    def tracked_visits(self) -> set[str]:
        """The scenes whose visit counts some choice condition reads (seen()/visits())."""
        return {s for c in self.choice_conditions() for s in c.scenes}


def _effects(effects: tuple[Effect, ...]) -> tuple[tuple[str, str, Any], ...]:
    return tuple((e.op, e.var, e.value) for e in effects if e.op != "unlock")


def calls(node: Node) -> list[Call]:
    """Every ``seen()``/``visits()`` call in a condition's syntax tree."""
    found: list[Call] = []
    stack: list[Any] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Call):
            found.append(n)
        elif isinstance(n, Node):
            stack.extend(v for v in vars(n).values() if isinstance(v, Node))
    return found
