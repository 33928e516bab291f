"""An export folder loads back with polars and DuckDB, holds exactly the requested batches, and
carries a Hugging Face dataset card and a manifest.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
import yaml

from dsgen_dagster.defs import all_assets
from dsgen_dagster.exports import ExportError, configs, export_dataset
from dsgen_dagster.exports.__main__ import main
from dsgen_dagster.storage.warehouse import Warehouse
from dsgen_dagster_tests.conftest import offline_resources

PARTITION = "2026-03-02"


def card_header(out: Path) -> dict:
    text = (out / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def stored_rows(database: Path, config: str, partition: str) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute(
            f"SELECT count(*) FROM {config} WHERE partition_date = ?", [partition]
        ).fetchone()
    return row[0] if row else 0


@pytest.fixture(scope="module")
def exported(batch_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "one-batch"
    assert main(["--db", str(batch_db), "--from", PARTITION, "--out", str(out)]) == 0
    return out


def test_every_config_loads_back_with_exactly_the_batchs_rows(
    exported: Path, batch_db: Path
) -> None:
    for config in configs():
        expected = stored_rows(batch_db, config, PARTITION)
        parquet = pl.read_parquet(exported / "data" / f"{config}.parquet")
        jsonl = pl.read_ndjson(exported / "jsonl" / f"{config}.jsonl")
        assert parquet.height == jsonl.height == expected, config
        assert set(parquet.columns) == set(jsonl.columns)  # JSON objects have no column order
        key = configs()[config].split(", ")[1]  # the row's id, sorted after partition_date
        assert parquet[key].to_list() == jsonl[key].to_list(), config
        assert parquet["partition_date"].cast(pl.Utf8).unique().to_list() == [PARTITION]
    with duckdb.connect() as connection:
        tickets = connection.execute(
            "SELECT count(*), count(DISTINCT ticket_id), bool_and(answer IS NOT NULL) "
            f"FROM read_parquet('{exported}/data/tickets.parquet')"
        ).fetchone()
    originals = stored_rows(batch_db, "topics", PARTITION)
    assert tickets == (stored_rows(batch_db, "tickets", PARTITION), originals, True)


def test_the_card_maps_configs_to_files_and_states_sizes_languages_provider_checks(
    exported: Path,
) -> None:
    header = card_header(exported)
    in_card = {entry["config_name"]: entry for entry in header["configs"]}
    assert set(in_card) == set(configs())
    assert in_card["tickets"]["default"] is True
    for entry in in_card.values():
        (data_files,) = entry["data_files"]
        assert data_files["split"] == "train"
        assert (exported / data_files["path"]).is_file()
    languages = pl.read_parquet(exported / "data" / "tickets.parquet")["language"].unique()
    assert header["language"] == sorted(languages.to_list())
    assert header["size_categories"] == ["n<1K"]
    body = (exported / "README.md").read_text(encoding="utf-8")
    for heading in ("## Sizes", "## Languages", "## Provider", "## Checks", "## Fields"):
        assert heading in body
    assert "provider `offline`" in body and "not model output" in body
    assert "| `subject` |" in body and "| `cited_clause_ids` |" in body


def test_manifest_json_lists_the_batch_its_files_and_their_checksums(exported: Path) -> None:
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["export"]["partitions"] == [PARTITION]
    (batch,) = manifest["batches"]
    assert batch["partition_key"] == PARTITION and batch["provider"] == "offline"
    assert isinstance(batch["stages"], dict) and isinstance(batch["check_outcomes"], dict)
    for entry in manifest["files"].values():
        for kind in ("parquet", "jsonl"):
            data = (exported / entry[kind]["path"]).read_bytes()
            assert entry[kind]["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_range_exports_the_batches_it_has_and_names_the_missing(
    batch_db: Path, tmp_path: Path
) -> None:
    result = export_dataset(Warehouse(database=str(batch_db)), "2026-02-27", "2026-03-04", tmp_path)
    assert result.partitions == ["2026-03-01", "2026-03-02"]
    assert result.missing_partitions == [
        "2026-02-27", "2026-02-28", "2026-03-03", "2026-03-04",
    ]  # fmt: skip
    both = sum(stored_rows(batch_db, "tickets", key) for key in result.partitions)
    assert pl.read_parquet(tmp_path / "data" / "tickets.parquet").height == both


def test_bad_requests_are_refused_and_leave_no_half_folder(batch_db: Path, tmp_path: Path) -> None:
    warehouse = Warehouse(database=str(batch_db))
    with pytest.raises(ExportError, match="before --from"):
        export_dataset(warehouse, "2026-03-02", "2026-03-01", tmp_path / "a")
    with pytest.raises(ExportError, match="no complete batch"):
        export_dataset(warehouse, "2025-01-01", "2025-01-02", tmp_path / "b")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="not empty"):
        export_dataset(warehouse, PARTITION, PARTITION, tmp_path / "c")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["c"]
    export_dataset(warehouse, PARTITION, PARTITION, tmp_path / "c", overwrite=True)
    assert not (tmp_path / "c" / "keep.txt").exists()


@dg.asset_check(asset="manifest")
def manifest_has_a_row() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


def test_check_outcomes_are_taken_from_the_instance_at_export_time(tmp_path: Path) -> None:
    database = tmp_path / "db.duckdb"
    instance = dg.DagsterInstance.ephemeral()
    assert dg.materialize(
        [*all_assets(), manifest_has_a_row],
        resources=offline_resources(database, DSGEN_TICKETS_PER_BATCH="2"),
        partition_key=PARTITION,
        instance=instance,
    ).success
    key = dg.AssetCheckKey(dg.AssetKey("manifest"), "manifest_has_a_row")
    out = tmp_path / "out"
    export_dataset(
        Warehouse(database=str(database)), PARTITION, PARTITION, out,
        instance=instance, check_keys=[key],
    )  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["export"]["check_outcomes_from"] == "dagster instance"
    outcome = manifest["batches"][0]["check_outcomes"]["manifest:manifest_has_a_row"]
    assert outcome["outcome"] == "PASSED"
    assert "**1 of 1 check results passed**" in (out / "README.md").read_text(encoding="utf-8")
