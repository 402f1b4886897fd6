"""The wheel carries everything the installed game reads: the story, styles, schemas, scaffold, types."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from helpers import ROOT, SHIPPED


def test_the_wheel_carries_the_story_styles_schemas_scaffold_and_licence(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("evegame-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    story = {f"evegame/story/{p.relative_to(SHIPPED).as_posix()}" for p in SHIPPED.rglob("*") if p.is_file()}
    assert story and story <= names
    for path in [
        "evegame/py.typed",
        "evegame/tui/app.tcss",
        "evegame/schemas/story.schema.json",
        "evegame/schemas/playthrough.schema.json",
        "evegame/scaffold/story.yaml",
    ]:
        assert path in names, path
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode()
    assert not [n for n in names if "__pycache__" in n]
