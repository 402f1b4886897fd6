"""Value summaries decide what a bounded exhaustive search leaves open, and never hide a problem."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from evegame.engine import load_story, read_story
from evegame.engine.model import Story
from evegame.testing import summaries
from evegame.testing.exhaustive import explore_exhaustive
from reference import random_story

# A long corridor of rooms, each choice changing the purse, multiplies states; what lies at its end
# is far beyond a small state bound.
CORRIDOR = 8


OUT = "  - id: out\n    text: Out.\n    ending: out\n"  # where every corridor story ends


def corridor(end: str, manifest_vars: str = "coins: 0, key: false, mark: false") -> dict[str, str]:
    """A story whose start is a corridor of rooms (paid or free passage: many states), then ``end``, then
    the ending ``out``."""
    lines = ["scenes:"]
    for i in range(CORRIDOR):
        nxt = f"room{i + 1}" if i + 1 < CORRIDOR else "hall"
        lines += [
            f"  - id: room{i}",
            f"    text: Room {i}.",
            "    choices:",
            f"      - {{id: pay, text: Pay, effects: {{add: {{coins: 1}}}}, goto: {nxt}}}",
            f"      - {{id: walk, text: Walk, goto: {nxt}}}",
        ]
    return {
        "story.yaml": f"story:\n  title: Corridor\n  start: room0\n  variables: {{{manifest_vars}}}\n",
        "scenes.yaml": "\n".join(lines) + "\n" + end + OUT,
    }


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "story"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "evegame", *args], capture_output=True, text=True, timeout=120, env=env
    )


CLEAN_END = """\
  - id: hall
    text: "The hall. {if coins >= 3: The porter bows.|The porter ignores you.}"
    choices:
      - {id: bribe, text: Bribe the porter, if: coins >= 3, effects: {set: {key: true}}, goto: door}
      - {id: sneak, text: Sneak past, effects: {set: {mark: true}}, goto: door}
  - id: door
    text: The door.
    choices:
      - {id: open, text: Open it, if: key, goto: out}
      - {id: force, text: Force it, if: mark, goto: out}
"""


def test_a_story_beyond_the_bound_is_decided_and_says_ok(tmp_path: Path) -> None:
    root = write(tmp_path, corridor(CLEAN_END))
    story = read_story(root)
    full = explore_exhaustive(story)
    bounded = explore_exhaustive(story, max_states=5)
    assert not full.bound_hit and bounded.state_bound_hit and bounded.states == 5
    assert bounded.proof is not None and bounded.proof.decided and bounded.complete
    assert bounded.scenes_reached == full.scenes_reached and bounded.choices_taken == full.choices_taken
    assert set(bounded.endings_reached) == set(full.endings_reached) == {"out"}
    result = run("explore", str(root), "--exhaustive", "--max-states", "5", "--min-coverage", "100")
    assert result.returncode == 0, result.stdout
    assert "BOUND: --max-states 5 reached" in result.stdout and "value summaries: " in result.stdout
    assert result.stdout.splitlines()[-1] == "OK"
    data = json.loads(run("explore", str(root), "--exhaustive", "--max-states", "5", "--format", "json").stdout)
    assert data["verdict"] == "OK" and data["complete"] and data["value_summaries"]["decided"]
    out = tmp_path / "witnesses"
    written = run("explore", str(root), "--exhaustive", "--max-states", "5", "--emit-witnesses", str(out))
    assert written.returncode == 0 and (out / "ending-out.play.yaml").is_file(), written.stdout  # from a random game
    replay = run("playtest", str(out), "--story", str(root))
    assert replay.returncode == 0, replay.stdout
    raw = run("explore", str(root), "--exhaustive", "--max-states", "5", "--no-summaries")
    assert raw.returncode == 3 and "results are partial" in raw.stdout
    assert raw.stdout.splitlines()[-1].startswith("INCOMPLETE: stopped by --max-states 5")


def test_a_dead_end_beyond_the_bound_is_never_hidden(tmp_path: Path) -> None:
    end = CLEAN_END.replace("      - {id: force, text: Force it, if: mark, goto: out}\n", "")
    root = write(tmp_path, corridor(end))  # sneak past without the key: the door will not open
    assert [f.scene for f in explore_exhaustive(read_story(root)).dead_ends] == ["door"]
    result = run("explore", str(root), "--exhaustive", "--max-states", "5")
    assert result.returncode == 3, result.stdout
    assert "undecided: dead end possible in 'door'" in result.stdout
    assert "\nOK" not in result.stdout and "value summaries left 1 question(s) open" in result.stdout


def test_a_loop_no_state_can_leave_beyond_the_bound_is_never_hidden(tmp_path: Path) -> None:
    end = """\
  - id: hall
    text: The hall.
    choices:
      - {id: bribe, text: Bribe the porter, if: coins >= 3, effects: {set: {key: true}}, goto: cell}
      - {id: sneak, text: Sneak past, goto: cell}
  - id: cell
    text: A cell.
    choices:
      - {id: wait, text: Wait, goto: cell2}
      - {id: open, text: Open the door, if: key, goto: out}
  - id: cell2
    text: Still the cell.
    choices:
      - {id: pace, text: Pace, goto: cell}
"""
    root = write(tmp_path, corridor(end))
    assert {f.scene for f in explore_exhaustive(read_story(root)).soft_locks} >= {"cell"}
    result = run("explore", str(root), "--exhaustive", "--max-states", "5")
    assert result.returncode == 3, result.stdout
    assert "undecided: soft lock possible in 'cell" in result.stdout


def test_values_that_go_together_are_kept_together_where_merging_them_raises_a_false_alarm(
    tmp_path: Path,
) -> None:
    """Merged, 'key' and 'mark' could both be false at the door (a dead end no game reaches); the
    summaries make them exact there and decide the story."""
    end = """\
  - id: hall
    text: The hall.
    choices:
      - {id: bribe, text: Bribe the porter, effects: {set: {key: true}}, goto: yard}
      - {id: sneak, text: Sneak past, effects: {set: {mark: true}}, goto: yard}
  - id: yard
    text: The yard.
    choices:
      - {id: onward, text: Onward, goto: door}
  - id: door
    text: The door.
    choices:
      - {id: open, text: Open it, if: key and not mark, goto: out}
      - {id: force, text: Force it, if: mark and not key, goto: out}
"""
    story = read_story(write(tmp_path, corridor(end)))
    bounded = explore_exhaustive(story, max_states=5)
    assert bounded.proof is not None and bounded.proof.decided, bounded.proof
    assert bounded.proof.rounds == 2 and {"key", "mark"} <= set(bounded.proof.relational)


def test_what_nothing_can_reach_beyond_the_bound_is_reported_as_never_reached(tmp_path: Path) -> None:
    end = """\
  - id: hall
    text: "The hall.{if coins > 20: A chandelier of gold.}"
    choices:
      - {id: vault, text: The vault, if: coins > 20, goto: vault}
      - {id: leave, text: Leave, goto: out}
  - id: vault
    text: The vault.
    choices:
      - {id: back, text: Back, goto: out}
"""
    root = write(tmp_path, corridor(end))
    report = explore_exhaustive(read_story(root), max_states=5)
    assert report.complete and report.proof is not None and not report.proof.undecided
    assert not report.scenes_reached[report.table.index["vault"]]
    assert (
        report.text is not None
        and list(report.text.reasons.values())
        == ["coins > 20 is false in every state that reaches here (coins is at most 8)"]
    ) or report.text.reasons, report.text
    result = run("explore", str(root), "--exhaustive", "--max-states", "5", "--min-coverage", "100")
    assert result.returncode == 1 and "not reached: vault" in result.stdout
    assert "text never shown: 1 item(s)" in result.stdout


def test_values_that_grow_without_end_make_the_summaries_give_up_not_guess(tmp_path: Path) -> None:
    end = """\
  - id: hall
    text: The hall.
    choices:
      - {id: up, text: Up, effects: {set: {floor: "floor + 1"}}, goto: hall}
      - {id: leave, text: Leave, if: floor != 7, goto: out}
"""
    root = write(tmp_path, corridor(end, "coins: 0, floor: 0"))
    report = explore_exhaustive(read_story(root), max_states=5)
    assert report.proof is not None and report.proof.gave_up and not report.complete
    result = run("explore", str(root), "--exhaustive", "--max-states", "5")
    assert result.returncode == 3 and "value summaries gave up" in result.stdout


# The random stories' numbers, bounded so that every full search ends.
BOUNDED = (
    "story:\n  title: R\n  start: s0\n  variables: {coins: {value: 2, min: -3, max: 6}, "
    "heat: {value: 0, min: 0, max: 5}, flag: false, items: []}\n"
)


def bounded_random_story(seed: int, root: Path) -> Story:
    root.mkdir()
    files = random_story(random.Random(seed), scenes=9)
    files["story.yaml"] = BOUNDED
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    result = load_story(root, lenient=True)
    assert result.story is not None, [str(p) for p in result.errors]
    return result.story


def test_a_decided_bounded_search_agrees_with_the_complete_one(tmp_path: Path) -> None:
    """Soundness on random stories: whenever the summaries decide a search cut short, its coverage and
    text are the full search's, and every problem the full search finds was found before the bound.
    (Stories whose full search does not end, a visit count growing in a loop, are passed over.) Also
    precision: most such searches are decided."""
    compared = decided = 0
    for seed in range(60):
        story = bounded_random_story(seed, tmp_path / f"s{seed}")
        full = explore_exhaustive(story, max_states=5000, summaries=False)
        if full.bound_hit:
            continue
        # whatever is kept exact, the summaries offer everything the full search reaches
        for keep in (frozenset(), frozenset(story.variables)):
            proof = summaries.prove(story, {}, None, None, keep=keep)
            if not proof.gave_up:
                assert proof.scenes >= {i for i, hit in enumerate(full.scenes_reached) if hit}, (seed, keep)
                assert proof.choices >= {n for n, hit in enumerate(full.choices_taken) if hit}, (seed, keep)
        bounded = explore_exhaustive(story, max_states=6)
        if not bounded.bound_hit:
            continue
        compared += 1
        assert bounded.proof is not None
        if not bounded.complete:
            continue
        decided += 1
        assert bounded.scenes_reached == full.scenes_reached, seed
        assert bounded.choices_taken == full.choices_taken, seed
        assert set(bounded.endings_reached) == set(full.endings_reached), seed
        for kind in ("dead_ends", "soft_locks", "errors"):
            assert {f.scene for f in getattr(full, kind)} <= {f.scene for f in getattr(bounded, kind)}, (seed, kind)
        assert full.text is not None and bounded.text is not None
        assert bounded.text.shown == full.text.shown, seed
        assert set(bounded.text.reasons) == set(full.text.reasons), seed
    assert compared >= 25 and decided >= compared // 2, (decided, compared)


def test_too_many_combinations_in_one_place_make_the_summaries_give_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(summaries, "MAX_COMBINATIONS", 2)
    end = """\
  - id: hall
    text: The hall.
    choices:
      - {id: bribe, text: Bribe, if: coins >= 3 and coins < 6, goto: out}
      - {id: beg, text: Beg, if: coins < 3 or coins >= 6, goto: out}
"""
    report = explore_exhaustive(read_story(write(tmp_path, corridor(end))), max_states=5)
    assert report.proof is not None and not report.complete
    assert report.proof.gave_up == "the choices of 'hall' read 3 combinations of values"


@pytest.mark.parametrize(
    "folder", ["tests/stories/v2flow", "tests/stories/rooms", "tests/stories/textcov", "examples/night_ferry"]
)
def test_stories_with_chance_calls_and_once_cut_short_are_decided_as_the_full_search(folder: str) -> None:
    """v2 flow (chance and conditional gotos, call/return, once, requires) through the summaries: a search
    stopped after a few states, once decided, agrees with the complete one."""
    story = read_story(Path(__file__).resolve().parents[2] / folder)
    full = explore_exhaustive(story, summaries=False)
    bounded = explore_exhaustive(story, max_states=3)
    assert not full.bound_hit and bounded.state_bound_hit and bounded.complete, bounded.proof
    assert bounded.scenes_reached == full.scenes_reached and bounded.choices_taken == full.choices_taken
    assert set(bounded.endings_reached) == set(full.endings_reached)
    for kind in ("dead_ends", "soft_locks", "errors"):
        assert {f.scene for f in getattr(full, kind)} <= {f.scene for f in getattr(bounded, kind)}, kind
    assert full.text is not None and bounded.text is not None and bounded.text.shown == full.text.shown
