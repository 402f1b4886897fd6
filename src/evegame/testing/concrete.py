"""Explorers for stories whose choices use v2 flow (goto branches, call/return, once, requires).

The threshold abstraction (``abstraction``) follows a number through ``add``s along fixed
edges; a choice whose destination is decided on the values its effects leave, a call
stack or the set of choices taken once are outside what it models. For such stories
both explorers use these concrete rules instead: a state is the scene, every variable,
the visit counts that some condition reads, the call stack and the choices taken once.
Effects, scene entry and destinations are the engine's own (``effects``, ``flow``).

Exhaustive exploration follows every chance branch (a chance choice has one successor
per branch) and keeps the call stack in the state; a return with no call open, or a
call beyond the limit, is an error state. Random exploration draws chances from the
game's seeded generator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ..engine.effects import Applier, Entry, compile_effects, compile_entry
from ..engine.flow import FlowError, destination, is_chance
from ..engine.model import Choice, Clamp, Story
from ..engine.render import count_words
from .sim import Table
from .status import DEAD, ENDING, ERROR, EXPANDED
from .textcov import Catalogue

State = tuple[
    int, tuple[Any, ...], tuple[int, ...], tuple[str, ...], frozenset[int]
]  # scene, values, counts, stack, taken


def uses_flow(story: Story) -> bool:
    """Whether the story uses a construct the threshold abstraction does not model: a choice with
    goto branches, call/return, once or requires; a bounded number; a ``set`` with an expression."""
    if story.bounds:
        return True
    for scene in story.scenes.values():
        if any(isinstance(e.value, Clamp) for e in scene.on_enter):
            return True
        for c in scene.choices:
            if c.branches or c.call is not None or c.returns or c.once or c.requires is not None:
                return True
            if any(isinstance(e.value, Clamp) for e in c.effects):
                return True
    return False


@dataclass(frozen=True)
class _Move:
    choice: Choice
    number: int
    apply: tuple[Applier, ...]
    tests: tuple[Callable[[Any, Any], bool], ...]  # the choice's if and requires


class FlowRules:
    """The concrete rules of a story, on hashable states.

    ``visits``: scenes whose visit counts are kept beside those choices read (text conditions').
    """

    def __init__(self, story: Story, visits: Iterable[str] = (), table: Table | None = None) -> None:
        """``table``: the story's compiled ``Table`` when the caller has one already."""
        self.story = story
        self.table = table if table is not None else Table(story)
        table = self.table
        self.variables = tuple(story.variables)
        self.tracked = tuple(sorted(_tracked(story) | set(visits)))
        self.counter = {s: i for i, s in enumerate(self.tracked)}
        # Packing and unpacking run on every step: done by C (itemgetter, zip), lists (a list
        # variable keeps its type) turned into tuples and back by position.
        self._lists = tuple(i for i, v in enumerate(story.variables.values()) if isinstance(v, list))
        self._values = _getter(self.variables)
        # The rules (choice conditions, requires, goto branches) read a few visit counts; the text
        # many more. Stepping unpacks only the rules' ones; counts go up by position on entry.
        self._rule_scenes = tuple(sorted(_tracked(story)))
        self._rule_counts = _getter(tuple(self.counter[s] for s in self._rule_scenes))
        self._count_at = [self.counter.get(sid, -1) for sid in table.ids]
        self._read: tuple[State, dict[str, Any], dict[str, int]] | None = None
        self.entries: list[Entry] = [
            compile_entry(sid, story.scenes[sid].on_enter, (), count=False) for sid in table.ids
        ]
        self.moves: list[tuple[_Move, ...]] = []
        number = 0
        for sid in table.ids:
            scene = story.scenes[sid]
            out = []
            for choice in scene.choices:
                tests = tuple(c.__call__ for c in (choice.condition, choice.requires) if c is not None)
                out.append(_Move(choice, number, compile_effects(choice.effects), tests))
                number += 1
            self.moves.append(tuple(out) if scene.ending is None else ())

    def initial(self) -> State:
        zero = (0,) * len(self.tracked)
        return self._enter(self.table.start, dict(self.table.initial_variables()), zero, (), frozenset())

    def _enter(
        self,
        scene: int,
        variables: dict[str, Any],
        counts: tuple[int, ...],
        stack: tuple[str, ...],
        taken: frozenset[int],
    ) -> State:
        """The state on entering ``scene``: its on_enter effects applied to ``variables`` (in place),
        its visit counted when one is kept (``counts``: those before)."""
        self.entries[scene](variables, {}, [])
        values = self._values(variables)
        if self._lists:
            held = list(values)
            for i in self._lists:
                held[i] = tuple(held[i])
            values = tuple(held)
        at = self._count_at[scene]
        if at >= 0:
            counts = (*counts[:at], counts[at] + 1, *counts[at + 1 :])
        return (scene, values, counts, stack, taken)

    def unpack(self, state: State, *, text: bool = True) -> tuple[dict[str, Any], dict[str, int]]:
        """The variables and visit counts of ``state`` as the conditions read them; without ``text``,
        only the counts the rules read (not those kept for text conditions)."""
        _, values, counts, _, _ = state
        variables = dict(zip(self.variables, values, strict=True))
        for i in self._lists:
            name = self.variables[i]
            variables[name] = list(variables[name])
        if text:
            return variables, dict(zip(self.tracked, counts, strict=True))
        return variables, dict(zip(self._rule_scenes, self._rule_counts(counts), strict=True))

    def available(self, state: State) -> list[_Move]:
        variables, visits = self.unpack(state, text=False)
        self._read = (state, variables, visits)  # a walker takes a choice from the state it just read
        taken = state[4]
        return [
            m
            for m in self.moves[state[0]]
            if all(t(variables, visits) for t in m.tests) and not (m.choice.once and m.number in taken)
        ]

    def take(self, state: State, move: _Move, draws: list[int] | None) -> list[State]:
        """The states a choice leads to: one per chance branch when ``draws`` is None, else by the draw given."""
        read, self._read = self._read, None
        if read is not None and read[0] is state:  # unpacked by ``available`` just now, and only read there
            variables, visits = read[1], read[2]
        else:
            variables, visits = self.unpack(state, text=False)
        for apply in move.apply:
            apply(variables, [])
        taken = state[4] | {move.number} if move.choice.once else state[4]
        rolls: list[int | None] = [None]
        if is_chance(move.choice):
            rolls = list(draws if draws is not None else _branch_draws(move.choice))
        out = []
        for draw in rolls:
            stack = list(state[3])
            rng = 0
            if draw is not None:
                dest = _chance_branch(move.choice, draw)
            else:
                dest, rng = destination(move.choice, variables, visits, stack, rng)
            if len(rolls) == 1:  # the only branch: entering may change the variables in place
                vs = variables
            else:
                vs = {k: (list(v) if isinstance(v, list) else v) for k, v in variables.items()}
            out.append(self._enter(self.table.index[dest], vs, state[2], tuple(stack), taken))
        return out


def _getter(keys: tuple[Any, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The items at ``keys`` (names of a mapping, or indexes of a tuple) as a tuple, in C
    (``itemgetter`` returns a bare item for one key)."""
    if not keys:
        return lambda _held: ()
    if len(keys) == 1:
        key = keys[0]
        return lambda held: (held[key],)
    return itemgetter(*keys)


def _branch_draws(choice: Choice) -> list[int]:
    """One roll that falls in each chance branch (its lowest)."""
    out, below = [], 0
    for branch in choice.branches:
        out.append(below)
        below += branch.chance or 0
    return out


def _chance_branch(choice: Choice, draw: int) -> str:
    from ..engine.flow import chance_target

    return chance_target(choice, draw)


def _tracked(story: Story) -> set[str]:
    out: set[str] = set()
    for scene in story.scenes.values():
        for c in scene.choices:
            for cond in (c.condition, c.requires, *(b.condition for b in c.branches)):
                if cond is not None:
                    out |= cond.scenes
    return out


class _Codec:
    dynamic = True
    width = 8


class _Kept:
    """What the state keeps, for reports."""

    def describe(self) -> dict[str, str]:
        return {"every variable, the call stack and choices taken once": "whole"}


class TextViews:
    """The text items shown on entering each scene, memoized per scene by the values their conditions read."""

    def __init__(self, rules: FlowRules, catalogue: Catalogue) -> None:
        story = rules.story
        self.probes = catalogue.probes()
        self.item_words = [item.words for item in catalogue.items]
        self.base_words = [
            sum(count_words(p.text) for p in story.scenes[sid].paragraphs if p.condition is None)
            for sid in rules.table.ids
        ]
        # per scene: (variable slots, counter slots) its text conditions read
        var_at = {n: i for i, n in enumerate(rules.variables)}
        count_at = {n: i for i, n in enumerate(rules.tracked)}
        self.reads: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        for keys in catalogue.by_scene:
            conds = [c for k in keys for c, _ in catalogue.items[k].literals]
            names = sorted({v for c in conds for v in c.variables})
            scenes = sorted({s for c in conds for s in c.scenes})
            self.reads.append((tuple(var_at[v] for v in names), tuple(count_at[s] for s in scenes)))
        self.rules = rules
        self.memo: list[dict[tuple[Any, ...], list[Any]]] = [{} for _ in rules.table.ids]

    def view(self, state: State) -> list[Any]:
        """[times entered, the conditional items shown, the words read] on entering ``state``'s scene
        (the tally counted here; ``text_hits`` sums it per item)."""
        scene, values, counts = state[0], state[1], state[2]
        var_slots, count_slots = self.reads[scene]
        key = (*(values[i] for i in var_slots), *(counts[i] for i in count_slots))
        found = self.memo[scene].get(key)
        if found is None:
            variables, visits = self.rules.unpack(state)
            shown = tuple(k for ev, t, f in self.probes[scene] for k in (t if ev(variables, visits) else f))
            words = self.base_words[scene] + sum(self.item_words[k] for k in shown)
            found = self.memo[scene][key] = [0, shown, words]
        found[0] += 1
        return found

    def text_hits(self, items: int) -> list[int]:
        """Times each conditional item was shown, from the views' tallies."""
        hits = [0] * items
        for views in self.memo:
            for times, shown, _words in views.values():
                for k in shown:
                    hits[k] += times
        return hits


class ConcreteExpander:
    """``expander.Expander``'s interface over concrete states (interned as ints: index, then scene)."""

    def __init__(self, story: Story, visits: Iterable[str] = ()) -> None:
        self.rules = FlowRules(story, visits)
        self.table = self.rules.table
        self.analysis = _Kept()
        self.codec = _Codec()
        self.scene_bits = max(1, (len(self.table.ids) - 1).bit_length())
        self.scene_mask = (1 << self.scene_bits) - 1
        self.states: list[State] = []
        self.keys: dict[State, int] = {}

    def _key(self, state: State) -> int:
        index = self.keys.get(state)
        if index is None:
            index = self.keys[state] = len(self.states)
            self.states.append(state)
        return (index << self.scene_bits) | state[0]

    def initial(self) -> int:
        return self._key(self.rules.initial())

    def scene(self, key: int) -> int:
        return key & self.scene_mask

    def expand(self, key: int) -> tuple[int, Any]:
        state = self.states[key >> self.scene_bits]
        ending = self.table.endings[state[0]]
        if ending is not None:
            return (ENDING, ending)
        out = []
        try:
            for move in self.rules.available(state):
                for nxt in self.rules.take(state, move, None):
                    out.append((move.number, self._key(nxt)))
        except FlowError as exc:
            return (ERROR, str(exc))
        except Exception as exc:  # a rule the checker passed but play cannot follow
            return (ERROR, f"{type(exc).__name__}: {exc}")
        return (EXPANDED, out) if out else (DEAD, None)
