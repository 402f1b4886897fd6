"""Random exploration speed on one core; prints JSON {"steps_per_second": ..., "steps": ..., "how": ...}.

Uses ``evegame.testing.explore_random`` (what ``evegame explore --random`` runs) when it exists;
``--game-api`` (or its absence) uses a loop over ``Game.available()`` / ``Game.step()`` instead.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

from evegame.engine import Game, read_story

SECONDS = float(os.environ.get("EVEGAME_EXPLORE_SECONDS", "1.0"))  # at least this long per measurement


def with_explorer(story: object) -> tuple[int, float]:
    from evegame.testing import explore_random

    games, steps, seconds = 200, 0, 0.0
    while seconds < SECONDS:  # grow until one run lasts long enough to time
        report = explore_random(story, games, seed=0, jobs=1)
        steps, seconds = report.steps, report.seconds
        games *= 2
    return steps, seconds


def with_game_api(story: object) -> tuple[int, float]:
    game = Game(story, record_undo=False)  # type: ignore[arg-type]
    rand = random.Random(0).random
    steps = 0
    began = time.perf_counter()
    while True:
        for _ in range(1000):
            if game.is_over:
                game.reset()
            moves = game.available()
            game.step(moves[int(rand() * len(moves))])
        steps += 1000
        seconds = time.perf_counter() - began
        if seconds >= SECONDS:
            return steps, seconds


def main() -> None:
    story = read_story(sys.argv[1])
    how = "Game.step"
    if "--game-api" not in sys.argv:
        try:
            import evegame.testing.randomwalk  # noqa: F401

            how = "evegame.testing.explore_random"
        except ImportError:
            pass
    steps, seconds = with_explorer(story) if how != "Game.step" else with_game_api(story)
    print(json.dumps({"steps_per_second": steps / seconds, "steps": steps, "how": how}))


if __name__ == "__main__":
    main()
