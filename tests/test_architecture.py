"""The layering a person relies on: the engine (and the test tools on top of it) run without Textual,
and the engine never looks up the user's folders.

The import rules themselves are import-linter contracts in pyproject.toml, checked by
``lint-imports`` in .ci/run; this test checks what they promise at run time.
"""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT, SHIPPED

PROGRAM = f"""
import sys
from evegame.engine import Game, read_story
game = Game(read_story({str(SHIPPED)!r}))
while not game.is_over:
    game.choose(game.available()[0].key)  # the first choice that can be taken (a locked one is shown, not taken)
print(sorted(m for m in sys.modules if m in ("evegame.paths", "platformdirs")))  # the user's folders
from evegame.testing.runner import Runner
result = Runner().run_file({str(ROOT / "tests" / "playthroughs" / "rules_kept.play.yaml")!r})
assert result.ok, result.failure
print(sorted(m for m in sys.modules if m == "textual" or m.startswith(("textual.", "evegame.tui"))))
"""


def test_the_engine_and_a_playthrough_run_without_importing_textual_or_the_user_folders() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    user_folders, textual = done.stdout.strip().splitlines()
    assert user_folders == "[]"  # the engine never looks up the user's folders: a cache folder is passed in
    assert textual == "[]"
