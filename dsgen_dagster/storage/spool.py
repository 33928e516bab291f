"""A stage's rows written to DuckDB chunk by chunk as they are made, staged in one transaction.

An LLM stage makes its rows 4,096 requests at a time. Held as one frame until the IO manager
stages it, a 100,000-ticket batch's translations (170,535 rows, ~400 MB of texts) sat in memory
for the whole step, and staging copied it once more; the stage's peak was that frame plus its
copy on top of everything else the step holds (issue #13). Here each chunk's frame goes to a
spool table of its own (`staging."spool__<table>__<run>"`) the moment it is made and is then
dropped; storing the step's output (`stage_spooled`) replaces the partition's staged rows with
the spool's inside DuckDB, in one transaction, and drops the spool. Readers never see a spool:
until that transaction commits, the partition's staged rows are the previous run's.

A spool the process did not live to stage (a killed run) is dropped by the next staging of the
same table and partition, whichever run makes it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl

from dsgen_dagster.errors import StorageError
from dsgen_dagster.partitions import batch_date
from dsgen_dagster.storage.metadata import PREVIEW_ROWS
from dsgen_dagster.storage.staging import (
    PARTITION_COLUMN,
    STAGING_SCHEMA,
    ensure_staging,
    replace_rows,
    staged,
    staging_transaction,
    table_exists,
    write_in_chunks,
)
from dsgen_dagster.storage.warehouse import Warehouse

logger = logging.getLogger(__name__)
SPOOL_PREFIX = "spool__"


def spool_name(table: str, partition_key: str, run_id: str) -> str:
    token = re.sub(r"[^0-9A-Za-z]", "", f"{partition_key}_{run_id}")
    return f"{SPOOL_PREFIX}{table}__{token}"


def spools_of(connection: duckdb.DuckDBPyConnection, table: str, partition_key: str) -> list[str]:
    """Every spool of `table` for the partition, whichever run left it."""
    prefix = spool_name(table, partition_key, "")
    return [
        name
        for (name,) in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
            "AND starts_with(table_name, ?)",
            [STAGING_SCHEMA, prefix],
        ).fetchall()
    ]


@dataclass
class SpooledRows:
    """What a spooled stage returns to the IO manager: where its rows are, how many, and the
    first few (the materialisation's preview), never the rows themselves."""

    table: str
    spool: str
    partition_key: str
    height: int = 0
    head: pl.DataFrame = field(default_factory=pl.DataFrame)


class Spool:
    """Appends frames to one run's spool of `table` for a partition (one short unit of work each,
    on the bounded-memory connection), and discards it if the stage fails."""

    def __init__(self, warehouse: Warehouse, table: str, partition_key: str, run_id: str) -> None:
        self._warehouse = warehouse
        self._created = False
        self.rows = SpooledRows(table, spool_name(table, partition_key, run_id), partition_key)

    def append(self, frame: pl.DataFrame) -> None:
        rows = self.rows
        if self._created and frame.height == 0:
            return  # an empty first frame still gives the spool its columns
        dated = frame.with_columns(pl.lit(batch_date(rows.partition_key)).alias(PARTITION_COLUMN))
        with self._warehouse.connect_bulk() as connection:
            ensure_staging(connection)
            if not self._created:  # a spool of this run's that a failed try left is replaced
                connection.execute(f"DROP TABLE IF EXISTS {staged(rows.spool)}")
            write_in_chunks(
                connection, STAGING_SCHEMA, rows.spool, rows.partition_key, dated,
                replace=not self._created,
            )  # fmt: skip
        self._created = True
        wanted = PREVIEW_ROWS - rows.head.height
        if wanted > 0:
            more = frame.head(wanted)
            rows.head = more if rows.head.width == 0 else pl.concat([rows.head, more])
        rows.height += frame.height

    def discard(self, log: Any = logger) -> None:
        """Drop the spool; a failure to is logged, not raised (it must not hide why the stage
        failed), and the next staging of the table and partition drops it."""
        try:
            with self._warehouse.connect() as connection:
                if table_exists(connection, self.rows.spool, STAGING_SCHEMA):
                    connection.execute(f"DROP TABLE {staged(self.rows.spool)}")
        except Exception as exc:  # noqa: BLE001
            log.warning(f"could not drop {staged(self.rows.spool)} ({exc}); the next run drops it")


def stage_spooled(connection: duckdb.DuckDBPyConnection, rows: SpooledRows, run_id: str) -> None:
    """The partition's staged rows of the spool's table become the spool's, in one transaction
    that also drops the spool (and any spool of the table and partition a killed run left)."""
    ensure_staging(connection)
    if not table_exists(connection, rows.spool, STAGING_SCHEMA):
        raise StorageError(
            f"{rows.table}: the rows this run made for partition {rows.partition_key} are no "
            f"longer in staging (table {staged(rows.spool)} is gone: another run of the same "
            "partition staged it meanwhile?); the staged rows were left as they were. Run the "
            "step again, one run per partition at a time."
        )
    with staging_transaction(connection, rows.table, rows.partition_key, run_id):
        replace_rows(connection, STAGING_SCHEMA, rows.table, rows.partition_key, staged(rows.spool))
        for spool in spools_of(connection, rows.table, rows.partition_key):
            connection.execute(f"DROP TABLE {staged(spool)}")
