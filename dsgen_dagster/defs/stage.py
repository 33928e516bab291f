"""What every stage asset shares: versions, retry policy, the stage ledger, LLM calls."""

from __future__ import annotations

import functools
import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import pydantic

from dsgen_dagster.errors import (
    ConfigError,
    EmptyPartitionError,
    LLMError,
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
# Requests rendered and sent at a time: bounds a stage's memory, and is far above any useful
# concurrency, so chunk boundaries cost a real endpoint little waiting.
GENERATE_CHUNK = 4096
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


def merged_reports(reports: list[StageReport]) -> StageReport:
    """One stage's report from the reports of its chunks: counts, tokens, cost and time add up."""
    total = reports[0].model_copy()
    for report in reports[1:]:
        for name in (
            "requests",
            "succeeded",
            "failed",
            "cached",
            "retries",
            "prompt_tokens",
            "completion_tokens",
        ):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.cost_usd += report.cost_usd
        total.wall_seconds += report.wall_seconds
    total.wall_seconds = round(total.wall_seconds, 3)
    return total


def generate(
    context: dg.AssetExecutionContext,
    llm: LLMResource,
    warehouse: Warehouse,
    requests: Iterable[LLMRequest],
) -> Iterator[tuple[LLMRequest, LLMResult]]:
    """Run one stage's requests; yield the successful (request, result) pairs, in order.

    Requests go to the llm resource GENERATE_CHUNK at a time, so rendered prompts and results
    exist for one chunk, not for the whole batch; the stage report covers all chunks.
    """
    iterator = iter(requests)
    reports: list[StageReport] = []
    keys: set[tuple[str, int]] = set()
    while chunk := list(itertools.islice(iterator, GENERATE_CHUNK)):
        stage = chunk[0].stage
        if not reports:
            context.log.info(f"{stage}: requests in chunks of {GENERATE_CHUNK} via {llm.provider}")
        for request in chunk:
            if (request.key, request.sample_index) in keys:
                raise LLMError(f"{stage}: request keys must be unique within a batch")
            keys.add((request.key, request.sample_index))
        results, report = llm.generate(chunk, partition_key=context.partition_key, log=context.log)
        reports.append(report)
        for request, result in zip(chunk, results, strict=True):
            if result.ok:
                yield request, result
        del chunk, results
    if not reports:
        llm.generate([], partition_key=context.partition_key, log=context.log)  # raises
        return
    report = merged_reports(reports)
    record_stage_report(warehouse, context.partition_key, report)
    context.add_output_metadata(report_metadata(report))
    context.log.info(f"{report.stage}: {json.dumps(report.model_dump())}")
