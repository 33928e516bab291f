"""What every stage asset shares: versions, retry policy, the stage ledger, LLM calls.

An LLM stage is a declaration, `LLMStage`: how requests are built from upstream rows, how a typed
response becomes a row, the response and row models, the offline composer. `llm_stage_asset` turns
it into the partitioned asset; the asset's body is the same for every stage, so a new stage is its
folder (spec, models, prompt, composer) and one entry in the stage list.
"""

# No `from __future__ import annotations`: Dagster reads the asset function's annotations.

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

import dagster as dg
import polars as pl
from pydantic import BaseModel

from dsgen_dagster.lib.contexts import TicketWorld, index_by
from dsgen_dagster.llm.prompts import PromptTemplate
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import Composer, LLMRequest, LLMResult, StageReport, Tier
from dsgen_dagster.partitions import batch_date, daily_partitions
from dsgen_dagster.quality.tables import Table
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.io_manager import ALLOW_EMPTY_METADATA
from dsgen_dagster.storage.warehouse import Warehouse

# Bump when a stage's generator code changes what it produces (the prompt hash covers prompts).
GENERATOR_VERSION = "1"
LLM_POOL = "dsgen_llm"
LLM_RETRY_POLICY = dg.RetryPolicy(
    max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
STAGE_REPORTS_TABLE = "stage_reports"
# The upstream assets every ticket stage reads: the world a ticket lives in.
WORLD_INPUTS = ("topics", "customers", "products", "orders")

ResponseT = TypeVar("ResponseT", bound=BaseModel)
RowT = TypeVar("RowT", bound=BaseModel)


def code_version(template: PromptTemplate | None = None) -> str:
    """Generator version plus, for LLM stages, the prompt template's content hash."""
    version = f"gen{GENERATOR_VERSION}"
    return f"{version}-prompt{template.hash}" if template else version


@dataclass(frozen=True)
class Ask:
    """One request a stage wants answered: the row it serves, what the model is given, and what
    the stage keeps aside for building the row (never sent to the model)."""

    key: str
    context: dict[str, Any]
    sample_index: int = 0
    payload: Any = None


@dataclass
class StageInputs:
    """What a stage's functions read: the partition, the batch settings, the upstream frames."""

    partition_key: str
    settings: BatchSettings
    frames: Mapping[str, pl.DataFrame]
    _indexes: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)

    def rows(self, name: str, key: str = "ticket_id") -> dict[str, dict[str, Any]]:
        """An upstream table's rows by key, built once."""
        if (name, key) not in self._indexes:
            self._indexes[name, key] = index_by(self.frames[name], key)
        return self._indexes[name, key]

    @cached_property
    def world(self) -> TicketWorld:
        return TicketWorld(
            batch_date=self.partition_key,
            topics=self.frames["topics"],
            customers=self.frames["customers"],
            products=self.frames["products"],
            orders=self.frames["orders"],
            policy_graph=self.frames.get("policy_graph"),
            domain=self.settings.domain(),
        )


@dataclass(frozen=True)
class LLMStage(Generic[ResponseT, RowT]):
    """Everything that makes one LLM stage; `llm_stage_asset` makes the asset from it."""

    name: str
    group: str
    tier: Tier
    description: str
    package: str  # the stage's folder as a package: its prompt.jinja2 (and phrases) live there
    response_model: type[ResponseT]
    table: Table  # the stage's output table: row model, key column, checks' rules
    build_requests: Callable[[StageInputs], Iterable[Ask]]
    to_row: Callable[[StageInputs, Ask, ResponseT, str], RowT]
    compose_offline: Composer
    inputs: tuple[str, ...] = WORLD_INPUTS  # upstream assets the stage reads
    allow_empty: bool = False  # a partition may legitimately have no rows (k = 0, ...)

    @cached_property
    def template(self) -> PromptTemplate:
        return PromptTemplate.from_package(self.package, self.name)

    def requests(self, inputs: StageInputs) -> tuple[list[Ask], list[LLMRequest[ResponseT]]]:
        asks = list(self.build_requests(inputs))
        requests: list[LLMRequest[ResponseT]] = [
            LLMRequest(
                stage=self.name,
                tier=self.tier,
                template=self.template,
                context=ask.context,
                response_model=self.response_model,
                key=ask.key,
                sample_index=ask.sample_index,
                offline=self.compose_offline,
            )
            for ask in asks
        ]
        return asks, requests

    def rows(
        self, inputs: StageInputs, asks: list[Ask], results: list[LLMResult[ResponseT]]
    ) -> list[RowT]:
        """The rows of the requests that succeeded, in request order."""
        return [
            self.to_row(inputs, ask, result.response, result.model)
            for ask, result in zip(asks, results, strict=True)
            if result.response is not None
        ]


def llm_stage_asset(stage: LLMStage[Any, Any]) -> dg.AssetsDefinition:
    """The partitioned, prompt-versioned, retried and pooled asset of an LLM stage."""

    @dg.asset(
        name=stage.name,
        ins={name: dg.AssetIn(name) for name in stage.inputs},
        partitions_def=daily_partitions,
        group_name=stage.group,
        kinds={"duckdb", "openai"},
        code_version=code_version(stage.template),
        retry_policy=LLM_RETRY_POLICY,
        pool=LLM_POOL,
        description=stage.description,
        metadata={ALLOW_EMPTY_METADATA: True} if stage.allow_empty else None,
        required_resource_keys={"batch_settings", "llm", "warehouse"},
    )
    def _asset(context: dg.AssetExecutionContext, **upstream: pl.DataFrame) -> pl.DataFrame:
        settings: BatchSettings = context.resources.batch_settings
        inputs = StageInputs(context.partition_key, settings.validated(), upstream)
        asks, requests = stage.requests(inputs)
        if not requests:
            context.log.info(f"{stage.name}: nothing to ask for; recording an empty partition")
            return frame_from_models(stage.table.model, [])
        results = generate(context, context.resources.llm, context.resources.warehouse, requests)
        return frame_from_models(stage.table.model, stage.rows(inputs, asks, results))

    return _asset


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
    requests: list[LLMRequest[ResponseT]],
) -> list[LLMResult[ResponseT]]:
    """Run one stage's requests; return every result, in request order (failed ones included,
    within the stage's failure budget)."""
    stage = requests[0].stage if requests else "?"
    context.log.info(f"{stage}: {len(requests)} requests via the {llm.provider} provider")
    results, report = llm.generate(requests, partition_key=context.partition_key, log=context.log)
    record_stage_report(warehouse, context.partition_key, report)
    context.add_output_metadata(report_metadata(report))
    context.log.info(f"{stage}: {json.dumps(report.model_dump())}")
    return results
