"""What every stage asset shares: versions, retry policy, the stage ledger, LLM calls."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import pydantic

from dsgen_dagster.errors import (
    ConfigError,
    EmptyPartitionError,
    MissingUpstreamError,
    PolicyParseError,
)
from dsgen_dagster.llm.prompts import template_hash
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest, LLMResult, StageReport
from dsgen_dagster.partitions import batch_date, daily_partitions
from dsgen_dagster.storage.io_manager import ALLOW_EMPTY_METADATA
from dsgen_dagster.storage.warehouse import Warehouse

# Bump when a stage's generator code changes what it produces (the prompt hash covers prompts).
GENERATOR_VERSION = "1"
LLM_POOL = "dsgen_llm"
LLM_RETRY_POLICY = dg.RetryPolicy(
    max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
STAGE_REPORTS_TABLE = "stage_reports"
# Errors that a retry would only repeat: bad settings or input, rows that break their model, an
# upstream partition that is not there. Transport errors, LLM failures and a locked database
# are not listed: they may pass, so they keep LLM_RETRY_POLICY.
DETERMINISTIC_ERRORS: tuple[type[Exception], ...] = (
    ConfigError,
    PolicyParseError,
    EmptyPartitionError,
    MissingUpstreamError,
    pydantic.ValidationError,
)


def code_version(template: str | None = None) -> str:
    """Generator version plus, for LLM stages, the prompt template's content hash."""
    version = f"gen{GENERATOR_VERSION}"
    return f"{version}-prompt{template_hash(template)}" if template else version


def fail_fast_on_deterministic_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a DETERMINISTIC_ERRORS exception into a Failure the retry policy does not retry."""

    @functools.wraps(function)  # Dagster reads the wrapped signature: context, resources, inputs
    def body(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except DETERMINISTIC_ERRORS as exc:
            raise dg.Failure(
                description=f"{type(exc).__name__} (not retried: it would fail again): {exc}",
                allow_retries=False,
            ) from exc

    return body


def llm_asset(
    stage: str, *, group: str, description: str, allow_empty: bool = False
) -> Callable[[Callable[..., Any]], dg.AssetsDefinition]:
    """The decorator of an LLM stage: partitioned, versioned by its prompt, retried, pooled.

    Only transient errors are retried; deterministic ones fail the step at its first attempt.
    """
    asset = dg.asset(
        name=stage,
        partitions_def=daily_partitions,
        group_name=group,
        kinds={"duckdb", "openai"},
        code_version=code_version(stage),
        retry_policy=LLM_RETRY_POLICY,
        pool=LLM_POOL,
        description=description,
        metadata={ALLOW_EMPTY_METADATA: True} if allow_empty else None,
    )
    return lambda function: asset(fail_fast_on_deterministic_errors(function))


def record_stage_report(warehouse: Warehouse, partition_key: str, report: StageReport) -> None:
    """Keep the latest report of (partition, stage) for the manifest; replaced on re-runs."""
    with warehouse.connect() as connection:
        connection.execute(
            f"""CREATE TABLE IF NOT EXISTS {STAGE_REPORTS_TABLE} (
                partition_date DATE, stage VARCHAR, recorded_at TIMESTAMP, report JSON)"""
        )
        connection.execute("BEGIN TRANSACTION")
        try:
            connection.execute(
                f"DELETE FROM {STAGE_REPORTS_TABLE} WHERE partition_date = ? AND stage = ?",
                [batch_date(partition_key), report.stage],
            )
            connection.execute(
                f"INSERT INTO {STAGE_REPORTS_TABLE} VALUES (?, ?, now(), ?)",
                [batch_date(partition_key), report.stage, report.model_dump_json()],
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def report_metadata(report: StageReport) -> dict[str, object]:
    return {
        "llm/provider": report.provider,
        "llm/model": report.model,
        "llm/requests": report.requests,
        "llm/cached": report.cached,
        "llm/failed": report.failed,
        "llm/retries": report.retries,
        "llm/prompt_tokens": report.prompt_tokens,
        "llm/completion_tokens": report.completion_tokens,
        "llm/cost_usd": dg.MetadataValue.float(report.cost_usd),
        "wall_seconds": dg.MetadataValue.float(report.wall_seconds),
    }


@contextmanager
def timed_stage(
    context: dg.AssetExecutionContext, warehouse: Warehouse, stage: str
) -> Iterator[None]:
    """Ledger the wall time of a stage that makes no LLM calls."""
    started = time.perf_counter()
    yield
    report = StageReport(
        stage=stage, provider="none", model="", wall_seconds=round(time.perf_counter() - started, 3)
    )
    record_stage_report(warehouse, context.partition_key, report)


def generate(
    context: dg.AssetExecutionContext,
    llm: LLMResource,
    warehouse: Warehouse,
    requests: list[LLMRequest],
) -> list[tuple[LLMRequest, LLMResult]]:
    """Run one stage's requests; return the successful (request, result) pairs, in order."""
    stage = requests[0].stage if requests else "?"
    context.log.info(f"{stage}: {len(requests)} requests via the {llm.provider} provider")
    results, report = llm.generate(requests, partition_key=context.partition_key, log=context.log)
    record_stage_report(warehouse, context.partition_key, report)
    context.add_output_metadata(report_metadata(report))
    context.log.info(f"{stage}: {json.dumps(report.model_dump())}")
    return [
        (request, result) for request, result in zip(requests, results, strict=True) if result.ok
    ]
