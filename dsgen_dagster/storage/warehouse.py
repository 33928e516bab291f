"""The DuckDB database as a resource: short-lived connections that wait out other writers."""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource
from pydantic import Field

from dsgen_dagster.errors import StorageError
from dsgen_dagster.settings import DEFAULT_DB_PATH, EnvSetting, NamesItsVariables, text

logger = logging.getLogger(__name__)
# One unit of work (connection) at a time in this process. Steps running side by side in threads
# (dsgen_dagster/threaded.py) otherwise meet DuckDB's in-process conflicts: a connect racing the
# close of the file's last connection ("Unique file handle conflict ... already attached"), two
# `CREATE TABLE IF NOT EXISTS` of one table ("Catalog write-write conflict"). Units of work are
# short (a read, a write, a flush) and no LLM call happens inside one, so the stages waiting on
# a model still overlap. Re-entrant: a unit of work may open another on the same thread.
_UNIT_OF_WORK = threading.RLock()


def check_database_path(database: str) -> None:
    """A clear error, naming DSGEN_DB, for a path that can never hold a DuckDB file."""
    if database == ":memory:":
        return
    path = Path(database)
    if path.is_dir():
        raise StorageError(
            f"DSGEN_DB={database!r} is a directory; set DSGEN_DB to a file path inside it, "
            f"e.g. {path / 'dsgen.duckdb'}"
        )
    parent = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
    if parent is None or not parent.is_dir():
        raise StorageError(f"DSGEN_DB={database!r}: {parent} is not a directory; choose a path")
    writable = path if path.exists() else parent
    if not os.access(writable, os.W_OK):
        raise StorageError(
            f"DSGEN_DB={database!r} is not writable ({writable} denies writing); set DSGEN_DB to "
            "a path you can write, or fix the permissions"
        )


# The publish step's connection (`Warehouse.connect_bulk`): it copies every staged table of a
# batch into the published tables in one transaction, and DuckDB keeps a transaction's appended
# rows in memory until a row group (122,880 rows) fills and five of them are buffered, so at
# 100,000 tickets the whole batch sat in memory uncompressed until COMMIT (~1.5 GB; issue #13).
# Smaller row groups written one at a time go to the file as the copy proceeds (still
# uncommitted: a failed publish leaves nothing), and a small buffer pool with one thread holds
# little of what was read. Measured on a 20,000-ticket batch: the publish's RSS rise 429 MB ->
# ~170 MB, same time (bench/bench_batch.py, fourth pass). `connection_config` overrides these.
# The row groups are DuckDB's own size, 122,880 rows: with smaller ones (16,384 until December
# 2026) the next plain connection that wrote checkpointed on close and merged them, all at once
# and outside these bounds. Staging 170,551 translation rows of a 100k batch: +219 MB, then the
# next plain write's close +604-651 MB in 1.4-2.0 s; at 122,880: +311-314 MB, then +0 in 0.1 s.
# Publishing that batch: +197 then +816 MB; at 122,880 +308 then +0 (seventh pass).
BULK_ROW_GROUP_SIZE = 122_880
BULK_CONFIG: dict[str, Any] = {
    "memory_limit": "128MB",
    "threads": 1,
    "write_buffer_row_group_count": 1,
}


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, duckdb.IOException) and ("lock" in text or "conflicting" in text)


class Warehouse(NamesItsVariables, DuckDBResource):
    """Where every table lives: dagster-duckdb's `DuckDBResource` (its `database` and
    `connection_config`, e.g. `{"memory_limit": "1GB", "threads": 2}`), with connections that wait
    out other writers.

    Connections are opened per unit of work and always closed, so several runs (processes) can
    share one file: DuckDB lets one process write at a time, and a connection that finds the file
    locked backs off with jitter for up to `lock_timeout_seconds` instead of DuckDBResource's ten
    quick retries (docs/stack-notes.md). `get_connection()` is the same connection, for code
    written against DuckDBResource.
    """

    ENV: ClassVar[Mapping[str, EnvSetting]] = {
        "database": EnvSetting("DSGEN_DB", text, "a DuckDB file path, e.g. data/dsgen.duckdb")
    }

    database: str = Field(default=DEFAULT_DB_PATH, description="DuckDB database file.")
    lock_timeout_seconds: float = Field(
        default=600.0, ge=0.0, description="How long to wait for another process's write to finish."
    )

    def setup_for_execution(self, context: Any) -> None:
        """Before a run's first step: the database can be created and written where it is."""
        check_database_path(self.database)

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:  # type: ignore[override]
        with self.connect() as connection:
            yield connection

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with _UNIT_OF_WORK:
            connection = self._open_waiting_for_lock()
            try:
                yield connection
            finally:
                connection.close()

    @contextmanager
    def held(self) -> Iterator[None]:
        """Several units of work on this thread against one open database: each `connect()`
        inside attaches to the instance this keeps open (DuckDB's instance cache, ~0.2 ms)
        instead of opening the file and closing it again (~13 ms with its checkpoint; a 10k
        batch's chunked reads spent ~9 s of ~110 s on it, issue #13). For a run of short reads,
        such as one chunk's upstream tables: it holds the unit-of-work lock throughout, so not
        around a model call, and not around `connect_bulk`, which would share this instance
        and lose its memory bounds. With `:memory:` it holds nothing: every connection there is
        a database of its own."""
        with self.connect():
            yield

    @contextmanager
    def connect_bulk(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for copying a whole batch in one transaction with bounded memory
        (BULK_CONFIG): the database attached with small row groups, under the catalog name a
        plain connection gives it, so the same SQL runs on it."""
        if self.database == ":memory:":  # nothing to attach: one database per connection
            with self.connect() as connection:
                yield connection
            return
        config = {**BULK_CONFIG, **dict(self.connection_config)}
        with _UNIT_OF_WORK:  # alone in the process: the attach gets the file to itself
            connection = self._open_waiting_for_lock(bulk=config)
            try:
                yield connection
            finally:
                connection.close()

    def query(self, sql: str, params: list[object] | None = None) -> pl.DataFrame:
        with self.connect() as connection:
            return connection.execute(sql, params or []).pl()

    def _attach_bulk(self, config: dict[str, Any]) -> duckdb.DuckDBPyConnection:
        connection = duckdb.connect(":memory:", config=config)
        try:
            catalog = Path(self.database).stem.replace('"', '""')
            path = self.database.replace("'", "''")
            connection.execute(
                f"ATTACH '{path}' AS \"{catalog}\" (ROW_GROUP_SIZE {BULK_ROW_GROUP_SIZE})"
            )
            connection.execute(f'USE "{catalog}"')
        except duckdb.BinderException as exc:
            connection.close()
            if "file handle conflict" not in str(exc).lower():
                raise
            # This process has the file open already (DuckDB refuses a second instance of it):
            # share that instance, as a plain connection does; only the memory bound is lost.
            logger.info("bulk connection shares the open database %s", self.database)
            return duckdb.connect(self.database, config=dict(self.connection_config))
        except BaseException:
            connection.close()
            raise
        return connection

    def _open_waiting_for_lock(
        self, bulk: dict[str, Any] | None = None
    ) -> duckdb.DuckDBPyConnection:
        path = Path(self.database)
        if self.database != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout_seconds
        delay = 0.05
        attempts = 0
        while True:
            attempts += 1
            try:
                if bulk is not None:
                    return self._attach_bulk(bulk)
                return duckdb.connect(self.database, config=dict(self.connection_config))
            except duckdb.IOException as exc:
                if not is_lock_error(exc):
                    raise StorageError(
                        f"cannot open DuckDB database {self.database!r}: {exc}"
                    ) from exc
                if time.monotonic() >= deadline:
                    raise StorageError(
                        f"DuckDB database {self.database!r} stayed locked by another process for "
                        f"{self.lock_timeout_seconds:.0f}s ({attempts} attempts); raise "
                        "lock_timeout_seconds or run fewer writers at once"
                    ) from exc
                # Full jitter: concurrent waiters spread out instead of retrying in lock-step.
                time.sleep(random.uniform(0, delay))
                delay = min(delay * 2, 2.0)
                if attempts % 20 == 0:
                    logger.info("waiting for lock on %s (%d attempts)", self.database, attempts)
