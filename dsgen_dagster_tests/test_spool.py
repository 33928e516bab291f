"""LLM stages write their rows to DuckDB chunk by chunk (storage/spool.py): the staged partition
holds every row, as a stage holding them all in one frame gave it, and a stage that fails, or a
run that is killed, leaves the staged rows of the previous run and no spool behind."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from dsgen_dagster.defs import all_assets
from dsgen_dagster.errors import ConfigError, StorageError
from dsgen_dagster.lib import stage
from dsgen_dagster.storage import Warehouse
from dsgen_dagster.storage.spool import Spool, spool_name, stage_spooled
from dsgen_dagster.storage.staging import read_batch_partition, stage_partition
from dsgen_dagster_tests.conftest import materialize_batch, offline_resources

PARTITION = "2026-03-01"
STAGES = ("topics", "emails", "answers", "tags", "rephrasings", "translations")


def staged_rows(database: Path, table: str) -> list[dict]:
    with Warehouse(database=str(database)).connect() as connection:
        frame = read_batch_partition(connection, table, PARTITION, allow_empty=True)
    return (
        frame.drop([c for c in frame.columns if c.endswith("_at")])
        .sort(frame.columns[0])
        .to_dicts()
    )


def spools(database: Path) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return [
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'staging' AND table_name LIKE 'spool%'"
            ).fetchall()
        ]


def materialize_one(database: Path, name: str) -> dg.ExecuteInProcessResult:
    """One asset of the partition, its inputs read from the database."""
    return dg.materialize(
        all_assets(),
        selection=dg.AssetSelection.assets(name),
        resources=offline_resources(database),
        partition_key=PARTITION,
        raise_on_error=False,
    )


def test_chunk_by_chunk_stages_every_row_a_single_chunk_gives(tmp_path, monkeypatch) -> None:
    whole = tmp_path / "whole.duckdb"
    assert materialize_batch(whole, PARTITION).success
    monkeypatch.setattr(stage, "GENERATE_CHUNK", 5)  # 16 tickets: every stage in 4+ chunks
    chunked = tmp_path / "chunked.duckdb"
    result = materialize_batch(chunked, PARTITION)
    assert result.success
    for table in STAGES:
        rows = staged_rows(chunked, table)
        assert rows == staged_rows(whole, table), table
        materialized = [
            event.materialization
            for event in result.get_asset_materialization_events()
            if event.materialization.asset_key.path[-1] == table
        ]
        assert materialized[0].metadata["dagster/row_count"].value == len(rows)
    emails = [
        e for e in result.get_asset_materialization_events() if e.asset_key.path[-1] == "emails"
    ]
    assert f"_{16 - 5} more rows_" in emails[0].materialization.metadata["preview"].value
    assert spools(chunked) == []


def test_a_stage_failing_after_some_chunks_keeps_the_staged_rows_and_no_spool(
    tmp_path, monkeypatch
) -> None:
    database = tmp_path / "dsgen.duckdb"
    assert materialize_batch(database, PARTITION).success
    before = staged_rows(database, "emails")
    monkeypatch.setattr(stage, "GENERATE_CHUNK", 5)

    def failing(*_args, **_kwargs):  # after every chunk was spooled, before the rows are staged
        raise ConfigError("rejects table unwritable (a test)")

    monkeypatch.setattr(stage, "replace_rejects", failing)
    result = materialize_one(database, "emails")
    assert not result.success
    assert staged_rows(database, "emails") == before
    assert spools(database) == []


def test_a_killed_runs_spool_is_dropped_by_the_next_staging(tmp_path) -> None:
    database = tmp_path / "dsgen.duckdb"
    assert materialize_batch(database, PARTITION).success
    left = spool_name("emails", PARTITION, "a-killed-run")
    with duckdb.connect(str(database)) as connection:
        connection.execute(f'CREATE TABLE staging."{left}" AS SELECT * FROM staging.emails')
    assert spools(database) == [left]
    assert materialize_one(database, "emails").success
    assert spools(database) == []


def test_staging_a_spool_that_is_gone_says_so_and_keeps_the_staged_rows(tmp_path) -> None:
    warehouse = Warehouse(database=str(tmp_path / "dsgen.duckdb"))
    with warehouse.connect() as connection:
        stage_partition(connection, "t", PARTITION, pl.DataFrame({"id": [1]}), "run-1")
    spool = Spool(warehouse, "t", PARTITION, "run-2")
    spool.append(pl.DataFrame({"id": [2, 3]}))
    spool.append(pl.DataFrame({"id": [4]}))
    assert (spool.rows.height, spool.rows.head["id"].to_list()) == (3, [2, 3, 4])
    spool.discard()  # as another run of the partition would have, staging it meanwhile
    with warehouse.connect() as connection, pytest.raises(StorageError, match="no longer in"):
        stage_spooled(connection, spool.rows, "run-2")
    with warehouse.connect() as connection:
        assert read_batch_partition(connection, "t", PARTITION)["id"].to_list() == [1]
