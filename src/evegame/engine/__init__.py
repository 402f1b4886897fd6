"""The headless game engine: story model, loading, validation, state and the state machine.

Nothing here imports Textual; every client (TUI, CLI, test tools) goes through ``Game``.
"""

from .errors import ChoiceError, EvegameError, Problem, SaveError, StoryError
from .game import ChoiceView, Game, Outcome, SceneView
from .loader import LoadResult, load_story, read_story
from .model import Story

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
