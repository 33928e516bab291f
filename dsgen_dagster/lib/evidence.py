"""A stage's evidence check: the stage's content rules over its stored rows.

The rules are the ones the response model ran at generation time (`defs/<stage>/rules.py`), and
each row is checked against the context its request had: the check rebuilds the stage's requests
from the stored upstream rows with the stage's own `build_requests`, so "the request's context" has
one definition. A row whose request cannot be rebuilt (its ticket is gone upstream) is
`ticket_missing`.
"""

# No `from __future__ import annotations`: Dagster reads the check function's annotations.
from collections.abc import Callable
from typing import Any

import dagster as dg
import polars as pl

from dsgen_dagster.lib.stage import LLMStage, StageInputs
from dsgen_dagster.quality.checks import EVIDENCE, check_name, partitioned_check, read_rows
from dsgen_dagster.quality.findings import Findings
from dsgen_dagster.quality.rules import Violation
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.warehouse import Warehouse

TICKET_MISSING = "ticket_missing"
# A stored row and its request's context -> what it breaks.
RowRules = Callable[[dict[str, Any], dict[str, Any]], list[Violation]]


def evidence_findings(
    stage: LLMStage[Any, Any],
    row_rules: RowRules,
    rules: list[str],
    inputs: StageInputs,
    rows: pl.DataFrame,
) -> Findings:
    contexts = {ask.key: ask.context for ask in stage.build_requests(inputs)}
    key = stage.table.key
    findings = Findings(rows=rows.height, rules=[TICKET_MISSING, *rules])
    for row in rows.iter_rows(named=True):
        context = contexts.get(row[key])
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
        frames = {name: read_rows(warehouse, name, key) for name in stage.inputs}
        inputs = StageInputs(key, batch_settings.validated(), frames)
        findings = evidence_findings(
            stage, row_rules, rules, inputs, read_rows(warehouse, stage.name, key)
        )
        context.log.info(f"{check_name(stage.name, EVIDENCE)}: {findings.counts()}")
        return findings.result()

    return _evidence
