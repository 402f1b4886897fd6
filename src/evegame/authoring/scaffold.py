"""`evegame new DIR`: a small working story (manifest, two scene files, a codex entry, a playthrough)."""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path

from ..engine.errors import EvegameError

TEMPLATE_FILES = (
    "story.yaml",
    "scenes/station.yaml",
    "scenes/platform.yaml",
    "playthroughs/take_the_train.play.yaml",
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "my_story"


def scaffold(target: Path, title: str | None = None) -> list[Path]:
    """Write a new story folder at ``target``; refuses to touch a non-empty folder."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise EvegameError(f"{target} already exists and is not empty; choose a new folder")
    title = title or target.resolve().name.replace("_", " ").replace("-", " ").title() or "My Story"
    fields = {"__TITLE__": title.replace('"', "'"), "__STORY_ID__": slug(title)}
    source = resources.files("evegame").joinpath("scaffold")
    written: list[Path] = []
    for name in TEMPLATE_FILES:
        text = source.joinpath(name).read_text(encoding="utf-8")
        for placeholder, value in fields.items():
            text = text.replace(placeholder, value)
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    schemas = target / "schemas"
    schemas.mkdir(exist_ok=True)
    for kind in ("story", "playthrough"):
        with resources.as_file(resources.files("evegame").joinpath("schemas", f"{kind}.schema.json")) as src:
            shutil.copyfile(src, schemas / f"{kind}.schema.json")
        written.append(schemas / f"{kind}.schema.json")
    return written
