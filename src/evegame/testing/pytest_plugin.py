"""The pytest plugin: every ``*.play.yaml`` file is a test.

Registered through the ``pytest11`` entry point as ``evegame``. The story for
playthroughs that name none comes from ``--evegame-story DIR``, else the
``evegame_story`` ini setting (relative to the ini file), else the shipped story.
A failure is reported as ``evegame playtest`` reports it: file, step and line,
expected and found, and the path taken so far.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .playfile import SUFFIXES, PlaythroughError, default_name, load_playthrough
from .runner import PlayResult, Runner

_RUNNER = pytest.StashKey[Runner]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("evegame", "evegame playthroughs (*.play.yaml)")
    group.addoption(
        "--evegame-story",
        dest="evegame_story",
        metavar="DIR",
        default=None,
        help="story folder for playthroughs that name none (default: ini evegame_story, else the shipped story)",
    )
    parser.addini(
        "evegame_story",
        "story folder for *.play.yaml files that name none, relative to the ini file",
        default="",
    )


def _default_story(config: pytest.Config) -> Path | None:
    option = config.getoption("evegame_story", None)
    if option:
        return Path(option).resolve()
    ini = str(config.getini("evegame_story") or "").strip()
    if ini:
        base = config.inipath.parent if config.inipath else config.rootpath
        return (base / ini).resolve()
    return None


def _runner(config: pytest.Config) -> Runner:
    runner = config.stash.get(_RUNNER, None)
    if runner is None:
        runner = Runner(_default_story(config))
        config.stash[_RUNNER] = runner
    return runner


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIXES):
        return PlaythroughFile.from_parent(parent, path=file_path)
    return None


class PlaythroughFile(pytest.File):
    """One playthrough file: one test, named after the playthrough's ``name:``."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            name = load_playthrough(self.path).name
        except PlaythroughError:
            name = default_name(self.path)  # still a test: it fails with the file's problems
        yield PlaythroughItem.from_parent(self, name=name)


class PlaythroughFailed(Exception):
    def __init__(self, result: PlayResult) -> None:
        super().__init__(str(result.failure))
        self.result = result


class PlaythroughItem(pytest.Item):
    def runtest(self) -> None:
        result = _runner(self.config).run_file(self.path)
        if not result.ok:
            raise PlaythroughFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, PlaythroughFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"playthrough: {self.name}"
