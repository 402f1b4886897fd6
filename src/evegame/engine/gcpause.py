"""Pausing Python's cyclic garbage collector while large object graphs are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic collector while many long-lived objects are created.

    Loading a story or building its machine makes hundreds of thousands of objects
    and no garbage; with the collector on, its passes over the growing heap cost
    several times the work itself. With ``freeze`` the survivors move to the
    permanent generation (``gc.freeze``) so later collections skip them: only for
    acyclic data such as the story model, which reference counting still frees.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
