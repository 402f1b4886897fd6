"""The Textual client of the engine: ``EveGameApp`` and its screens.

Every change to a game goes through ``evegame.engine.Game``; this package only shows
the game and turns keys, clicks and palette commands into calls on it.
"""

from .app import EveGameApp

__all__ = ["EveGameApp"]
