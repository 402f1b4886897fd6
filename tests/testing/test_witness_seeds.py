"""Witnesses of routes through chance branches carry a seed under which every chance falls their way."""

from __future__ import annotations

from pathlib import Path

from evegame.cli import main
from evegame.engine import read_story
from evegame.testing.exhaustive import explore_exhaustive
from evegame.testing.witnesses import write_witnesses

SCENES = """\
scenes:
  - id: gate
    text: A coin in the air.
    choices:
      - id: toss
        text: Toss it
        goto:
          - {chance: 80, scene: heads}
          - {chance: 20, scene: tails}
  - id: heads
    text: Heads.
    choices:
      - id: toss_again
        text: Toss again
        goto:
          - {chance: 70, scene: home}
          - {chance: 30, scene: edge}
  - id: tails
    text: Tails.
    ending: lost
  - id: edge
    text: On its edge.
    ending: marvel
  - id: home
    text: Home.
    ending: home
"""


def test_witnesses_through_chances_replay_with_their_seed(write_story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = write_story({"scenes.yaml": SCENES}, "story: {title: Coin, start: gate}\n")
    report = explore_exhaustive(read_story(root))
    out = tmp_path / "witnesses"
    done = write_witnesses(report, root, out)
    assert not done.unseeded
    edge = (out / "ending-marvel.play.yaml").read_text()
    assert "\nseed: " in edge  # two chances must fall the unlikely way: 80% then 30%
    assert main(["playtest", str(out), "-q"]) == 0
