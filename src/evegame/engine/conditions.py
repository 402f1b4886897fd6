"""The condition language of story files: tokenize, parse once, type-check, evaluate fast.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | binary(COMPARE)
    binary(L) := binary(L+1) (OP_L binary(L+1))*      # one COMPARE operator at most: no chains
    atom    := INT | "-" INT | "true" | "false" | STRING | NAME | FUNC "(" args ")" | "(" expr ")"

The binary operators OP_L of each precedence level and the functions FUNC, with
their type rules and evaluators, are the tables of ``operators``; this module
only reads them. Conditions are compiled to nested closures over the variables
and visit counts; story text never reaches Python's ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .operators import COMPARE, FUNCTIONS, KEYWORDS, MEMBERSHIP, OPERATORS, SCENE, SYMBOLS, TypeRuleError
from .values import TYPE_WORDS, type_name

Evaluator = Callable[[Mapping[str, Any], Mapping[str, int]], Any]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<int>\d+)
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<op>"""
    + "|".join(re.escape(s) for s in (*SYMBOLS, "(", ")", ",", "-"))
    + r""")
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
# Limits that keep parsing, checking and evaluating (all recursive) far from Python's
# recursion limit, whatever a story file holds; real conditions are a few words long.
MAX_TOKENS = 256
MAX_NESTING = 32
MAX_DIGITS = 18
LEVELS = sorted({op.level for op in OPERATORS.values()})
_BY_LEVEL = {level: {s for s, op in OPERATORS.items() if op.level == level} for level in LEVELS}


class ConditionError(ValueError):
    """A condition that does not parse or does not type-check."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Token:
    """One token of a condition."""

    kind: str  # int | str | op | name | end
    text: str
    offset: int


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    source = source.rstrip()
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:  # only trailing whitespace is left
            break
        kind = m.lastgroup or "bad"
        text = m.group(kind)
        start = m.start(kind)
        if kind == "bad":
            raise ConditionError(_unexpected(source, start), start)
        if kind == "int" and len(text) > MAX_DIGITS:
            raise ConditionError(f"number too large (more than {MAX_DIGITS} digits)", start)
        if len(tokens) >= MAX_TOKENS:
            raise ConditionError(f"condition too long (more than {MAX_TOKENS} words and symbols)", start)
        tokens.append(Token(kind, text, start))
        pos = m.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


# Other languages' habits, and what to write here instead.
_HABITS = (
    (re.compile(r"[=!]=\s*\[\s*\]"), "to test for an empty list, write 'empty(LIST)' (or 'not empty(LIST)')"),
    (re.compile(r"&&"), "write 'and' instead of '&&'"),
    (re.compile(r"\|\|"), "write 'or' instead of '||'"),
    (re.compile(r"!(?!=)"), "write 'not' instead of '!'"),
    (re.compile(r"(?<![=!<>])=(?!=)"), "to compare, write '==' ('=' alone sets nothing here)"),
    (re.compile(r"[\"']"), "use single quotes for strings"),
)


def _unexpected(source: str, start: int) -> str:
    """The message for a character the language has no use for, with a hint when it is a known habit."""
    for pattern, hint in _HABITS:
        if any(m.start() <= start < m.end() for m in pattern.finditer(source)):
            return f"unexpected {source[start]!r}: {hint}"
    return f"unexpected character {source[start]!r}"


# --- syntax tree -----------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A node of a parsed condition; ``offset`` is where it starts in the text."""

    offset: int


@dataclass(frozen=True)
class Lit(Node):
    """A literal: a number, a string or a boolean."""

    value: Any


@dataclass(frozen=True)
class Var(Node):
    """A variable read."""

    name: str


@dataclass(frozen=True)
class Call(Node):
    """A function call: ``arg`` is the scene id of a scene function, ``args`` the expressions of others."""

    func: str
    arg: str = ""
    args: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Not(Node):
    """``not`` of its operand."""

    operand: Node


@dataclass(frozen=True)
class BoolOp(Node):
    """``and`` or ``or`` of two operands."""

    op: str  # and | or
    left: Node
    right: Node


@dataclass(frozen=True)
class Binary(Node):
    """A binary operator of ``operators.OPERATORS``: a comparison, ``in``/``not in``, arithmetic."""

    op: str
    left: Node
    right: Node


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0  # of parentheses and 'not's being parsed

    def nest(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionError(f"condition nested too deeply (more than {MAX_NESTING} levels)", tok.offset)

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def is_word(self, word: str) -> bool:
        return self.tok.kind == "name" and self.tok.text == word

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise ConditionError("empty condition", 0)
        node = self.parse_or()
        if self.tok.kind != "end":
            raise ConditionError(f"unexpected {self.tok.text!r}", self.tok.offset)
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.is_word("or"):
            tok = self.next()
            node = BoolOp(tok.offset, "or", node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.is_word("and"):
            tok = self.next()
            node = BoolOp(tok.offset, "and", node, self.parse_not())
        return node

    def parse_not(self) -> Node:
        if self.is_word("not"):
            tok = self.next()
            self.nest(tok)
            node = Not(tok.offset, self.parse_not())
            self.depth -= 1
            return node
        return self.parse_binary(0)

    def operator_here(self, level: int) -> str | None:
        """The operator of precedence ``level`` at the current token (consumed), if any."""
        tok, symbols = self.tok, _BY_LEVEL[LEVELS[level]]
        if tok.kind == "op" and tok.text in symbols:
            self.next()
            return tok.text
        if tok.kind == "name" and tok.text in symbols:
            self.next()
            return tok.text
        if tok.kind == "name" and tok.text == "not":
            word = f"not {self.tokens[self.i + 1].text}"
            if word in symbols:
                self.i += 2
                return word
        return None

    def parse_binary(self, level: int) -> Node:
        if level == len(LEVELS):
            return self.parse_atom()
        node = self.parse_binary(level + 1)
        while True:
            tok = self.tok
            symbol = self.operator_here(level)
            if symbol is None:
                return node
            node = Binary(tok.offset, symbol, node, self.parse_binary(level + 1))
            if LEVELS[level] == COMPARE:
                return node

    def parse_atom(self) -> Node:
        tok = self.next()
        if tok.kind == "int":
            return Lit(tok.offset, int(tok.text))
        if tok.kind == "op" and tok.text == "-" and self.tok.kind == "int":
            return Lit(tok.offset, -int(self.next().text))
        if tok.kind == "str":
            return Lit(tok.offset, tok.text[1:-1])
        if tok.kind == "op" and tok.text == "(":
            self.nest(tok)
            node = self.parse_or()
            if self.tok.text != ")":
                raise ConditionError("missing ')'", self.tok.offset)
            self.next()
            self.depth -= 1
            return node
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                return Lit(tok.offset, tok.text == "true")
            if tok.text in KEYWORDS:
                raise ConditionError(f"expected a value, found {tok.text!r}", tok.offset)
            if self.tok.text == "(":
                return self.parse_call(tok)
            return Var(tok.offset, tok.text)
        if tok.kind == "end":
            raise ConditionError("condition ends where a value was expected", tok.offset)
        raise ConditionError(f"expected a value, found {tok.text!r}", tok.offset)

    def parse_call(self, name: Token) -> Node:
        func = FUNCTIONS.get(name.text)
        if func is None:
            known = ", ".join(f"{f}()" for f in FUNCTIONS)
            raise ConditionError(f"unknown function {name.text!r} (known: {known})", name.offset)
        self.next()  # (
        if func.args == (SCENE,):
            arg = self.next()
            if arg.kind not in ("name", "int"):
                raise ConditionError(f"{name.text}() takes a scene id", arg.offset)
            scene, end = arg.text, arg.offset + len(arg.text)
            while self.tok.kind in ("name", "int") and self.tok.offset == end:  # an id that starts with a digit: 20, 0r
                scene += self.tok.text
                end += len(self.next().text)
            if self.tok.text != ")":
                raise ConditionError("missing ')'", self.tok.offset)
            self.next()
            return Call(name.offset, name.text, scene)
        self.nest(name)
        args = [self.parse_or()]
        while self.tok.text == ",":
            self.next()
            args.append(self.parse_or())
        if self.tok.text != ")":
            raise ConditionError("missing ')'", self.tok.offset)
        self.next()
        self.depth -= 1
        return Call(name.offset, name.text, "", tuple(args))


# --- type checking -------------------------------------------------------------


class _Checker:
    def __init__(self, types: Mapping[str, str], scenes: Callable[[str], bool] | None) -> None:
        self.types = types
        self.scene_exists = scenes
        self.variables: set[str] = set()
        self.scenes: set[str] = set()

    def check(self, node: Node) -> str:
        if isinstance(node, Lit):
            return type_name(node.value)
        if isinstance(node, Var):
            if node.name not in self.types:
                raise ConditionError(f"undeclared variable {node.name!r}", node.offset)
            self.variables.add(node.name)
            return self.types[node.name]
        if isinstance(node, Call):
            func = FUNCTIONS[node.func]
            if func.args == (SCENE,):
                if self.scene_exists is not None and not self.scene_exists(node.arg):
                    raise ConditionError(f"{node.func}() names unknown scene {node.arg!r}", node.offset)
                self.scenes.add(node.arg)
                return func.result
            if len(node.args) != len(func.args):
                raise ConditionError(f"{node.func}() takes {len(func.args)} argument(s)", node.offset)
            for arg, want in zip(node.args, func.args, strict=True):
                found = self.check(arg)
                if found != want:
                    raise ConditionError(
                        f"{node.func}() needs {TYPE_WORDS.get(want, want)}, not {TYPE_WORDS.get(found, found)}",
                        arg.offset,
                    )
            return func.result
        if isinstance(node, Not):
            self.expect(node.operand, "bool", "'not'")
            return "bool"
        if isinstance(node, BoolOp):
            self.expect(node.left, "bool", f"'{node.op}'")
            self.expect(node.right, "bool", f"'{node.op}'")
            return "bool"
        assert isinstance(node, Binary)
        left, right = self.check(node.left), self.check(node.right)
        try:
            return OPERATORS[node.op].check(left, right)
        except TypeRuleError as exc:
            raise ConditionError(str(exc), node.offset) from None

    def expect(self, node: Node, wanted: str, where: str) -> None:
        found = self.check(node)
        if found != wanted:
            hint = ""
            if found == "int" and isinstance(node, Var):
                hint = f" (did you mean '{node.name} > 0'?)"
            raise ConditionError(f"{where} needs a true/false value, not {TYPE_WORDS[found]}{hint}", node.offset)


# --- compilation -----------------------------------------------------------------


def _compile(node: Node) -> Evaluator:
    if isinstance(node, Lit):
        value = node.value
        return lambda v, s: value
    if isinstance(node, Var):
        name = node.name
        return lambda v, s: v[name]
    if isinstance(node, Call):
        func = FUNCTIONS[node.func].evaluate
        if not node.args:
            scene = node.arg
            return lambda v, s: func(s.get(scene, 0))
        args = [_compile(a) for a in node.args]
        return lambda v, s: func(*(a(v, s) for a in args))
    if isinstance(node, Not):
        inner = _compile(node.operand)
        return lambda v, s: not inner(v, s)
    if isinstance(node, BoolOp):
        return _compile_chain(node)
    assert isinstance(node, Binary)
    op = OPERATORS[node.op].evaluate
    # Fast paths for the common shapes "var OP literal" and "literal in var".
    if isinstance(node.left, Var) and isinstance(node.right, Lit):
        name, const = node.left.name, node.right.value
        return lambda v, s: op(v[name], const)
    if isinstance(node.left, Lit) and isinstance(node.right, Var):
        const, name = node.left.value, node.right.name
        return lambda v, s: op(const, v[name])
    a, b = _compile(node.left), _compile(node.right)
    return lambda v, s: op(a(v, s), b(v, s))


def _compile_chain(node: BoolOp) -> Evaluator:
    """An ``and``/``or`` chain as one loop over its terms. Tests of several names in the same
    list become one set operation: k tests cost one pass over the list, not k passes."""
    terms: list[Node] = []
    stack: list[Node] = [node]
    while stack:  # the chain's terms, left to right (a chain parses as a left-leaning tree)
        n = stack.pop()
        if isinstance(n, BoolOp) and n.op == node.op:
            stack += (n.right, n.left)
        else:
            terms.append(n)
    names: dict[tuple[str, str], set[str]] = {}
    for t in terms:
        test = _listed(t)
        if test is not None:
            names.setdefault(test, set()).add(t.left.value)  # type: ignore[attr-defined]
    merged = {test: frozenset(found) for test, found in names.items() if len(found) > 1}
    parts = [_membership(name, op, node.op, found) for (name, op), found in merged.items()]
    parts += [_compile(t) for t in terms if _listed(t) not in merged]
    fs = tuple(parts)
    if len(fs) == 1:
        return fs[0]
    if len(fs) == 2:  # the common case: two closures are cheaper than a loop
        a, b = fs
        if node.op == "and":
            return lambda v, s: a(v, s) and b(v, s)
        return lambda v, s: a(v, s) or b(v, s)
    if node.op == "and":

        def every(v: Mapping[str, Any], s: Mapping[str, int]) -> bool:
            for f in fs:  # noqa: SIM110 (a loop is cheaper than all() over a generator)
                if not f(v, s):
                    return False
            return True

        return every

    def some(v: Mapping[str, Any], s: Mapping[str, int]) -> bool:
        for f in fs:  # noqa: SIM110 (a loop is cheaper than any() over a generator)
            if f(v, s):
                return True
        return False

    return some


def _listed(node: Node) -> tuple[str, str] | None:
    """(list variable, ``in`` or ``not in``) of a test ``'name' in list``; None for any other node."""
    if (
        isinstance(node, Binary)
        and node.op in ("in", "not in")
        and isinstance(node.left, Lit)
        and isinstance(node.right, Var)
    ):
        return (node.right.name, node.op)
    return None


def _membership(name: str, op: str, chain: str, wanted: frozenset[str]) -> Evaluator:
    """Several ``'x' in list`` (or ``not in``) tests of one list, joined by ``and`` or ``or``."""
    if (op, chain) == ("in", "and"):  # every name is in the list
        return lambda v, s: wanted.issubset(v[name])
    if (op, chain) == ("in", "or"):  # some name is
        return lambda v, s: not wanted.isdisjoint(v[name])
    if chain == "and":  # no name is
        return lambda v, s: wanted.isdisjoint(v[name])
    return lambda v, s: not wanted.issubset(v[name])  # some name is not


@dataclass(frozen=True, eq=False)
class Condition:
    """A parsed, type-checked condition, callable as ``cond(variables, visits)``."""

    source: str
    tree: Node
    variables: frozenset[str]
    scenes: frozenset[str]
    evaluate: Evaluator

    def __call__(self, variables: Mapping[str, Any], visits: Mapping[str, int]) -> bool:
        return bool(self.evaluate(variables, visits))

    def __str__(self) -> str:
        return self.source

    def __reduce__(self) -> tuple[Any, ...]:
        # The compiled closures cannot be pickled; the tree can, and compiles again fast.
        return (_rebuild, (self.source, self.tree, self.variables, self.scenes))


def evaluate_node(node: Node, variables: Mapping[str, Any], visits: Mapping[str, int]) -> Any:
    """The value of any part of a condition's tree (to explain a result: it compiles the part each time)."""
    return _compile(node)(variables, visits)


def _rebuild(source: str, tree: Node, variables: frozenset[str], scenes: frozenset[str]) -> Condition:
    return Condition(source, tree, variables, scenes, _compile(tree))


def tested_items(tree: Node) -> list[tuple[str, str, int]]:
    """(list variable, name, offset) for each ``'name' in list`` / ``not in`` test in a condition."""
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if (
            isinstance(node, Binary)
            and OPERATORS[node.op].abstract is MEMBERSHIP
            and isinstance(node.left, Lit)
            and isinstance(node.right, Var)
            and isinstance(node.left.value, str)
        ):
            found.append((node.right.name, node.left.value, node.left.offset))
        for v in vars(node).values():
            stack.extend(n for n in (v if isinstance(v, tuple) else (v,)) if isinstance(n, Node))
    return found


def parse_condition(
    source: str,
    types: Mapping[str, str],
    scene_exists: Callable[[str], bool] | None = None,
) -> Condition:
    """Parse and type-check ``source``; raise ConditionError with an offset on failure.

    ``types`` maps each declared variable to ``int``, ``bool``, ``str`` or ``list``.
    """
    tree = _Parser(source).parse()
    checker = _Checker(types, scene_exists)
    result = checker.check(tree)
    if result != "bool":
        hint = ""
        if result == "int" and isinstance(tree, Var):
            hint = f" (did you mean '{tree.name} > 0'?)"
        raise ConditionError(f"a condition must be true or false, not {TYPE_WORDS[result]}{hint}", 0)
    return Condition(source, tree, frozenset(checker.variables), frozenset(checker.scenes), _compile(tree))


def parse_expression(source: str, types: Mapping[str, str]) -> Condition:
    """Parse and type-check a number expression (``heat + wounds * 2``) over variables only.

    The result is a ``Condition`` object whose ``evaluate`` gives the number; seen()/visits()
    are refused (an effect reads variables, not the visit counts).
    """
    tree = _Parser(source).parse()
    checker = _Checker(types, None)
    result = checker.check(tree)
    if result != "int":
        raise ConditionError(f"a number expression is expected, not {TYPE_WORDS[result]}", 0)
    if checker.scenes:
        raise ConditionError("an expression in 'set' reads variables only, not seen() or visits()", 0)
    return Condition(source, tree, frozenset(checker.variables), frozenset(), _compile(tree))
