"""manifest: one row per partition saying what was made, how, and at what cost."""

import datetime as dt
import hashlib
import json
import platform
import time
from importlib import metadata
from pathlib import Path

import dagster as dg
import polars as pl

from dsgen_dagster.defs import all_checks, llm_stages, tables
from dsgen_dagster.defs.manifest.timings import run_timings
from dsgen_dagster.lib.provenance import (
    FAILED,
    check_outcomes,
    summarize_checks,
    upstream_data_versions,
)
from dsgen_dagster.lib.stage import STAGE_REPORTS_TABLE, code_version
from dsgen_dagster.llm.cache import CALLS_TABLE, recover_journals
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.partitions import batch_date, daily_partitions
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.io_manager import PUBLISHES_METADATA
from dsgen_dagster.storage.staging import count_batch_rows, staged_at, table_exists
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "manifest"
# Every stage's output table, from the stage list: the manifest counts them and depends on them.
DATA_TABLES = tuple(tables())
LIBRARIES = (
    "dagster",
    "duckdb",
    "polars",
    "pydantic",
    "openai",
    "instructor",
    "great-expectations",
)


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def refuse_failed_blocking_checks(context: dg.AssetExecutionContext) -> None:
    """Publish nothing while a blocking check's latest outcome on this partition is a failure.

    Dagster's blocking stops downstream steps of the same run only; a later run of the manifest
    alone (or with one other asset) would otherwise publish rows an earlier run's check failed.
    Every blocking check of the code location counts, not only those selected in this run.
    """
    blocking = [spec.key for checks in all_checks() for spec in checks.check_specs if spec.blocking]
    outcomes = check_outcomes(context.instance, blocking, context.partition_key)
    failed = sorted(name for name, outcome in outcomes.items() if outcome["outcome"] == FAILED)
    if failed:
        raise dg.Failure(
            description=f"partition {context.partition_key} is not published: the latest run of "
            f"blocking check(s) {', '.join(failed)} failed. Fix the cause and re-materialise the "
            "checked assets (their checks run again); the published batch is unchanged.",
            allow_retries=False,
        )


def refuse_stale_stages(warehouse: Warehouse, partition_key: str) -> None:
    """Publish nothing when a stage's staged rows were made before its upstream was re-made
    (a run of `topics` alone after a complete batch): they were built from rows that are gone."""
    with warehouse.connect() as connection:
        made = staged_at(connection, partition_key)
    stale = [
        f"{stage.name} (staged before {upstream})"
        for stage in llm_stages()
        if stage.name in made
        for upstream in stage.inputs
        if upstream in made and made[upstream] > made[stage.name]
    ]
    if stale:
        raise dg.Failure(
            description=f"partition {partition_key} is not published: {', '.join(stale)}. "
            "Re-materialise those assets and their downstream (select the upstream asset and "
            "'downstream' in the UI, or run `dsgen batch`); the published batch is unchanged.",
            allow_retries=False,
        )


def spending_by_stage(
    warehouse: Warehouse, partition_key: str, stage_reports: dict[str, dict]
) -> dict[str, dict[str, float]]:
    """What each stage of the partition spent: the call ledger's sums over every call ever made
    for it (every attempt, retried steps and killed runs included, the calls a killed run had not
    written yet replayed from its journal first; cache hits cost nothing), and
    the stage report's figures for a stage with no ledger (the offline provider's estimates)."""
    ledger: dict[str, dict[str, float]] = {}
    with warehouse.connect() as connection:
        recover_journals(connection, warehouse.database)  # a killed run's last calls count too
        if table_exists(connection, CALLS_TABLE):
            for stage, prompt, completion, cost, calls in connection.execute(
                f"""SELECT stage, sum(prompt_tokens) FILTER (WHERE NOT cached),
                           sum(completion_tokens) FILTER (WHERE NOT cached), sum(cost_usd),
                           count(*) FILTER (WHERE NOT cached)
                    FROM {CALLS_TABLE} WHERE partition_key = ? GROUP BY stage""",
                [partition_key],
            ).fetchall():
                ledger[stage] = {
                    "prompt_tokens": int(prompt or 0),
                    "completion_tokens": int(completion or 0),
                    "cost_usd": round(float(cost or 0.0), 6),
                    "paid_calls": int(calls or 0),
                    "source": "ledger",  # type: ignore[dict-item]
                }
    spending = {
        stage: {
            "prompt_tokens": report.get("prompt_tokens", 0),
            "completion_tokens": report.get("completion_tokens", 0),
            "cost_usd": report.get("cost_usd", 0.0),
            "source": "stage report",  # type: ignore[dict-item]
        }
        for stage, report in stage_reports.items()
    }
    return {**spending, **ledger}


def policy_identity(path: Path) -> dict[str, str]:
    """The policy as a published dataset may name it: its file name and content hash, never the
    absolute path (a home directory) of the machine that made the batch."""
    return {"name": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def public_config(settings: BatchSettings) -> dict[str, object]:
    config = settings.as_manifest()
    config.pop("policy_path", None)
    return {**config, "policy": policy_identity(settings.resolved_policy_path())}


def prompt_hashes() -> dict[str, str]:
    return {stage.name: stage.template.hash for stage in llm_stages()}


@dg.asset(
    partitions_def=daily_partitions,
    group_name=GROUP,
    kinds={"duckdb"},
    code_version=code_version(),
    deps=[dg.AssetKey(name) for name in DATA_TABLES],
    # The batch's publish step: it runs only when no blocking check of the batch failed, and
    # storing its row publishes every staged table of the partition with it, in one transaction.
    metadata={PUBLISHES_METADATA: list(DATA_TABLES)},
    description="Publishes the batch: one row per partition (config, seed, provider and models, "
    "prompt hashes, library versions, row counts, tokens and cost per stage, check outcomes, the "
    "data versions of the upstream partitions; `wall_seconds` from the run's first step to "
    "publish, `stage_wall_seconds` per step of the run, `llm_seconds` in LLM generation), "
    "written with every staged table of the partition into the published tables in one "
    "transaction, after every blocking check passed. Refreshes the `tickets` view.",
)
def manifest(
    context: dg.AssetExecutionContext,
    batch_settings: BatchSettings,
    llm: LLMResource,
    warehouse: Warehouse,
) -> pl.DataFrame:
    settings = batch_settings.validated()
    day = batch_date(context.partition_key)
    with warehouse.connect() as connection:
        counts = {
            table: count_batch_rows(connection, table, context.partition_key)
            for table in DATA_TABLES
        }
        stage_reports = (
            {
                stage: json.loads(report)
                for stage, report in connection.execute(
                    f"SELECT stage, report FROM {STAGE_REPORTS_TABLE} WHERE partition_date = ? "
                    "ORDER BY recorded_at",
                    [day],
                ).fetchall()
            }
            if table_exists(connection, STAGE_REPORTS_TABLE)
            else {}
        )
    checks = check_outcomes(
        context.instance,
        [
            key
            for key in context.job_def.asset_layer.asset_graph.asset_check_keys
            if key.asset_key != context.asset_key  # its own checks run after it
        ],
        context.partition_key,
    )
    timings = run_timings(context.instance, context.run_id)
    spending = spending_by_stage(warehouse, context.partition_key, stage_reports)
    refuse_failed_blocking_checks(context)
    refuse_stale_stages(warehouse, context.partition_key)
    check_counts = summarize_checks(checks)
    versions = upstream_data_versions(
        context.instance, [dg.AssetKey(table) for table in DATA_TABLES], context.partition_key
    )
    row = {
        "partition_key": context.partition_key,
        "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "seed": settings.seed,
        "provider": llm.provider,
        "model_strong": llm.model_for("strong"),
        "model_cheap": llm.model_for("cheap"),
        "tickets": counts["topics"],
        "total_prompt_tokens": sum(s["prompt_tokens"] for s in spending.values()),
        "total_completion_tokens": sum(s["completion_tokens"] for s in spending.values()),
        "total_cost_usd": round(sum(s["cost_usd"] for s in spending.values()), 6),
        # This run's first step to now (the publish step), from the run's own events; the time
        # spent waiting on the LLM is its own figure.
        "wall_seconds": timings.batch_seconds(until=time.time()),
        "llm_seconds": round(sum(r.get("wall_seconds", 0.0) for r in stage_reports.values()), 3),
        "config": json.dumps(
            {**public_config(settings), "llm": llm.generation_parameters()}, sort_keys=True
        ),
        "prompt_hashes": json.dumps(prompt_hashes(), sort_keys=True),
        "library_versions": json.dumps(library_versions(), sort_keys=True),
        "row_counts": json.dumps(counts, sort_keys=True),
        "stages": json.dumps(
            {
                stage: {**report, "spending": spending.get(stage)}
                for stage, report in stage_reports.items()
            },
            sort_keys=True,
        ),
        "stage_wall_seconds": json.dumps(timings.step_seconds(), sort_keys=True),
        "checks_passed": check_counts["passed"],
        "checks_failed": check_counts["failed"],
        "checks_pending": check_counts["pending"] + check_counts["not_run"],
        "check_outcomes": json.dumps(checks, sort_keys=True),
        "upstream_data_versions": json.dumps(versions, sort_keys=True),
    }
    context.add_output_metadata(
        {
            "row_counts": dg.MetadataValue.json(counts),
            "checks": dg.MetadataValue.json(check_counts),
        }
    )
    context.log.info(f"manifest: {json.dumps(counts)}")
    return pl.DataFrame([row])


ASSETS = [manifest]
