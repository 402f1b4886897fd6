"""Reading YAML files safely and fast, and finding line/column marks only when needed.

Files are parsed with the C ``CSafeLoader`` when PyYAML has it (else ``SafeLoader``)
into plain Python values, with no marks: that is the hot path. When a problem must
be located, the file is composed once more with marks (``locate``). The PyYAML side
lives in ``yamlfast`` and is imported on first use, so that a start-up served by the
story cache does not pay for importing PyYAML.
"""

from __future__ import annotations

from typing import Any

from .yamlpath import Key, Within, YamlFileError, decode

__all__ = ["Key", "Within", "YamlFileError", "decode", "locate", "parse", "parse_noting"]


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
