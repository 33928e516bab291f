"""Fewer pauses of Python's garbage collector and quicker thread switches while a run's steps
run side by side in threads (dsgen_dagster/threaded.py; offline runs keep CPython's settings).

A batch runs in one process and holds millions of container objects (Dagster's definitions
and event log, the upstream rows a stage reads, its requests and results). With CPython's
default thresholds (700, 10, 10) a full collection ran every few seconds, and every collection
stops every thread: at 2,000 tickets through a model endpoint, 17 full collections of ~0.41 s
each while the requests in flight waited for their answers to be read, ~9 s of pauses in all
(bench/bench_llm.py, timed with gc.callbacks). While the steps run:
- `gc.freeze()` moves what exists when the run starts (modules, definitions, resources) to the
  permanent generation, which no collection walks again;
- a young generation of RUN_THRESHOLDS[0] objects: most objects are freed by reference counting
  before a collection sees them, so rarer young collections also do less work in all, and full
  collections come at most every 10M net allocations. Measured on the same run with a young
  generation of 50,000 (and the oldest's threshold at 100): 23 young collections of ~55 ms and
  one of the middle generation, ~1.6 s of pauses.
- a 1 ms switch interval (CPython's default: 5 ms): a stage's event loop waiting for the GIL
  while another step's thread computes gets it back sooner.
Reference counting still frees what a step drops at once; only reference cycles wait for a
collection. Everything is put back when the last run of the process ends (a test process runs
many).
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

RUN_THRESHOLDS = (50_000, 20, 10)
RUN_SWITCH_INTERVAL_SECONDS = 0.001

_LOCK = threading.Lock()
_RUNS = 0  # runs of this process inside `fewer_collections` now
_SAVED: tuple[tuple[int, int, int], float] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The run's settings while the block runs; the process's own once no run is left."""
    global _RUNS, _SAVED
    with _LOCK:
        if _RUNS == 0:
            _SAVED = (gc.get_threshold(), sys.getswitchinterval())
            gc.freeze()
            gc.set_threshold(*RUN_THRESHOLDS)
            sys.setswitchinterval(RUN_SWITCH_INTERVAL_SECONDS)
        _RUNS += 1
    try:
        yield
    finally:
        with _LOCK:
            _RUNS -= 1
            if _RUNS == 0 and _SAVED is not None:
                thresholds, interval = _SAVED
                gc.set_threshold(*thresholds)
                sys.setswitchinterval(interval)
                gc.unfreeze()  # back to the oldest generation: collectable again
                _SAVED = None
