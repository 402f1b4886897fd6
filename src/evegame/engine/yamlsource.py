"""Reading YAML files safely and fast, and finding line/column marks only when needed.

Files are parsed with the C ``CSafeLoader`` when PyYAML has it (else ``SafeLoader``)
into plain Python values, with no marks: that is the hot path. When a problem must
be located, the file is composed once more with marks (``locate``). The PyYAML side
lives in ``yamlfast`` and is imported on first use, so that a start-up served by the
story cache does not pay for importing PyYAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Key:
    """The last element of a YAML path that points at a mapping key, not its value."""

    name: str


@dataclass(frozen=True)
class Within:
    """The last element of a YAML path that points inside a scalar: at ``needle``, plus ``skip`` characters."""

    needle: str
    skip: int = 0


class YamlFileError(Exception):
    """A file that is not valid, safe, UTF-8 YAML; carries a 1-based position."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.col = col


def decode(data: bytes) -> str:
    """Decode UTF-8 (a BOM is allowed); raise YamlFileError at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlFileError(
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8", line, col
        ) from None


def parse(text: str) -> Any:
    """Parse one YAML document into plain values, safely; raise YamlFileError."""
    from .yamlfast import parse as parse_yaml

    return parse_yaml(text)


def parse_noting(text: str) -> tuple[Any, Any]:
    """``parse``, with the ``yamlfast.YamlNotes`` of repeated keys and YAML 1.1 booleans seen."""
    from .yamlfast import parse_noting as parse_yaml_noting

    return parse_yaml_noting(text)


def locate(path: str, ypath: tuple[Any, ...]) -> tuple[int, int]:
    """The 1-based (line, column) of the value (or ``Key``, or ``Within`` a scalar) at ``ypath`` in a file.

    Walks as deep as the path exists; (1, 1) when the file cannot be composed.
    """
    from .yamlfast import locate as locate_in_yaml

    return locate_in_yaml(path, ypath)
