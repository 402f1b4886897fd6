"""The Game API over the transitions machine: choices, effects, state, snapshots, undo."""

from __future__ import annotations

import json
import random

import pytest

from evegame.engine import ChoiceError, Game, SaveError, read_story
from evegame.engine.machine import SceneMachine, destinations, trigger_name
from helpers import MINI, SHIPPED


@pytest.fixture
def game() -> Game:
    return Game.load(MINI)


def test_starts_at_the_manifest_start(game: Game) -> None:
    assert game.scene.id == "hall" and game.scene.title == "The Hall"
    assert game.scene.text == "You stand in the hall with 2 coins."
    assert [(c.number, c.id, c.text) for c in game.choices] == [
        (1, "to_desk", "Go to the desk"),
        (2, "choice_2", "Fight"),
    ]
    assert game.visits == {"hall": 1} and not game.is_over


def test_choose_by_id_text_and_number(game: Game) -> None:
    game.choose("Fight")
    assert game.scene.id == "hall" and game.variables["wounds"] == 1
    assert "You are hurt." in game.scene.text  # a conditional paragraph
    game.choose(2)
    game.choose("2")
    assert game.variables["wounds"] == 3 and game.visits["hall"] == 4
    game.choose("to_desk")
    assert game.scene.id == "desk"


def test_effects_on_enter_and_codex(game: Game) -> None:
    outcome = game.choose("to_desk")
    assert outcome.changes == {"coins": (2, 1)} and outcome.unlocked == ["rule_coins"]
    assert game.codex == ["rule_coins"]
    outcome = game.choose("pay")
    assert outcome.changes == {"coins": (1, 0), "markers": ([], ["winston"])}


def test_condition_hides_a_choice(game: Game) -> None:
    game.choose("to_desk")
    game.state.variables["excommunicado"] = True
    assert [c.id for c in game.choices] == ["kill"]
    with pytest.raises(ChoiceError, match="not available now"):
        game.choose("pay")


def test_unknown_choice_and_game_over(game: Game) -> None:
    with pytest.raises(ChoiceError, match="no choice 'dance'"):
        game.choose("dance")
    with pytest.raises(ChoiceError, match="no choice number 7"):
        game.choose(7)
    game.choose("to_desk")
    game.choose("kill")
    assert game.is_over and game.ending == "excommunicado" and game.choices == []
    assert game.variables["items"] == [] and game.variables["excommunicado"] is True
    with pytest.raises(ChoiceError, match="game is over"):
        game.choose(1)


def test_ending_title_from_manifest(game: Game) -> None:
    for step in ("to_desk", "pay", 1):
        game.choose(step)
    assert game.ending == "mercy" and game.scene.ending_title == "Mercy"


def test_snapshot_round_trip_is_json_ready(game: Game) -> None:
    game.choose("Fight")
    game.choose("to_desk")
    snap = json.loads(json.dumps(game.snapshot()))
    again = Game.restore(game.story, snap)
    assert again.snapshot() == game.snapshot()
    assert again.scene == game.scene and again.choices == game.choices
    again.choose("pay")
    assert again.scene.id == "room" and game.scene.id == "desk"


def test_restore_rejects_unknown_scene_and_bad_types(game: Game) -> None:
    snap = game.snapshot()
    with pytest.raises(SaveError, match="no longer exists"):
        Game.restore(game.story, {**snap, "scene": "gone"})
    with pytest.raises(SaveError, match="not int"):
        Game.restore(game.story, {**snap, "variables": {"coins": "many"}})


def test_undo_restores_exactly(game: Game) -> None:
    snaps = [game.snapshot()]
    for step in ("Fight", "to_desk", "pay"):
        game.choose(step)
        snaps.append(game.snapshot())
    assert game.undo() == 1 and game.snapshot() == snaps[2]
    assert game.undo(5) == 2 and game.snapshot() == snaps[0]
    assert not game.can_undo
    game.choose("to_desk")  # the machine follows the restored state
    assert game.scene.id == "desk"


def test_machine_is_transitions_without_auto_transitions(game: Game) -> None:
    assert isinstance(game.machine, SceneMachine)
    assert game.machine.auto_transitions is False
    assert set(game.machine.states) == set(game.story.scenes)
    assert game.triggers == ["hall:to_desk", "hall:choice_2"]
    game.choose("to_desk")
    game.state.variables["excommunicado"] = True
    assert game.triggers == ["desk:kill"]  # may_* consults the choice conditions


def test_available_choices_are_the_triggers_the_machine_would_take() -> None:
    """Game.available evaluates the conditions itself; along random games of the shipped story it
    names exactly the triggers whose may_* the machine answers yes (a choice that can go several
    ways, by a goto list or a return, has one trigger per destination)."""
    story = read_story(SHIPPED)
    returns = tuple(dict.fromkeys(c.goto for s in story.scenes.values() for c in s.choices if c.call))
    for seed in range(20):
        rng, game = random.Random(seed), Game(story, record_undo=False, seed=seed)
        while not game.is_over:
            available = game.available()
            expected = []
            for c in available:
                dests = destinations(c, returns)
                expected += [trigger_name(game.state.scene, c.key, d) for d in dests or (None,)]
            assert sorted(expected) == sorted(game.triggers)
            game.choose(rng.choice(available).key)


def test_status_follows_the_manifest(game: Game) -> None:
    assert game.status() == [("Gold coins", "2"), ("Markers", "none")]


def test_reset(game: Game) -> None:
    game.choose("to_desk")
    game.reset()
    assert game.scene.id == "hall" and game.path == [] and game.variables["coins"] == 2 and not game.can_undo


def test_random_games_reach_endings(game: Game) -> None:
    import random

    rng = random.Random(5)
    endings = set()
    for _ in range(200):
        game.reset()
        for _ in range(100):
            if game.is_over:
                endings.add(game.ending)
                break
            game.choose(rng.choice(game.choices).id)
    assert endings == {"mercy", "excommunicado"}


def test_a_once_choice_taken_is_no_longer_a_trigger_of_the_machine(tmp_path) -> None:
    """The machine answers may_* as the game shows choices: a `once` choice, once taken, is refused
    by the machine too (it was still offered as a trigger while the game hid it)."""
    (tmp_path / "story.yaml").write_text(
        "story: {title: Once, start: hall}\n"
        "scenes:\n"
        "  - id: hall\n"
        "    text: A hall.\n"
        "    choices:\n"
        "      - {id: look, text: Look, once: true, goto: hall}\n"
        "      - {id: leave, text: Leave, goto: out}\n"
        "  - {id: out, text: Out., ending: out}\n"
    )
    game = Game(read_story(tmp_path), record_undo=False)
    assert game.triggers == ["hall:look", "hall:leave"]
    game.choose("look")
    assert game.scene.id == "hall"
    assert game.triggers == ["hall:leave"]
    assert [c.key for c in game.available()] == ["leave"]
