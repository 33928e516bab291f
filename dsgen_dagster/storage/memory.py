"""Give freed heap memory back to the operating system between the steps of a batch.

A batch runs every step in one process (the in-process executor). A step's working set (the
rendered prompts, contexts and texts of its chunks, and the Arrow copies of its writes) is
freed when the step ends, but glibc keeps freed blocks in its heaps unless it is told to give
them back: the next step then starts on top of the previous one's high-water mark instead of
reusing it, and resident memory ratchets up step by step (issue #13). `malloc_trim(0)` returns
every free page of every heap; on a C library without it (macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
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
    """Hand free heap pages back to the OS (glibc only; a few ms). No `gc.collect()`: with
    millions of live objects a full collection costs more than it frees here."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
