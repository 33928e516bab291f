"""Running asset checks against a planted copy of the materialised two-partition batch."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster_tests.conftest import offline_resources

PLANTED = "2026-03-02"  # defects go into the second partition, so "earlier" has one partition
EARLIER = "2026-03-01"


def planted_copy(batch_db: Path, tmp_path: Path) -> Path:
    """A private copy of the clean, published batch to plant defects in. Its staging markers are
    dropped, so the checks (which audit a partition's staged rows, else its published rows) read
    the published tables the tests plant into."""
    database = tmp_path / "planted.duckdb"
    shutil.copy(batch_db, database)
    execute(database, "DELETE FROM staging.batches")
    return database


def execute(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database)) as connection:
        return connection.execute(sql, params or []).fetchall()


def one(database: Path, sql: str, params: list | None = None) -> Any:
    rows = execute(database, sql, params)
    assert rows, f"no row for: {sql}"
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


def run_checks(
    database: Path,
    *names: str,
    partition_key: str = PLANTED,
    run_config: dict | None = None,
) -> dict[str, dg.AssetCheckEvaluation]:
    """Run only the named checks (all when none named) on a partition; evaluations by name.

    The checks read what is stored, so no asset is re-materialised and planted rows stay put.
    """
    checks = all_checks()
    keys = [key for check in checks for key in check.check_keys if not names or key.name in names]
    assert len(keys) == (len(names) or len(keys)), f"unknown check among {names}"
    job = dg.define_asset_job("planted_checks", selection=dg.AssetSelection.checks(*keys))
    defs = dg.Definitions(
        assets=all_assets(),
        asset_checks=checks,
        jobs=[job],
        resources=offline_resources(database),
        executor=dg.in_process_executor,
    )
    # A check-only selection has no asset to take the partitions from: tag the run instead.
    result = defs.resolve_job_def("planted_checks").execute_in_process(
        tags={"dagster/partition": partition_key},
        run_config=run_config or {},
        raise_on_error=False,  # a failed blocking check fails its step; we read the evaluation
    )
    return {
        evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()
    }


def metadata(evaluation: dg.AssetCheckEvaluation) -> dict[str, Any]:
    """The evaluation's metadata as plain values."""
    return {key: value.value for key, value in evaluation.metadata.items()}
