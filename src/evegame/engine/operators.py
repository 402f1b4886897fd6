"""The operators and functions of the condition language: the one definition every consumer reads.

Each ``Operator`` in ``OPERATORS`` holds, together: its spelling and precedence
(the parser), its type rule (``check``), its concrete evaluator (``evaluate``),
its abstract evaluator for the exhaustive explorer (``abstract``: a ``Threshold``
when ``number OP constant`` changes truth only at cut points, ``MEMBERSHIP`` when
it only asks whether a name is in a list, ``None`` when the abstraction must keep
its operands whole) and the words the JSON Schema and the author guide use (``doc``).
``FUNCTIONS`` does the same for ``name(...)`` calls.

The tokenizer, parser, type checker and compiler (``conditions``), the explorers'
abstraction (``testing.abstraction``) and the schema all read these tables; a
symbol or function name that is not in them is an error at load, with its offset.

To add a binary operator (``+``, ``%``, ...): append an ``Operator`` with its level
(``COMPARE``, ``SUM`` or ``PRODUCT``; higher binds tighter), a type rule and an
evaluator and an example; ``abstract=None`` is always sound. To add a function (``len(list)``,
``min(a, b)``): append a ``Function`` whose ``args`` name the operand types (or
``SCENE`` for a scene id). ``tests/engine/test_rules_registry.py`` then runs every
entry through every consumer.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .values import TYPE_WORDS

COMPARE, SUM, PRODUCT = 1, 2, 3  # precedence levels of binary operators; comparisons do not chain
SCENE = "scene"  # a function argument that is a scene id, not an expression


class TypeRuleError(Exception):
    """An operator or function applied to operands of the wrong types (the message says why)."""


@dataclass(frozen=True)
class Threshold:
    """``number OP c`` changes truth only at the cut points; ``bound`` is the interval where it holds."""

    mirror: str  # the operator with its sides swapped: c OP x == x MIRROR c
    negation: str  # not (x OP c) == x NEGATION c
    cuts: Callable[[int], tuple[int, ...]]  # values where truth can change (x < cut | x >= cut)
    bound: Callable[[int], tuple[float, float] | None]  # where it holds; None: not one interval


@dataclass(frozen=True)
class Membership:
    """``'name' OP list``: reads only whether the name is in the list."""


MEMBERSHIP = Membership()
INF = float("inf")


@dataclass(frozen=True)
class Operator:
    """One operator of the condition language: its level, type rule, evaluator and abstract form."""

    symbol: str  # "==", "in", "not in"
    level: int  # COMPARE, SUM or PRODUCT
    doc: str
    check: Callable[[str, str], str]  # operand types -> result type; raises TypeRuleError
    evaluate: Callable[[Any, Any], Any]
    abstract: Threshold | Membership | None
    example: str  # a condition using it, over ``effects.EXAMPLE_VARIABLES`` (tests run it everywhere)

    @property
    def is_word(self) -> bool:
        return self.symbol[0].isalpha()


@dataclass(frozen=True)
class Function:
    """One function of the condition language (``seen``, ``len``, ...)."""

    name: str
    doc: str
    args: tuple[str, ...]  # (SCENE,) or the type of each expression argument
    result: str
    evaluate: Callable[..., Any]  # SCENE: visit count -> value; else: argument values -> value
    abstract: tuple[str, int] | None  # SCENE functions: the count compared (seen: count >= 1); None: the count
    example: str  # a condition using it (scene ids: 'start', 'hub')


def _words(t: str) -> str:
    return TYPE_WORDS.get(t, t)


def _same(symbol: str) -> Callable[[str, str], str]:
    def check(left: str, right: str) -> str:
        if left != right:
            raise TypeRuleError(f"cannot compare {_words(left)} with {_words(right)} using '{symbol}'")
        return "bool"

    return check


def _numbers(symbol: str, result: str) -> Callable[[str, str], str]:
    def check(left: str, right: str) -> str:
        if left != "int" or right != "int":
            bad = left if left != "int" else right
            raise TypeRuleError(f"'{symbol}' compares numbers, not {_words(bad)}")
        return result

    return check


def _arithmetic(symbol: str) -> Callable[[str, str], str]:
    def check(left: str, right: str) -> str:
        if left != "int" or right != "int":
            bad = left if left != "int" else right
            raise TypeRuleError(f"'{symbol}' works on numbers, not {_words(bad)}")
        return "int"

    return check


def _floordiv(a: int, b: int) -> int:
    return a // b if b else 0


def _mod(a: int, b: int) -> int:
    return a % b if b else 0


def _member(symbol: str) -> Callable[[str, str], str]:
    def check(left: str, right: str) -> str:
        if right != "list":
            raise TypeRuleError(f"'{symbol}' needs a list on its right, not {_words(right)}")
        if left != "str":
            raise TypeRuleError(f"'{symbol}' looks for a string in a list, not {_words(left)}")
        return "bool"

    return check


def _threshold(mirror: str, negation: str, cuts: Callable[[int], tuple[int, ...]], bound: Any) -> Threshold:
    return Threshold(mirror, negation, cuts, bound)


OPERATORS: dict[str, Operator] = {
    op.symbol: op
    for op in (
        Operator(
            "==",
            COMPARE,
            "equal (numbers, flags, strings, lists)",
            _same("=="),
            operator.eq,
            _threshold("==", "!=", lambda c: (c, c + 1), lambda c: (c, c)),
            "name == 'ruska'",
        ),
        Operator(
            "!=",
            COMPARE,
            "not equal",
            _same("!="),
            operator.ne,
            _threshold("!=", "==", lambda c: (c, c + 1), lambda c: None),
            "coins != 3",
        ),
        Operator(
            "<",
            COMPARE,
            "less than (numbers)",
            _numbers("<", "bool"),
            operator.lt,
            _threshold(">", ">=", lambda c: (c,), lambda c: (-INF, c - 1)),
            "coins < 3",
        ),
        Operator(
            "<=",
            COMPARE,
            "at most",
            _numbers("<=", "bool"),
            operator.le,
            _threshold(">=", ">", lambda c: (c + 1,), lambda c: (-INF, c)),
            "coins <= 2",
        ),
        Operator(
            ">",
            COMPARE,
            "more than",
            _numbers(">", "bool"),
            operator.gt,
            _threshold("<", "<=", lambda c: (c + 1,), lambda c: (c + 1, INF)),
            "coins > 4",
        ),
        Operator(
            ">=",
            COMPARE,
            "at least",
            _numbers(">=", "bool"),
            operator.ge,
            _threshold("<=", "<", lambda c: (c,), lambda c: (c, INF)),
            "coins >= 5",
        ),
        Operator("+", SUM, "plus (numbers)", _arithmetic("+"), operator.add, None, "coins + 2 >= 3"),
        Operator("-", SUM, "minus (numbers)", _arithmetic("-"), operator.sub, None, "coins - 1 == 0"),
        Operator("*", PRODUCT, "times (numbers)", _arithmetic("*"), operator.mul, None, "coins * 2 > 1"),
        Operator(
            "//",
            PRODUCT,
            "whole division, rounding down (x // 0 is 0)",
            _arithmetic("//"),
            _floordiv,
            None,
            "coins // 2 == 0",
        ),
        Operator("%", PRODUCT, "remainder (x % 0 is 0)", _arithmetic("%"), _mod, None, "coins % 2 == 1"),
        Operator("in", COMPARE, "'name' in list", _member("in"), lambda a, b: a in b, MEMBERSHIP, "'knife' in items"),
        Operator(
            "not in",
            COMPARE,
            "'name' not in list",
            _member("not in"),
            lambda a, b: a not in b,
            MEMBERSHIP,
            "'coin' not in items",
        ),
    )
}

FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "seen", "seen(scene): the scene was visited", (SCENE,), "bool", lambda n: n > 0, (">=", 1), "seen(hub)"
        ),
        Function(
            "visits",
            "visits(scene): how often it was visited",
            (SCENE,),
            "int",
            lambda n: n,
            None,
            "visits(start) >= 2",
        ),
        Function("min", "min(a, b): the smaller number", ("int", "int"), "int", min, None, "min(coins, 3) == 1"),
        Function("max", "max(a, b): the larger number", ("int", "int"), "int", max, None, "max(coins, 3) == 3"),
        Function("len", "len(list): how many names it holds", ("list",), "int", len, None, "len(items) == 1"),
        Function(
            "empty", "empty(list): it holds no names", ("list",), "bool", lambda v: not v, None, "not empty(items)"
        ),
    )
}

KEYWORDS = frozenset({"and", "or", "not", "true", "false"} | {op.symbol for op in OPERATORS.values() if op.is_word})
SYMBOLS = tuple(sorted((op.symbol for op in OPERATORS.values() if not op.is_word), key=len, reverse=True))


def summary() -> str:
    """The condition language in one line, from the tables (the JSON Schema's description)."""
    ops = " ".join(op.symbol for op in OPERATORS.values() if not op.is_word)
    words = " / ".join(op.symbol for op in OPERATORS.values() if op.is_word)
    calls = ", ".join(f.doc.split(":")[0] for f in FUNCTIONS.values())
    return f"A condition: and/or/not, {ops}, {words} (lists), numbers, true/false, 'strings', {calls}."
