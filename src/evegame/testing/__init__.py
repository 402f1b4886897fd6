"""evegame's test tools: scripted playthroughs, random and exhaustive exploration.

Headless (never imports Textual). Names are imported lazily so that the CLI and
the pytest plugin stay quick to start.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "Playthrough": "playfile",
    "PlaythroughError": "playfile",
    "Step": "playfile",
    "load_playthrough": "playfile",
    "find_playthroughs": "playfile",
    "PlayResult": "runner",
    "Failure": "runner",
    "run_playthrough": "runner",
    "run_file": "runner",
    "Sim": "sim",
    "explore_random": "randomwalk",
    "RandomReport": "randomwalk",
    "explore_exhaustive": "exhaustive",
    "ExhaustiveReport": "exhaustive",
    "write_witnesses": "witnesses",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
