"""Random keys and random window sizes through Pilot: nothing escapes, and every save left behind loads.

Seeded (reproducible: a failing seed and step are in the assertion message), a few hundred steps
per seed. Quitting is one of the keys: the game is then started again on the same data folder,
as a player would relaunch it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from evegame.engine import read_story
from evegame.engine.saves import SaveStore
from evegame.userdata import Settings
from helpers import MINI

KEYS = [
    *"123456789",
    *"nclshmbogeupqyar",
    "escape",
    "enter",
    "up",
    "down",
    "pageup",
    "pagedown",
    "home",
    "end",
    "space",
    "tab",
    "question_mark",
    "ctrl+z",
]
SIZES = [(120, 40), (100, 30), (80, 24), (60, 20), (40, 12), (30, 10), (29, 12), (20, 8), (12, 4), (1, 1)]
STEPS = 150


@pytest.mark.parametrize("seed", [1, 2])
async def test_random_keys_and_resizes_never_crash_and_leave_loadable_saves(
    make_app, data_dir: Path, seed: int
) -> None:
    rng = random.Random(seed)
    done = 0
    launches = 0
    while done < STEPS and launches < 20:
        launches += 1
        app = make_app()
        async with app.run_test(size=rng.choice(SIZES[:5])) as pilot:
            while done < STEPS and app.is_running and app.return_code is None:
                done += 1
                if rng.random() < 0.15:
                    await pilot.resize_terminal(*rng.choice(SIZES))
                else:
                    await pilot.press(rng.choice(KEYS))
        # leaving run_test re-raises anything that escaped a handler: the seed and step say where
        assert app.return_code in (None, 0), f"seed {seed}, step {done}: exit code {app.return_code}"
    store = SaveStore(data_dir, read_story(MINI))
    for info in store.list():
        assert info.ok, f"seed {seed}: {info.path.name} does not load: {info.reason}"
        store.load(info.slot)
    assert Settings.load(data_dir).warning is None
