"""The DuckDB storage: partitions replaced all-or-nothing, columns matched by name."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl
import pytest

from dsgen_dagster.errors import EmptyPartitionError, MissingUpstreamError, StorageError
from dsgen_dagster.partitions import daily_partitions
from dsgen_dagster.storage import DuckDBPartitionIOManager, Warehouse, staging
from dsgen_dagster.storage.frames import RowChunks
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


# Through the real IO manager: what a run does, not only the pure function.


def stored_asset(frames: list[pl.DataFrame]) -> dg.AssetsDefinition:
    """A partitioned asset that returns the next frame of `frames` each time it runs."""

    @dg.asset(name="t", partitions_def=daily_partitions)
    def produce() -> pl.DataFrame:
        return frames.pop(0)

    return produce


def materialize_rows(database: Path, asset: dg.AssetsDefinition) -> dg.ExecuteInProcessResult:
    warehouse = Warehouse(database=str(database))
    return dg.materialize(
        [asset],
        resources={"io_manager": DuckDBPartitionIOManager(warehouse=warehouse)},
        partition_key="2026-03-01",
        raise_on_error=False,
    )


def stored_rows(database: Path) -> list[tuple]:
    """What the IO manager stored: an asset's partition is staged until its batch is published."""
    with duckdb.connect(str(database), read_only=True) as con:
        return rows(con, "staging.t")


def test_a_run_failing_between_delete_and_insert_keeps_the_previous_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "db.duckdb"
    frames = [
        pl.DataFrame({"id": [1, 2], "a": ["old", "old"], "b": ["x", "y"]}),
        pl.DataFrame({"id": [3], "a": ["new"], "b": ["z"]}),
    ]
    asset = stored_asset(frames)
    assert materialize_rows(database, asset).success
    deleted: list[str] = []
    real_delete = staging.delete_partition_rows

    def delete_then_crash(connection, table, partition_key) -> None:
        real_delete(connection, table, partition_key)
        # The delete ran inside the transaction: the partition is empty right now.
        deleted.append(str(connection.execute(f"SELECT count(*) FROM {table}").fetchone()))
        raise RuntimeError("crash after the delete")

    monkeypatch.setattr(staging, "delete_partition_rows", delete_then_crash)
    result = materialize_rows(database, asset)
    assert not result.success
    assert deleted == ["(0,)"]
    assert stored_rows(database) == [(1, "old", "x", "2026-03-01"), (2, "old", "y", "2026-03-01")]


def test_a_run_with_swapped_columns_stores_them_under_their_names(tmp_path: Path) -> None:
    database = tmp_path / "db.duckdb"
    frames = [pl.DataFrame({"id": [1], "a": ["A1"], "b": ["B1"]})]
    assert materialize_rows(database, stored_asset(frames)).success
    frames = [pl.DataFrame({"b": ["B2"], "a": ["A2"], "id": [2]})]
    assert materialize_rows(database, stored_asset(frames)).success
    assert stored_rows(database) == [(2, "A2", "B2", "2026-03-01")]


def test_materialisation_metadata_has_row_count_column_schema_and_preview(
    tmp_path: Path,
) -> None:
    frames = [pl.DataFrame({"id": [1, 2], "a": ["x|y", "long " * 30], "b": [None, "q"]})]
    result = materialize_rows(tmp_path / "db.duckdb", stored_asset(frames))
    (materialization,) = result.asset_materializations_for_node("t")
    metadata = materialization.metadata
    assert metadata["dagster/row_count"].value == 2
    schema = metadata["dagster/column_schema"].value
    assert [(c.name, c.type) for c in schema.columns] == [
        ("id", "BIGINT"),
        ("a", "VARCHAR"),
        ("b", "VARCHAR"),
        ("partition_date", "DATE"),
    ]
    preview = metadata["preview"].value
    assert preview.splitlines()[:3] == [
        "| id | a | b |",
        "|---|---|---|",
        "| 1 | x\\|y |  |",
    ]
    assert "…" in preview.splitlines()[3]


def staged_batch(database: Path, rows_per_table: int) -> Warehouse:
    warehouse = Warehouse(database=str(database))
    with warehouse.connect() as connection:
        for table in ("a", "b"):
            frame = pl.DataFrame(
                {
                    "id": list(range(rows_per_table)),
                    "text": [f"{table}{i}" for i in range(rows_per_table)],
                }
            )
            staging.stage_partition(connection, table, "2026-03-01", frame, "run-1")
    return warehouse


def row_groups(warehouse: Warehouse, table: str) -> int:
    with warehouse.connect() as connection:
        (groups,) = connection.execute(
            f"SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('{table}')"
        ).fetchone()
    return int(groups)


def test_the_bulk_publish_connection_publishes_every_table_in_row_groups_a_checkpoint_keeps(
    tmp_path: Path,
) -> None:
    # 130,000 rows: more than one of DuckDB's 122,880-row groups.
    warehouse = staged_batch(tmp_path / "batch.duckdb", 130_000)
    record = pl.DataFrame({"partition_key": ["2026-03-01"]})
    with warehouse.connect_bulk() as connection:
        done = staging.publish_batch(connection, "2026-03-01", ["a", "b"], "manifest", record)
    assert done == ["a", "b"]
    with warehouse.connect() as connection:
        for table in ("a", "b"):
            count, first, last = connection.execute(
                f"SELECT count(*), min(text), max(id) FROM main.{table}"
            ).fetchone()
            assert (count, first, last) == (130_000, f"{table}0", 129_999)
        assert connection.execute("SELECT count(*) FROM main.manifest").fetchone() == (1,)
    published = row_groups(warehouse, "a")
    assert published == 2
    with warehouse.connect() as connection:  # a plain write: its close checkpoints
        connection.execute("CREATE TABLE later (x INT)")
    # Nothing for the checkpoint to merge (smaller groups were all rewritten here, +600 MB).
    assert row_groups(warehouse, "a") == published


def test_a_failed_bulk_publish_leaves_the_published_tables_as_they_were(tmp_path: Path) -> None:
    warehouse = staged_batch(tmp_path / "batch.duckdb", 40_000)
    record = pl.DataFrame({"partition_key": ["2026-03-01"]})
    with warehouse.connect_bulk() as connection:
        staging.publish_batch(connection, "2026-03-01", ["a", "b"], "manifest", record)
    with warehouse.connect() as connection:  # a second batch for the day is staged
        staging.stage_partition(
            connection, "a", "2026-03-01", pl.DataFrame({"id": [7], "text": ["new"]}), "run-2"
        )
    bad_record = pl.DataFrame({"partition_key": [None]}, schema={"partition_key": pl.Int64})
    with warehouse.connect_bulk() as connection, pytest.raises(duckdb.Error):
        # The manifest row does not fit its table: the whole publish is rolled back.
        connection.execute("ALTER TABLE main.manifest ALTER partition_key SET NOT NULL")
        staging.publish_batch(connection, "2026-03-01", ["a", "b"], "manifest", bad_record)
    with warehouse.connect() as connection:
        assert connection.execute("SELECT count(*) FROM main.a").fetchone() == (40_000,)


def test_the_bulk_connection_shares_a_database_this_process_has_open(tmp_path: Path) -> None:
    # DuckDB refuses to attach a file another instance of this process has open: the bulk
    # connection then uses that instance instead of failing the publish.
    warehouse = staged_batch(tmp_path / "batch.duckdb", 10)
    with warehouse.connect() as held, warehouse.connect_bulk() as connection:
        done = staging.publish_batch(
            connection, "2026-03-01", ["a"], "manifest", pl.DataFrame({"partition_key": ["k"]})
        )
        assert done == ["a"]
        assert held.execute("SELECT count(*) FROM main.a").fetchone() == (10,)


def test_held_units_of_work_share_one_open_database_and_let_it_go_after(tmp_path: Path) -> None:
    # A global setting lives in the database instance: connections inside `held` see the one
    # the first set, and after it the file is opened afresh (nothing kept open past it).
    warehouse = staged_batch(tmp_path / "batch.duckdb", 10)

    def threads() -> int:
        with warehouse.connect() as connection:
            return int(connection.execute("SELECT current_setting('threads')").fetchone()[0])

    default = threads()
    with warehouse.held():
        with warehouse.connect() as connection:
            connection.execute(f"SET GLOBAL threads = {default + 5}")
        assert threads() == default + 5
        with warehouse.connect() as connection:
            assert connection.execute("SELECT count(*) FROM staging.a").fetchone() == (10,)
    assert threads() == default


def test_staged_texts_read_back_as_written_across_chunks(tmp_path: Path) -> None:
    # Writes hand DuckDB Arrow string views (polars' own buffers): texts up to 12 bytes are held
    # inline in a view, longer ones point into a buffer; every kind, lists of them, empty, missing
    # and non-ASCII texts, over more than one insert chunk, must come back as they were.
    texts = ["", "short", "exactly12byt", "thirteen byte", "é" * 7, "über café " * 40, None]
    height = staging.INSERT_CHUNK_ROWS + 7
    frame = pl.DataFrame(
        {
            "id": list(range(height)),
            "text": [texts[i % len(texts)] for i in range(height)],
            "tags": [[texts[i % 6], texts[(i + 3) % 6]] for i in range(height)],
        }
    )
    warehouse = Warehouse(database=str(tmp_path / "texts.duckdb"))
    with warehouse.connect_bulk() as connection:
        staging.stage_partition(connection, "t", "2026-03-01", frame, "run-1")
    with warehouse.connect() as connection:
        back = staging.read_batch_partition(connection, "t", "2026-03-01").sort("id")
    assert back.schema["text"] == pl.Utf8
    assert back.to_dicts() == frame.to_dicts()


def test_row_chunks_are_staged_one_frame_at_a_time_as_one_partition(connection) -> None:
    """An LLM stage hands its rows as the frames it made (RowChunks): each is let go once
    written, and the staged partition holds every row, in order, as a frame's would."""
    frames = [
        pl.DataFrame({"id": [1, 2], "a": ["x", "y"]}),
        pl.DataFrame({"id": [], "a": []}, schema={"id": pl.Int64, "a": pl.Utf8}),  # all rejected
        pl.DataFrame({"id": [3], "a": ["z"]}),
    ]
    chunks = RowChunks(frames)
    assert chunks.height == 3 and chunks.head.to_dicts() == frames[0].to_dicts()
    handed: list[int] = []
    drain = chunks.drain
    chunks.drain = lambda: (handed.append(len(chunks._frames)) or frame for frame in drain())  # type: ignore[method-assign]
    staging.stage_partition(connection, "t", "2026-03-01", chunks, "run-1")
    assert handed == [2, 1, 0]  # RowChunks no longer held a frame once it was handed over
    staged = staging.read_batch_partition(connection, "t", "2026-03-01")
    assert staged.to_dicts() == pl.concat(frames).to_dicts()


def test_a_written_chunk_is_let_go_before_the_transaction_ends(connection, monkeypatch) -> None:
    # DuckDB keeps a view registered and dropped inside a transaction until COMMIT, and with it
    # the Arrow table behind it: every chunk of a stage's rows stayed in memory to the end of
    # the write. Only the first chunk (which creates the table) is read through a view now.
    made: list[weakref.ref] = []
    alive_when_converting: list[int] = []
    convert = staging.arrow_chunk

    def recording(chunk: pl.DataFrame, date: pl.Expr) -> Any:
        gc.collect()
        alive_when_converting.append(sum(ref() is not None for ref in made[1:]))
        table = convert(chunk, date)
        made.append(weakref.ref(table))
        return table

    monkeypatch.setattr(staging, "arrow_chunk", recording)
    frames = [pl.DataFrame({"id": [i, i + 100], "a": [f"row {i}", None]}) for i in range(5)]
    staging.stage_partition(connection, "t", "2026-03-01", RowChunks(frames), "run-1")
    # At most the chunk just written (the connection's last statement holds it): not all of them.
    assert len(made) == 5 and max(alive_when_converting) <= 1
    staged = staging.read_batch_partition(connection, "t", "2026-03-01")
    assert sorted(staged.get_column("id")) == sorted(pl.concat(frames).get_column("id"))


def test_chunks_are_stored_by_column_name_and_a_chunk_with_a_new_column_is_refused(
    connection,
) -> None:
    # Chunks after the first are inserted by position: the columns must still land by name,
    # a column a chunk lacks is NULL, and a column the first chunk lacked is an error, not lost.
    frames = [
        pl.DataFrame({"id": [1], "a": ["x"], "b": ["p"]}),
        pl.DataFrame({"b": ["q"], "id": [2], "a": ["y"]}),  # other order
        pl.DataFrame({"id": [3], "b": ["r"]}),  # no `a`
    ]
    staging.stage_partition(connection, "t", "2026-03-01", RowChunks(frames), "run-1")
    staged = staging.read_batch_partition(connection, "t", "2026-03-01").sort("id")
    assert staged.select("id", "a", "b").rows() == [(1, "x", "p"), (2, "y", "q"), (3, None, "r")]
    grown = RowChunks([pl.DataFrame({"id": [4]}), pl.DataFrame({"id": [5], "z": ["new"]})])
    with pytest.raises(StorageError, match=r"chunk 2 .* \(z\); every chunk"):
        staging.stage_partition(connection, "t", "2026-03-01", grown, "run-2")
    assert staging.read_batch_partition(connection, "t", "2026-03-01").height == 3


def test_a_failed_write_of_row_chunks_keeps_the_staged_partition(connection) -> None:
    staging.stage_partition(connection, "t", "2026-03-01", pl.DataFrame({"id": [9]}), "run-1")
    broken = RowChunks([pl.DataFrame({"id": [1]}), pl.DataFrame({"id": ["not a number"]})])
    with pytest.raises(duckdb.ConversionException):
        staging.stage_partition(connection, "t", "2026-03-01", broken, "run-2")
    assert staging.read_batch_partition(connection, "t", "2026-03-01").to_dicts() == [{"id": 9}]
