"""Markdown as plain text for line mode: the words, emphasis as stars, lists and quotes by indentation."""

from __future__ import annotations

from evegame.plain.commands import Command, help_lines, parse
from evegame.plain.markdown import render


def test_emphasis_is_stars_and_nothing_else_is_marked() -> None:
    text = render('"Listen, *mija*." He is **level** with you. `code`, [a link](https://x.org), \\*literal\\*', 100)
    assert text == '"Listen, *mija*." He is **level** with you. code, a link (https://x.org), *literal*'
    assert "\x1b" not in text


def test_paragraphs_lists_quotes_and_breaks_are_laid_out_for_reading() -> None:
    doc = "# Heading\n\nOne\ntwo.\n\n- first item is long enough to wrap\n- second\n  1. nested\n\n> quoted\n\n---\n\nend  \nline"
    assert render(doc, 24).split("\n") == [
        "Heading",
        "",
        "One two.",
        "",
        "- first item is long",
        "  enough to wrap",
        "- second",
        "  1. nested",
        "",
        "    quoted",
        "",
        "* * *",
        "",
        "end",
        "line",
    ]


def test_commands_and_their_aliases() -> None:
    assert parse(" 2 ") == Command("choose", "2")
    assert parse("SAVE 3") == Command("save", "3") and parse("s 3") == Command("save", "3")
    assert parse("restore auto") == Command("load", "auto")
    assert parse("u") == Command("undo") and parse("?") == Command("help") and parse("q") == Command("quit")
    assert parse("") == Command("empty") and parse("dance now") == Command("unknown", "dance now")
    assert parse("2 3") == Command("unknown", "2 3")
    assert any(line.startswith("  save N (s): ") for line in help_lines())
