"""Continue a long autosave, as the game does, and print JSON: seconds, CPU seconds, peak memory.

    python benchmarks/drivers/continue_save.py make FOLDER [CHOICES]   # a looping story and its autosave
    python benchmarks/drivers/continue_save.py continue FOLDER         # time one Continue (fresh process)

``make`` writes ``FOLDER/story`` (a 24-scene story that loops, with conditions, effects on ints and
lists, and codex unlocks, so a game can go on for ever) and ``FOLDER/data``, whose autosave holds a
game of CHOICES choices (default 40,000). ``continue`` times what Continue does: the session's
``continue_slot`` (the save listed and checked) and ``load`` (the save read, checked and replayed so
undo reaches back to the start), from a cold process with the story already loaded.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from pathlib import Path

SCENES = 24


def story_files() -> dict[str, str]:
    manifest = """\
story:
  id: loop
  title: A long night
  start: s0
  variables:
    coins: 5
    rounds: 0
    heat: 0
    items: [ticket]
  status:
    - {var: coins, label: Coins}
    - {var: rounds, label: Rounds}
codex:
  - {id: ledger, title: The ledger, text: Every debt is written., unlocked_by: s3}
  - {id: bridge, title: The bridge, text: Nobody crosses twice., unlocked_by: s11}
"""
    scenes = ["scenes:"]
    for n in range(SCENES):
        nxt, back = (n + 1) % SCENES, (n + SCENES - 3) % SCENES
        enter = "\n    on_enter: {add: {rounds: 1}}" if n == 0 else ""
        scenes.append(f"""\
  - id: s{n}
    title: Room {n}{enter}
    text:
      - You stand in room {n} with {{coins}} coins.
      - if: heat > 3
        text: They are looking for you.
    choices:
      - id: walk
        text: Walk on
        goto: s{nxt}
        effects: {{add: {{heat: 1}}}}
      - id: back
        text: Go back
        if: coins >= 1 or 'ticket' in items
        goto: s{back}
        effects:
          - add: {{coins: -1}}
          - take: [ticket]
            from: items
      - id: leave
        text: Leave at dawn
        if: rounds > 1000000
        goto: dawn
      - id: rest
        text: Rest
        if: heat > 0
        goto: s{n}
        effects:
          - set: {{heat: 0}}
          - add: {{coins: 2}}
          - give: [ticket]
            into: items""")
    scenes.append("""\
  - id: dawn
    title: Dawn
    text: The night is over.
    ending: dawn""")
    return {"story.yaml": manifest, "scenes.yaml": "\n".join(scenes) + "\n"}


def make(folder: Path, choices: int) -> None:
    from evegame.engine import Game, read_story
    from evegame.engine.saves import AUTOSAVE, SaveStore

    root = folder / "story"
    root.mkdir(parents=True, exist_ok=True)
    for name, text in story_files().items():
        (root / name).write_text(text, encoding="utf-8")
    story = read_story(root)
    game = Game(story, record_undo=False)
    rng = random.Random(1)
    for _ in range(choices):
        game.step(rng.choice(game.available()))
    SaveStore(folder / "data", story).save(AUTOSAVE, game, play_time=choices * 3.0)


def continue_game(folder: Path) -> dict[str, float]:
    from evegame.engine import read_story
    from evegame.session import GameSession

    story = read_story(folder / "story")
    began, cpu = time.perf_counter(), time.process_time()
    session = GameSession(story, folder / "data")
    info = session.continue_slot()
    assert info is not None, "no game to continue"
    session.load(info.slot)
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    game = session.game
    assert game is not None and game.undo_depth == info.turns, (game and game.undo_depth, info.turns)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "choices": info.turns,
        "save_bytes": info.path.stat().st_size,
    }


def main() -> None:
    command, folder = sys.argv[1], Path(sys.argv[2])
    if command == "make":
        make(folder, int(sys.argv[3]) if len(sys.argv) > 3 else 40_000)
    elif command == "continue":
        print(json.dumps(continue_game(folder)))
    else:
        sys.exit(f"unknown command {command!r}: make or continue")


if __name__ == "__main__":
    main()
