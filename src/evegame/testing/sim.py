"""A compiled, machine-free copy of the game rules for explorers.

The ``Game`` goes through the ``transitions`` machine on every choice, which
costs tens of microseconds; explorers take millions of steps. ``Table`` holds
the same rules as flat tuples: conditions, targets, and the engine's own compiled
effects and scene entries (``engine.effects.compile_effects``/``compile_entry``),
so a step here applies exactly what ``Game`` applies, without the machine.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ..engine.conditions import Condition
from ..engine.effects import Applier, Entry, changes_variable, compile_effects, compile_entry
from ..engine.flow import targets
from ..engine.model import Choice, Effect, Story


@dataclass(frozen=True, slots=True)
class Move:
    """A compiled choice: its scene, key, global number, condition, effects and target index.

    ``effects`` are those that change variables (what the abstraction reads); ``apply``
    is every effect of the choice, compiled by the engine.
    """

    scene: int
    key: str
    number: int
    condition: Condition | None
    effects: tuple[Effect, ...]
    goto: int
    apply: tuple[Applier, ...]
    choice: Choice | None = None  # the story's choice (its v2 flow: branches, call, return, once, requires)


class Table:
    """The story's scenes and choices as indexed tuples."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.ids: list[str] = list(story.scenes)
        self.index = {sid: i for i, sid in enumerate(self.ids)}
        self.start = self.index[story.start]
        self.endings: list[str | None] = [story.scenes[s].ending for s in self.ids]
        self.on_enter: list[tuple[Effect, ...]] = [_effects(story.scenes[s].on_enter) for s in self.ids]
        # Scene entry as the engine does it, minus what no condition reads (the codex, and the
        # visit counts of scenes no seen()/visits() names); None where nothing is left to do.
        tracked = tracked_visits(story)
        self.entries: list[Entry | None] = [
            compile_entry(s, _effects(story.scenes[s].on_enter), (), count=s in tracked)
            if s in tracked or self.on_enter[i]
            else None
            for i, s in enumerate(self.ids)
        ]
        self.moves: list[tuple[Move, ...]] = []
        self.choice_ids: list[tuple[str, str]] = []  # global number -> (scene id, choice key)
        for i, sid in enumerate(self.ids):
            scene = story.scenes[sid]
            moves = []
            for choice in scene.choices:
                number = len(self.choice_ids)
                self.choice_ids.append((sid, choice.key))
                moves.append(
                    Move(
                        i,
                        choice.key,
                        number,
                        choice.condition,
                        _effects(choice.effects),
                        self.index[next(iter(targets(choice)), story.start)],
                        compile_effects(_effects(choice.effects)),
                        choice,
                    )
                )
            self.moves.append(tuple(() if scene.ending is not None else moves))
        self.ending_names = sorted(story.endings)
        # where a ``return`` can lead: the goto of every choice that calls, in story order
        self.return_points: tuple[int, ...] = tuple(
            dict.fromkeys(self.index[c.goto] for sid in self.ids for c in story.scenes[sid].choices if c.call)
        )
        self.goto_of = [0] * len(self.choice_ids)
        for compiled in self.moves:
            for m in compiled:
                self.goto_of[m.number] = m.goto

    def targets(self, move: Move) -> tuple[int, ...]:
        """Every scene a choice can lead to: its goto, each branch, the scene it calls; a return, every
        return point (which one is taken is the call stack's)."""
        c = move.choice
        if c is None:
            return (move.goto,)
        if c.returns:
            return self.return_points
        return tuple(self.index[t] for t in targets(c))

    def initial_variables(self) -> dict[str, Any]:
        return copy.deepcopy(self.story.variables)

    def choice_conditions(self) -> list[Condition]:
        return [m.condition for moves in self.moves for m in moves if m.condition is not None]


def leads_to(story: Story, choice: Choice) -> tuple[str, ...]:
    """Every scene a choice can lead to: its goto, each branch, the scene it calls; a return, every
    scene a call returns to."""
    if choice.returns:
        return tuple(dict.fromkeys(o.goto for s in story.scenes.values() for o in s.choices if o.call))
    return targets(choice)


def _effects(effects: tuple[Effect, ...]) -> tuple[Effect, ...]:
    return tuple(e for e in effects if changes_variable(e))


def tracked_visits(story: Story) -> set[str]:
    """Scenes whose visits a condition reads (seen()/visits()): of a choice, a paragraph or an achievement."""
    conditions = [c.condition for scene in story.scenes.values() for c in scene.choices]
    conditions += [p.condition for scene in story.scenes.values() for p in scene.paragraphs]
    conditions += [a.condition for a in story.achievements]
    return {s for c in conditions if c is not None for s in c.scenes}
