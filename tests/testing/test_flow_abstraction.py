"""Exhaustive exploration of stories using v2 flow runs over the abstraction (chance branches each
followed, conditional gotos, the call stack in the state, bounded numbers, set expressions, once,
requires), and finds what the concrete game finds: checked against a search over full ``Game``
states (every chance branch forced through the game's own generator) and against the explorer's
own concrete search."""

from __future__ import annotations

from pathlib import Path

import pytest

from evegame.engine import read_story
from evegame.testing import textreach
from evegame.testing.exhaustive import explore_exhaustive
from helpers import ROOT
from reference import reference_bfs

STORIES = [
    ROOT / "tests" / "stories" / "v2flow",
    ROOT / "examples" / "night_ferry",
    ROOT / "tests" / "stories" / "textcov",
]


@pytest.mark.parametrize("folder", STORIES, ids=lambda p: p.name)
def test_the_abstraction_finds_what_full_game_states_find(folder: Path) -> None:
    story = read_story(folder)
    report = explore_exhaustive(story)
    assert not report.bound_hit
    scenes, choices, endings = reference_bfs(story, 60)
    table = report.table
    assert {table.ids[i] for i, r in enumerate(report.scenes_reached) if r} == scenes
    assert {table.choice_ids[i] for i, t in enumerate(report.choices_taken) if t} == choices
    assert set(report.endings_reached) == endings


@pytest.mark.parametrize("folder", STORIES, ids=lambda p: p.name)
def test_abstract_and_concrete_searches_agree_on_everything_reported(folder: Path) -> None:
    story = read_story(folder)
    abstract, concrete = explore_exhaustive(story), explore_exhaustive(story, concrete=True)

    def summary(r):
        assert r.catalogue is not None and r.text is not None
        return {
            "scenes": r.scenes_reached,
            "choices": r.choices_taken,
            "endings": sorted(r.endings_reached),
            "problems": [{(f.scene, len(f.path)) for f in found} for found in (r.dead_ends, r.soft_locks, r.errors)],
            "shortest": sorted((w.kind, w.target, len(w.path)) for w in r.witnesses),
            "text": r.catalogue.shown(r.scenes_reached, r.choices_taken, r.text.shown),
            "never": r.text.reasons,
        }

    assert summary(abstract) == summary(concrete)
    assert abstract.states <= concrete.states


def test_flow_constructs_in_the_abstraction(write_story) -> None:
    """A call from two places returns to each caller; once, requires and a bounded number are kept;
    a loop of chances ends (states merge); a return with no call open is an error with its path."""
    scenes = """\
scenes:
  - id: a
    text: A.
    choices:
      - id: sub1
        text: Call
        call: s
        goto: b
      - id: roll
        text: Roll
        once: true
        effects:
          add: {grit: 5}
        goto:
          - {chance: 50, scene: a}
          - {chance: 50, scene: c}
  - id: b
    text: B.
    choices:
      - id: sub2
        text: Call again
        call: s
        goto: c
      - id: pay
        text: Pay
        requires: grit >= 3
        goto: c
  - id: s
    text: S.
    choices:
      - id: back
        text: Back
        effects:
          set: {total: "grit + total"}
        return: true
  - id: c
    text: C.
    choices:
      - id: end
        text: End
        goto:
          - {if: grit >= 3, scene: high}
          - {scene: low}
  - id: high
    text: High.
    ending: high
  - id: low
    text: Low.
    ending: low
"""
    manifest = """\
story:
  title: Flow
  start: a
  variables:
    grit: {value: 0, min: 0, max: 3}
    total: 0
"""
    folder = write_story({"scenes.yaml": scenes}, manifest)
    story = read_story(folder)
    report = explore_exhaustive(story)
    assert set(report.endings_reached) == {"high", "low"} and not report.errors and not report.bound_hit
    assert all(report.choices_taken) and all(report.scenes_reached)
    scenes_found, choices_found, endings_found = reference_bfs(story, 60)
    assert set(report.endings_reached) == endings_found and scenes_found == set(report.table.ids)
    assert {report.table.choice_ids[i] for i, t in enumerate(report.choices_taken) if t} == choices_found


@pytest.mark.parametrize("folder", STORIES, ids=lambda p: p.name)
def test_with_every_text_item_left_to_the_search_the_decisions_match_the_concrete_search(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No random pass first (every conditional item open): the decision along the graph's paths
    shows and explains the same text as the search over full game states."""
    monkeypatch.setattr(textreach, "PREPASS_GAMES", 0)
    story = read_story(folder)
    abstract, concrete = explore_exhaustive(story), explore_exhaustive(story, concrete=True)
    for r in (abstract, concrete):
        assert r.catalogue is not None and r.text is not None and not r.bound_hit
    assert shown_text(abstract) == shown_text(concrete)


def shown_text(r):  # type: ignore[no-untyped-def]
    assert r.catalogue is not None and r.text is not None
    return r.catalogue.shown(r.scenes_reached, r.choices_taken, r.text.shown), r.text.reasons


PATHS_MANIFEST = """\
story:
  title: Paths
  start: hub
  variables:
    mood: {value: 0, min: 0, max: 2}
"""
PATHS_SCENES = """\
scenes:
  - id: hub
    text:
      - Hub.
      - {if: seen(cellar), text: You know the cellar.}
      - {if: mood >= 2, text: Glum.}
      - {if: seen(vault), text: Never.}
      - {if: visits(hub) >= 3, text: Third time.}
    choices:
      - {id: down, text: Down, once: true, goto: cellar}
      - {id: leave, text: Leave, goto: out}
      - {id: hidden, text: Hidden, if: mood > 2, goto: vault}
  - id: cellar
    text: Cellar.
    on_enter:
      add: {mood: 2}
    choices:
      - {id: up, text: Up, goto: hub}
  - id: vault
    text: Vault.
    choices:
      - {id: back, text: Back, goto: hub}
  - id: out
    text:
      - Out.
      - {if: seen(cellar), text: Out of the cellar.}
    ending: out
"""


def test_text_read_only_through_scene_entries_is_decided_by_the_scene_entered(
    write_story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the open text reads changes only on entering scenes (visit counts, a scene's on_enter):
    the search keeps no choice per edge, and decides the text as the concrete search does; an item
    whose scene a bounded search never meets is left undecided without carrying any values."""
    monkeypatch.setattr(textreach, "PREPASS_GAMES", 0)
    story = read_story(write_story({"scenes.yaml": PATHS_SCENES}, PATHS_MANIFEST))
    reach = textreach.TextReach(story)
    assert reach.open and not reach.by_choice
    abstract, concrete = explore_exhaustive(story), explore_exhaustive(story, concrete=True)
    assert abstract.text is not None and concrete.text is not None and abstract.catalogue is not None
    never = {abstract.catalogue.items[k].label: why for k, why in abstract.text.reasons.items()}
    assert never == {"hub ¶4": "vault is never visited before this", "hub ¶5": "visits(hub) is only 1–2 here"}
    assert shown_text(abstract) == shown_text(concrete)
    bounded = explore_exhaustive(story, max_states=2, summaries=False)  # the start and the cellar only
    assert bounded.text is not None and bounded.catalogue is not None
    undecided = {bounded.catalogue.items[k].label: why for k, why in bounded.text.undecided.items()}
    assert undecided["out ¶2"] == "not shown within the search's bounds (its scene is never reached)"
