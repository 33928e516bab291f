"""A stage's evidence check: the stage's content rules over its stored rows.

The rules are the ones the response model ran at generation time (`defs/<stage>/rules.py`), and
each row is checked against the context its request had: the check rebuilds the stage's requests
from the stored upstream rows with the stage's own `build_requests`, so "the request's context" has
one definition. A row whose request cannot be rebuilt (its ticket is gone upstream) is
`ticket_missing`.

Like the stage, the check works a chunk of tickets at a time (`StageInputs.ticket_chunks`): it
reads the chunk's stored rows and upstream rows (storage/stored.py), rebuilds the chunk's
requests and checks one against the other.
At 100,000 tickets the translations check read its 170,000 stored rows at once and rose RSS by
~1 GB, the run's peak (bench/bench_batch.py --timeline).
"""

# No `from __future__ import annotations`: Dagster reads the check function's annotations.
from collections.abc import Callable, Iterable
from typing import Any

import dagster as dg
import polars as pl

from dsgen_dagster.lib.stage import Ask, LLMStage, StageInputs
from dsgen_dagster.quality.checks import EVIDENCE, check_name, partitioned_check
from dsgen_dagster.quality.findings import Findings
from dsgen_dagster.quality.rules import Violation
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.stored import StoredFrames, StoredTable
from dsgen_dagster.storage.warehouse import Warehouse

TICKET_MISSING = "ticket_missing"
NO_REQUEST = "no upstream rows make a request for this row"
# A stored row and its request's context -> what it breaks.
RowRules = Callable[[dict[str, Any], dict[str, Any]], list[Violation]]


class RequestContexts:
    """The contexts of a stage's requests by key, built as the rows ask for them.

    A stage stores its rows in request order, so reading the requests along with the rows
    holds only the few contexts of requests without a row (set aside, failed) instead of the
    whole batch's (a translation's context is a few KB: hundreds of MB at 100,000 tickets).
    Rows in another order are still found, by reading ahead."""

    def __init__(self, asks: Iterable[Ask], repeated: set[str]) -> None:
        self._asks = iter(asks)
        self._ahead: dict[str, dict[str, Any]] = {}
        self._repeated = repeated  # keys of several stored rows: their contexts are kept

    def pop(self, key: str) -> dict[str, Any] | None:
        """The context of the request for `key`, None when no request is for it."""
        if key in self._ahead:
            return self._ahead[key] if key in self._repeated else self._ahead.pop(key)
        for ask in self._asks:
            if ask.key == key:
                if key in self._repeated:
                    self._ahead[key] = ask.context
                return ask.context
            self._ahead[ask.key] = ask.context
        return None


def evidence_findings(
    stage: LLMStage[Any, Any],
    row_rules: RowRules,
    rules: list[str],
    inputs: StageInputs,
    rows: pl.DataFrame,
) -> Findings:
    key = stage.table.key
    repeated: set[str] = set()
    if key in rows.columns:
        counts = rows.get_column(key).value_counts()
        repeated = set(counts.filter(counts.get_column("count") > 1).get_column(key).to_list())
    contexts = RequestContexts(stage.build_requests(inputs), repeated)
    findings = Findings(rows=rows.height, rules=[TICKET_MISSING, *rules])
    for row in rows.iter_rows(named=True):
        context = contexts.pop(row[key])
        if context is None:
            findings.add(TICKET_MISSING, row[key], NO_REQUEST)
            continue
        for violation in row_rules(row, context):
            findings.add(violation.rule, row[key], violation.message)
    return findings


def stored_rows(
    warehouse: Warehouse, table: str, partition_key: str
) -> Callable[..., pl.DataFrame]:
    """`read_rows` for `chunked_findings`: a table's stored rows of the partition, one unit of
    work per chunk (a step beside the check may write in between)."""
    stored = StoredTable(warehouse, table, partition_key)

    def read_rows(tickets: pl.Series | None, outside: bool = False) -> pl.DataFrame:
        return stored.read(tickets, outside=outside)

    return read_rows


def chunked_findings(
    stage: LLMStage[Any, Any],
    row_rules: RowRules,
    rules: list[str],
    inputs: StageInputs,
    read_rows: Callable[..., pl.DataFrame],
) -> Findings:
    """`evidence_findings` a chunk of tickets at a time. `read_rows(tickets, outside=False)`
    reads the stored rows of those tickets (None: every row; `outside`: every other ticket's)."""
    findings = Findings(rows=0, rules=[TICKET_MISSING, *rules])
    covered: list[pl.Series] = []
    for chunk in inputs.ticket_chunks():
        rows = read_rows(chunk.tickets)
        findings.extend(evidence_findings(stage, row_rules, rules, chunk, rows))
        findings.rows += rows.height
        if chunk.tickets is not None:
            covered.append(chunk.tickets)
    if covered:  # rows of a ticket no upstream table has: no request makes them
        strays = read_rows(pl.concat(covered), outside=True)
        for key in strays.get_column(stage.table.key):
            findings.add(TICKET_MISSING, key, NO_REQUEST)
        findings.rows += strays.height
    return findings


def rules_check(
    stage: LLMStage[Any, Any], row_rules: RowRules, rules: list[str], description: str
) -> dg.AssetChecksDefinition:
    """`<stage>_evidence`: blocking, like every check that decides whether a row is true."""

    @partitioned_check(
        asset=dg.AssetKey(stage.name),
        name=check_name(stage.name, EVIDENCE),
        blocking=True,
        additional_deps=[dg.AssetKey(name) for name in stage.inputs],
        description=f"{description} The same rules the response model runs at generation time, "
        "against each row's request context rebuilt from the stored upstream rows. Blocks "
        "downstream assets.",
    )
    def _evidence(
        context: dg.AssetCheckExecutionContext, warehouse: Warehouse, batch_settings: BatchSettings
    ) -> dg.AssetCheckResult:
        key = context.partition_key
        # The upstream tables are read a chunk of tickets at a time too, never whole.
        frames = StoredFrames.of(warehouse, stage.inputs, key)
        inputs = StageInputs(key, batch_settings.validated(), frames)
        rows = stored_rows(warehouse, stage.name, key)
        findings = chunked_findings(stage, row_rules, rules, inputs, rows)
        context.log.info(f"{check_name(stage.name, EVIDENCE)}: {findings.counts()}")
        return findings.result()

    return _evidence
