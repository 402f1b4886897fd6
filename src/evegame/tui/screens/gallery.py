"""The endings gallery: endings found and achievements earned across every game (persisted)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown

from ...engine import Story
from ...engine.render import interpolate
from ...userdata import Gallery
from .base import Panel


def gallery_markdown(story: Story, gallery: Gallery) -> str:
    """Endings found and achievements earned, with their texts as the player read them when found
    (``{var}``s filled in then); texts not recorded (older galleries, things not found yet) are
    filled in from the story's starting values."""
    endings = gallery.endings(story.id)
    earned = gallery.achievements(story.id)
    read_titles = gallery.texts(story.id, "ending_titles")
    read_names = gallery.texts(story.id, "achievement_titles")
    read_about = gallery.texts(story.id, "achievement_descriptions")

    def start(text: str) -> str:
        return interpolate(text, story.variables, {}, story.labels)

    def title(name: str) -> str:
        return read_titles.get(name) or start(story.ending_title(name))

    lines = [f"## Endings: {len([e for e in story.endings if e in endings])} of {len(story.endings)} found", ""]
    for name in sorted(story.endings, key=lambda n: (n not in endings, story.ending_title(n))):
        lines.append(f"- ✓ **{title(name)}**" if name in endings else "- ○ ??? (not found yet)")
    lines.append("")
    if story.achievements:
        got = len([a for a in story.achievements if a.id in earned])
        lines += [f"## Achievements: {got} of {len(story.achievements)}", ""]
        for a in story.achievements:
            mark = "✓" if a.id in earned else "○ not yet:"
            read = a.id in earned
            shown = (read and read_names.get(a.id)) or start(a.title)
            about = (read and read_about.get(a.id)) or start(a.description)
            lines.append(f"- {mark} **{shown}** — {about}")
    return "\n".join(lines)


class GalleryScreen(Panel):
    def compose(self) -> ComposeResult:
        with Vertical(classes="panel-box") as box:
            box.border_title = "Endings gallery"
            box.border_subtitle = "escape closes"
            with VerticalScroll(id="gallery-text", classes="doc"):
                yield Markdown(gallery_markdown(self.eve.story, self.eve.gallery))

    def on_mount(self) -> None:
        self.query_one("#gallery-text", VerticalScroll).focus()
