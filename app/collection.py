"""Python's automatic collection paused around work that makes many short-lived rows (a roster read, checked
and written; the demo's town; a printed form). Each collection walks every object made so far, and at county
size that is millions of rows holding no cycles to find: about an eighth of a 10,000-row import's time and a
fifth of `canlian demo --persons 100000`'s. Whatever cycles the work leaves are collected as usual afterwards.
Where collection is paused already (the window collects on its own timer, ui/collector.py) it stays so."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_automatic_gc() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
