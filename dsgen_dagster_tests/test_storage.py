"""The DuckDB storage: partitions replaced all-or-nothing, columns matched by name."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from dsgen_dagster.errors import EmptyPartitionError, MissingUpstreamError
from dsgen_dagster.storage.io_manager import read_partition, replace_partition


@pytest.fixture
def connection() -> duckdb.DuckDBPyConnection:
    with duckdb.connect() as con:
        yield con


def rows(connection: duckdb.DuckDBPyConnection, table: str = "t") -> list[tuple]:
    return connection.execute(
        f"SELECT id, a, b, partition_date::VARCHAR FROM {table} ORDER BY id"
    ).fetchall()


def test_replace_is_per_partition(connection) -> None:
    replace_partition(
        connection,
        "t",
        "2026-03-01",
        pl.DataFrame({"id": [1, 2], "a": ["x", "y"], "b": ["p", "q"]}),
    )
    replace_partition(
        connection, "t", "2026-03-02", pl.DataFrame({"id": [3], "a": ["z"], "b": ["r"]})
    )
    replace_partition(
        connection, "t", "2026-03-01", pl.DataFrame({"id": [4], "a": ["w"], "b": ["s"]})
    )
    assert rows(connection) == [(3, "z", "r", "2026-03-02"), (4, "w", "s", "2026-03-01")]


def test_swapped_columns_are_stored_under_their_names(connection) -> None:
    replace_partition(
        connection, "t", "2026-03-01", pl.DataFrame({"id": [1], "a": ["A"], "b": ["B"]})
    )
    replace_partition(
        connection, "t", "2026-03-02", pl.DataFrame({"b": ["B2"], "id": [2], "a": ["A2"]})
    )
    assert rows(connection) == [(1, "A", "B", "2026-03-01"), (2, "A2", "B2", "2026-03-02")]


def test_a_failed_insert_keeps_the_previous_rows(connection) -> None:
    replace_partition(
        connection, "t", "2026-03-01", pl.DataFrame({"id": [1], "a": ["old"], "b": ["x"]})
    )
    # Text where the table has integers: the INSERT fails after the DELETE has run.
    bad = pl.DataFrame({"id": ["not a number"], "a": ["new"], "b": ["y"]})
    with pytest.raises(duckdb.Error):
        replace_partition(connection, "t", "2026-03-01", bad)
    assert rows(connection) == [(1, "old", "x", "2026-03-01")]


def test_an_empty_frame_is_refused_unless_declared(connection) -> None:
    replace_partition(
        connection, "t", "2026-03-01", pl.DataFrame({"id": [1], "a": ["x"], "b": ["y"]})
    )
    empty = pl.DataFrame(schema={"id": pl.Int64, "a": pl.Utf8, "b": pl.Utf8})
    with pytest.raises(EmptyPartitionError, match="previous rows were kept"):
        replace_partition(connection, "t", "2026-03-01", empty)
    assert len(rows(connection)) == 1
    replace_partition(connection, "t", "2026-03-01", empty, allow_empty=True)
    assert rows(connection) == []
    assert read_partition(connection, "t", "2026-03-01", allow_empty=True).height == 0


def test_reading_a_missing_partition_says_what_to_materialise(connection) -> None:
    with pytest.raises(MissingUpstreamError, match="materialise asset emails"):
        read_partition(connection, "emails", "2026-03-01")
    replace_partition(connection, "emails", "2026-03-01", pl.DataFrame({"id": [1]}))
    with pytest.raises(MissingUpstreamError, match="no rows for partition 2026-03-02"):
        read_partition(connection, "emails", "2026-03-02")
