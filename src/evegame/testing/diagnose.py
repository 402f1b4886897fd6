"""Why a game is stuck: the state found at a dead end or soft-lock, and each closed choice's
condition with the parts of it that are false and the values they read.

Replays use the explorers' compiled rules (``sim.Table``: the engine's own effects and
scene entry, no machine), so diagnosing costs little beside the search that found the
problem. Visit counts are those the story's conditions read.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..engine.conditions import Binary, BoolOp, Call, Condition, Lit, Node, Not, Var, evaluate_node
from .sim import Move, Table

SEARCH_LIMIT = 2000  # states searched, from a soft-lock, for the nearest closed choice


def show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- explaining a condition --------------------------------------------------------------


def node_text(node: Node) -> str:
    """A part of a condition as it would be written."""
    if isinstance(node, Lit):
        if isinstance(node.value, str):
            return f"'{node.value}'"
        return show(node.value)
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Call):
        return f"{node.func}({node.arg if not node.args else ', '.join(node_text(a) for a in node.args)})"
    if isinstance(node, Not):
        inner = node_text(node.operand)
        return f"not ({inner})" if isinstance(node.operand, (BoolOp, Binary)) else f"not {inner}"
    assert isinstance(node, (BoolOp, Binary))
    parts = []
    for side in (node.left, node.right):
        text = node_text(side)
        parts.append(f"({text})" if isinstance(side, BoolOp) and side.op != node.op else text)
    return f"{parts[0]} {node.op} {parts[1]}"


def _reads(node: Node, variables: dict[str, Any], visits: dict[str, int]) -> list[str]:
    """The values a part of a condition reads: ``coins is 2``, ``visits(hall) is 0``."""
    found: dict[str, str] = {}
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Var):
            found[n.name] = f"{n.name} is {show(variables[n.name])}"
        elif isinstance(n, Call) and not n.args:
            found[f"visits({n.arg})"] = f"visits({n.arg}) is {visits.get(n.arg, 0)}"
        else:
            stack.extend(v for v in vars(n).values() if isinstance(v, Node))
            if isinstance(n, Call):
                stack.extend(n.args)
    return [found[k] for k in sorted(found)]


def _parts(node: Node, want: bool, variables: dict[str, Any], visits: dict[str, int]) -> list[tuple[Node, bool]]:
    """The smallest parts of ``node`` (which evaluates to ``want``) that make it so."""
    if isinstance(node, Not):
        return _parts(node.operand, not want, variables, visits)
    if isinstance(node, BoolOp):  # the sides with that value decide it (a false 'and', a true 'or'), or both do
        return [
            part
            for side in (node.left, node.right)
            if bool(evaluate_node(side, variables, visits)) == want
            for part in _parts(side, want, variables, visits)
        ]
    return [(node, want)]


def why_false(condition: Condition, variables: dict[str, Any], visits: dict[str, int]) -> list[str]:
    """Why ``condition`` is false here: ``coins >= 5 is false (coins is 2)``, one per deciding part."""
    out = []
    for part, value in _parts(condition.tree, False, variables, visits):
        reads = _reads(part, variables, visits)
        text, word = node_text(part), "true" if value else "false"
        if isinstance(part, Var) or not reads:
            out.append(f"{text} is {word}")
        else:
            out.append(f"{text} is {word} ({', '.join(reads)})")
    return out


# --- diagnosing a state ------------------------------------------------------------------


@dataclass
class Closed:
    """A choice whose condition is false where it is offered, and why."""

    scene: str
    choice: str
    condition: str
    why: list[str]

    def __str__(self) -> str:
        return f"{self.choice} (if: {self.condition}): {'; '.join(self.why)}"

    def to_dict(self) -> dict[str, Any]:
        return {"scene": self.scene, "choice": self.choice, "condition": self.condition, "why": self.why}


@dataclass
class Diagnosis:
    """The state at the end of ``path``, and the closed choices nearest to it.

    For a dead end they are its scene's choices. From a soft-lock the search goes on (through
    states that cannot finish either) to the nearest scene with a closed choice; ``route`` is
    the whole way there from the start, ``scene`` that scene.
    """

    variables: dict[str, Any]
    visits: dict[str, int]
    scene: str
    route: list[tuple[str, str]]
    closed: list[Closed] = field(default_factory=list)

    def state_text(self) -> str:
        return ", ".join(f"{k}={show(v)}" for k, v in self.variables.items()) or "(no variables)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "variables": self.variables,
            "visits": self.visits,
            "closed_in": self.scene,
            "route": [list(p) for p in self.route],
            "closed": [c.to_dict() for c in self.closed],
        }


@dataclass
class _State:
    scene: int
    variables: dict[str, Any]
    visits: dict[str, int]
    route: list[tuple[str, str]]

    def after(self, table: Table, move: Move) -> _State:
        variables = {k: (list(v) if isinstance(v, list) else v) for k, v in self.variables.items()}
        visits = dict(self.visits)
        codex: list[str] = []
        for apply in move.apply:
            apply(variables, codex)
        entry = table.entries[move.goto]
        if entry is not None:
            entry(variables, visits, codex)
        return _State(move.goto, variables, visits, [*self.route, (table.ids[self.scene], move.key)])

    def key(self) -> str:
        return show([self.scene, self.variables, sorted(self.visits.items())])


def _closed(table: Table, state: _State) -> list[Closed]:
    out = []
    for m in table.moves[state.scene]:
        if m.condition is not None and not m.condition(state.variables, state.visits):
            why = why_false(m.condition, state.variables, state.visits)
            out.append(Closed(table.ids[state.scene], m.key, m.condition.source, why))
    return out


def replay(table: Table, path: list[tuple[str, str]]) -> _State:
    """The state after ``path`` (scene id, choice key) from the start."""
    state = _State(table.start, table.initial_variables(), {}, [])
    entry = table.entries[table.start]
    if entry is not None:
        entry(state.variables, state.visits, [])
    for _scene, key in path:
        move = next(m for m in table.moves[state.scene] if m.key == key)
        state = state.after(table, move)
    return state


def diagnose(table: Table, path: list[tuple[str, str]]) -> Diagnosis:
    """The state ``path`` leads to and the closed choices nearest to it (see ``Diagnosis``)."""
    found = replay(table, path)
    diagnosis = Diagnosis(dict(found.variables), dict(found.visits), table.ids[found.scene], list(path))
    queue, seen = deque([found]), {found.key()}
    while queue and len(seen) <= SEARCH_LIMIT:
        state = queue.popleft()
        closed = _closed(table, state)
        if closed:
            diagnosis.scene, diagnosis.route, diagnosis.closed = table.ids[state.scene], state.route, closed
            break
        for move in table.moves[state.scene]:
            nxt = state.after(table, move)
            if nxt.key() not in seen:
                seen.add(nxt.key())
                queue.append(nxt)
    return diagnosis
