"""Tools for story authors: statistics, the story map, JSON Schemas and scaffolding.

Clients of the engine like the TUI and the test tools; nothing here imports Textual.
"""

import os

from ..engine.model import Story


def story_relative(story: Story, file: str) -> str:
    """A story file's path relative to the story folder, as authors name it."""
    try:
        return os.path.relpath(file, story.root)
    except ValueError:  # another drive on Windows
        return file
