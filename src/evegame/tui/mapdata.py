"""The player's map: scenes visited and the exits known from them (no Textual)."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Game


@dataclass(frozen=True)
class Exit:
    text: str
    target: str
    target_title: str | None  # None while the target is unexplored
    taken: bool


@dataclass(frozen=True)
class Place:
    scene: str
    title: str
    visits: int
    here: bool
    ending: str | None
    exits: list[Exit]


def known_map(game: Game) -> list[Place]:
    """Visited scenes in the order first reached, each with the exits the player has seen.

    Known exits: choices taken, choices open now in the current scene, and choices with no
    condition (always on offer). Conditional choices never seen stay hidden.
    """
    story = game.story
    order = list(dict.fromkeys([s for s, _ in game.path] + list(game.visits) + [game.state.scene]))
    visited = set(order)
    taken = set(game.path)
    open_now = {c.key for c in game.available()}
    places = []
    for sid in order:
        scene = story.scenes.get(sid)
        if scene is None:
            continue
        here = sid == game.state.scene
        exits = []
        for choice in scene.choices:
            was_taken = (sid, choice.key) in taken
            if not (was_taken or choice.condition is None or (here and choice.key in open_now)):
                continue
            target = story.scenes.get(choice.goto)
            title = (target.title or target.id) if target is not None and choice.goto in visited else None
            exits.append(Exit(choice.text, choice.goto, title, was_taken))
        places.append(Place(sid, scene.title or sid, game.visits.get(sid, 0), here, scene.ending, exits))
    return places
