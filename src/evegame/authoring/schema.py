"""The JSON Schemas shipped inside the package, for editors (yaml-language-server) and CI."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

KINDS = ("story", "playthrough")


def schema_text(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown schema {kind!r}; choose one of {', '.join(KINDS)}")
    return resources.files("evegame").joinpath("schemas", f"{kind}.schema.json").read_text(encoding="utf-8")


def schema(kind: str) -> dict[str, Any]:
    return json.loads(schema_text(kind))
