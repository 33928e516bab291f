"""What the Dagster instance knows about a partition: upstream data versions and check outcomes.

Both come from the instance's event log (not from DuckDB), so the manifest records what Dagster's
lineage shows in the UI. Without an instance, or before any check exists, they are empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import dagster as dg

DATA_VERSION_TAG = "dagster/data_version"
CODE_VERSION_TAG = "dagster/code_version"
# Check outcomes: PASSED / FAILED from an evaluation; PENDING when planned in a run but not
# evaluated yet (a non-blocking check may run after the manifest); NOT_RUN when never planned.
PASSED, FAILED, PENDING, NOT_RUN = "PASSED", "FAILED", "PENDING", "NOT_RUN"


def upstream_data_versions(
    instance: dg.DagsterInstance, asset_keys: Iterable[dg.AssetKey], partition_key: str
) -> dict[str, dict[str, Any]]:
    """The latest materialisation of each upstream partition: data version, code version, run."""
    versions: dict[str, dict[str, Any]] = {}
    for key in asset_keys:
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, asset_partitions=[partition_key]), limit=1
        ).records
        if not records:
            versions[key.to_user_string()] = {"data_version": None}
            continue
        record = records[0]
        materialization = record.asset_materialization
        tags = dict(materialization.tags or {}) if materialization else {}
        versions[key.to_user_string()] = {
            "data_version": tags.get(DATA_VERSION_TAG),
            "code_version": tags.get(CODE_VERSION_TAG),
            "run_id": record.run_id,
            "storage_id": record.storage_id,
        }
    return versions


def check_outcomes(
    instance: dg.DagsterInstance, check_keys: Iterable[dg.AssetCheckKey], partition_key: str
) -> dict[str, dict[str, Any]]:
    """The latest execution of each check on this partition, keyed `asset:check`."""
    # The storage's check-execution index is the only per-partition lookup Dagster offers;
    # it is not exported at the top level, so import it lazily and keep its use in this one place.
    from dagster._core.event_api import PartitionKeyFilter

    keys = sorted(check_keys, key=lambda key: key.to_user_string())
    if not keys:
        return {}
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(
        keys, partition_filter=PartitionKeyFilter(key=partition_key)
    )
    outcomes: dict[str, dict[str, Any]] = {}
    for key in keys:
        name = f"{key.asset_key.to_user_string()}:{key.name}"
        record = latest.get(key)
        if record is None:
            outcomes[name] = {"outcome": NOT_RUN}
            continue
        evaluation = record.evaluation
        if not isinstance(evaluation, dg.AssetCheckEvaluation):
            # A check declared without partitions_def is planned for the partition but its
            # evaluation is stored unpartitioned: find it among the planning run's events.
            evaluation = run_evaluations(instance, record.run_id).get(key)
        outcomes[name] = (
            {"outcome": PENDING, "run_id": record.run_id}
            if evaluation is None
            else {
                "outcome": PASSED if evaluation.passed else FAILED,
                "severity": evaluation.severity.value,
                "description": evaluation.description,
                "run_id": record.run_id,
            }
        )
    return outcomes


def run_evaluations(
    instance: dg.DagsterInstance, run_id: str
) -> dict[dg.AssetCheckKey, dg.AssetCheckEvaluation]:
    """The last evaluation of each check in one run."""
    evaluations = {}
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        data = entry.dagster_event.event_specific_data if entry.dagster_event else None
        if isinstance(data, dg.AssetCheckEvaluation):
            evaluations[data.asset_check_key] = data
    return evaluations


def summarize_checks(outcomes: dict[str, dict[str, Any]]) -> dict[str, int]:
    counts = {PASSED: 0, FAILED: 0, PENDING: 0, NOT_RUN: 0}
    for outcome in outcomes.values():
        counts[outcome["outcome"]] += 1
    return {name.lower(): count for name, count in counts.items()}
