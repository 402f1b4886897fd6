"""settings.json and gallery.json: damaged files are set aside (never over an earlier backup), files of
a newer evegame are kept untouched, and two games on one data folder lose no ending."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evegame.userdata import GALLERY_FILE, SETTINGS_FILE, Gallery, Settings, UserDataError

BAD = {
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "a huge integer": '{"reveal_speed": ' + "9" * 5000 + "}",
    "NaN": '{"reveal_speed": NaN}',
    "not UTF-8": b"\xff\xfe{}",
    "truncated": '{"theme": "gruv',
    "not a mapping": "[1, 2, 3]",
    "a lone surrogate": '{"theme": "\\ud800"}',  # found by the fuzz: it parsed, then could not be written back
}


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)


@pytest.mark.parametrize("name", [SETTINGS_FILE, GALLERY_FILE])
@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_damaged_file_is_set_aside_with_a_warning_naming_it(tmp_path: Path, name: str, case: str) -> None:
    write(tmp_path / name, BAD[case])
    loaded = (Settings if name == SETTINGS_FILE else Gallery).load(tmp_path)
    assert loaded.warning is not None and str(tmp_path / name) in loaded.warning and "\n" not in loaded.warning
    assert f"kept as {name}.damaged" in loaded.warning
    raw = BAD[case]
    assert (tmp_path / f"{name}.damaged").read_bytes() == (raw.encode() if isinstance(raw, str) else raw)
    loaded.save(tmp_path)  # defaults are written in its place
    assert json.loads((tmp_path / name).read_text())["version"] == 1


def test_a_second_damaged_file_never_replaces_the_first_backup(tmp_path: Path) -> None:
    for n, junk in enumerate([b"{first", b"{second", b"{third"], 1):
        write(tmp_path / GALLERY_FILE, junk)
        warning = Gallery.load(tmp_path).warning
        backup = GALLERY_FILE + (".damaged" if n == 1 else f".damaged-{n}")
        assert warning is not None and f"kept as {backup}" in warning
    assert (tmp_path / "gallery.json.damaged").read_bytes() == b"{first"
    assert (tmp_path / "gallery.json.damaged-2").read_bytes() == b"{second"
    assert (tmp_path / "gallery.json.damaged-3").read_bytes() == b"{third"


@pytest.mark.parametrize("name", [SETTINGS_FILE, GALLERY_FILE])
def test_a_file_from_a_newer_evegame_is_kept_and_never_overwritten(tmp_path: Path, name: str) -> None:
    future = json.dumps({"version": 2, "stories": {"x": "a shape this evegame does not know"}, "theme": "x"})
    write(tmp_path / name, future)
    loaded = (Settings if name == SETTINGS_FILE else Gallery).load(tmp_path)
    assert loaded.warning is not None and "newer evegame (version 2)" in loaded.warning
    if isinstance(loaded, Gallery):
        loaded.record("mini", "mercy", [])
    with pytest.raises(UserDataError, match="newer evegame"):
        loaded.save(tmp_path)
    assert (tmp_path / name).read_text() == future
    assert not list(tmp_path.glob("*.damaged*"))


def test_settings_keep_keys_they_do_not_know(tmp_path: Path) -> None:
    write(tmp_path / SETTINGS_FILE, json.dumps({"version": 1, "theme": "nord", "font": "large"}))
    settings = Settings.load(tmp_path)
    settings.reveal_speed = 40
    settings.save(tmp_path)
    saved = json.loads((tmp_path / SETTINGS_FILE).read_text())
    assert saved == {"version": 1, "theme": "nord", "reveal_speed": 40, "animations": True, "font": "large"}


def test_old_files_without_a_version_still_load(tmp_path: Path) -> None:
    write(tmp_path / SETTINGS_FILE, json.dumps({"theme": "nord", "reveal_speed": 30, "animations": False}))
    write(tmp_path / GALLERY_FILE, json.dumps({"stories": {"mini": {"endings": {"mercy": "2026-01-01"}}}}))
    assert Settings.load(tmp_path).theme == "nord"
    assert Gallery.load(tmp_path).endings("mini") == {"mercy": "2026-01-01"}


def test_two_galleries_on_one_folder_merge_their_endings(tmp_path: Path) -> None:
    mine, theirs = Gallery.load(tmp_path), Gallery.load(tmp_path)
    mine.record("mini", "mercy", ["spared"])
    mine.save(tmp_path)
    theirs.record("mini", "excommunicado", [])
    theirs.save(tmp_path)
    assert Gallery.load(tmp_path).endings("mini").keys() == {"mercy", "excommunicado"}
    assert Gallery.load(tmp_path).achievements("mini").keys() == {"spared"}
    assert theirs.endings("mini").keys() == {"mercy", "excommunicado"}  # the game sees the other's finds too


def test_killed_writes_leave_no_temp_files_behind_in_the_data_folder(tmp_path: Path) -> None:
    old = tmp_path / ".gallery.json.ab12cd34.tmp"
    fresh = tmp_path / ".settings.json.ef56gh78.tmp"
    other = tmp_path / ".notes.tmp"  # not our pattern: never touched
    for path in (old, fresh, other):
        write(path, "{")
    os.utime(old, (1, 1))
    os.utime(other, (1, 1))
    Gallery.load(tmp_path)
    assert not old.exists() and fresh.exists() and other.exists()


TWO_GAMES = r"""
import sys
from pathlib import Path
from evegame.userdata import Gallery
data, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
gallery = Gallery.load(data)  # each game loads the gallery once, at start
for n in range(count):
    gallery.record("mini", f"{name}-{n}", [f"{name}-achievement-{n}"])
    gallery.save(data)
"""


def test_two_game_processes_recording_endings_at_once_lose_none(tmp_path: Path) -> None:
    count = 60
    games = [
        subprocess.Popen([sys.executable, "-c", TWO_GAMES, str(tmp_path), name, str(count)]) for name in ("a", "b")
    ]
    assert [game.wait(timeout=300) for game in games] == [0, 0]
    gallery = Gallery.load(tmp_path)
    assert gallery.warning is None
    assert gallery.endings("mini").keys() == {f"{name}-{n}" for name in "ab" for n in range(count)}
    assert len(gallery.achievements("mini")) == 2 * count
