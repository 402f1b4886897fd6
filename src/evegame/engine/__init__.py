"""The headless game engine: story model, loading, validation, state and the state machine.

Nothing here imports Textual; every client (TUI, CLI, test tools) goes through ``Game``.

The names below are imported from their modules when first used, so that importing one
module of the engine (``evegame.engine.errors`` for the CLI's messages) does not import
all of it: the command line starts without the engine and loads what a verb needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import ChoiceError, EvegameError, Problem, SaveError, StoryError
    from .game import ChoiceView, Game, Outcome, SceneView
    from .loader import LoadResult, load_story, read_story
    from .model import Story

_HOME = {
    "ChoiceError": "errors",
    "EvegameError": "errors",
    "Problem": "errors",
    "SaveError": "errors",
    "StoryError": "errors",
    "ChoiceView": "game",
    "Game": "game",
    "Outcome": "game",
    "SceneView": "game",
    "LoadResult": "loader",
    "load_story": "loader",
    "read_story": "loader",
    "Story": "model",
}

__all__ = [
    "ChoiceError",
    "ChoiceView",
    "EvegameError",
    "Game",
    "LoadResult",
    "Outcome",
    "Problem",
    "SaveError",
    "SceneView",
    "Story",
    "StoryError",
    "load_story",
    "read_story",
]


def __getattr__(name: str) -> Any:
    """``evegame.engine.Game`` and the other names of ``__all__``, imported on first use."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
