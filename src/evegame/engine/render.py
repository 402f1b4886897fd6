"""Text as the player reads it: conditional paragraphs chosen, ``{variables}`` and ``{if COND: a|b}`` filled in.

A text is a small template, compiled once (and cached by its source):

* ``{name}``: the value of a declared variable (lists read "a, b"; flags "yes"/"no");
* ``{if COND: shown when true|shown when false}``: an inline alternative (the ``|part``
  is optional); either part may hold ``{name}`` and further alternatives;
* ``{{`` and ``}}``: a literal brace.

The loader compiles every text a player reads (so a bad name or condition is a
located error at load); rendering compiles again from the cache and never fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import Condition, ConditionError, parse_condition
from .model import Paragraph, Scene, Value
from .values import type_name

WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


def count_words(text: str) -> int:
    """Words as a reader counts them (contractions and hyphenated words are one)."""
    return len(WORD.findall(text))


def format_value(value: Value, labels: Mapping[str, str] | None = None) -> str:
    """A value as the player reads it: flags "yes"/"no", lists "a, b" (or "none"); a word the story's
    ``labels`` name shows as that name, other list items with their ``_`` as spaces."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if not value:
            return "none"
        if labels:
            return ", ".join(labels.get(v) or v.replace("_", " ") for v in value)
        return ", ".join(v.replace("_", " ") for v in value)
    if isinstance(value, str) and labels:
        return labels.get(value, value)
    return str(value)


@dataclass(frozen=True)
class Slot:
    """``{name}``: a variable's value."""

    name: str
    offset: int  # of the '{' in the source


@dataclass(frozen=True)
class Alternative:
    """``{if COND: then|otherwise}``."""

    condition: Condition
    then: tuple[Part, ...]
    otherwise: tuple[Part, ...]


Part = str | Slot | Alternative


class TemplateError(ValueError):
    """A text that does not compile: a message and the offset in the text where it goes wrong."""

    def __init__(self, message: str, offset: int, name: str = "") -> None:
        super().__init__(message)
        self.offset = offset
        self.name = name  # the undeclared variable, when that is what is wrong


_BRACE = re.compile(r"[{}]")
# The characters ``_split_top`` looks at, for each separator it splits at: the rest is skipped by the regex.
_SPLIT_AT = {sep: re.compile("['\"{}" + re.escape(sep) + "]") for sep in ":|"}


def _closing(text: str, start: int) -> int:
    """The index of the '}' that closes the '{' at ``start`` (braces inside nest; '{{'/'}}' are literal)."""
    depth, i = 0, start
    while (found := _BRACE.search(text, i)) is not None:
        i = found.start()
        if text[i] == "{":
            if i > start and text.startswith("{{", i):
                i += 2
                continue
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise TemplateError("an unclosed '{' (write {{ for a literal brace)", start)


def _split_top(text: str, sep: str) -> int:
    """The index of the first ``sep`` (':' or '|') not inside braces or quotes, or -1.

    Quotes count only in a condition (before the ':'); in the shown text ('|') an apostrophe or a
    quotation mark is prose ("you're", "don't"), never the start of a string."""
    depth, quote = 0, ""
    for found in _SPLIT_AT[sep].finditer(text):
        ch = found.group()
        if sep == "|" and ch in "'\"":
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:  # ch is sep
            return found.start()
    return -1


def compile_template(
    text: str,
    types: Mapping[str, str],
    scene_exists: Callable[[str], bool] | None = None,
    base: int = 0,
    conditions: dict[str, Condition] | None = None,
) -> tuple[Part, ...]:
    """Parse and check ``text``; raise TemplateError (offsets count from ``base``) on a bad part.

    ``conditions``: the conditions of inline alternatives parsed so far against the same ``types``
    and ``scene_exists``, by source (the loader's, for all the texts of a story); added to."""
    parts: list[Part] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        found = _BRACE.search(text, i)
        if found is None:  # no brace left: the rest is text
            literal.append(text[i:])
            break
        if found.start() > i:
            literal.append(text[i : found.start()])
        i = found.start()
        ch = text[i]
        if text.startswith(ch * 2, i):
            literal.append(ch)
            i += 2
            continue
        if ch == "}":
            raise TemplateError("a '}' that closes nothing (write }} for a literal brace)", base + i)
        end = _closing(text, i)
        inner = text[i + 1 : end]
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(_part(inner, types, scene_exists, base + i, conditions))
        i = end + 1
    if literal:
        parts.append("".join(literal))
    return tuple(parts)


def _part(
    inner: str,
    types: Mapping[str, str],
    scene_exists: Callable[[str], bool] | None,
    at: int,
    conditions: dict[str, Condition] | None,
) -> Part:
    stripped = inner.strip()
    if stripped.startswith("if ") or stripped == "if":
        return _alternative(inner, types, scene_exists, at, conditions)
    if stripped not in types:
        raise TemplateError(f"undeclared variable {{{stripped}}}", at, stripped)
    return Slot(stripped, at)


def _alternative(
    inner: str,
    types: Mapping[str, str],
    scene_exists: Callable[[str], bool] | None,
    at: int,
    conditions: dict[str, Condition] | None,
) -> Alternative:
    body_at = at + 1 + inner.index("if") + 2
    body = inner[inner.index("if") + 2 :]
    colon = _split_top(body, ":")
    if colon < 0:
        raise TemplateError("an inline alternative reads {if CONDITION: shown when true|shown when false}", at)
    source = body[:colon]
    condition = conditions.get(source.strip()) if conditions is not None else None
    if condition is None:
        try:
            condition = parse_condition(source.strip(), types, scene_exists)
        except ConditionError as exc:
            raise TemplateError(f"bad condition {source.strip()!r}: {exc}", body_at + exc.offset) from None
        if conditions is not None:
            conditions[source.strip()] = condition
    rest = body[colon + 1 :]
    rest_at = body_at + colon + 1
    bar = _split_top(rest, "|")
    then, otherwise = (rest, "") if bar < 0 else (rest[:bar], rest[bar + 1 :])
    lead = len(then) - len(then.lstrip(" "))
    return Alternative(
        condition,
        compile_template(then.lstrip(" "), types, scene_exists, rest_at + lead, conditions),
        compile_template(otherwise, types, scene_exists, rest_at + bar + 1, conditions),
    )


def template_names(parts: tuple[Part, ...]) -> set[str]:
    """Every variable a compiled text reads (slots and the conditions of alternatives)."""
    names: set[str] = set()
    for part in parts:
        if isinstance(part, Slot):
            names.add(part.name)
        elif isinstance(part, Alternative):
            names |= part.condition.variables | template_names(part.then) | template_names(part.otherwise)
    return names


def template_conditions(parts: tuple[Part, ...]) -> list[Condition]:
    """The conditions of every inline alternative in a compiled text."""
    out: list[Condition] = []
    for part in parts:
        if isinstance(part, Alternative):
            out += [part.condition, *template_conditions(part.then), *template_conditions(part.otherwise)]
    return out


_CACHE: dict[str, tuple[Part, ...]] = {}


def remember(text: str, parts: tuple[Part, ...]) -> None:
    """Keep ``parts``, compiled by the loader against the story's types, as the compiled form of ``text``."""
    _CACHE.setdefault(text, parts)


def compiled(text: str, variables: Mapping[str, Any]) -> tuple[Part, ...]:
    """The compiled form of a text of a loaded story (its variables give the types); cached by source."""
    parts = _CACHE.get(text)
    if parts is None:
        types = {k: type_name(v) for k, v in variables.items()}
        parts = _CACHE[text] = compile_template(text, types)
    return parts


def _fill(
    parts: tuple[Part, ...],
    variables: Mapping[str, Value],
    visits: Mapping[str, int],
    labels: Mapping[str, str] | None = None,
) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Slot):
            out.append(format_value(variables[part.name], labels))
        else:
            chosen = part.then if part.condition(variables, visits) else part.otherwise
            out.append(_fill(chosen, variables, visits, labels))
    return "".join(out)


def interpolate(
    text: str,
    variables: Mapping[str, Value],
    visits: Mapping[str, int] | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """``text`` with its ``{name}``s (words named by ``labels`` shown by their names), ``{if ...}``
    alternatives and ``{{``/``}}`` filled in."""
    if "{" not in text and "}" not in text:
        return text
    return _fill(compiled(text, variables), variables, visits or {}, labels)


def paragraph_text(p: Paragraph, variables: Mapping[str, Value], visits: Mapping[str, int]) -> str | None:
    """What a paragraph shows now: its text, its ``else`` text, or nothing (None)."""
    if p.condition is None or p.condition(variables, visits):
        return p.text
    return p.otherwise


def render_text(
    scene: Scene,
    variables: Mapping[str, Value],
    visits: Mapping[str, int],
    labels: Mapping[str, str] | None = None,
) -> str:
    parts = []
    for p in scene.paragraphs:
        text = paragraph_text(p, variables, visits)
        if text is not None:
            parts.append(interpolate(text.strip(), variables, visits, labels))
    return "\n\n".join(parts)
