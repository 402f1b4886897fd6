"""The history as a line-drawn view: wrapped lazily from the latest entry, only the lines on screen drawn.

A long game's transcript is hundreds of paragraphs; laying it out as Markdown widgets took
seconds. Here the text is cut into words (``*em*``, ``_em_`` and ``**strong**`` kept as
styles), wrapped greedily at the view's width, and drawn by ``render_line`` for the rows
in view only. The view opens at the latest entry, so it wraps the last few screens' worth of
paragraphs at once and the earlier ones in slices after each frame (the view stays on the
same text as lines are added above it); Home, or scrolling near the top, wraps the rest at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..session import Entry

BOLD, ITALIC = 1, 2
Kind = Literal["heading", "text", "choice", "ending", "blank"]
Run = tuple[str, int]  # text and BOLD/ITALIC flags
Line = tuple[Kind, tuple[Run, ...]]

MARKER = re.compile(r"\*\*|\*|_|\s+|[^\s*_]+")


@dataclass(frozen=True)
class Block:
    """One paragraph of the transcript and what it is (a scene heading, text, the choice made)."""

    kind: Kind
    text: str


def transcript_blocks(entries: list[Entry], ending: str | None = None) -> list[Block]:
    """The paragraphs of a transcript, in reading order."""
    out: list[Block] = []
    for number, entry in enumerate(entries, 1):
        out.append(Block("heading", f"{number}. {entry.title or entry.scene}"))
        out.extend(Block("text", p) for p in entry.text.split("\n\n") if p.strip())
        if entry.choice is not None:
            out.append(Block("choice", f"You chose: {entry.choice}"))
        out.append(Block("blank", ""))
    if ending:
        out.append(Block("ending", f"Ending: {ending}"))
    return out


def words(paragraph: str) -> list[list[Run]]:
    """The words of a paragraph, each a list of styled runs; emphasis markers toggle the style."""
    out: list[list[Run]] = []
    word: list[Run] = []
    flags = 0
    tokens = MARKER.findall(paragraph)
    for index, token in enumerate(tokens):
        if token[0].isspace():
            if word:
                out.append(word)
                word = []
            continue
        if token in ("**", "*", "_"):
            before = tokens[index - 1] if index else " "
            after = tokens[index + 1] if index + 1 < len(tokens) else " "
            inside_word = token == "_" and before[-1].isalnum() and after[0].isalnum()
            if not inside_word and not (before[-1].isspace() and after[0].isspace()):
                flags ^= BOLD if token == "**" else ITALIC
                continue
        word.append((token, flags))
    if word:
        out.append(word)
    return out


def wrap(paragraph: str, width: int) -> list[tuple[Run, ...]]:
    """Greedy word wrap to ``width`` cells; a word longer than a line is cut."""
    width = max(1, width)
    lines: list[tuple[Run, ...]] = []
    line: list[Run] = []
    used = 0
    for word in words(paragraph):
        size = sum(cell_len(text) for text, _ in word)
        if line and used + 1 + size > width:
            lines.append(tuple(line))
            line, used = [], 0
        if line:
            line.append((" ", line[-1][1] & word[0][1]))
            used += 1
        if size > width:  # a word wider than the view: cut it into pieces
            text = "".join(t for t, _ in word)
            pieces = chop_cells(text, width)
            for piece in pieces[:-1]:
                lines.append(((piece, word[0][1]),))
            line, used = [(pieces[-1], word[0][1])], cell_len(pieces[-1])
            continue
        line.extend(word)
        used += size
    lines.append(tuple(line))
    return lines


def layout(blocks: Iterable[Block], width: int) -> list[Line]:
    out: list[Line] = []
    for block in blocks:
        if block.kind == "blank":
            out.append(("blank", ()))
            continue
        out.extend((block.kind, runs) for runs in wrap(block.text, width))
        if block.kind == "text":
            out.append(("blank", ()))
    return out


class TranscriptView(ScrollView, can_focus=True):
    """Scrolls with ↑ ↓, PgUp/PgDn, Home/End (ScrollView's bindings) and the mouse wheel."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript--heading",
        "transcript--choice",
        "transcript--ending",
    }
    DEFAULT_CSS = """
    TranscriptView {
        overflow-x: hidden;
        scrollbar-gutter: stable;  /* the wrap width does not change when the scrollbar appears */
        & > .transcript--heading { text-style: bold; color: $text-primary; }
        & > .transcript--choice { text-style: italic; color: $text-accent; }
        & > .transcript--ending { text-style: bold reverse; }
    }
    """

    SLICE = 40  # paragraphs wrapped per frame while the earlier history is laid out in the background
    AHEAD = 3  # screens of text wrapped above the view before it is drawn

    def __init__(self, blocks: list[Block], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.blocks = blocks
        self.lines: list[Line] = []  # the wrapped lines of blocks[self._first:]
        self._first = len(blocks)
        self._width = -1
        self._follow_end = True  # at the latest scene until the player scrolls away from the bottom
        self._styles: dict[tuple[Kind, int], Style] = {}
        self._scheduled = False

    @property
    def complete(self) -> bool:
        """Whether every paragraph is wrapped (``lines`` is the whole transcript)."""
        return self._first == 0

    @property
    def plain_lines(self) -> list[str]:
        """Every line laid out so far as plain text (for tests and copying); ``complete`` says if that is all."""
        return ["".join(text for text, _ in runs) for _, runs in self.lines]

    def visible_lines(self) -> list[str]:
        top = round(self.scroll_y)
        return self.plain_lines[top : top + self.scrollable_content_region.height]

    def on_resize(self) -> None:
        self.relayout()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._width > 0:
            self._follow_end = new_value >= self.max_scroll_y
            if not self.complete and new_value < self.scrollable_content_region.height:
                self.call_next(self._wrap_up_to_view)  # near the top of what is wrapped: wrap more first

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        if shown:  # the view may have scrolled before its scrollbar was shown: the thumb goes where the view is
            self.vertical_scrollbar.position = self.scroll_y

    def relayout(self) -> None:
        """Wrap the text at the view's width (when it changed); keep the bottom in view while following it."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        if width != self._width:
            self._width = width
            self.lines, self._first = [], len(self.blocks)
            self._styles.clear()
            self._wrap_up(self.AHEAD * max(1, self.scrollable_content_region.height))
            self._schedule()
        if self._follow_end:  # opens at the latest scene (again once the new size is laid out)
            self._to_end()
            self.call_after_refresh(self._to_end)

    def _wrap_up(self, lines: int = 0, blocks: int = 0) -> None:
        """Wrap earlier paragraphs until ``lines`` more lines or ``blocks`` more paragraphs (or all) are laid
        out; what is in view stays in view."""
        start = self._first
        stop = max(0, start - blocks) if blocks else 0
        chunks: list[list[Line]] = []
        count, first = 0, start
        while first > stop and (not lines or count < lines):
            first -= 1
            chunks.append(layout([self.blocks[first]], self._width))
            count += len(chunks[-1])
        if not chunks:
            return
        added = [line for chunk in reversed(chunks) for line in chunk]
        # where the player is going: a page key may have started a scroll that has not moved yet
        target, leaving = self.scroll_target_y, self._leaving_the_end()
        self._first = first
        self.lines[0:0] = added
        self.virtual_size = Size(self._width, len(self.lines))
        if self._follow_end and not leaving:
            self._to_end()
        else:  # the same text stays in view as lines are added above it
            self._follow_end = False
            self.scroll_to(y=target + len(added), animate=False, immediate=True, force=True)

    def _schedule(self) -> None:
        if not self.complete and not self._scheduled:
            self._scheduled = True
            self.call_after_refresh(self._wrap_slice)

    def _wrap_slice(self) -> None:
        """Wrap the next slice of earlier paragraphs (after a frame), until the whole history is laid out."""
        self._scheduled = False
        if self._width > 0:
            self._wrap_up(blocks=self.SLICE)
            self._schedule()

    def _wrap_up_to_view(self) -> None:
        if self._width > 0 and not self.complete and self.scroll_y < self.scrollable_content_region.height:
            self._wrap_up(self.AHEAD * max(1, self.scrollable_content_region.height))

    def action_scroll_home(self) -> None:
        """Home: the first scene (the whole history wrapped first)."""
        if self._width > 0:
            self._wrap_up()
        self._follow_end = False
        super().action_scroll_home()

    def _leaving_the_end(self) -> bool:
        """Whether a scroll up is under way (a page key's animation may not have moved the view yet)."""
        target = self.scroll_target_y
        return target != self.scroll_y and target < self.max_scroll_y

    def _to_end(self) -> None:
        if self._follow_end and self._leaving_the_end():
            self._follow_end = False  # the player scrolled before the deferred jump to the end came
        if self._follow_end:
            # forced: laid out before the layout that shows its scrollbar, the view would refuse to scroll
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, kind: Kind, flags: int) -> Style:
        key = (kind, flags)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if kind in ("heading", "choice", "ending"):
                style += self.get_component_rich_style(f"transcript--{kind}", partial=True)
            style += Style(bold=True if flags & BOLD else None, italic=True if flags & ITALIC else None)
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, base)
        kind, runs = self.lines[index]
        strip = Strip([Segment(text, self._style(kind, flags)) for text, flags in runs])
        return strip.extend_cell_length(width, base).crop(0, width)
