"""Pausing Python's cyclic garbage collector while large object graphs are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while many long-lived objects are created, then leave it as it was.

    Loading a story or building its machine makes hundreds of thousands of objects and no
    garbage; with the collector on, its passes over the growing heap cost several times the
    work itself. Nothing else is changed: no object is frozen (``gc.freeze`` would keep the
    caller's own objects of that moment from ever being collected), and the collector is
    enabled again only if it was enabled before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
