"""A stage reads its upstream rows a chunk of tickets at a time (issue #13), and makes the same
requests and the same rows as it did reading the whole batch at once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from dsgen_dagster.defs import llm_stages, tables
from dsgen_dagster.defs.translations.checks import translation_row_rules
from dsgen_dagster.defs.translations.rules import RULES
from dsgen_dagster.errors import MissingUpstreamError
from dsgen_dagster.lib import stage as stage_module
from dsgen_dagster.lib.evidence import TICKET_MISSING, chunked_findings, stored_rows
from dsgen_dagster.lib.stage import StageInputs
from dsgen_dagster.quality.checks import read_tables
from dsgen_dagster.storage.io_manager import PARTITION_COLUMN
from dsgen_dagster.storage.staging import batch_schema
from dsgen_dagster.storage.stored import StoredFrames, StoredTable
from dsgen_dagster.storage.warehouse import Warehouse
from dsgen_dagster_tests.conftest import PARTITIONS, materialize_batch, offline_resources

PARTITION = PARTITIONS[0]  # 16 tickets in the session's batch
TICKET_STAGES = [s for s in llm_stages() if "topics" in s.inputs]


def stage_inputs(database: Path, names: tuple[str, ...], stored: bool = False) -> StageInputs:
    """The inputs as whole frames, or (`stored`) as the stages and checks get them: tables read
    from the warehouse a chunk at a time."""
    resources = offline_resources(database)
    warehouse = resources["warehouse"]
    frames = (
        StoredFrames.of(warehouse, names, PARTITION)
        if stored
        else read_tables(warehouse, names, PARTITION)
    )
    return StageInputs(PARTITION, resources["batch_settings"].validated(), frames)


def contexts(asks: Any) -> list[tuple[str, int, Any]]:
    return [(ask.key, ask.sample_index, ask.context) for ask in asks]


def stored(database: Path, table: str) -> list[tuple[Any, ...]]:
    """A table's rows of PARTITION, the columns that do not record when a row was written."""
    with duckdb.connect(str(database), read_only=True) as connection:
        columns = [
            f'"{name}"'
            for name, kind, *_ in connection.execute(f"DESCRIBE {table}").fetchall()
            if not kind.startswith("TIMESTAMP")
        ]
        return connection.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {PARTITION_COLUMN} = ? ORDER BY ALL",
            [PARTITION],
        ).fetchall()


def test_the_ticket_stages_are_the_ones_that_read_topics() -> None:
    assert [s.name for s in TICKET_STAGES] == [
        "emails",
        "answers",
        "tags",
        "rephrasings",
        "translations",
    ]


@pytest.mark.parametrize("stored", [False, True], ids=["frames", "stored"])
@pytest.mark.parametrize("stage", TICKET_STAGES, ids=lambda s: s.name)
def test_chunks_of_tickets_make_the_requests_of_the_whole_batch(
    batch_db: Path, stage: Any, stored: bool
) -> None:
    inputs = stage_inputs(batch_db, stage.inputs, stored)
    chunks = list(inputs.ticket_chunks(size=5))
    assert [chunk.frames["topics"].height for chunk in chunks] == [5, 5, 5, 1]
    whole = contexts(stage.build_requests(inputs))
    assert whole, "the batch has requests"
    by_default = [
        c for chunk in inputs.ticket_chunks() for c in contexts(stage.build_requests(chunk))
    ]
    assert by_default == whole  # 16 tickets: ticket_chunks() is one chunk
    chunked = [ask for chunk in chunks for ask in contexts(stage.build_requests(chunk))]
    assert chunked == whole


CHUNKED_NAMES = ("topics", "customers", "products", "orders", "emails", "answers", "policy_graph")


def test_a_chunk_holds_its_tickets_rows_the_entities_they_name_and_the_whole_policy(
    batch_db: Path,
) -> None:
    inputs = stage_inputs(batch_db, CHUNKED_NAMES)
    for chunk in inputs.ticket_chunks(size=5):
        topics = chunk.frames["topics"]
        tickets = set(topics.get_column("ticket_id"))
        for table in ("emails", "answers"):
            assert set(chunk.frames[table].get_column("ticket_id")) == tickets
        for table, column in stage_module.TICKET_ENTITIES.items():
            assert set(chunk.frames[table].get_column(column)) == set(topics.get_column(column))
        assert chunk.frames["policy_graph"].equals(inputs.frames["policy_graph"])


def test_chunks_read_from_storage_hold_the_rows_filtered_from_whole_frames(
    batch_db: Path,
) -> None:
    filtered = list(stage_inputs(batch_db, CHUNKED_NAMES).ticket_chunks(size=5))
    read = list(stage_inputs(batch_db, CHUNKED_NAMES, stored=True).ticket_chunks(size=5))
    assert len(read) == len(filtered) == 4
    for mine, theirs in zip(read, filtered, strict=True):
        assert list(mine.frames) == list(CHUNKED_NAMES)
        for name in CHUNKED_NAMES:
            assert mine.frames[name].equals(theirs.frames[name]), name


def test_a_ticket_that_topics_lacks_comes_last_and_fails_as_it_did_unchunked(
    batch_db: Path,
) -> None:
    stage = next(s for s in TICKET_STAGES if s.name == "answers")
    inputs = stage_inputs(batch_db, stage.inputs)
    emails = inputs.frames["emails"]
    stray = emails.head(1).with_columns(pl.lit("tkt_20260301_99999").alias("ticket_id"))
    frames = {**inputs.frames, "emails": pl.concat([emails, stray])}
    broken = StageInputs(PARTITION, inputs.settings, frames)
    chunks = list(broken.ticket_chunks(size=5))
    assert chunks[-1].frames["emails"].get_column("ticket_id").to_list() == ["tkt_20260301_99999"]
    assert chunks[-1].frames["topics"].height == 0
    with pytest.raises(KeyError, match="tkt_20260301_99999"):
        list(stage.build_requests(broken))
    with pytest.raises(KeyError, match="tkt_20260301_99999"):
        [ask for chunk in chunks for ask in stage.build_requests(chunk)]


def test_a_stored_ticket_that_topics_lacks_comes_last_and_fails_as_it_did_unchunked(
    batch_db: Path, tmp_path: Path
) -> None:
    stage = next(s for s in TICKET_STAGES if s.name == "answers")
    database = tmp_path / "stray.duckdb"
    shutil.copy(batch_db, database)
    with duckdb.connect(str(database)) as connection:
        table = f"{batch_schema(connection, 'emails', PARTITION)}.emails"
        connection.execute(
            f"INSERT INTO {table} SELECT * REPLACE ('tkt_20260301_99999' AS ticket_id) "
            f"FROM {table} WHERE partition_date = ? LIMIT 1",
            [PARTITION],
        )
    chunks = list(stage_inputs(database, stage.inputs, stored=True).ticket_chunks(size=5))
    assert chunks[-1].frames["emails"].get_column("ticket_id").to_list() == ["tkt_20260301_99999"]
    assert chunks[-1].frames["topics"].height == 0
    with pytest.raises(KeyError, match="tkt_20260301_99999"):
        [ask for chunk in chunks for ask in stage.build_requests(chunk)]


def test_a_stored_input_with_no_rows_fails_before_the_step_reads_it(tmp_path: Path) -> None:
    database = tmp_path / "empty.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("CREATE TABLE emails (ticket_id VARCHAR, partition_date DATE)")
    warehouse = Warehouse(database=str(database))
    with pytest.raises(MissingUpstreamError, match="emails has no rows for partition"):
        StoredTable.opened(warehouse, "emails", PARTITION)
    with pytest.raises(MissingUpstreamError, match="table 'answers' does not exist yet"):
        StoredTable.opened(warehouse, "answers", PARTITION, allow_empty=True)
    assert StoredTable.opened(warehouse, "emails", PARTITION, allow_empty=True).read().height == 0


def test_a_batch_made_a_few_tickets_at_a_time_has_the_rows_of_one_made_at_once(
    batch_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stages and their evidence checks, 5 tickets at a time, against the session's batch
    (made with every ticket in one chunk): every row of every table the same."""
    made: list[int] = []
    for_tickets = StageInputs._for_tickets

    def counted(self: StageInputs, tickets: pl.Series, *rest: Any) -> StageInputs:
        made.append(tickets.len())
        return for_tickets(self, tickets, *rest)

    monkeypatch.setattr(stage_module, "TICKET_CHUNK", 5)
    monkeypatch.setattr(StageInputs, "_for_tickets", counted)
    database = tmp_path / "chunked.duckdb"
    result = materialize_batch(database, PARTITION)
    assert result.success
    assert all(check.passed for check in result.get_asset_check_evaluations())
    # Five ticket stages and their five evidence checks, four chunks each.
    assert made == [5, 5, 5, 1] * 10
    for table in tables():
        assert stored(database, table) == stored(batch_db, table), table


def planted_copy(batch_db: Path, tmp_path: Path) -> Path:
    """The session's batch with two faults in its translations: a row whose answer lost its
    text, and a row of a ticket no upstream table has."""
    database = tmp_path / "planted.duckdb"
    shutil.copy(batch_db, database)
    with duckdb.connect(str(database)) as connection:
        table = f"{batch_schema(connection, 'translations', PARTITION)}.translations"
        connection.execute(
            f"UPDATE {table} SET answer = 'Hello. Thanks. Bye.' WHERE translation_id = "
            f"(SELECT max(translation_id) FROM {table} WHERE partition_date = ?)",
            [PARTITION],
        )
        connection.execute(
            f"INSERT INTO {table} SELECT * REPLACE ('trl_stray' AS translation_id, "
            f"'tkt_20260301_99999' AS ticket_id) FROM {table} WHERE partition_date = ? LIMIT 1",
            [PARTITION],
        )
    return database


def test_the_evidence_check_a_few_tickets_at_a_time_finds_what_it_finds_at_once(
    batch_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stage = next(s for s in TICKET_STAGES if s.name == "translations")
    database = planted_copy(batch_db, tmp_path)
    inputs = stage_inputs(database, stage.inputs, stored=True)  # as the check reads them
    rows = stored_rows(Warehouse(database=str(database)), "translations", PARTITION)

    def findings() -> tuple[int, dict[str, int], list[Any]]:
        found = chunked_findings(stage, translation_row_rules, RULES, inputs, rows)
        return found.rows, found.counts(), sorted(map(str, found.offending_ids()))

    at_once = findings()
    monkeypatch.setattr(stage_module, "TICKET_CHUNK", 5)
    assert len(list(inputs.ticket_chunks())) == 4
    assert findings() == at_once
    checked, counts, offending = at_once
    with duckdb.connect(str(database), read_only=True) as connection:
        table = f"{batch_schema(connection, 'translations', PARTITION)}.translations"
        (stored_count,) = connection.execute(
            f"SELECT count(*) FROM {table} WHERE partition_date = ?", [PARTITION]
        ).fetchone()
    assert checked == stored_count
    assert counts[TICKET_MISSING] == 1 and "trl_stray" in offending
    assert sum(counts.values()) >= 2, counts  # the emptied answer breaks a rule too
