"""evegame: Ballerina, a terminal text adventure on a YAML story engine."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """``__version__``, looked up on first use: importing importlib.metadata slows every start-up."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("evegame")
    except PackageNotFoundError:  # running from a checkout without an install
        value = "0+unknown"
    globals()["__version__"] = value
    return value
