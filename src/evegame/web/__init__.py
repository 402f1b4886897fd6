"""The game in a web browser: ``evegame serve`` (textual-serve, from the optional ``web`` extra)."""

from __future__ import annotations

INSTALL_HINT = "pip install 'evegame[web]'"


def available() -> bool:
    """True when textual-serve (the ``web`` extra) is installed."""
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        return False
    return True
