"""The shipped story's endings tell the truth about the state they end in.

Every shipped playthrough (the witnesses to every ending and scene, and the two
hand-written routes) is replayed to its end, and so are many seeded random games
(uniform choices, seeded chance branches); the state each ends in must be the
state its ending claims, and no achievement earned there may contradict it
(an excommunicado ending cannot earn "In Good Standing").
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from evegame.engine import read_story
from evegame.engine.conditions import parse_condition, type_name
from evegame.engine.game import Game
from evegame.engine.model import Story
from evegame.testing.playfile import Step
from evegame.testing.runner import Runner
from helpers import ROOT, SHIPPED

PLAYTHROUGHS = sorted((ROOT / "tests" / "playthroughs").rglob("*.play.yaml"))

# What each ending's text claims about the state it is reached in.
ENDING_TRUTHS = {
    "within_the_rules": "'ledger' in secrets and not excommunicado and not broke_rule and seen(warden_hall)",
    "excommunicado": "excommunicado",
    "mercy_and_marker": "seen(warden_mercy) and seen(warden_director)",
    "death": "wounds >= 3",
    "the_directors_chair": "'bargain' in secrets and favour >= 1 and (seen(warden_verdict) or seen(warden_confession))",
    "walk_away": "not seen(warden_director) or not ('director' in owes)",
    "bound_to_the_table": "seen(hunt_adjudicator) or seen(warden_adjudicator)",
    "ghost": "ox_trust",
    "the_new_family": "'father' in secrets",
    "called_home": "seen(warden_director) and not ('director' in owes)",
}

# Achievements that the state an ending claims rules out.
FORBIDDEN = {
    "excommunicado": {"kept_the_rules", "in_good_standing", "beneath_notice"},
    "within_the_rules": {"broke_the_rule"},
    "death": {"without_a_scratch"},
}
RANDOM_GAMES = 600


@dataclass
class _Recorder(Runner):
    """A runner that keeps the game each playthrough ends with."""

    games: list[Game] = field(default_factory=list)

    def do(self, step: Step, game: Game, story: Story, saves: dict[str, str]) -> Game:
        game = super().do(step, game, story, saves)
        self.games.append(game)
        return game


@pytest.fixture(scope="module")
def story() -> Story:
    return read_story(SHIPPED)


def _final_game(path: Path) -> Game:
    runner = _Recorder()
    result = runner.run_file(path)
    assert result.ok, f"{path.name}: {result.failure}"
    return runner.games[-1]


def _check_ending(story: Story, game: Game, where: str) -> None:
    ending = game.ending
    assert ending is not None
    types = {name: type_name(value) for name, value in story.variables.items()}
    truth = parse_condition(ENDING_TRUTHS[ending], types, lambda s: s in story.scenes)
    assert truth(game.state.variables, game.state.visits), (
        f"{where} ends in {ending!r} in a state its text does not claim: {ENDING_TRUTHS[ending]}"
    )
    earned = {a.id for a in game.achievements()}
    assert not earned & FORBIDDEN.get(ending, set()), f"{where}: {ending!r} earns {earned & FORBIDDEN[ending]}"


def test_every_ending_has_a_truth(story: Story) -> None:
    assert set(ENDING_TRUTHS) == set(story.endings)


@pytest.mark.parametrize("path", PLAYTHROUGHS, ids=lambda p: p.name)
def test_achievements_agree_with_the_ending(story: Story, path: Path) -> None:
    game = _final_game(path)
    if game.is_over:
        _check_ending(story, game, path.name)


def test_achievements_agree_with_the_ending_on_random_routes(story: Story) -> None:
    """Seeded uniform random games reach every ending; each ends in a state its ending
    claims and earns no achievement the ending contradicts (the witnesses are one route each)."""
    picker = random.Random(15)
    reached: set[str] = set()
    for n in range(RANDOM_GAMES):
        game = Game(story, record_undo=False, seed=n)
        route: list[str] = []
        while not game.is_over:
            choice = picker.choice(game.available())
            route.append(f"{game.state.scene}:{choice.key}")
            game.choose(choice.key)
        _check_ending(story, game, f"random game {n} ({' '.join(route[-6:])})")
        reached.add(game.ending or "")
    assert reached == set(story.endings)


def test_every_ending_has_a_witness() -> None:
    names = {p.name for p in PLAYTHROUGHS}
    for ending in ENDING_TRUTHS:
        assert f"ending-{ending}.play.yaml" in names
