"""Partitioned polars DataFrames <-> DuckDB tables, staged per run, published per batch, each
write all-or-nothing and matched by name.

The stock dagster-duckdb IO manager deletes then inserts on autocommit, inserts by column position
and treats an empty frame as "delete the partition" (docs/stack-notes.md). This one does the
delete and insert in one transaction, inserts BY NAME, and refuses to write an empty partition.
"""

from __future__ import annotations

from typing import Any

import dagster as dg
import duckdb
import polars as pl

from dsgen_dagster.errors import EmptyPartitionError, StorageError
from dsgen_dagster.storage.frames import RowChunks
from dsgen_dagster.storage.memory import release_memory
from dsgen_dagster.storage.metadata import partition_metadata, table_schema
from dsgen_dagster.storage.staging import (
    STAGING_SCHEMA,
    publish_batch,
    read_batch_partition,
    stage_partition,
    write_in_chunks,
)
from dsgen_dagster.storage.stored import LAZY_INPUT_METADATA, StoredTable
from dsgen_dagster.storage.views import create_views
from dsgen_dagster.storage.warehouse import Warehouse

PARTITION_COLUMN = "partition_date"
# Asset definition metadata by which an asset says "no rows" is a legitimate partition.
ALLOW_EMPTY_METADATA = "dsgen/allow_empty"
# Asset definition metadata of the batch's publish step (the manifest): its output is the batch's
# record, and storing it publishes every table it lists from staging, in one transaction.
PUBLISHES_METADATA = "dsgen/publishes"


def table_name(asset_key: dg.AssetKey) -> str:
    return asset_key.path[-1]


def refuse_empty(
    table: str, partition_key: str, frame: pl.DataFrame | RowChunks, allow_empty: bool
) -> None:
    """Replacing with nothing is indistinguishable from losing data, unless the asset declares
    that empty is a valid outcome (ALLOW_EMPTY_METADATA)."""
    if frame.height == 0 and not allow_empty:
        raise EmptyPartitionError(
            f"{table}: the asset produced no rows for partition {partition_key}; the previous rows "
            "were kept. Check the upstream partitions and the batch settings, then re-run."
        )


def replace_partition(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    partition_key: str,
    frame: pl.DataFrame,
    *,
    allow_empty: bool = False,
) -> None:
    """Replace one partition's rows of the published `table` with `frame` in one transaction
    (tables outside the batch, and tests; a batch's tables go through staging and publish)."""
    refuse_empty(table, partition_key, frame, allow_empty)
    connection.execute("BEGIN TRANSACTION")
    try:
        write_in_chunks(connection, "main", table, partition_key, frame)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def read_partition(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    partition_key: str,
    *,
    allow_empty: bool = False,
    tickets: pl.Series | None = None,
    outside: bool = False,
) -> pl.DataFrame:
    """A partition's rows as the batch being built sees them: staged, else published (with
    `tickets`, those tickets' rows only: `read_batch_partition`)."""
    return read_batch_partition(
        connection, table, partition_key, allow_empty=allow_empty, tickets=tickets, outside=outside
    )


class DuckDBPartitionIOManager(dg.ConfigurableIOManager):
    """Stores each asset's polars DataFrame as the rows of one partition of a DuckDB table:
    staged by the run, published by the batch's publish step (storage/staging.py)."""

    warehouse: Warehouse

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        if not isinstance(obj, pl.DataFrame | RowChunks):
            raise StorageError(
                f"{context.asset_key.to_user_string()} returned {type(obj).__name__}; "
                "dsgen assets must return a polars DataFrame (or RowChunks)"
            )
        table = table_name(context.asset_key)
        partition_key = context.partition_key
        definition = context.definition_metadata or {}
        refuse_empty(table, partition_key, obj, bool(definition.get(ALLOW_EMPTY_METADATA)))
        # What the metadata shows, taken now: RowChunks are let go as they are written.
        head, height = (obj.head, obj.height) if isinstance(obj, RowChunks) else (obj, obj.height)
        publishes = definition.get(PUBLISHES_METADATA)
        if publishes is not None:
            tables = [str(name) for name in getattr(publishes, "value", publishes) or []]
            # The whole batch is copied in one transaction: on the bounded-memory connection.
            with self.warehouse.connect_bulk() as connection:
                record = obj.frame() if isinstance(obj, RowChunks) else obj  # one row
                done = publish_batch(connection, partition_key, tables, table, record)
            with self.warehouse.connect() as connection:
                create_views(connection)
                schema = table_schema(connection, table)
            context.log.info(f"published partition {partition_key}: {', '.join(done)} and {table}")
            context.add_output_metadata({"published_tables": dg.MetadataValue.json(done)})
        else:
            # One transaction too: a translations partition of 100,000 tickets lifted RSS by
            # ~600 MB on a plain connection (bench/bench_batch.py, fourth pass).
            with self.warehouse.connect_bulk() as connection:
                stage_partition(connection, table, partition_key, obj, context.run_id)
                schema = table_schema(connection, table, STAGING_SCHEMA)
        context.add_output_metadata(partition_metadata(table, partition_key, head, schema, height))
        release_memory()  # the step's working set is garbage now: its heap pages go back

    def load_input(self, context: dg.InputContext) -> pl.DataFrame | StoredTable:
        """The upstream partition's rows as a frame; as a StoredTable (read as the step goes)
        for an input whose AssetIn carries LAZY_INPUT_METADATA."""
        table = table_name(context.asset_key)
        upstream_metadata = (
            context.upstream_output.definition_metadata if context.upstream_output else None
        ) or {}
        allow_empty = bool(upstream_metadata.get(ALLOW_EMPTY_METADATA))
        if (context.definition_metadata or {}).get(LAZY_INPUT_METADATA):
            return StoredTable.opened(
                self.warehouse, table, context.asset_partition_key, allow_empty=allow_empty
            )
        with self.warehouse.connect() as connection:
            return read_batch_partition(
                connection, table, context.asset_partition_key, allow_empty=allow_empty
            )
