"""Fixtures for the test tools: playthrough files written next to a story."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import MINI


@pytest.fixture
def write_play(tmp_path: Path) -> Callable[..., Path]:
    """Write a playthrough (dedented YAML) into tmp; ``{mini}`` becomes MINI's path relative to it."""

    def write(text: str, name: str = "case.play.yaml", folder: str = "plays") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        rel = os.path.relpath(MINI, path.parent)
        path.write_text(textwrap.dedent(text).replace("{mini}", rel), encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_story(write_story: Callable[..., Path]) -> Callable[[str], Path]:
    """``make_story("mini" | "planted" | "rich")``: the story's folder."""

    def make(name: str) -> Path:
        return MINI if name == "mini" else write_story({"planted": PLANTED, "rich": RICH}[name])

    return make


# A dead end (pit), a soft-lock (trap <-> trap2) and an ending nothing can reach (secret),
# all hidden behind conditions, so the story loads clean.
PLANTED = {
    "scenes.yaml": """\
    scenes:
      - id: a
        text: The start.
        choices:
          - {id: left, text: Left, goto: trap}
          - {id: right, text: Right, effects: {add: {coins: -1}}, goto: door}
          - {id: down, text: Down, goto: pit}
          - {id: win, text: Win, effects: {set: {flag: true}, give: [medal]}, goto: end_ok}
      - id: trap
        text: A loop.
        choices:
          - {id: again, text: Again, goto: trap2}
      - id: trap2
        text: Still looping.
        choices:
          - {id: back, text: Back, goto: trap}
          - {id: out, text: Out, if: coins >= 5, goto: end_ok}
      - id: pit
        text: A pit; the way out needs a flag set only on the way to an ending.
        choices:
          - {id: climb, text: Climb, if: flag, goto: end_ok}
      - id: door
        text: A door that needs five coins.
        choices:
          - {id: open, text: Open, if: coins >= 5, goto: end_secret}
          - {id: leave, text: Leave, goto: end_ok}
      - id: end_ok
        text: Done.
        ending: ok
      - id: end_secret
        text: The secret.
        ending: secret
    """
}

# Loops bounded by visits(), items given and taken, on_enter effects, seen().
RICH = {
    "scenes.yaml": """\
    scenes:
      - id: a
        text: "A, with {coins} coins."
        on_enter:
          add: {coins: 1}
        choices:
          - {id: loop, text: Loop, if: visits(a) < 4, goto: a}
          - id: shop
            text: Shop
            if: coins >= 4 and 'key' not in items
            effects: {give: [key], add: {coins: -2}}
            goto: b
          - {id: go, text: Go, goto: b}
      - id: b
        text: B.
        choices:
          - {id: open, text: Open, if: "'key' in items", goto: end_one}
          - {id: side, text: Side, if: not seen(c), goto: c}
          - id: give_up
            text: Give up
            effects: {take: [key], set: {flag: true}}
            goto: end_two
      - id: c
        text: C.
        on_enter:
          give: [map]
        choices:
          - {id: ret, text: Return, goto: b}
          - {id: home, text: Home, if: "'map' in items and coins < 3", goto: a}
      - id: end_one
        text: One.
        ending: one
      - id: end_two
        text: Two.
        ending: two
    """
}
