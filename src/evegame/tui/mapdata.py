"""The player's map: scenes visited and the exits known from them (no Textual)."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Game
from ..engine.model import Choice, Story
from ..engine.validate import return_points


@dataclass(frozen=True)
class Exit:
    text: str
    target: str
    target_title: str | None  # None while the target is unexplored
    taken: bool
    kind: str = "plain"  # plain, conditional (a branch by condition), chance, call, after-call or return
    note: str = ""  # how the way is decided, for the player: "chance 30%", "conditional", "otherwise", ...


def destinations(story: Story, choice: Choice, stack: list[str] | None = None) -> list[tuple[str, str, str]]:
    """Every scene a choice can lead to, as (scene, kind, note): each branch of a ``goto`` list (by
    condition or by chance), a call's scene and where it comes back to, a return's possible scenes
    (``stack``: the calls open now, when the choice is in the current scene: the innermost decides)."""
    if choice.returns:
        if stack:
            return [(stack[-1], "return", "return")]
        return [(after, "return", "return") for after in return_points(story)]
    if choice.call is not None:
        return [(choice.call, "call", "call"), (choice.goto, "after-call", "after the call")]
    if not choice.branches:
        return [(choice.goto, "plain", "")]
    if choice.branches[0].chance is not None:
        return [(b.scene, "chance", f"chance {b.chance}%") for b in choice.branches]
    return [(b.scene, "conditional", "conditional" if b.condition else "otherwise") for b in choice.branches]


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
    # where each choice taken led: the scene the next choice was made in (or the scene now)
    after = [s for s, _ in game.path[1:]] + [game.state.scene]
    led_to = {(sid, key, nxt) for (sid, key), nxt in zip(game.path, after, strict=True)}
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
            ways = destinations(story, choice, list(game.state.stack) if here else None)
            for target_id, kind, note in ways:
                target = story.scenes.get(target_id)
                title = (target.title or target.id) if target is not None and target_id in visited else None
                went = (sid, choice.key, target_id) in led_to if len(ways) > 1 else was_taken
                if kind == "after-call":
                    went = was_taken and target_id in visited
                exits.append(Exit(choice.text, target_id, title, went, kind, note))
        places.append(Place(sid, scene.title or sid, game.visits.get(sid, 0), here, scene.ending, exits))
    return places
