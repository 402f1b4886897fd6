"""Every example in docs/testing.md runs as shown.

The guide's examples use tests/stories/mini as a project's ``story/`` folder. In
a fresh project folder (with ``story`` pointing at it), in the guide's order:

* each ```yaml block starts with ``# file: PATH``: it is written there (or, when
  an earlier command wrote that file, compared with it) and run: it passes, or
  fails when the comment says so; a block marked ``(a story file)`` is only written;
* each ```text block starting with ``$ evegame ...`` is run there and must print
  what the guide shows (times and rates aside).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from evegame.testing.runner import run_file
from helpers import MINI, ROOT

GUIDE = ROOT / "docs" / "testing.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
TIMES = [
    (re.compile(r"[\d,]+ steps in [\d.]+ s \([\d,]+ steps/s\)"), "N steps in T s (R steps/s)"),
    (re.compile(r"depth (\d+), [\d.]+ s$", re.M), r"depth \1, T s"),
    (re.compile(r"round\(s\), [\d.]+ s"), "round(s), T s"),
]


def normal(text: str) -> str:
    # The compiled-story cache can name the story's files by the folder a playtest resolved
    # (the real tests/stories/mini): the guide names them by the 'story' link it was run through.
    text = text.replace(str(MINI.resolve()), "story")
    for pattern, repl in TIMES:
        text = pattern.sub(repl, text)
    return text.rstrip()


def test_every_example_in_the_tester_guide(tmp_path: Path) -> None:
    (tmp_path / "story").symlink_to(MINI, target_is_directory=True)
    blocks = BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    yaml_blocks = commands = 0
    for lang, body in blocks:
        if lang == "yaml":
            first, _, text = body.partition("\n")
            match = re.fullmatch(r"# file: (\S+)( \(this one fails\)| \(a story file\))?", first)
            assert match, f"a YAML example must start with '# file: PATH': {first!r}"
            path = tmp_path / match.group(1)
            if path.exists():
                assert path.read_text(encoding="utf-8") == text, f"{path.name} differs from the guide"
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            if match.group(2) == " (a story file)":
                continue
            result = run_file(path, story_dir=tmp_path / "story")
            assert result.ok is (match.group(2) is None), (path.name, str(result.failure))
            yaml_blocks += 1
        elif lang == "text" and body.startswith("$ evegame "):
            command, _, expected = body.partition("\n")
            args = shlex.split(command[2:])[1:]
            env = {**os.environ, "NO_COLOR": "1"}
            done = subprocess.run(
                [sys.executable, "-m", "evegame", *args],
                capture_output=True,
                text=True,
                cwd=tmp_path,
                env=env,
                timeout=120,
            )
            assert normal(done.stdout + done.stderr) == normal(expected), command
            commands += 1
    assert yaml_blocks >= 6 and commands >= 6
