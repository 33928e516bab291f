"""A stage's evidence check: the stage's content rules over its stored rows.

The rules are the ones the response model ran at generation time (`defs/<stage>/rules.py`), and
each row is checked against the context its request had: the check rebuilds the stage's requests
from the stored upstream rows with the stage's own `build_requests` (a chunk of tickets at a time,
as the stage does), so "the request's context" has one definition. A row whose request cannot be
rebuilt (its ticket is gone upstream) is `ticket_missing`.
"""

# No `from __future__ import annotations`: Dagster reads the check function's annotations.
from collections.abc import Callable, Iterable
from typing import Any

import dagster as dg
import polars as pl

from dsgen_dagster.lib.stage import Ask, LLMStage, StageInputs
from dsgen_dagster.quality.checks import EVIDENCE, check_name, partitioned_check, read_tables
from dsgen_dagster.quality.findings import Findings
from dsgen_dagster.quality.rules import Violation
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.warehouse import Warehouse

TICKET_MISSING = "ticket_missing"
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
    contexts = RequestContexts(stage.all_asks(inputs), repeated)
    findings = Findings(rows=rows.height, rules=[TICKET_MISSING, *rules])
    for row in rows.iter_rows(named=True):
        context = contexts.pop(row[key])
        if context is None:
            findings.add(TICKET_MISSING, row[key], "no upstream rows make a request for this row")
            continue
        for violation in row_rules(row, context):
            findings.add(violation.rule, row[key], violation.message)
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
        frames = read_tables(warehouse, [*stage.inputs, stage.name], key)
        rows = frames.pop(stage.name)
        inputs = StageInputs(key, batch_settings.validated(), frames)
        findings = evidence_findings(stage, row_rules, rules, inputs, rows)
        context.log.info(f"{check_name(stage.name, EVIDENCE)}: {findings.counts()}")
        return findings.result()

    return _evidence
