"""The shipped example: an original story in the shape of ChoiceScript's sample game, written with
v2 constructs and no workaround; it checks clean, explores clean and replays with its seed."""

from __future__ import annotations

import pytest

from evegame.cli import main
from evegame.engine import Game, load_story
from helpers import ROOT

FERRY = ROOT / "examples" / "night_ferry"


def test_the_ferry_checks_clean_with_no_warnings() -> None:
    result = load_story(FERRY)
    assert [str(p) for p in result.problems] == []


@pytest.mark.parametrize("how", [["--exhaustive"], ["--random", "500", "--seed", "2"]])
def test_the_ferry_explores_clean_with_full_coverage(how: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(FERRY), *how, "--min-coverage", "100"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("OK")


def test_the_ferry_playthrough_replays_with_its_seed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["playtest", str(FERRY / "crossing.play.yaml")]) == 0


def test_the_ferry_uses_every_v2_construct() -> None:
    story = load_story(FERRY).story
    assert story is not None
    choices = [c for s in story.scenes.values() for c in s.choices]
    assert story.bounds and any(c.once for c in choices) and any(c.requires and c.locked for c in choices)
    assert any(c.flavour for c in choices) and any(c.call for c in choices) and any(c.returns for c in choices)
    assert any(b.chance for c in choices for b in c.branches) and any(b.condition for c in choices for b in c.branches)
    assert any(p.otherwise for s in story.scenes.values() for p in s.paragraphs)
    game = Game(story, seed=1)
    assert "You have 1 coin. Not enough for the fare." in game.scene.text  # inline alternatives, both kinds
    assert game.status()[-1] == ("Mara's pockets", "none")


def test_the_ferry_files_validate_against_the_generated_schema() -> None:
    import jsonschema
    import yaml

    from evegame.authoring.storyschema import story_schema

    validator = jsonschema.Draft7Validator(story_schema())
    for path in sorted(FERRY.glob("*.yaml")):
        if not path.name.endswith(".play.yaml"):
            assert list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))) == [], path


def test_the_ferry_explores_exhaustively_clean_with_every_line_shown() -> None:
    """The port's promise: every scene, choice, ending and line of text reachable, no dead end."""
    from evegame.testing.exhaustive import explore_exhaustive
    from evegame.testing.report import exhaustive_summary

    story = load_story(FERRY).story
    assert story is not None
    report = explore_exhaustive(story)
    assert not report.bound_hit and not report.dead_ends and not report.soft_locks and not report.errors
    lines, verdict = exhaustive_summary(report, 100.0, 100.0)
    assert verdict.exit_code == 0, lines
