"""Partitioned polars DataFrames <-> DuckDB tables, replaced all-or-nothing and matched by name.

The stock dagster-duckdb IO manager deletes then inserts on autocommit, inserts by column position
and treats an empty frame as "delete the partition" (see shared/STACK_NOTES.md). This one does the
delete and insert in one transaction, inserts BY NAME, and refuses to write an empty partition.
"""

from __future__ import annotations

from typing import Any

import dagster as dg
import duckdb
import polars as pl

from dsgen_dagster.errors import EmptyPartitionError, MissingUpstreamError, StorageError
from dsgen_dagster.partitions import batch_date
from dsgen_dagster.storage.metadata import partition_metadata, table_schema
from dsgen_dagster.storage.warehouse import Warehouse

PARTITION_COLUMN = "partition_date"
# Asset definition metadata by which an asset says "no rows" is a legitimate partition.
ALLOW_EMPTY_METADATA = "dsgen/allow_empty"
# Rows handed to DuckDB at a time: the Arrow copy of a chunk, not of the whole partition, exists
# beside the frame while it is written (all chunks still go in one transaction).
INSERT_CHUNK_ROWS = 10_000


def table_name(asset_key: dg.AssetKey) -> str:
    return asset_key.path[-1]


def table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    return bool(row and row[0])


def replace_partition(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    partition_key: str,
    frame: pl.DataFrame,
    *,
    allow_empty: bool = False,
) -> None:
    """Replace one partition's rows of `table` with `frame` in a single transaction.

    An empty frame is refused unless the asset declares that empty is a valid outcome
    (ALLOW_EMPTY_METADATA), because replacing with nothing is indistinguishable from losing data.
    """
    if frame.height == 0 and not allow_empty:
        raise EmptyPartitionError(
            f"{table}: the asset produced no rows for partition {partition_key}; the previous rows "
            "were kept. Check the upstream partitions and the batch settings, then re-run."
        )
    rows = frame.with_columns(pl.lit(batch_date(partition_key)).alias(PARTITION_COLUMN))
    chunks = rows.iter_slices(INSERT_CHUNK_ROWS) if rows.height else iter([rows])
    connection.execute("BEGIN TRANSACTION")
    try:
        for number, chunk in enumerate(chunks):
            connection.register("incoming_rows", chunk.to_arrow())
            try:
                if number == 0:
                    if not table_exists(connection, table):
                        connection.execute(
                            f'CREATE TABLE "{table}" AS SELECT * FROM incoming_rows LIMIT 0'
                        )
                    add_missing_columns(connection, table)
                    delete_partition_rows(connection, table, partition_key)
                insert_incoming_rows(connection, table)
            finally:
                connection.unregister("incoming_rows")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def delete_partition_rows(
    connection: duckdb.DuckDBPyConnection, table: str, partition_key: str
) -> None:
    connection.execute(
        f'DELETE FROM "{table}" WHERE {PARTITION_COLUMN} = ?', [batch_date(partition_key)]
    )


def insert_incoming_rows(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    # BY NAME: a frame whose columns come in another order is stored under the right names.
    connection.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming_rows')


def add_missing_columns(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """A new column in the model becomes a new (NULL for old partitions) column in the table."""
    existing = {
        name
        for (name,) in connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }
    incoming = connection.execute("DESCRIBE incoming_rows").fetchall()
    for name, column_type, *_ in incoming:
        if name not in existing:
            connection.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {column_type}')


def read_partition(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    partition_key: str,
    *,
    allow_empty: bool = False,
) -> pl.DataFrame:
    if not table_exists(connection, table):
        raise MissingUpstreamError(
            f"table {table!r} does not exist yet; materialise asset {table} for partition "
            f"{partition_key} first"
        )
    frame = connection.execute(
        f'SELECT * EXCLUDE ({PARTITION_COLUMN}) FROM "{table}" WHERE {PARTITION_COLUMN} = ?',
        [batch_date(partition_key)],
    ).pl()
    if frame.height == 0 and not allow_empty:
        raise MissingUpstreamError(
            f"{table} has no rows for partition {partition_key}; materialise that partition of "
            f"{table} first (e.g. select it and its upstream assets in the UI)"
        )
    return frame


class DuckDBPartitionIOManager(dg.ConfigurableIOManager):
    """Stores each asset's polars DataFrame as the rows of one partition of a DuckDB table."""

    warehouse: Warehouse

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        if not isinstance(obj, pl.DataFrame):
            raise StorageError(
                f"{context.asset_key.to_user_string()} returned {type(obj).__name__}; "
                "dsgen assets must return a polars DataFrame"
            )
        table = table_name(context.asset_key)
        partition_key = context.partition_key
        allow_empty = bool((context.definition_metadata or {}).get(ALLOW_EMPTY_METADATA))
        with self.warehouse.connect() as connection:
            replace_partition(connection, table, partition_key, obj, allow_empty=allow_empty)
            schema = table_schema(connection, table)
        context.add_output_metadata(partition_metadata(table, partition_key, obj, schema))

    def load_input(self, context: dg.InputContext) -> pl.DataFrame:
        table = table_name(context.asset_key)
        upstream_metadata = (
            context.upstream_output.definition_metadata if context.upstream_output else None
        ) or {}
        with self.warehouse.connect() as connection:
            return read_partition(
                connection,
                table,
                context.asset_partition_key,
                allow_empty=bool(upstream_metadata.get(ALLOW_EMPTY_METADATA)),
            )
