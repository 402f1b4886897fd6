"""Start-up weight: a story served by the cache is loaded without importing PyYAML or importlib.metadata."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from evegame.engine import cache, load_story
from evegame.engine.loader import story_files
from helpers import MINI

PROBE = """
import sys
from evegame.engine import read_story
from evegame.paths import story_cache_dir
story = read_story(sys.argv[1], cache_dir=story_cache_dir())
story.scenes[story.start].title
heavy = sorted(m for m in ("yaml", "importlib.metadata") if m in sys.modules)
print("heavy:", ",".join(heavy))
"""


def _probe(story: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(story)], capture_output=True, text=True, env=dict(os.environ), check=True
    )
    return out.stdout.strip()


def test_warm_load_imports_neither_pyyaml_nor_metadata() -> None:
    assert _probe(MINI) == "heavy: yaml"  # cold: the files are parsed (and the cache is filled)
    assert _probe(MINI) == "heavy:"  # warm: served by the cache


def test_version_is_still_there() -> None:
    import evegame

    out = subprocess.run([sys.executable, "-m", "evegame", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"evegame {evegame.__version__}"
    assert evegame.__version__


def test_other_engine_code_means_another_cache_entry(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = cache.content_key(MINI, story_files(MINI))
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "an upgraded engine")
    assert cache.content_key(MINI, story_files(MINI)) != before
    assert load_story(MINI).story is not None
