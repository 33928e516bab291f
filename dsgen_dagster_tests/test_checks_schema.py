"""Schema checks: pydantic row models and Great Expectations suites; schemas/*.json drift."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dsgen_dagster.defs import tables
from dsgen_dagster.quality import schema, schemas
from dsgen_dagster.quality.schema import check_schema, check_schema_slices, expectation_rules
from dsgen_dagster.storage.stored import StoredTable
from dsgen_dagster.storage.warehouse import Warehouse
from dsgen_dagster_tests.check_support import (
    PLANTED,
    execute,
    metadata,
    one,
    planted_copy,
    run_checks,
)

REPOSITORY_SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def test_schema_files_match_the_pydantic_models() -> None:
    stale = schemas.stale_files(REPOSITORY_SCHEMAS)
    assert stale == [], f"{stale} drifted: run python -m dsgen_dagster.quality.schemas"


def test_schema_drift_is_detected_and_fixed(tmp_path: Path) -> None:
    assert schemas.main(["--directory", str(tmp_path)]) == 0
    assert schemas.stale_files(tmp_path) == []
    emails = tmp_path / "emails.json"
    edited = json.loads(emails.read_text())
    del edited["properties"]["subject"]
    emails.write_text(json.dumps(edited))

    assert schemas.stale_files(tmp_path) == ["emails.json"]
    assert schemas.main(["--directory", str(tmp_path), "--check"]) == 1
    schemas.main(["--directory", str(tmp_path)])
    assert schemas.stale_files(tmp_path) == []


def test_every_table_has_a_schema_with_its_partition_column() -> None:
    for name, table in tables().items():
        schema = schemas.table_schema(table)
        assert schema["title"] == name
        assert set(schema["properties"]) == {*table.model.model_fields, "partition_date"}
        assert "partition_date" in schema["required"]


def test_suites_cover_keys_prefixes_enums_lengths_and_languages() -> None:
    topics = {
        name
        for name, _, _ in expectation_rules(
            tables()["topics"], list(tables()["topics"].model.model_fields)
        )
    }
    assert {
        "not_null:ticket_id",
        "unique:ticket_id",
        "prefix:ticket_id",
        "prefix:customer_id",
        "prefix:order_id",
        "prefix:product_id",
        "in_set:priority",
        "in_set:info_completeness",
        "language:language",
        "length:summary",
    } <= topics
    assert "not_null:order_reference" not in topics  # optional: a "missing" scenario has none
    emails = dict(
        (name, kwargs)
        for name, _, kwargs in expectation_rules(
            tables()["emails"], ["ticket_id", "body", "language"]
        )
    )
    assert emails["length:body"] == {"column": "body", "min_value": 40, "max_value": 6000}
    assert emails["language:language"]["value_set"] == ["en", "de", "fr", "es"]


def test_clean_frame_passes_and_a_swapped_pair_of_columns_fails() -> None:
    frame = pl.DataFrame(
        {
            "ticket_id": ["tkt_20260301_000001", "tkt_20260301_000002"],
            "tags": [["refund"], ["late", "express"]],
            "predicted_type": ["refund_status", "shipping_delay"],
            "predicted_queue": ["billing", "shipping"],
            "predicted_priority": ["low", "high"],
            "model": ["offline-composer", "offline-composer"],
        }
    )
    assert check_schema(tables()["tags"], frame).passed

    # Types and queues are open labels (held to the batch's scenario table by topics_evidence),
    # so the closed column a swap is caught by is the priority.
    swapped = frame.rename(
        {"predicted_type": "predicted_priority", "predicted_priority": "predicted_type"}
    )
    findings = check_schema(tables()["tags"], swapped)
    assert not findings.passed
    assert findings.failed_rows() == 2
    assert findings.counts()["in_set:predicted_priority"] == 2


def test_a_null_id_fails_with_the_row_in_the_metadata(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    ticket_id = one(
        database, "SELECT min(ticket_id) FROM emails WHERE partition_date = ?", [PLANTED]
    )
    execute(database, "UPDATE emails SET ticket_id = NULL WHERE ticket_id = ?", [ticket_id])

    evaluation = run_checks(database, "emails_schema")["emails_schema"]

    assert not evaluation.passed
    found = metadata(evaluation)
    assert found["failed_rows"] == 1
    assert found["not_null:ticket_id"] == 1
    assert found["pydantic"] == 1
    assert any(
        row["rule"] == "not_null:ticket_id" and row["id"] is None and "row" in row
        for row in found["offending_rows"]
    )


def test_a_null_foreign_id_names_the_offending_row(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    ticket_id = one(
        database, "SELECT max(ticket_id) FROM topics WHERE partition_date = ?", [PLANTED]
    )
    execute(database, "UPDATE topics SET customer_id = NULL WHERE ticket_id = ?", [ticket_id])

    found = metadata(run_checks(database, "topics_schema")["topics_schema"])

    assert found["failed_rows"] == 1
    assert found["not_null:customer_id"] == 1
    assert found["offending_ids"] == ticket_id


def test_a_bad_id_prefix_fails(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    customer_id = one(
        database, "SELECT min(customer_id) FROM customers WHERE partition_date = ?", [PLANTED]
    )
    bad_id = customer_id.replace("cus_", "cst_")
    execute(
        database,
        "UPDATE customers SET customer_id = ? WHERE customer_id = ?",
        [bad_id, customer_id],
    )

    evaluation = run_checks(database, "customers_schema")["customers_schema"]

    assert not evaluation.passed
    found = metadata(evaluation)
    assert found["failed_rows"] == 1
    assert found["prefix:customer_id"] == 1
    assert found["offending_ids"] == bad_id


@pytest.mark.parametrize(
    ("table", "column", "value", "rule"),
    [
        ("topics", "priority", "whenever", "in_set:priority"),
        ("emails", "language", "xx", "language:language"),
        ("emails", "body", "Too short.", "length:body"),
    ],
)
def test_an_enum_language_or_length_violation_fails(
    batch_db: Path, tmp_path: Path, table: str, column: str, value: str, rule: str
) -> None:
    database = planted_copy(batch_db, tmp_path)
    ticket_id = one(
        database, f"SELECT min(ticket_id) FROM {table} WHERE partition_date = ?", [PLANTED]
    )
    execute(database, f"UPDATE {table} SET {column} = ? WHERE ticket_id = ?", [value, ticket_id])

    found = metadata(run_checks(database, f"{table}_schema")[f"{table}_schema"])

    assert found["failed_rows"] == 1
    assert found[rule] == 1
    assert found["offending_ids"] == ticket_id


def test_expectations_checked_in_chunks_name_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [f"tkt_20260301_{i:06d}" for i in range(1, 6)]
    frame = pl.DataFrame(
        {
            "ticket_id": [*ids[:4], ids[0]],  # the last row repeats the first id
            "tags": [["refund"]] * 5,
            "predicted_type": ["refund_status", *["shipping_delay"] * 4],
            "predicted_queue": ["billing"] * 5,
            "predicted_priority": ["low", "nonsense", *["low"] * 3],  # a closed vocabulary
            "model": ["offline-composer"] * 5,
        }
    )
    whole = check_schema(tables()["tags"], frame)
    monkeypatch.setattr(schema, "EXPECTATION_CHUNK_ROWS", 2)
    chunked = check_schema(tables()["tags"], frame)

    assert chunked.counts() == whole.counts()
    assert chunked.counts()["in_set:predicted_priority"] == 1
    assert chunked.counts()["unique:ticket_id"] == 2
    assert sorted(chunked.offending_ids()) == sorted(whole.offending_ids())


def test_a_stored_table_checked_a_slice_at_a_time_names_the_same_rows(tmp_path: Path) -> None:
    """The schema check reads its table by rowid ranges; rows of another partition stored in
    between are not the checked partition's, and every finding keeps its row's position."""
    ids = [f"tkt_20260301_{i:06d}" for i in range(1, 8)]
    frame = pl.DataFrame(
        {
            "ticket_id": [*ids[:6], ids[0]],  # the last row repeats the first id
            "tags": [["refund"]] * 7,
            "predicted_type": ["refund_status", *["shipping_delay"] * 6],
            "predicted_queue": ["billing"] * 7,
            "predicted_priority": ["low", "nonsense", *["low"] * 4, "nope"],
            "model": ["offline-composer"] * 7,
        }
    )
    database = tmp_path / "slices.duckdb"
    other = frame.with_columns(pl.lit("elsewhere").alias("predicted_priority"))
    with duckdb.connect(str(database)) as connection:
        for position in range(frame.height):  # the partitions' rows interleaved
            for date, rows in (("2026-03-01", frame), ("2026-03-02", other)):
                row = rows.slice(position, 1).with_columns(
                    pl.lit(date).str.to_date().alias("partition_date")
                )
                connection.register("row", row.to_arrow())
                if position == 0 and date == "2026-03-01":
                    connection.execute("CREATE TABLE tags AS SELECT * FROM row")
                else:
                    connection.execute("INSERT INTO tags SELECT * FROM row")
                connection.unregister("row")
    stored = StoredTable.opened(Warehouse(database=str(database)), "tags", "2026-03-01")
    height, slices = stored.slices(2)
    assert height == 7
    sliced = check_schema_slices(
        tables()["tags"], slices, height, lambda names: stored.read(columns=names)
    )
    whole = check_schema(tables()["tags"], frame)

    assert sliced.rows == whole.rows == 7
    assert sliced.counts() == whole.counts()
    assert sliced.counts()["in_set:predicted_priority"] == 2
    assert sliced.counts()["unique:ticket_id"] == 2
    assert sorted((f.rule, f.row_id, f.row) for f in sliced.found) == sorted(
        (f.rule, f.row_id, f.row) for f in whole.found
    )
    assert ("in_set:predicted_priority", ids[0], 6) in {
        (f.rule, f.row_id, f.row) for f in sliced.found
    }
