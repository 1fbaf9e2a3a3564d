"""pipeline/collector.py: a run freezes the heap it starts with and gives it back."""
from __future__ import annotations

import gc
import weakref

from pipeline.collector import YOUNG_THRESHOLD, sparing_collector


class Node:
    def __init__(self) -> None:
        self.other = self


def test_the_heap_is_frozen_for_the_run_and_thawed_after():
    before = gc.get_threshold()
    gc.unfreeze()
    with sparing_collector():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] >= YOUNG_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_a_cycle_made_during_the_run_is_collected_during_it():
    with sparing_collector():
        ref = weakref.ref(Node())
        assert ref() is not None  # a cycle: reference counting alone never frees it
        gc.collect()
        assert ref() is None


def test_a_cycle_older_than_the_run_is_collected_after_it():
    ref = weakref.ref(Node())
    with sparing_collector():
        gc.collect()
        assert ref() is not None  # frozen with the heap the run started with
    gc.collect()
    assert ref() is None


def test_thresholds_are_restored_when_the_run_fails():
    before = gc.get_threshold()
    try:
        with sparing_collector():
            raise RuntimeError("a failed run")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
