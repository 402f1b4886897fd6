"""Scene text as the player reads it: conditional paragraphs chosen, {variables} filled in."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import Scene, Value

INTERPOLATION = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def format_value(value: Value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(v.replace("_", " ") for v in value) if value else "none"
    return str(value)


def interpolate(text: str, variables: Mapping[str, Value]) -> str:
    if "{" not in text and "}" not in text:
        return text

    def fill(m: re.Match[str]) -> str:
        name = m.group(1)
        if name is None:
            return m.group(0)[0]
        return format_value(variables[name.strip()])

    return INTERPOLATION.sub(fill, text)


def render_text(scene: Scene, variables: Mapping[str, Value], visits: Mapping[str, int]) -> str:
    parts = [
        interpolate(p.text.strip(), variables)
        for p in scene.paragraphs
        if p.condition is None or p.condition(variables, visits)
    ]
    return "\n\n".join(parts)
