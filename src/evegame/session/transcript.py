"""The history of a game as the player read it: scenes and choices, rebuilt by replaying the path."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Game
from ..engine.errors import ChoiceError


@dataclass(frozen=True)
class Entry:
    """One scene as read, and the choice made there (None for the scene the player is in)."""

    scene: str
    title: str
    text: str
    choice: str | None


def transcript(game: Game) -> list[Entry]:
    """Every scene read and choice made, in order, ending with the current scene.

    The text of each scene is the text shown then (the path is replayed on a fresh game).
    Steps the replay cannot reproduce (the story changed since) are listed by title only.
    """
    story = game.story
    replay = Game(story, record_undo=False)
    entries: list[Entry] = []
    path = list(game.path)
    for index, (scene_id, key) in enumerate(path):
        if replay.state.scene != scene_id:
            entries.extend(_unreplayable(game, path[index:]))
            break
        view = replay.scene
        choice = next((c for c in replay.available() if c.key == key), None)
        entries.append(Entry(scene_id, view.title, view.text, choice.text if choice else key))
        try:
            replay.choose(key)
        except ChoiceError:
            entries.extend(_unreplayable(game, path[index + 1 :]))
            break
    view = game.scene
    entries.append(Entry(view.id, view.title, view.text, None))
    return entries


def _unreplayable(game: Game, steps: list[tuple[str, str]]) -> list[Entry]:
    out = []
    for scene_id, key in steps:
        scene = game.story.scenes.get(scene_id)
        title = scene.title if scene else scene_id
        text = next((c.text for c in scene.choices if c.key == key), key) if scene else key
        out.append(Entry(scene_id, title, "", text))
    return out


def to_markdown(story_title: str, entries: list[Entry], *, ending: str | None = None) -> str:
    """The transcript as a Markdown document."""
    lines = [f"# {story_title}", ""]
    for number, entry in enumerate(entries, 1):
        lines.append(f"## {number}. {entry.title or entry.scene}")
        lines.append("")
        if entry.text:
            lines.extend([entry.text, ""])
        if entry.choice is not None:
            lines.extend([f"> **You chose:** {entry.choice}", ""])
    if ending:
        lines.extend([f"**Ending: {ending}**", ""])
    return "\n".join(lines).rstrip() + "\n"
