"""Markdown as plain text wrapped to a width: emphasis as *stars*, lists as lines, no escape codes.

A screen reader or a pipe gets the words and nothing else; the parsing is markdown-it's
(CommonMark), so what the TUI shows in bold or italics is what is starred here.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

INLINE_MARKS = {"em": "*", "strong": "**", "s": "~~"}
SCENE_BREAK = "* * *"


@dataclass(frozen=True)
class Block:
    """One paragraph-like piece: its text, the indents of its first and later lines, and whether it wraps."""

    text: str
    first: str = ""
    rest: str = ""
    wrap: bool = True
    tight: bool = False


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def inline_text(children: list[Token]) -> str:
    """The words of an inline run, with emphasis as stars and links as ``text (address)``."""
    out: list[str] = []
    links: list[str] = []
    for token in children:
        kind = token.type
        if kind in ("text", "code_inline"):
            out.append(token.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind.endswith("_open") and kind[:-5] in INLINE_MARKS:
            out.append(INLINE_MARKS[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in INLINE_MARKS:
            out.append(INLINE_MARKS[kind[:-6]])
        elif kind == "link_open":
            links.append(str(token.attrs.get("href", "")))
            out.append("")
        elif kind == "link_close":
            href = links.pop() if links else ""
            if href and not href.startswith("#"):
                out.append(f" ({href})")
        elif kind == "image":
            out.append(token.content or str(token.attrs.get("alt", "")))
    return "".join(out)


def blocks(markdown: str) -> list[Block]:
    """The document as blocks: paragraphs, headings, list items (with their markers), quotes, code."""
    out: list[Block] = []
    indents: list[str] = []  # one per open list item or quote: what its later lines start with
    numbering: list[int | None] = []  # per open list: the next number, None for bullets
    marker = ""  # the list marker the next paragraph starts with
    tight = False
    for token in _parser().parse(markdown):
        kind = token.type
        if kind == "bullet_list_open":
            numbering.append(None)
        elif kind == "ordered_list_open":
            numbering.append(int(str(token.attrs.get("start", 1) or 1)))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbering.pop()
        elif kind == "list_item_open":
            number = numbering[-1] if numbering else None
            marker = "- " if number is None else f"{number}. "
            if number is not None:
                numbering[-1] = number + 1
            indents.append(" " * len(marker))
        elif kind == "blockquote_open":
            indents.append("    ")
        elif kind in ("list_item_close", "blockquote_close"):
            indents.pop()
            marker = ""
        elif kind == "paragraph_open":
            tight = token.hidden
        elif kind == "inline":
            rest = "".join(indents)
            first = "".join(indents[:-1]) + marker if marker else rest
            out.append(Block(inline_text(token.children or []), first, rest, tight=tight))
            marker, tight = "", False
        elif kind == "hr":
            out.append(Block(SCENE_BREAK, "".join(indents), "".join(indents), wrap=False))
        elif kind in ("fence", "code_block"):
            code = "".join(indents) + "    "
            out.append(Block(token.content.rstrip("\n"), code, code, wrap=False))
        elif kind == "html_block":
            out.append(Block(token.content.strip(), "".join(indents), "".join(indents)))
    return out


def render(markdown: str, width: int) -> str:
    """``markdown`` as plain text, every line at most ``width`` columns where words allow."""
    pieces: list[str] = []
    previous: Block | None = None
    for block in blocks(markdown):
        if previous is not None:
            pieces.append("\n" if previous.tight and block.tight else "\n\n")
        pieces.append(wrap_block(block, width))
        previous = block
    return "".join(pieces)


def wrap_block(block: Block, width: int) -> str:
    lines = block.text.split("\n")
    if not block.wrap:
        return "\n".join((block.first if i == 0 else block.rest) + line for i, line in enumerate(lines))
    out: list[str] = []
    for i, line in enumerate(lines):
        first = block.first if i == 0 else block.rest
        out.append(wrap(line, width, first, block.rest))
    return "\n".join(out)


def wrap(text: str, width: int, first: str = "", rest: str = "") -> str:
    """One paragraph wrapped at word boundaries (a word longer than the width stays whole)."""
    return (
        textwrap.fill(
            text,
            width=max(width, len(first) + 10, len(rest) + 10),
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
        or first.rstrip()
    )
