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
from .concrete import FlowRules, State, uses_flow
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
    kind: str = "if"  # what closes it: its if, its requires (shown greyed), or once (taken already)

    def __str__(self) -> str:
        if self.kind == "once":
            return f"{self.choice} (once): {'; '.join(self.why)}"
        return f"{self.choice} ({self.kind}: {self.condition}): {'; '.join(self.why)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "choice": self.choice,
            "kind": self.kind,
            "condition": self.condition,
            "why": self.why,
        }


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


def diagnose(table: Table, path: list[tuple[str, str]], scene: str | None = None) -> Diagnosis:
    """The state ``path`` leads to and the closed choices nearest to it (see ``Diagnosis``).

    ``scene``: where the path ends (the scene the problem was found in); stories with v2 flow
    need it to tell which chance branch the last choice took.
    """
    if uses_flow(table.story):
        return _diagnose_flow(FlowRules(table.story, table=table), path, scene)
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


# --- stories with v2 flow (branching goto, call/return, once, requires) -------------------


def _diagnose_flow(rules: FlowRules, path: list[tuple[str, str]], scene: str | None) -> Diagnosis:
    """``diagnose`` on the concrete rules: a chance choice's branch is the one the path goes on
    from (the next step's scene, or ``scene`` for the last step)."""
    ids = rules.table.ids
    state = rules.initial()
    for n, (_where, key) in enumerate(path):
        move = next(m for m in rules.moves[state[0]] if m.choice.key == key)
        options = rules.take(state, move, None)
        target = path[n + 1][0] if n + 1 < len(path) else scene
        state = next((o for o in options if ids[o[0]] == target), options[0])
    variables, visits = rules.unpack(state)
    diagnosis = Diagnosis(dict(variables), dict(visits), ids[state[0]], list(path))
    queue: deque[tuple[State, list[tuple[str, str]]]] = deque([(state, list(path))])
    seen = {state}
    while queue and len(seen) <= SEARCH_LIMIT:
        state, route = queue.popleft()
        closed = _closed_flow(rules, state)
        if closed:
            diagnosis.scene, diagnosis.route, diagnosis.closed = ids[state[0]], route, closed
            break
        for move in rules.available(state):
            for nxt in rules.take(state, move, None):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append((nxt, [*route, (ids[state[0]], move.choice.key)]))
    return diagnosis


def _closed_flow(rules: FlowRules, state: State) -> list[Closed]:
    """The choices of ``state``'s scene that cannot be taken there: a false ``if`` or ``requires``,
    or a ``once`` choice already taken."""
    variables, visits = rules.unpack(state)
    sid = rules.table.ids[state[0]]
    out = []
    for m in rules.moves[state[0]]:
        if m.choice.once and m.number in state[4]:
            out.append(Closed(sid, m.choice.key, "", ["taken already"], "once"))
            continue
        for kind, condition in (("if", m.choice.condition), ("requires", m.choice.requires)):
            if condition is not None and not condition(variables, visits):
                out.append(Closed(sid, m.choice.key, condition.source, why_false(condition, variables, visits), kind))
                break
    return out
