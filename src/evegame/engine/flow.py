"""Where a choice leads: plain ``goto``, branches by condition or by chance, ``call`` and ``return``.

The one definition of a choice's destination, read by ``Game`` (which then fires the
machine's trigger for that destination) and by both explorers. Order, for a choice
taken: its effects are applied first; then the destination is decided on the new
values (the first branch whose ``if`` holds; or the branch a chance roll falls in);
``call: SCENE`` pushes the choice's ``goto`` on the call stack and goes to SCENE;
``return: true`` pops the innermost call's ``goto`` and goes there.

The game's random generator is a 64-bit linear congruential generator whose whole
state is one int: seeded per game, saved with it, restored by undo, so a game with
a given seed replays identically. Only chance branches draw from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Choice

MAX_CALLS = 16  # calls open at once
_MULT = 6364136223846793005
_INC = 1442695040888963407
_MASK = (1 << 64) - 1


class FlowError(Exception):
    """A story that the checker passed but play cannot follow (a return with no call open, calls too deep)."""


def roll(rng: int) -> tuple[int, int]:
    """(the next generator state, a roll 0..99) from a generator state."""
    rng = (rng * _MULT + _INC) & _MASK
    return rng, (rng >> 33) % 100


def chance_target(choice: Choice, draw: int) -> str:
    """The branch a roll of ``draw`` (0..99) falls in: each branch covers its chance in percent, in order."""
    below = 0
    for branch in choice.branches:
        below += branch.chance or 0
        if draw < below:
            return branch.scene
    return choice.branches[-1].scene


def conditional_target(choice: Choice, variables: Mapping[str, Any], visits: Mapping[str, int]) -> str:
    """The first branch whose condition holds (the last has none, so one always does)."""
    for branch in choice.branches:
        if branch.condition is None or branch.condition(variables, visits):
            return branch.scene
    return choice.branches[-1].scene


def is_chance(choice: Choice) -> bool:
    return bool(choice.branches) and choice.branches[0].chance is not None


def destination(
    choice: Choice, variables: Mapping[str, Any], visits: Mapping[str, int], stack: list[str], rng: int
) -> tuple[str, int]:
    """Where ``choice`` leads from this state (its effects already applied), and the generator state after.

    Changes ``stack`` for a call or a return; raises FlowError when play cannot follow.
    """
    if choice.returns:
        if not stack:
            raise FlowError(f"choice {choice.key!r} returns, but no call is open")
        return stack.pop(), rng
    if choice.call is not None:
        if len(stack) >= MAX_CALLS:
            raise FlowError(f"choice {choice.key!r} calls {choice.call!r} with {MAX_CALLS} calls already open")
        stack.append(choice.goto)
        return choice.call, rng
    if not choice.branches:
        return choice.goto, rng
    if is_chance(choice):
        rng, draw = roll(rng)
        return chance_target(choice, draw), rng
    return conditional_target(choice, variables, visits), rng


def targets(choice: Choice) -> tuple[str, ...]:
    """Every scene a choice can lead to directly (a return's depends on the call; none listed)."""
    if choice.returns:
        return ()
    if choice.call is not None:
        return (choice.call,)
    if choice.branches:
        return tuple(dict.fromkeys(b.scene for b in choice.branches))
    return (choice.goto,)
