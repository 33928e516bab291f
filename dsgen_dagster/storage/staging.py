"""Write, audit, publish: a run writes each asset's partition to staging, the checks audit staging,
and the batch's publish step replaces every table's partition in the published tables in one
transaction.

- `staging."<table>"` holds the newest staged rows of each partition, and `staging.batches` says
  which (table, partition) were staged by which run: a table staged empty (no rephrasings when
  k = 0) is still staged, and a partition nobody staged is read from the published table.
- Readers (SQL, the `tickets` view, exports) see only the published tables in the main schema,
  so a failed or killed run leaves the previous complete batch exactly as it was; its staging is
  resumed by the next run of that partition (cached LLM answers make that cheap).
"""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from dsgen_dagster.errors import MissingUpstreamError, StorageError
from dsgen_dagster.partitions import batch_date
from dsgen_dagster.storage.frames import RowChunks

STAGING_SCHEMA = "staging"
# Rows handed to DuckDB at a time: the Arrow copy of a chunk, not of the whole partition, exists
# beside the frame while it is written (all chunks still go in one transaction).
INSERT_CHUNK_ROWS = 10_000
STAGED_TABLE = f"{STAGING_SCHEMA}.batches"
# polars keeps texts as string views; its default Arrow export (large_string) copies every text
# of the chunk into one contiguous buffer, while Arrow's string_view, which DuckDB reads as
# VARCHAR like the other, shares polars' buffers. Staging 170,535 rows of translation-sized texts
# (a 100,000-ticket batch's translations, a 399 MB frame) in one transaction: peak RSS rise
# +707-729 -> +310-313 MB, 4.9-5.0 -> 4.6-4.8 s.
DUCKDB_ARROW = pl.CompatLevel.newest()
PARTITION_COLUMN = "partition_date"


def staged(table: str) -> str:
    return f'{STAGING_SCHEMA}."{table}"'


def published(table: str) -> str:
    return f'main."{table}"'


def table_exists(connection: duckdb.DuckDBPyConnection, table: str, schema: str = "main") -> bool:
    row = connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def ensure_staging(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(f"CREATE SCHEMA IF NOT EXISTS {STAGING_SCHEMA}")
    connection.execute(
        f"""CREATE TABLE IF NOT EXISTS {STAGED_TABLE} (
            table_name VARCHAR, partition_date DATE, run_id VARCHAR, staged_at TIMESTAMP)"""
    )


def is_staged(connection: duckdb.DuckDBPyConnection, table: str, partition_key: str) -> bool:
    if not table_exists(connection, "batches", STAGING_SCHEMA):
        return False
    row = connection.execute(
        f"SELECT count(*) FROM {STAGED_TABLE} WHERE table_name = ? AND partition_date = ?",
        [table, batch_date(partition_key)],
    ).fetchone()
    return bool(row and row[0])


def staged_at(connection: duckdb.DuckDBPyConnection, partition_key: str) -> dict[str, Any]:
    """Table -> when it was last staged, for one partition."""
    if not table_exists(connection, "batches", STAGING_SCHEMA):
        return {}
    return dict(
        connection.execute(
            f"SELECT table_name, max(staged_at) FROM {STAGED_TABLE} WHERE partition_date = ? "
            "GROUP BY 1",
            [batch_date(partition_key)],
        ).fetchall()
    )


def table_columns(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    """schema.table's column names, in the table's order."""
    return [
        name
        for (name,) in connection.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def add_missing_columns(
    connection: duckdb.DuckDBPyConnection, target: str, schema: str, table: str, source: str
) -> None:
    """A new column in the model becomes a new (NULL for old partitions) column in `target`."""
    existing = set(table_columns(connection, schema, table))
    for name, column_type, *_ in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall():
        if name not in existing:
            connection.execute(f'ALTER TABLE {target} ADD COLUMN "{name}" {column_type}')


def replace_rows(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    partition_key: str,
    source: str,
) -> None:
    """Inside the caller's transaction: the partition's rows of schema.table become `source`'s
    (a relation with a partition_date column), inserted BY NAME."""
    target = f'{schema}."{table}"'
    if not table_exists(connection, table, schema):
        connection.execute(f"CREATE TABLE {target} AS SELECT * FROM {source} LIMIT 0")
    add_missing_columns(connection, target, schema, table, source)
    delete_partition_rows(connection, target, partition_key)
    # BY NAME: a frame whose columns come in another order is stored under the right names.
    connection.execute(f"INSERT INTO {target} BY NAME SELECT * FROM {source}")


def delete_partition_rows(
    connection: duckdb.DuckDBPyConnection, target: str, partition_key: str
) -> None:
    connection.execute(
        f"DELETE FROM {target} WHERE {PARTITION_COLUMN} = ?", [batch_date(partition_key)]
    )


def stage_partition(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    partition_key: str,
    rows: pl.DataFrame | RowChunks,
    run_id: str,
) -> None:
    """Replace one partition's staged rows of `table` with `rows`, in one transaction."""
    ensure_staging(connection)
    connection.execute("BEGIN TRANSACTION")
    try:
        write_in_chunks(connection, STAGING_SCHEMA, table, partition_key, rows)
        connection.execute(
            f"DELETE FROM {STAGED_TABLE} WHERE table_name = ? AND partition_date = ?",
            [table, batch_date(partition_key)],
        )
        connection.execute(
            f"INSERT INTO {STAGED_TABLE} VALUES (?, ?, ?, now())",
            [table, batch_date(partition_key), run_id],
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def write_in_chunks(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    partition_key: str,
    rows: pl.DataFrame | RowChunks,
) -> None:
    """Inside the caller's transaction: replace the partition with `rows` (without their
    partition column), a chunk at a time: INSERT_CHUNK_ROWS of a frame, each frame of RowChunks
    (dropped once written). The first chunk also creates the table, adds new columns and deletes
    the old rows."""
    if isinstance(rows, RowChunks):
        chunks = rows.drain()
    else:
        chunks = rows.iter_slices(INSERT_CHUNK_ROWS) if rows.height else iter([rows])
    date = pl.lit(batch_date(partition_key)).alias(PARTITION_COLUMN)
    target = f'{schema}."{table}"'
    columns: list[str] = []
    for number, chunk in enumerate(chunks):
        incoming = arrow_chunk(chunk, date)
        del chunk  # a drained frame goes once DuckDB has its rows
        if number == 0:  # creates the table and its new columns, deletes the old rows
            connection.register("incoming_rows", incoming)
            try:
                replace_rows(connection, schema, table, partition_key, "incoming_rows")
            finally:
                connection.unregister("incoming_rows")
            columns = table_columns(connection, schema, table)
        else:
            # Through a relation, not a registered view: a view registered and dropped inside a
            # transaction stays in its catalog until COMMIT, and with it every chunk's Arrow
            # table and the frame it shares buffers with. Staging a 100k batch's 170,551
            # translation rows: RSS rise +312 -> +124-130 MB, 3.6 -> 1.8-2.1 s
            # (bench/bench_batch.py, ninth pass). A relation inserts by position: the chunk's
            # columns in the table's order, NULL for a column it lacks (as BY NAME gives).
            extra = [name for name in incoming.column_names if name not in columns]
            if extra:
                raise StorageError(
                    f"{table}: chunk {number + 1} of the rows has columns the first chunk did not "
                    f"({', '.join(extra)}); every chunk of a write must share one schema"
                )
            named = set(incoming.column_names)
            projection = ", ".join(
                quoted(name) if name in named else f"NULL AS {quoted(name)}" for name in columns
            )
            connection.from_arrow(incoming).project(projection).insert_into(target)
        del incoming


def quoted(name: str) -> str:
    escaped = name.replace('"', '""')
    return f'"{escaped}"'


def arrow_chunk(chunk: pl.DataFrame, date: pl.Expr) -> pa.Table:
    """A frame with its partition column, as the Arrow table DuckDB reads (string views:
    polars' own buffers, no copy)."""
    return chunk.with_columns(date).to_arrow(compat_level=DUCKDB_ARROW)


def batch_schema(connection: duckdb.DuckDBPyConnection, table: str, partition_key: str) -> str:
    """Where the batch being built reads `table` from: staging once it was staged, else main."""
    return STAGING_SCHEMA if is_staged(connection, table, partition_key) else "main"


def existing_batch_schema(
    connection: duckdb.DuckDBPyConnection, table: str, partition_key: str
) -> str:
    """`batch_schema`, for a table that must exist."""
    schema = batch_schema(connection, table, partition_key)
    if not table_exists(connection, table, schema):
        raise MissingUpstreamError(
            f"table {table!r} does not exist yet; materialise asset {table} for partition "
            f"{partition_key} first"
        )
    return schema


def read_batch_partition(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    partition_key: str,
    *,
    allow_empty: bool = False,
    tickets: pl.Series | None = None,
    outside: bool = False,
    key: str = "ticket_id",
    columns: list[str] | None = None,
    rowids: tuple[int, int] | None = None,
    limit: int | None = None,
) -> pl.DataFrame:
    """The partition's rows as the batch being built sees them: staged, else published. With
    `tickets`, only the rows whose `key` column holds one of those values (`outside`: every
    other row), in stored order: stages and checks read a chunk of tickets at a time
    (StageInputs.ticket_chunks). `columns`: only those; `rowids`: only the rows stored in that
    inclusive range of rowids (a schema check reads a table a slice at a time); `limit`: at most
    that many rows (whether there are any)."""
    schema = existing_batch_schema(connection, table, partition_key)
    selected = (
        ", ".join(f'"{column}"' for column in columns)
        if columns is not None
        else f"* EXCLUDE ({PARTITION_COLUMN})"
    )
    query = f'SELECT {selected} FROM {schema}."{table}" WHERE {PARTITION_COLUMN} = ?'
    params: list[Any] = [batch_date(partition_key)]
    if rowids is not None:
        query += " AND rowid BETWEEN ? AND ?"
        params.extend(rowids)
    if tickets is not None:
        values = tickets.cast(pl.Utf8) if tickets.dtype == pl.Null else tickets
        connection.register("wanted_keys", pl.DataFrame({"value": values}).to_arrow())
        among = f'"{key}" IN (SELECT value FROM wanted_keys)'
        query += f' AND ("{key}" IS NULL OR NOT {among})' if outside else f" AND {among}"
    if tickets is not None or rowids is not None:
        query += " ORDER BY rowid"  # a semi-join need not keep the stored order
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    try:
        frame = connection.execute(query, params).pl()
    finally:
        if tickets is not None:
            connection.unregister("wanted_keys")
    if frame.height == 0 and not allow_empty:
        raise MissingUpstreamError(
            f"{table} has no rows for partition {partition_key}; materialise that partition of "
            f"{table} first (e.g. select it and its upstream assets in the UI)"
        )
    return frame


def partition_rowids(
    connection: duckdb.DuckDBPyConnection, table: str, partition_key: str
) -> pl.Series:
    """The rowids of the partition's rows as the batch sees them, in stored order."""
    schema = existing_batch_schema(connection, table, partition_key)
    return (
        connection.execute(
            f'SELECT rowid FROM {schema}."{table}" WHERE {PARTITION_COLUMN} = ? ORDER BY rowid',
            [batch_date(partition_key)],
        )
        .pl()
        .get_column("rowid")
    )


def publish_batch(
    connection: duckdb.DuckDBPyConnection,
    partition_key: str,
    tables: list[str],
    record_table: str,
    record: pl.DataFrame,
) -> list[str]:
    """In one transaction: every staged table of `tables` replaces its published partition, and
    `record` (the batch's manifest row) replaces the partition's row of `record_table`. Returns
    the tables published. A table of the batch that was never staged keeps its published rows."""
    staged_now = staged_at(connection, partition_key)
    publishing = [table for table in tables if table in staged_now]
    rows = record.with_columns(pl.lit(batch_date(partition_key)).alias(PARTITION_COLUMN))
    connection.register("record_rows", rows.to_arrow(compat_level=DUCKDB_ARROW))
    connection.execute("BEGIN TRANSACTION")
    try:
        for table in publishing:
            source = (
                f"(SELECT * FROM {staged(table)} WHERE {PARTITION_COLUMN} = "
                f"'{batch_date(partition_key).isoformat()}'::DATE)"
            )
            replace_rows(connection, "main", table, partition_key, source)
        replace_rows(connection, "main", record_table, partition_key, "record_rows")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.unregister("record_rows")
    return publishing


def count_batch_rows(connection: duckdb.DuckDBPyConnection, table: str, partition_key: str) -> int:
    """How many rows the partition has as the batch being built sees it (staged, else
    published); 0 for a table that does not exist."""
    schema = batch_schema(connection, table, partition_key)
    if not table_exists(connection, table, schema):
        return 0
    row = connection.execute(
        f'SELECT count(*) FROM {schema}."{table}" WHERE {PARTITION_COLUMN} = ?',
        [batch_date(partition_key)],
    ).fetchone()
    return int(row[0]) if row else 0
