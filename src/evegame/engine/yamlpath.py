"""Paths into YAML files and the error of a bad file: shared by ``yamlsource`` and ``yamlfast``."""

from __future__ import annotations

from dataclasses import dataclass


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
