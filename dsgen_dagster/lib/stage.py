"""What every stage asset shares: versions, retry policy, the stage ledger, LLM calls.

An LLM stage is a declaration, `LLMStage`: how requests are built from upstream rows, how a typed
response becomes a row, the response and row models, the offline composer. `llm_stage_asset` turns
it into the partitioned asset; the asset's body is the same for every stage, so a new stage is its
folder (spec, models, prompt, composer, rules) and one entry in the stage list.

Every response is validated against its request's context (the response model's content rules);
a row still breaking a rule after its re-asks is set aside in the `rejects` table instead of the
stage's table, and the stage fails only when their share passes the `llm` resource's
`max_reject_share`.
"""

# No `from __future__ import annotations`: Dagster reads the asset function's annotations.

import collections
import itertools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

import dagster as dg
import polars as pl
import pydantic
from pydantic import BaseModel

from dsgen_dagster.errors import (
    ConfigError,
    EmptyPartitionError,
    LLMError,
    LLMRejectsError,
    MissingUpstreamError,
    PolicyParseError,
)
from dsgen_dagster.lib.contexts import ColumnRows, TicketWorld, index_by
from dsgen_dagster.lib.rejects import reject_rows, replace_rejects
from dsgen_dagster.llm.prompts import PromptTemplate
from dsgen_dagster.llm.resource import PROVIDERS, LLMResource, unserved
from dsgen_dagster.llm.types import Composer, LLMRequest, LLMResult, StageReport, Tier
from dsgen_dagster.partitions import batch_date, daily_partitions
from dsgen_dagster.quality.tables import Table
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import RowChunks, frame_from_models
from dsgen_dagster.storage.io_manager import ALLOW_EMPTY_METADATA
from dsgen_dagster.storage.stored import (
    LAZY_INPUT_METADATA,
    StoredFrames,
    StoredTable,
    held,
    upstream_frames,
)
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
# Requests rendered and sent at a time: bounds a stage's memory, and is far above any useful
# concurrency. With a model endpoint CHUNKS_IN_HAND chunks are in hand at once, so the next one
# goes out while the previous one's last answers come in (generated_in_order).
GENERATE_CHUNK = 4096
CHUNKS_IN_HAND = 2
# With a model endpoint the first chunk is this many requests per unit of concurrency: a stage
# sends its first request once that many are built, rendered and looked up in the cache, not
# 4,096 (~1 s at the start of every stage, all of it on the run's critical path for topics and
# emails). Each next chunk is CHUNK_GROWTH times the last (up to GENERATE_CHUNK): a chunk's
# requests keep the endpoint busy while the next one is prepared beside them, and preparing
# one takes ~0.5 ms a request against the ~8 ms a request is served at 64 in flight (500 ms).
# 512 first took ~0.25 s to the first request at 2,000 tickets (bench/bench_llm.py).
FIRST_CHUNK_PER_SLOT = 2
CHUNK_GROWTH = 4
# Tickets whose upstream rows a stage reads at once (StageInputs.ticket_chunks): the Python
# objects made of those rows exist for one chunk of tickets, not the whole batch.
TICKET_CHUNK = 4096
# The entity tables a ticket refers to, and the column of `topics` that names its row.
TICKET_ENTITIES = {"customers": "customer_id", "products": "product_id", "orders": "order_id"}
# Errors that a retry would only repeat: bad settings or input, rows that break their model, an
# upstream partition that is not there. Transport errors, LLM failures and a locked database
# are not listed: they may pass, so they keep LLM_RETRY_POLICY.
DETERMINISTIC_ERRORS: tuple[type[Exception], ...] = (
    ConfigError,
    PolicyParseError,
    EmptyPartitionError,
    MissingUpstreamError,
    pydantic.ValidationError,
    # The model keeps breaking a rule past the reject budget: a retry would ask the same again.
    LLMRejectsError,
)

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
    provider: str = "offline"  # who answers: a stage may ask nothing of the offline provider
    tickets: pl.Series | None = None  # a chunk's tickets (ticket_chunks); None: every ticket
    _indexes: dict[tuple[str, str], ColumnRows] = field(default_factory=dict)

    def rows(self, name: str, key: str = "ticket_id") -> ColumnRows:
        """An upstream table's rows by key, built once."""
        if (name, key) not in self._indexes:
            self._indexes[name, key] = index_by(self.frames[name], key)
        return self._indexes[name, key]

    def ticket_chunks(self, size: int | None = None) -> Iterator["StageInputs"]:
        """These inputs `size` tickets at a time, in the order of `topics`: each chunk's frames
        keyed by ticket hold that chunk's rows, the entity tables the rows its topics name,
        the rest (the policy) all of it. A stage's requests and rows are those of its chunks in
        turn, so the Python objects of its upstream rows (ColumnRows' column lists, ~260 MB
        at 100,000 tickets in translations) exist for one chunk at a time (issue #13).

        Inputs without topics (the topics stage samples the whole batch at once) are one chunk.
        A ticket that some table has and `topics` lacks comes in a last chunk of its own, so its
        request fails as it did before chunking instead of vanishing."""
        size = size or TICKET_CHUNK
        if "topics" not in self.frames:
            yield self
            return
        stored = self.frames.tables if isinstance(self.frames, StoredFrames) else None
        if stored is not None:
            known = stored["topics"].read(columns=["ticket_id"]).get_column("ticket_id")
        else:
            known = self.frames["topics"].get_column("ticket_id")
        if known.len() <= size:
            yield self
            return
        strays = self._strays(known, stored)
        starts = range(0, known.len(), size)
        slices = [known.slice(start, size) for start in starts]
        for tickets in [*slices, strays] if strays.len() else slices:
            yield self._for_tickets(tickets, stored)

    def _strays(self, known: pl.Series, stored: Mapping[str, StoredTable] | None) -> pl.Series:
        """Tickets that a table other than `topics` has and `topics` lacks, in table order."""
        named: list[pl.Series] = []
        for name in self.frames:
            if name == "topics":
                continue
            if stored is not None:
                if "ticket_id" in stored[name].columns:
                    rows = stored[name].read(known, outside=True, columns=["ticket_id"])
                    named.append(rows.get_column("ticket_id").drop_nulls())
            elif "ticket_id" in self.frames[name].columns:
                named.append(self.frames[name].get_column("ticket_id"))
        if not named:  # emails reads only topics
            return known.clear()
        ids = pl.concat(named)
        return ids.filter(~ids.is_in(known.implode())).unique(maintain_order=True)

    def _for_tickets(
        self, tickets: pl.Series, stored: Mapping[str, StoredTable] | None = None
    ) -> "StageInputs":
        """These tickets' inputs: read from storage when `stored`, else filtered from frames."""
        with held(stored or {}):  # one open database for the chunk's reads
            return self._read_for_tickets(tickets, stored)

    def _read_for_tickets(
        self, tickets: pl.Series, stored: Mapping[str, StoredTable] | None
    ) -> "StageInputs":
        wanted = tickets.implode()
        frames: dict[str, pl.DataFrame] = {}
        for name in self.frames:
            if stored is not None:
                if "ticket_id" in stored[name].columns:
                    frames[name] = stored[name].read(tickets)
            elif "ticket_id" in self.frames[name].columns:
                frames[name] = self.frames[name].filter(pl.col("ticket_id").is_in(wanted))
        topics = frames["topics"]
        for name in self.frames:
            if name in frames:
                continue
            column = TICKET_ENTITIES.get(name)
            if column is None or column not in topics.columns:
                frames[name] = self.frames[name]  # the policy: whole, read once
            elif stored is not None:
                frames[name] = stored[name].read(topics.get_column(column).unique(), key=column)
            else:
                named = topics.get_column(column).unique().implode()
                frames[name] = self.frames[name].filter(pl.col(column).is_in(named))
        frames = {name: frames[name] for name in self.frames}  # the inputs' order
        return StageInputs(self.partition_key, self.settings, frames, self.provider, tickets)

    @cached_property
    def world(self) -> TicketWorld:
        return TicketWorld(
            batch_date=self.partition_key,
            topics=self.frames["topics"],
            customers=self.frames["customers"],
            products=self.frames["products"],
            orders=self.frames["orders"],
            policy_graph=self.frames.get("policy_graph"),
            clause_texts=self.frames.get("policy_clause_texts"),
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
    # Rows the stage makes without a model (the policy's own clause texts), before the model's.
    own_rows: Callable[[StageInputs], Iterable[RowT]] | None = None

    @cached_property
    def template(self) -> PromptTemplate:
        return PromptTemplate.from_package(self.package, self.name)

    def asks(self, inputs: StageInputs) -> Iterator[tuple[StageInputs, Iterator[Ask]]]:
        """The stage's requests, a chunk of tickets at a time, each with the inputs it was
        built from (a row is made from the same)."""
        for chunk in inputs.ticket_chunks():
            yield chunk, iter(self.build_requests(chunk))

    def requests(self, asks: list[Ask]) -> list[LLMRequest[ResponseT]]:
        return [
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

    def rows(
        self, inputs: StageInputs, asks: list[Ask], results: list[LLMResult[ResponseT]]
    ) -> list[RowT]:
        """The rows of the requests that succeeded, in request order."""
        return [
            self.to_row(inputs, ask, result.response, result.model)
            for ask, result in zip(asks, results, strict=True)
            if result.response is not None
        ]


def provider_kind(environ: Mapping[str, str] = os.environ) -> str:
    """The provider that answers the stage in this environment (`offline` or `openai`), read when
    the definitions load: the UI's kind tag then says what a run will really call."""
    provider = environ.get("DSGEN_LLM_PROVIDER", "").strip() or "offline"
    return provider if provider in PROVIDERS else "llm"


def llm_stage_asset(stage: LLMStage[Any, Any]) -> dg.AssetsDefinition:
    """The partitioned, prompt-versioned, retried and pooled asset of an LLM stage."""

    @dg.asset(
        name=stage.name,
        # Upstream tables come as StoredTables: run_stage reads them a chunk of tickets at a
        # time (StageInputs.ticket_chunks), never as whole-batch frames.
        ins={name: dg.AssetIn(name, metadata={LAZY_INPUT_METADATA: True}) for name in stage.inputs},
        partitions_def=daily_partitions,
        group_name=stage.group,
        kinds={"duckdb", provider_kind()},
        code_version=code_version(stage.template),
        retry_policy=LLM_RETRY_POLICY,
        pool=LLM_POOL,
        description=stage.description,
        metadata={ALLOW_EMPTY_METADATA: True} if stage.allow_empty else None,
        required_resource_keys={"batch_settings", "llm", "warehouse"},
    )
    # RowChunks, or a frame when nothing was asked: Dagster types no unions, so Any.
    def _asset(context: dg.AssetExecutionContext, **upstream: StoredTable) -> Any:
        try:
            return run_stage(stage, context, upstream)
        except DETERMINISTIC_ERRORS as exc:
            raise dg.Failure(
                description=f"{type(exc).__name__} (not retried: it would fail again): {exc}",
                allow_retries=False,
            ) from exc

    return _asset


def run_stage(
    stage: LLMStage[Any, Any],
    context: dg.AssetExecutionContext,
    upstream: Mapping[str, pl.DataFrame | StoredTable],
) -> RowChunks | pl.DataFrame:
    """The body of every LLM stage: requests from upstream rows, GENERATE_CHUNK at a time to the
    llm resource (rendered prompts and results exist for one chunk, not the whole batch), rows
    from the typed results, one stage report over all chunks."""
    settings: BatchSettings = context.resources.batch_settings
    llm: LLMResource = context.resources.llm
    inputs = StageInputs(
        context.partition_key, settings.validated(), upstream_frames(upstream), llm.provider
    )
    # Each chunk's rows become a frame at once: the batch is held as columns, never as a list
    # of every row's model beside the frame made from it.
    own = list(stage.own_rows(inputs)) if stage.own_rows else []
    frames: list[pl.DataFrame] = [frame_from_models(stage.table.model, own)] if own else []
    rejects: list[tuple[Any, ...]] = []
    missing: list[LLMResult[Any]] = []  # results without a response, for the stage's budgets
    reports: list[StageReport] = []
    keys: set[tuple[str, int]] = set()

    first = GENERATE_CHUNK
    if llm.provider != "offline":
        first = min(GENERATE_CHUNK, FIRST_CHUNK_PER_SLOT * llm.concurrency)

    def chunks() -> Iterator[tuple[StageInputs, list[Ask]]]:
        """Request chunks of at most `size` requests, each within one chunk of tickets."""
        size, number = first, 0
        for tickets, asks in stage.asks(inputs):
            while chunk := list(itertools.islice(asks, size)):
                size = min(GENERATE_CHUNK, size * CHUNK_GROWTH)
                for ask in chunk:
                    if (ask.key, ask.sample_index) in keys:
                        raise LLMError(
                            f"{stage.name}: request key {ask.key} is not unique in the batch"
                        )
                    keys.add((ask.key, ask.sample_index))
                if number == 0:
                    context.log.info(f"{stage.name}: requests via the {llm.provider} provider")
                number += 1
                yield tickets, chunk

    def generate(chunk: tuple[StageInputs, list[Ask]]) -> tuple[list[LLMResult[Any]], StageReport]:
        return llm.generate(
            stage.requests(chunk[1]), partition_key=context.partition_key, log=context.log,
            enforce=False,
        )  # fmt: skip

    started = time.perf_counter()
    for (tickets, chunk), (results, report) in generated_in_order(chunks(), generate, llm.provider):
        reports.append(report)
        missing.extend(unserved(results))
        frames.append(frame_from_models(stage.table.model, stage.rows(tickets, chunk, results)))
        rejects.extend(
            reject_rows(stage.name, context.partition_key, [ask.context for ask in chunk], results)
        )
    total = sum(report.requests for report in reports)
    # Budgets over the whole stage, not per chunk; past them the previous rejects stay, as the
    # previous rows do.
    llm.enforce_budgets(stage.name, missing, total, context.log)
    replace_rejects(context.resources.warehouse, context.partition_key, stage.name, rejects)
    if not reports:
        made = f"{len(own)} rows made without a model" if own else "recording an empty partition"
        context.log.info(f"{stage.name}: nothing to ask for; {made}")
        # No calls this time: the report says so, instead of the previous run's figures.
        report = StageReport(stage=stage.name, provider=llm.provider, model="")
        record_stage_report(context.resources.warehouse, context.partition_key, report)
        return frame_from_models(stage.table.model, own)
    report = merged_reports(reports)
    # Chunks overlap with a model endpoint: the stage's generation time is the span, not a sum.
    report.wall_seconds = min(report.wall_seconds, round(time.perf_counter() - started, 3))
    record_stage_report(context.resources.warehouse, context.partition_key, report)
    context.add_output_metadata(report_metadata(report))
    context.log.info(f"{stage.name}: {json.dumps(report.model_dump())}")
    # As the chunks' frames: the IO manager writes them one at a time and lets each go.
    return RowChunks(frames)


ChunkT = TypeVar("ChunkT")


def generated_in_order(
    chunks: Iterator[ChunkT],
    generate: Callable[[ChunkT], tuple[list[LLMResult[Any]], StageReport]],
    provider: str,
) -> Iterator[tuple[ChunkT, tuple[list[LLMResult[Any]], StageReport]]]:
    """Each chunk with what `generate` made of it, in chunk order.

    With a model endpoint two chunks are in hand at once: the next one is rendered and sent
    while the previous one's last answers come in (both draw on the one concurrency budget), so a
    chunk boundary does not leave the endpoint idle. The offline provider computes, it does not
    wait: one chunk at a time, and one chunk's memory."""
    if provider == "offline":
        for chunk in chunks:
            yield chunk, generate(chunk)
        return
    with ThreadPoolExecutor(CHUNKS_IN_HAND, thread_name_prefix="dsgen-chunk") as pool:
        pending: collections.deque[tuple[ChunkT, Future[Any]]] = collections.deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(generate, chunk)))
            if len(pending) == CHUNKS_IN_HAND:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def merged_reports(reports: list[StageReport]) -> StageReport:
    """One stage's report from the reports of its chunks: counts, tokens, cost and time add up
    (run_stage caps the time at the stage's span: with a model endpoint chunks overlap)."""
    total = reports[0].model_copy()
    for report in reports[1:]:
        for name in (
            "requests",
            "succeeded",
            "failed",
            "kept",
            "rejected",
            "reasks",
            "cached",
            "retries",
            "prompt_tokens",
            "completion_tokens",
        ):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        for name in ("rejects_by_rule", "reasks_by_rule"):
            counts = dict(getattr(total, name))
            for rule, count in getattr(report, name).items():
                counts[rule] = counts.get(rule, 0) + count
            setattr(total, name, counts)
        total.cost_usd += report.cost_usd
        total.wall_seconds += report.wall_seconds
    total.wall_seconds = round(total.wall_seconds, 3)
    total.cost_usd = round(total.cost_usd, 6)
    total.valid_rate = round(total.kept / total.requests, 4) if total.requests else 1.0
    return total


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
        "llm/kept": report.kept,
        "llm/rejected": report.rejected,
        "llm/rejects_by_rule": dg.MetadataValue.json(report.rejects_by_rule),
        "llm/reasks": report.reasks,
        "llm/reasks_by_rule": dg.MetadataValue.json(report.reasks_by_rule),
        # A number per partition: the UI plots it over partitions.
        "dsgen/valid_rate": dg.MetadataValue.float(report.valid_rate),
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
