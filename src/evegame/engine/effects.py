"""The effect kinds of story files: the one definition every consumer reads.

Each ``EffectKind`` in ``EFFECTS`` holds, together:

* ``parse``: reads its key(s) of an effect block, checks names and types against
  the declared variables (the type rule), reports located problems, yields ``Effect``s;
* ``step``: the concrete rule, old value -> new value of the variable it changes
  (``None`` for effects on the codex, which ``apply`` handles);
* ``abstract``: what the effect does to one variable in the exhaustive explorer's
  abstraction (``SlotChange``: a shift of a number, an overwrite, names touched);
* ``schema``: the JSON-Schema properties its keys add to an effect block.

The loader (``EFFECT_KEYS``, ``parse_block``), ``GameState``, the explorers'
compiled tables (``compile_effects``), the abstraction and the JSON Schema all
derive from this table; an unknown key in an effect block is a located error.

To add an effect kind: write its parse function and its ``step`` (or a codex
rule in ``compile_effect``), say what it does to the abstraction (a ``SlotChange``;
``SlotChange.opaque()`` keeps the variable whole when no finer rule fits), give its
schema fragment and an example block, and append one ``EffectKind`` to ``EFFECTS``.
``tests/engine/test_rules_registry.py`` then runs it through every consumer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .model import Clamp, Effect, SourceLoc, Story
from .problems import Problems, did_you_mean
from .values import TYPE_WORDS, describe, is_value_of
from .yamlsource import Key

Applier = Callable[[dict[str, Any], list[str]], None]
# The variables (and the codex entry 'lore') that the ``example`` of each entry uses.
EXAMPLE_VARIABLES: dict[str, Any] = {"coins": 1, "met": False, "name": "eve", "items": ["coin"]}


class EffectContext(Protocol):
    """What parsing an effect needs from the loader."""

    problems: Problems
    types: dict[str, str]
    inventory: str | None
    codex_ids: set[str]

    def ref_error(self, loc: SourceLoc, message: str, code: str) -> None: ...

    def yaml11_word(self, container: Any, key: Any, what: str) -> bool: ...

    def cause(self, names: list[str]) -> int | None: ...

    def note_given(self, var: str, item: str, loc: SourceLoc) -> None: ...

    bounds: dict[str, tuple[int | None, ...]]

    def expression(self, source: str, loc: SourceLoc) -> Any: ...


@dataclass(frozen=True)
class SlotChange:
    """What a run of effects does to one variable, as the abstraction sees it.

    ``shift``: added to a number (None: overwritten with ``const``); ``killed``: the
    list names that effects changed (None: the whole list overwritten); ``whole``: the
    new value is not a function of the old one the abstraction can follow.
    """

    shift: int | None = 0
    const: Any = None
    killed: frozenset[str] | None = frozenset()
    whole: bool = False

    @staticmethod
    def opaque() -> SlotChange:
        return SlotChange(None, None, None, True)


@dataclass(frozen=True)
class EffectKind:
    """One kind of effect (``set``, ``add``, ...): its parser, its step, its abstract step and its schema."""

    name: str  # the key in an effect block; also Effect.op
    doc: str
    companions: tuple[str, ...]  # other keys of the block it reads ('into' for give)
    parse: Callable[[EffectContext, Mapping[str, Any], SourceLoc], Iterator[Effect]]
    step: Callable[[Any, Any], Any] | None  # old value, effect value -> new value; None: codex
    abstract: Callable[[SlotChange, Any], SlotChange] | None  # None: changes no variable
    schema: dict[str, Any]  # JSON-Schema properties of its keys
    example: dict[str, Any]  # an effect block using it, over the variables of ``EXAMPLE_VARIABLES``


# --- helpers the parsers share ----------------------------------------------------------


def declared_var(ctx: EffectContext, name: Any, loc: SourceLoc, verb: str) -> str | None:
    """``name`` when it is a declared variable; else a located error (with a suggestion) and None."""
    if not isinstance(name, str) or name not in ctx.types:
        ctx.problems.error(
            loc,
            f"{verb} names undeclared variable {name!r}{did_you_mean(str(name), ctx.types)}",
            "undeclared",
            under=ctx.cause([str(name)]),
        )
        return None
    return name


def _names(ctx: EffectContext, raw: Any, loc: SourceLoc, verb: str) -> list[str]:
    if isinstance(raw, list) and any([ctx.yaml11_word(raw, i, f"'{verb}' takes names") for i in range(len(raw))]):
        return []
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        ctx.problems.error(loc, f"'{verb}' takes a list of names, e.g. {verb}: [pistol], not {describe(raw)}", "type")
        return []
    return raw


# --- set -------------------------------------------------------------------------------------


def _parse_set(ctx: EffectContext, block: Mapping[str, Any], loc: SourceLoc) -> Iterator[Effect]:
    raw, loc = block["set"], loc.child("set")
    if not isinstance(raw, dict):
        ctx.problems.error(
            loc, f"'set' takes a mapping of variables to values, e.g. set: {{flag: true}}, not {describe(raw)}", "type"
        )
        return
    for name, value in raw.items():
        var = declared_var(ctx, name, loc.child(Key(str(name))), "set")
        if var is None:
            continue
        want = ctx.types[var]
        if want == "str" and ctx.yaml11_word(raw, name, f"{var!r} is a string"):
            continue
        if want == "int" and isinstance(value, str):  # an expression: "heat + wounds * 2"
            expr = ctx.expression(value, loc.child(name))
            if expr is not None:
                yield Effect("set", var, Clamp(expr, *ctx.bounds.get(var, (None, None))))
            continue
        if not is_value_of(value, want):
            ctx.problems.error(
                loc.child(name),
                f"type mismatch: {var!r} is {TYPE_WORDS[want]}, cannot set it to {describe(value)}",
                "type",
                under=ctx.cause([var]),
            )
            continue
        if var in ctx.bounds:
            clamp = Clamp(value, *ctx.bounds[var])
            if clamp.limit(value) != value:
                ctx.problems.warning(
                    loc.child(name),
                    f"{var!r} is kept between {_range(clamp)}: setting it to {value} always gives {clamp.limit(value)}",
                    "clamped",
                )
            value = clamp.limit(value)
        if want == "list":
            for i, item in enumerate(value):
                ctx.note_given(var, item, loc.child(name, i))
        yield Effect("set", var, list(value) if want == "list" else value)


def _step_set(_old: Any, value: Any) -> Any:
    if isinstance(value, Clamp):
        return value.limit(value.resolve({}))
    return list(value) if isinstance(value, list) else value


def _abstract_set(_change: SlotChange, value: Any) -> SlotChange:
    if isinstance(value, Clamp):
        return SlotChange.opaque()
    return SlotChange(None, value, None)


# --- add -------------------------------------------------------------------------------------


def _parse_add(ctx: EffectContext, block: Mapping[str, Any], loc: SourceLoc) -> Iterator[Effect]:
    raw, loc = block["add"], loc.child("add")
    if not isinstance(raw, dict):
        ctx.problems.error(
            loc,
            f"'add' takes a mapping of number variables to amounts, e.g. add: {{coins: -1}}, not {describe(raw)}",
            "type",
        )
        return
    for name, value in raw.items():
        var = declared_var(ctx, name, loc.child(Key(str(name))), "add")
        if var is None:
            continue
        if ctx.types[var] != "int":
            hint = " (use 'set' for flags, 'give'/'take' for lists)"
            ctx.problems.error(
                loc.child(Key(str(name))),
                f"type mismatch: cannot add to {var!r}, which is {TYPE_WORDS[ctx.types[var]]}{hint}",
                "type",
            )
            continue
        if not is_value_of(value, "int"):
            ctx.problems.error(
                loc.child(name), f"type mismatch: 'add' needs a whole number for {var!r}, not {describe(value)}", "type"
            )
            continue
        if var in ctx.bounds:
            clamp = Clamp(value, *ctx.bounds[var])
            if clamp.low is not None and clamp.high is not None and abs(value) > clamp.high - clamp.low:
                edge = clamp.high if value > 0 else clamp.low
                ctx.problems.warning(
                    loc.child(name),
                    f"{var!r} is kept between {_range(clamp)}: adding {value} always gives {edge}",
                    "clamped",
                )
            yield Effect("add", var, clamp)
            continue
        yield Effect("add", var, value)


def _range(clamp: Clamp) -> str:
    low = "no minimum" if clamp.low is None else clamp.low
    high = "no maximum" if clamp.high is None else clamp.high
    return f"{low} and {high}"


def _step_add(old: Any, value: Any) -> Any:
    if isinstance(value, Clamp):
        return value.limit(old + value.resolve({}))
    return old + value


def _abstract_add(change: SlotChange, value: Any) -> SlotChange:
    if change.whole or isinstance(value, Clamp):
        return SlotChange.opaque()
    if change.shift is None:
        return SlotChange(None, change.const + value, change.killed)
    return SlotChange(change.shift + value, change.const, change.killed)


# --- give / take -----------------------------------------------------------------------------


def _list_parser(verb: str, key: str) -> Callable[[EffectContext, Mapping[str, Any], SourceLoc], Iterator[Effect]]:
    def parse(ctx: EffectContext, block: Mapping[str, Any], loc: SourceLoc) -> Iterator[Effect]:
        names = _names(ctx, block[verb], loc.child(verb), verb)
        target = block.get(key)
        var: str | None
        if target is None:
            var = ctx.inventory
            if var is None:
                ctx.problems.error(
                    loc.child(Key(verb)),
                    f"'{verb}' needs '{key}: LIST' (no default list: declare 'items' or set the manifest's 'inventory')",
                    "effect",
                )
                return
        else:
            var = declared_var(ctx, target, loc.child(key), f"'{key}'")
            if var is None:
                return
            if ctx.types[var] != "list":
                ctx.problems.error(
                    loc.child(key),
                    f"type mismatch: '{key}' needs a list variable, {var!r} is {TYPE_WORDS[ctx.types[var]]}",
                    "type",
                )
                return
        for i, item in enumerate(names):
            if verb == "give":
                ctx.note_given(var, item, loc.child(verb, i))
            yield Effect(verb, var, item)

    return parse


def _step_give(old: Any, value: Any) -> Any:
    return old if value in old else [*old, value]


def _step_take(old: Any, value: Any) -> Any:
    return [i for i in old if i != value] if value in old else old


def _abstract_names(change: SlotChange, value: Any) -> SlotChange:
    if change.killed is None:
        return change
    return SlotChange(change.shift, change.const, change.killed | {value}, change.whole)


# --- unlock ------------------------------------------------------------------------------------


def _parse_unlock(ctx: EffectContext, block: Mapping[str, Any], loc: SourceLoc) -> Iterator[Effect]:
    raw = block["unlock"]
    for i, cid in enumerate(_names(ctx, raw, loc.child("unlock"), "unlock")):
        if cid not in ctx.codex_ids:
            ctx.ref_error(
                loc.child("unlock", i) if isinstance(raw, list) else loc.child("unlock"),
                f"unlock names unknown codex entry {cid!r}{did_you_mean(cid, ctx.codex_ids)}",
                "goto",
            )
        yield Effect("unlock", "", cid)


_NAMES = {"type": "array", "items": {"type": "string"}}

EFFECTS: dict[str, EffectKind] = {
    kind.name: kind
    for kind in (
        EffectKind(
            "set",
            "Set variables: {var: value}; for a number, the value may be an expression in quotes ('heat + 2').",
            (),
            _parse_set,
            _step_set,
            _abstract_set,
            {"set": {"type": "object", "additionalProperties": {"type": ["integer", "boolean", "string", "array"]}}},
            {"set": {"met": True, "name": "ruska"}},
        ),
        EffectKind(
            "add",
            "Add to number variables: {var: amount} (amount may be negative).",
            (),
            _parse_add,
            _step_add,
            _abstract_add,
            {"add": {"type": "object", "additionalProperties": {"type": "integer"}}},
            {"add": {"coins": 2}},
        ),
        EffectKind(
            "give",
            "Add names to a list variable (into:, default: the manifest's inventory).",
            ("into",),
            _list_parser("give", "into"),
            _step_give,
            _abstract_names,
            {"give": _NAMES, "into": {"type": "string", "description": "The list variable that 'give' adds to."}},
            {"give": ["knife"], "into": "items"},
        ),
        EffectKind(
            "take",
            "Remove names from a list variable (from:, default: the manifest's inventory).",
            ("from",),
            _list_parser("take", "from"),
            _step_take,
            _abstract_names,
            {"take": _NAMES, "from": {"type": "string", "description": "The list variable that 'take' removes from."}},
            {"take": ["coin"]},
        ),
        EffectKind(
            "unlock",
            "Unlock codex entries by id.",
            (),
            _parse_unlock,
            None,
            None,
            {"unlock": _NAMES},
            {"unlock": ["lore"]},
        ),
    )
}

EFFECT_KEYS: frozenset[str] = frozenset(key for kind in EFFECTS.values() for key in (kind.name, *kind.companions))
_KIND_NAMES: frozenset[str] = frozenset(EFFECTS)


def parse_block(ctx: EffectContext, block: Mapping[str, Any], loc: SourceLoc) -> Iterator[Effect]:
    """The effects of one checked effect block (its keys already known to be ``EFFECT_KEYS``), in table order."""
    for kind in EFFECTS.values() if not block.keys() <= _KIND_NAMES else ():  # companions: 'into', 'from'
        for key in kind.companions:
            if key in block and kind.name not in block:
                ctx.problems.error(
                    loc.child(Key(key)),
                    f"'{key}' names the list for '{kind.name}', but there is no '{kind.name}' here",
                    "effect",
                )
    for kind in EFFECTS.values():
        if kind.name in block:
            yield from kind.parse(ctx, block, loc)


def block_schema() -> dict[str, Any]:
    """The JSON Schema of one effect block, from the table."""
    properties: dict[str, Any] = {}
    for kind in EFFECTS.values():
        for key, fragment in kind.schema.items():
            properties[key] = {**fragment, "description": fragment.get("description", kind.doc)}
    return {"type": "object", "additionalProperties": False, "properties": properties}


# --- the concrete rules ----------------------------------------------------------------------


def compile_effect(effect: Effect) -> Applier:
    """One effect as a function of (variables, codex unlocked so far) that applies it in place."""
    kind = EFFECTS[effect.op]
    var, value, step = effect.var, effect.value, kind.step
    if step is None:  # unlock

        def unlock(_variables: dict[str, Any], codex: list[str]) -> None:
            if value not in codex:
                codex.append(value)

        return unlock
    if isinstance(value, Clamp):  # a bounded number, or an expression over the variables
        clamp, adds = value, effect.op == "add"

        def clamped(variables: dict[str, Any], _codex: list[str]) -> None:
            amount = clamp.resolve(variables)
            variables[var] = clamp.limit(variables[var] + amount if adds else amount)

        return clamped
    if step is _step_add:  # the commonest effect: one dict update

        def add(variables: dict[str, Any], _codex: list[str]) -> None:
            variables[var] += value

        return add

    def apply(variables: dict[str, Any], _codex: list[str]) -> None:
        variables[var] = step(variables[var], value)

    return apply


def compile_effects(effects: tuple[Effect, ...]) -> tuple[Applier, ...]:
    return tuple(compile_effect(e) for e in effects)


def apply_effect(effect: Effect, variables: dict[str, Any], codex: list[str]) -> None:
    """Apply one effect in place (lists keep one copy of each name; taking a missing name does nothing)."""
    compile_effect(effect)(variables, codex)


def changes_variable(effect: Effect) -> bool:
    return EFFECTS[effect.op].step is not None


# --- entering a scene ------------------------------------------------------------------------

Entry = Callable[[dict[str, Any], dict[str, int], list[str]], None]


def compile_entry(
    scene_id: str, on_enter: tuple[Effect, ...], unlocks: tuple[str, ...], *, count: bool = True
) -> Entry:
    """What entering a scene does, as a function of (variables, visits, codex): count the visit
    (unless ``count`` is false: explorers skip counts no condition reads), run its ``on_enter``
    effects, unlock the codex entries that name it in ``unlocked_by``."""
    appliers = compile_effects(on_enter)
    if not appliers and not unlocks:

        def count_visit(_variables: dict[str, Any], visits: dict[str, int], _codex: list[str]) -> None:
            if count:
                visits[scene_id] = visits.get(scene_id, 0) + 1

        return count_visit

    def enter(variables: dict[str, Any], visits: dict[str, int], codex: list[str]) -> None:
        if count:
            visits[scene_id] = visits.get(scene_id, 0) + 1
        for apply in appliers:
            apply(variables, codex)
        for cid in unlocks:
            if cid not in codex:
                codex.append(cid)

    return enter


def unlocks_by_scene(story: Story) -> dict[str, tuple[str, ...]]:
    """Scene id -> the codex entries that entering it unlocks (their ``unlocked_by``)."""
    out: dict[str, list[str]] = {}
    for entry in story.codex.values():
        if entry.unlocked_by:
            out.setdefault(entry.unlocked_by, []).append(entry.id)
    return {sid: tuple(ids) for sid, ids in out.items()}
