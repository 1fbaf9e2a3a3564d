"""How the cyclic garbage collector treats a long run's processes.

A full collection walks every tracked object of the process: in the flow process that is
Prefect, SQLAlchemy, pydantic and the schema (≈ 0.3 CPU-s per full collection here), in a
pool worker spaCy and pymorphy3 as well, none of which a run ever frees. Those objects
exist before the run starts, so they are frozen out of the collector's reach for the run
(`gc.freeze`), and young objects are collected every 10,000 allocations instead of 700.
Garbage cycles made during the run are still collected.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

YOUNG_THRESHOLD = 10_000


def raise_young_threshold() -> None:
    """Collect young objects every YOUNG_THRESHOLD allocations (not 700): a run allocates
    hundreds of thousands that live until it ends (pdfplumber makes a dict per glyph)."""
    first, *older = gc.get_threshold()
    gc.set_threshold(max(first, YOUNG_THRESHOLD), *older)


def freeze_before_forking() -> None:
    """For a fork server, once its imports and caches are warm: the workers forked from it
    inherit the frozen heap, so their collections never walk it (nor copy its pages by
    touching the objects' headers)."""
    gc.collect()
    gc.freeze()
    raise_young_threshold()


@contextmanager
def sparing_collector() -> Iterator[None]:
    """For the length of a run in a process that lives on (a scheduled server runs many):
    what exists at the start is frozen and thawed again at the end, and the thresholds
    restored, so cycles among those objects are collected after the run."""
    before = gc.get_threshold()
    gc.freeze()
    raise_young_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
