"""The four value types of story variables, and how errors name values."""

from __future__ import annotations

from typing import Any

TYPE_WORDS = {"bool": "a flag", "int": "a number", "str": "a string", "list": "a list"}


def type_name(value: Any) -> str:
    """``bool``, ``int``, ``str`` or ``list`` for a story value; the Python type's name otherwise."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def is_value_of(value: Any, want: str) -> bool:
    """Whether ``value`` is a story value of type ``want`` (a list holds only strings)."""
    return type_name(value) == want and (want != "list" or all(isinstance(v, str) for v in value))


def describe(value: Any) -> str:
    """A YAML value as an error message names it: 'a number 3', 'true/false', 'a mapping'."""
    if value is None:
        return "nothing (null)"
    words = {
        bool: "true/false",
        int: "a number",
        float: "a decimal number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
    }
    word = words.get(type(value), type(value).__name__)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        shown = repr(value) if len(repr(value)) < 30 else repr(value)[:27] + "...'"
        return f"{word} {shown}"
    return word
