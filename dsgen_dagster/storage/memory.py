"""Give freed memory back to the operating system between the steps of a batch.

A batch runs every step in one process (the in-process executor). A step's working set (the
rendered prompts, contexts and texts of its chunks, and the Arrow copies of its writes) is
freed when the step ends, but each allocator in the process keeps freed memory unless told to
give it back: the next step then starts on top of the previous one's high-water mark instead of
reusing it, and resident memory ratchets up step by step (issue #13). Three allocators hold it:

- glibc (Python's large objects, C++ code): `malloc_trim(0)` returns every free page of every
  heap; on a C library without it (macOS, musl) this does nothing.
- pyarrow's mimalloc pool (the Arrow copies of frames written to DuckDB): it kept 60-110 MB of
  freed pages resident at the end of a 10k-20k batch while holding ~1 MB of live buffers;
  `release_unused()` hands them back.
- polars' bundled jemalloc: polars sets its decay to 0.5 s (dirty) and 1 s (muzzy), and pages are
  purged only when polars allocates again, so a frame freed at the end of a step stayed resident
  into the next. dsgen_dagster/__init__.py, which runs before polars is imported, sets the decay
  to 0 through `_RJEM_MALLOC_CONF` unless the user set that variable.

Measured together on a 10,000-ticket offline batch: RSS at the end of translations 773-817 MB
-> 743 MB, after the publish 743-757 -> 685 MB, same wall time (bench/bench_batch.py, fifth
pass). DuckDB's own jemalloc held < 10 MB between steps (`stats.resident`): nothing to do there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def release_memory() -> None:
    """Hand free pages back to the OS (pyarrow's pool, glibc's heaps; a few ms). No
    `gc.collect()`: with millions of live objects a full collection costs more than it frees
    here."""
    pyarrow = sys.modules.get("pyarrow")  # only if something loaded it: no import for this
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
