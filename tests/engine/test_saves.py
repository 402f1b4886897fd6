"""Save slots on disk: leftovers of killed saves are swept, real saves never are."""

from __future__ import annotations

import os
import time
from pathlib import Path

from evegame.engine import Game
from evegame.engine.saves import SaveStore
from helpers import MINI


def test_save_sweeps_old_temp_files_but_keeps_saves_and_fresh_temps(tmp_path: Path) -> None:
    game = Game.load(MINI)
    store = SaveStore(tmp_path, game.story)
    store.save("1", game, play_time=1.0)
    old = store.directory / ".slot-2.json.abc12345.tmp"
    fresh = store.directory / ".auto.json.def45678.tmp"
    for tmp in (old, fresh):
        tmp.write_text('{"half": ')
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    store.save("3", game, play_time=2.0)
    assert not old.exists()  # a killed save's leftover, long abandoned
    assert fresh.exists()  # may belong to a save in progress elsewhere
    assert [i.slot for i in store.list()] == ["1", "3"]
