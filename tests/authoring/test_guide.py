"""Every YAML example in docs/authoring.md is a real file of an example story that checks as the guide says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evegame.engine import Game, load_story
from helpers import ROOT

GUIDE = ROOT / "docs" / "authoring.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def _blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))]


def _examples() -> dict[str, dict[str, str]]:
    stories: dict[str, dict[str, str]] = {}
    for lang, body in _blocks():
        if lang != "yaml":
            continue
        first = body.splitlines()[0]
        assert first.startswith("# file: "), f"every YAML example names its file; this one starts {first!r}"
        example, _, path = first.removeprefix("# file: ").partition("/")
        stories.setdefault(example, {})[path] = body
    return stories


def _write(tmp_path: Path, example: str) -> Path:
    root = tmp_path / example
    for name, body in _examples()[example].items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body, encoding="utf-8")
    return root


def test_the_guide_has_examples_for_the_tutorial_and_reference() -> None:
    assert {"tutorial", "reference", "broken", "v2"} <= set(_examples())


def test_the_v2_example_checks_plays_and_explores_clean(tmp_path: Path) -> None:
    from evegame.testing.exhaustive import explore_exhaustive
    from evegame.testing.report import exhaustive_summary

    result = load_story(_write(tmp_path, "v2"))
    assert [str(p) for p in result.problems] == []
    assert result.story is not None
    game = Game(result.story, seed=1)
    assert game.scene.title == "Ada at the toll bridge"
    pay = next(c for c in game.choices if c.id == "pay")
    assert pay.locked == "The toll is 4; you have 3." and "Not enough." in game.scene.text
    for choice in ("look", "stall", "coin", "breathe"):
        game.choose(choice)
    assert "Enough." in game.scene.text and "Not enough." not in game.scene.text
    game.choose("pay")
    game.choose("jump")
    assert game.variables["coins"] == 0 and game.variables["nerve"] == 70
    assert game.ending == "across"  # heat (0 + 2) * 2 + 50 // 10 = 9
    report = explore_exhaustive(result.story)
    assert set(report.endings_reached) == {"across", "swept"} and all(report.scenes_reached)
    assert not (report.errors or report.dead_ends or report.soft_locks)
    assert exhaustive_summary(report, 100.0, 100.0)[1].exit_code == 0  # every line of its text can be shown


@pytest.mark.parametrize("example", ["tutorial", "reference"])
def test_example_story_checks_clean_with_no_warnings(tmp_path: Path, example: str) -> None:
    result = load_story(_write(tmp_path, example))
    assert [str(p) for p in result.problems] == []
    assert result.story is not None
    game = Game(result.story)
    for _ in range(10):  # the first choice reaches an ending in both examples
        if game.is_over:
            break
        game.choose(1)
    assert game.ending


def test_tutorial_plays_both_ways(tmp_path: Path) -> None:
    root = _write(tmp_path, "tutorial")
    paid = Game.load(root)
    paid.choose("Pay the ferryman")
    assert paid.variables["coins"] == 0 and paid.ending == "crossed"


def test_broken_example_reports_what_the_guide_shows(tmp_path: Path) -> None:
    root = _write(tmp_path, "broken")
    result = load_story(root)
    found = [str(p).replace(str(tmp_path) + "/", "") for p in result.problems]
    blocks = _blocks()
    last_broken = max(i for i, (lang, body) in enumerate(blocks) if body.startswith("# file: broken/"))
    lang, shown = blocks[last_broken + 1]
    assert lang == "text"
    assert sorted(shown.strip().splitlines()) == sorted(found)


def test_the_reference_labels_show_in_the_sidebar_and_a_typo_is_reported_as_the_guide_shows(tmp_path: Path) -> None:
    root = _write(tmp_path, "reference")
    game = Game.load(root)
    assert ("Carrying", "train ticket") in game.status()
    manifest = root / "story.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("winston: Winston", "winstn: Winston"))
    found = [str(p).replace(str(tmp_path) + "/", "") for p in load_story(root).problems]
    shown = next(body for lang, body in _blocks() if lang == "text" and "a label for 'winstn'" in body)
    assert found == shown.strip().splitlines()
