"""The manifest row says what a batch is: config, versions, counts, cost, timings, checks."""

from __future__ import annotations

import json
import warnings

import dagster as dg
import duckdb
import pytest

from dsgen_dagster.defs import all_assets
from dsgen_dagster.defs.manifest.assets import DATA_TABLES
from dsgen_dagster.lib.provenance import (
    DATA_VERSION_TAG,
    check_outcomes,
    summarize_checks,
    upstream_data_versions,
)
from dsgen_dagster.partitions import daily_partitions
from dsgen_dagster_tests.conftest import offline_resources

PARTITION = "2026-05-04"
LLM_STAGES = ("topics", "emails", "answers", "tags", "rephrasings", "translations")


with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # partitioned checks are a Dagster preview feature

    @dg.asset_check(asset="policy_graph", blocking=True, partitions_def=daily_partitions)
    def probe_passes() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)


# Declared without partitions_def, as a check may be: its result is stored unpartitioned.
@dg.asset_check(asset="emails", blocking=True)
def probe_warns() -> dg.AssetCheckResult:
    # WARN: the manifest downstream still runs and has to record the failure.
    return dg.AssetCheckResult(
        passed=False, severity=dg.AssetCheckSeverity.WARN, description="probe failure"
    )


@pytest.fixture(scope="module")
def manifested(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dg.DagsterInstance]:
    database = tmp_path_factory.mktemp("manifest") / "dsgen.duckdb"
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [*all_assets(), probe_passes, probe_warns],
        resources=offline_resources(database, DSGEN_TICKETS_PER_BATCH="4"),
        partition_key=PARTITION,
        instance=instance,
    )
    assert result.success
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute("SELECT * FROM manifest WHERE partition_key = ?", [PARTITION])
        names = [column[0] for column in cursor.description]
        (values,) = cursor.fetchall()
    return dict(zip(names, values, strict=True)), instance


def test_manifest_records_config_seed_provider_versions_and_counts(manifested) -> None:
    row, _ = manifested
    assert row["provider"] == "offline"
    assert json.loads(row["config"])["tickets_per_batch"] == 4
    assert json.loads(row["config"])["llm"] == {
        "max_reasks": 2,
        "concurrency": 64,
        "rpm": 0,
        "tpm": 0,
        "max_failure_share": 0.0,
        "max_reject_share": 0.05,
    }
    assert row["seed"] == json.loads(row["config"])["seed"]
    # The clause-text stage has a prompt too; offline it asks nothing, so it has no tokens.
    assert set(json.loads(row["prompt_hashes"])) == {*LLM_STAGES, "policy_clause_texts"}
    assert {"python", "dagster", "duckdb", "polars"} <= set(json.loads(row["library_versions"]))
    counts = json.loads(row["row_counts"])
    assert set(counts) == set(DATA_TABLES)
    assert counts["topics"] == row["tickets"] == 4


def test_manifest_records_tokens_cost_and_wall_time_per_stage(manifested) -> None:
    row, _ = manifested
    stages = json.loads(row["stages"])
    assert set(LLM_STAGES) <= set(stages)
    assert all(stages[stage]["prompt_tokens"] > 0 for stage in LLM_STAGES)
    # the offline provider does not sample, so no temperature or seed is claimed for it
    assert all(stages[s]["temperature"] is stages[s]["seed"] is None for s in LLM_STAGES)
    wall = json.loads(row["stage_wall_seconds"])
    assert set(stages) <= set(wall) and {"policy_graph", "entities"} <= set(wall)  # run steps
    assert row["total_prompt_tokens"] == sum(s["prompt_tokens"] for s in stages.values())


def test_manifest_records_check_outcomes_of_the_partition(manifested) -> None:
    row, _ = manifested
    outcomes = json.loads(row["check_outcomes"])
    assert outcomes["policy_graph:probe_passes"]["outcome"] == "PASSED"
    assert outcomes["emails:probe_warns"] == {
        "outcome": "FAILED",
        "severity": "WARN",
        "description": "probe failure",
        "run_id": outcomes["emails:probe_warns"]["run_id"],
    }
    assert row["checks_passed"] >= 1 and row["checks_failed"] >= 1
    total = row["checks_passed"] + row["checks_failed"] + row["checks_pending"]
    assert total == len(outcomes)


def test_manifest_records_the_data_versions_of_its_upstream_partitions(manifested) -> None:
    row, instance = manifested
    versions = json.loads(row["upstream_data_versions"])
    assert set(versions) == set(DATA_TABLES)
    for table, version in versions.items():
        (record,) = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(table), asset_partitions=[PARTITION]),
            limit=1,
        ).records
        assert record.asset_materialization is not None
        assert version["data_version"] == record.asset_materialization.tags[DATA_VERSION_TAG]
        assert version["run_id"] == record.run_id


def test_without_history_or_checks_provenance_is_empty_not_an_error() -> None:
    instance = dg.DagsterInstance.ephemeral()
    check = dg.AssetCheckKey(dg.AssetKey("emails"), "never_ran")
    assert check_outcomes(instance, [], PARTITION) == {}
    assert check_outcomes(instance, [check], PARTITION) == {
        "emails:never_ran": {"outcome": "NOT_RUN"}
    }
    assert summarize_checks({}) == {"passed": 0, "failed": 0, "pending": 0, "not_run": 0}
    versions = upstream_data_versions(instance, [dg.AssetKey("topics")], PARTITION)
    assert versions == {"topics": {"data_version": None}}
