"""The PyYAML side of ``yamlsource``: the fast safe loader, parsing, and composing with marks.

Kept apart so that PyYAML (tens of milliseconds to import) is loaded only when a
story file is really parsed: a start-up served by the story cache never needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .yamlpath import Key, Within, YamlFileError, decode

SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Scalar, _Sequence, _Mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
# First characters with which a plain scalar might be something other than a string.
_MAYBE_NOT_STR = frozenset("yYnNtTfFoO~-+.0123456789<=")
# Of those, the letters: a plain scalar starting with one is a bool or null only when it is one of
# these words (PyYAML's bool and null patterns, exactly); other prose ("Them", "On the stair") is text.
_WORD_START = frozenset("yYnNtTfFoO")
_BOOL_NULL_WORDS = frozenset(
    w for word in ("yes", "no", "true", "false", "on", "off", "null") for w in (word, word.capitalize(), word.upper())
)
# Deeper flow nesting ("[[[[..." or "{a: {a: ...") is refused before parsing: libyaml's time
# grows with the square of the depth (8,000 levels take half a second), and no story needs it.
MAX_DEPTH = 200
# Whole numbers beyond 18 digits are refused: no story needs them, and beyond 4,300 digits
# Python cannot even print them (a hex literal gets there in a few kilobytes).
MAX_INT = 10**18
_BRACKETS = re.compile(r"[\[\]{}]")
_TAG_WORDS = {
    "int": "a whole number",
    "float": "a decimal number",
    "bool": "true or false",
    "timestamp": "a date",
    "binary": "base64 data",
    "null": "null",
}


# Words that YAML 1.1 (PyYAML) reads as true/false when unquoted, and YAML 1.2 (editors) as text.
YAML11_WORDS = frozenset({"yes", "no", "on", "off", "y", "n"})


@dataclass
class YamlNotes:
    """What a parse noticed beyond the values: repeated keys and unquoted YAML 1.1 booleans.

    ``duplicates``: (line, col, message) at each repeated key. ``words``: for each plain
    scalar spelled yes/no/on/off/y/n (any case), keyed by (id of its mapping or list, key
    or index), the word as written and its (line, col). The loader judges them in place.
    """

    duplicates: list[tuple[int, int, str]] = field(default_factory=list)
    words: dict[tuple[int, Any], tuple[str, int, int]] = field(default_factory=dict)


class BadValueError(yaml.constructor.ConstructorError):
    """A scalar that cannot be what its tag says (``!!int abc``, a 5,000-digit number, month 13)."""


class FastLoader(SafeBase):  # type: ignore[misc]
    """The safe loader with two shortcuts that keep its results exactly.

    * ``resolve`` answers "string" at once for a plain scalar whose first character
      cannot start a bool, null, number, merge or value (most story prose), instead
      of trying every implicit resolver's regex.
    * ``get_single_data`` builds strings, lists and mappings from the node tree
      directly, without the generic constructor's bookkeeping; every other tag
      (numbers, bools, timestamps, merges, and unknown or Python tags, which are
      refused) goes through ``SafeConstructor`` as before.
    """

    def resolve(self, kind, value, implicit):  # type: ignore[no-untyped-def]
        if kind is _Scalar:
            if not implicit[0]:
                if not self.yaml_path_resolvers:
                    return _STR  # quoted or a block: text (PyYAML's default for a scalar that is not plain)
            elif value:
                first = value[0]
                if first not in _MAYBE_NOT_STR:
                    return _STR
                if first in _WORD_START and value not in _BOOL_NULL_WORDS and value[-1] != "\n":
                    return _STR
        return super().resolve(kind, value, implicit)

    # PyYAML's composer calls these two around every node to follow path resolvers, which this
    # loader never has (``yaml_path_resolvers`` is empty, so both would return at once). Builtins
    # stand in for them: called with the same arguments, they do nothing that is kept, in C.
    descend_resolver = staticmethod(slice)  # (parent node, index) -> a throwaway slice
    ascend_resolver = staticmethod(tuple)  # () -> the empty tuple

    notes: YamlNotes
    # Whether a merge key ('<<', or an explicit tag) can be in the document at all; when not, no
    # mapping's keys are searched for one. Set by ``parse_noting`` from the text.
    merges_possible = True

    def get_single_data(self) -> Any:
        self.notes = YamlNotes()
        node = self.get_single_node()
        if node is None:
            return None
        return self._plain(node, {}, 0)

    def _note_word(self, container: Any, key: Any, node: yaml.Node) -> None:
        """Remember a plain scalar that YAML 1.1 reads as a flag (yes, Off, n ...)."""
        mark = node.start_mark
        self.notes.words[(id(container), key)] = (node.value, mark.line + 1, mark.column + 1)

    def _note_duplicate(self, node: yaml.MappingNode, key_node: yaml.Node, key: Any) -> None:
        first = next(k for k, _ in node.value if k is not key_node and self._plain(k, {}, 0) == key)
        mark = key_node.start_mark
        self.notes.duplicates.append(
            (
                mark.line + 1,
                mark.column + 1,
                f"key {key!r} appears twice in one mapping (first at line {first.start_mark.line + 1}); "
                "YAML would keep only this one: remove one of them",
            )
        )

    def _plain(self, node: yaml.Node, memo: dict[int, Any], depth: int) -> Any:
        tag = node.tag
        if tag == _STR and type(node) is _Scalar:
            return node.value
        if depth > MAX_DEPTH:
            raise RecursionError("nested too deeply")
        key = id(node)
        if key in memo:  # an alias: the same object, as PyYAML gives
            return memo[key]
        if tag == _SEQ and type(node) is _Sequence:
            items: list[Any] = []
            memo[key] = items
            for index, child in enumerate(node.value):
                if type(child) is _Scalar:
                    value = child.value
                    # a string scalar is its text (the common case, without a call)
                    items.append(value if child.tag == _STR else self._plain(child, memo, depth + 1))
                    if not child.style and len(value) <= 3 and value.lower() in YAML11_WORDS:
                        self._note_word(items, index, child)
                else:
                    items.append(self._plain(child, memo, depth + 1))
            return items
        if tag == _MAP and type(node) is _Mapping and not (self.merges_possible and _has_merge(node)):
            mapping: dict[Any, Any] = {}
            memo[key] = mapping
            for key_node, value_node in node.value:
                if key_node.tag == _STR and type(key_node) is _Scalar:
                    k = key_node.value
                else:
                    k = self._plain(key_node, memo, depth + 1)
                    try:
                        hash(k)
                    except TypeError:
                        raise yaml.constructor.ConstructorError(
                            "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                        ) from None
                if k in mapping:
                    self._note_duplicate(node, key_node, k)
                if type(value_node) is _Scalar:
                    value = value_node.value
                    mapping[k] = value if value_node.tag == _STR else self._plain(value_node, memo, depth + 1)
                    if not value_node.style and len(value) <= 3 and value.lower() in YAML11_WORDS:
                        self._note_word(mapping, k, value_node)
                else:
                    mapping[k] = self._plain(value_node, memo, depth + 1)
            return mapping
        try:
            value = self.construct_object(node, deep=True)
        except (ValueError, TypeError, KeyError, OverflowError, IndexError, AttributeError) as exc:
            # AttributeError: PyYAML's timestamp constructor when its own pattern does not match the value
            raise _bad_value(node, exc) from None
        if type(value) is int and not -MAX_INT < value < MAX_INT:
            raise _bad_value(node, OverflowError("too large"))
        memo[key] = value
        return value


def _has_merge(node: yaml.MappingNode) -> bool:
    return any(key_node.tag == _MERGE for key_node, _ in node.value)


def _bad_value(node: yaml.Node, exc: Exception) -> BadValueError:
    kind = str(node.tag).rsplit(":", 1)[-1]
    shown = node.value if isinstance(node.value, str) else ""
    shown = shown if len(shown) <= 30 else shown[:27] + "..."
    if kind == "int" and ("digits" in str(exc) or isinstance(exc, OverflowError)):
        message = f"the number {shown!r} is too large (a story's numbers have at most 18 digits)"
    else:
        message = f"{shown!r} is not {_TAG_WORDS.get(kind, 'a valid ' + kind)}"
    return BadValueError(None, None, message, node.start_mark)


def _line_col(text: str, index: int) -> tuple[int, int]:
    """The 1-based (line, column) of a character index."""
    index = max(0, min(index, len(text)))
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where flow brackets first nest deeper than MAX_DEPTH, if they do (a cheap scan, quoting ignored)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_col(text, m.start())
        elif depth:
            depth -= 1
    return None


def _deep_node(text: str) -> tuple[int, int]:
    """Where the node tree first nests deeper than MAX_DEPTH (block nesting), walked without recursion."""
    try:
        root = yaml.compose(text, Loader=FastLoader)
    except (yaml.YAMLError, RecursionError):
        return (1, 1)
    stack, seen = [(root, 0)], set()
    while stack:
        node, depth = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
    return (1, 1)


def parse(text: str) -> Any:
    """Parse one YAML document into plain values, safely; raise YamlFileError (always with a position)."""
    return parse_noting(text)[0]


def parse_noting(text: str) -> tuple[Any, YamlNotes]:
    """``parse``, and what it noticed on the way (repeated keys, YAML 1.1 booleans)."""
    deep = _too_deep(text)
    if deep is not None:
        raise YamlFileError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels of [ ] or {{ }})", *deep)
    try:
        loader = FastLoader(text)
        # An implicit merge key is a plain '<<'; an explicit merge tag needs '!!', '!<...>' or a %TAG directive.
        loader.merges_possible = any(mark in text for mark in ("<<", "!!", "!<", "%TAG"))
        try:
            return loader.get_single_data(), loader.notes
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        message = _describe(exc)
        if _at_end(exc, text) and "end of stream" not in message:
            message += " before the file ends"
        raise YamlFileError(message, *_where(exc, text)) from None
    except yaml.reader.ReaderError as exc:
        message = f"character U+{exc.character:04X} is not allowed in a YAML file ({exc.reason})"
        raise YamlFileError(message, *_line_col(text, exc.position)) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(f"YAML error: {exc}", 1, 1) from None
    except RecursionError:
        raise YamlFileError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", *_deep_node(text)) from None


def _at_end(exc: yaml.MarkedYAMLError, text: str) -> bool:
    """Whether the parser's problem is the end of the file (its mark is then past the last line)."""
    mark = exc.problem_mark
    return mark is not None and mark.index >= len(text.rstrip())


def _where(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int]:
    """Where to report a syntax error: at the problem, or, when the file ends first, where the
    unfinished item began (libyaml marks the end of a file one line past its last line)."""
    mark = exc.problem_mark or exc.context_mark
    if _at_end(exc, text):
        if exc.context_mark is not None:
            mark = exc.context_mark
        else:
            return _line_col(text, len(text.rstrip()))
    if mark is None:
        return (1, 1)
    return (mark.line + 1, mark.column + 1)


def _describe(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "YAML error"
    if isinstance(exc, BadValueError):
        return problem
    if "could not determine a constructor for the tag" in problem or "python/" in problem:
        tag = problem.split("tag", 1)[-1].strip(" '")
        return f"YAML tag {tag!r} is not allowed: story files hold plain data only"
    if "expected a single document" in problem:
        return "a story file holds one YAML document (remove the extra '---')"
    context = f"{exc.context}, " if exc.context else ""
    return f"YAML syntax error: {context}{problem}"


@lru_cache(maxsize=64)
def _compose(path: str, mtime_ns: int) -> tuple[yaml.Node | None, str]:
    text = decode(Path(path).read_bytes())
    try:
        return yaml.compose(text, Loader=FastLoader), text
    except (yaml.YAMLError, RecursionError):
        return None, text


def _inside(node: yaml.Node, text: str, within: Within) -> tuple[int, int] | None:
    """The position of ``within`` inside a scalar's source text, if it can be found there."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    start, end = node.start_mark.index, node.end_mark.index
    found = text.find(within.needle, start, end)
    if found < 0:
        return None
    pos = found + within.skip
    line = text.count("\n", 0, pos) + 1
    return (line, pos - (text.rfind("\n", 0, pos) + 1) + 1)


def locate(path: str, ypath: tuple[Any, ...]) -> tuple[int, int]:
    """The 1-based (line, column) at ``ypath`` in a file: see ``yamlsource.locate``."""
    try:
        node, text = _compose(path, Path(path).stat().st_mtime_ns)
    except (OSError, YamlFileError):
        return (1, 1)
    if node is None:
        return (1, 1)
    mark = node.start_mark
    for step in ypath:
        if isinstance(step, Within):
            return _inside(node, text, step) or (mark.line + 1, mark.column + 1)
        if isinstance(step, Key):
            found = _mapping_item(node, step.name)
            if found is not None:
                mark = found[0].start_mark
            break
        if isinstance(node, yaml.MappingNode):
            found = _mapping_item(node, step)
            if found is None:
                break
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            break
        mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


def _mapping_item(node: yaml.Node, key: Any) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    found = None
    for k, v in node.value:  # the last duplicate wins, as in the loaded data
        if isinstance(k, yaml.ScalarNode) and k.value == str(key):
            found = (k, v)
    return found
