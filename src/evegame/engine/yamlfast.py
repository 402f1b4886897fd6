"""The PyYAML side of ``yamlsource``: the fast safe loader, parsing, and composing with marks.

Kept apart so that PyYAML (tens of milliseconds to import) is loaded only when a
story file is really parsed: a start-up served by the story cache never needs it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .yamlsource import Key, Within, YamlFileError, decode

SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
# First characters with which a plain scalar might be something other than a string.
_MAYBE_NOT_STR = frozenset("yYnNtTfFoO~-+.0123456789<=")


class FastLoader(SafeBase):  # type: ignore[misc, valid-type]
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
        if kind is yaml.ScalarNode and implicit[0] and value and value[0] not in _MAYBE_NOT_STR:
            return _STR
        return super().resolve(kind, value, implicit)

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        return self._plain(node, {})

    def _plain(self, node: yaml.Node, memo: dict[int, Any]) -> Any:
        tag = node.tag
        if tag == _STR and type(node) is yaml.ScalarNode:
            return node.value
        key = id(node)
        if key in memo:  # an alias: the same object, as PyYAML gives
            return memo[key]
        if tag == _SEQ and type(node) is yaml.SequenceNode:
            items: list[Any] = []
            memo[key] = items
            items.extend(self._plain(child, memo) for child in node.value)
            return items
        if tag == _MAP and type(node) is yaml.MappingNode and not any(k.tag == _MERGE for k, _ in node.value):
            mapping: dict[Any, Any] = {}
            memo[key] = mapping
            for key_node, value_node in node.value:
                k = self._plain(key_node, memo)
                try:
                    hash(k)
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                    ) from None
                mapping[k] = self._plain(value_node, memo)
            return mapping
        value = self.construct_object(node, deep=True)
        memo[key] = value
        return value


def parse(text: str) -> Any:
    """Parse one YAML document into plain values, safely; raise YamlFileError."""
    try:
        return yaml.load(text, Loader=FastLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = _describe(exc)
        if mark is None:
            raise YamlFileError(message) from None
        raise YamlFileError(message, mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlFileError("YAML is nested too deeply") from None


def _describe(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "YAML error"
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
