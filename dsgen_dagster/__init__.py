"""dsgen: a Dagster code location that generates synthetic customer-support datasets."""

import os

# Before anything imports polars (dsgen_dagster.storage does): polars' bundled jemalloc reads
# `_RJEM_MALLOC_CONF` when polars loads, and by default keeps freed pages resident for 0.5-1 s
# after they are freed, so a step's frames were still resident when the next step grew its own
# (issue #13; storage/memory.py has the figures). A value the user set is left alone.
POLARS_JEMALLOC_ENV = "_RJEM_MALLOC_CONF"
POLARS_JEMALLOC_CONF = "dirty_decay_ms:0,muzzy_decay_ms:0"
os.environ.setdefault(POLARS_JEMALLOC_ENV, POLARS_JEMALLOC_CONF)
