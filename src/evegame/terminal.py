"""Facts about the terminal that every command-line front end shares."""

from __future__ import annotations

import os


def use_colour(stream: object) -> bool:
    """Colour on ``stream``: never with ``NO_COLOR``, always with ``FORCE_COLOR``, else only on a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def is_terminal(stream: object) -> bool:
    """True when ``stream`` is an interactive terminal (a closed or missing stream is not)."""
    try:
        return bool(getattr(stream, "isatty", lambda: False)())
    except ValueError:  # closed
        return False
