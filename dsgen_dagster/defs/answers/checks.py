"""answers checks: schema, the answers rules (evidence), and duplicate rates (reported only)."""

from typing import Any

import dagster as dg

from dsgen_dagster.defs.answers.assets import STAGE
from dsgen_dagster.defs.answers.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.defs.answers.rules import STORED_RULES, answer_violations, stored_quote_context
from dsgen_dagster.lib.evidence import rules_check
from dsgen_dagster.quality.checks import (
    DUPLICATES,
    DuplicatesCheckConfig,
    check_name,
    duplicates_metadata,
    partitioned_check,
    schema_check,
)
from dsgen_dagster.quality.rules import Violation
from dsgen_dagster.quality.signatures import find_duplicates_stored
from dsgen_dagster.storage.warehouse import Warehouse

TABLE = "answers"
NO_CITATION = "no_citation"
CITATION_COUNT_MISMATCH = "citation_count_mismatch"


def answer_row_rules(row: dict[str, Any], context: dict[str, Any]) -> list[Violation]:
    cited, quotes = row["cited_clause_ids"] or [], row["cited_quotes"] or []
    found = []
    if not cited:
        found.append(Violation(NO_CITATION, "the answer cites no clause"))
    if len(cited) != len(quotes):
        found.append(
            Violation(CITATION_COUNT_MISMATCH, f"{len(cited)} clause ids, {len(quotes)} quotes")
        )
    citations = list(zip(cited, quotes, strict=False))
    # Each quote against the clause's text in the language the row says it quotes in.
    quoted, wrong_language = stored_quote_context(context, row.get("quote_language"))
    return [*found, *wrong_language, *answer_violations(row["body"] or "", citations, quoted)]


answers_evidence = rules_check(
    STAGE,
    answer_row_rules,
    [NO_CITATION, CITATION_COUNT_MISMATCH, *STORED_RULES],
    "Each answer cites at least one clause, only clauses of its scenario, and every quote is "
    "verbatim in its clause's text in the row's quote_language (the answer's language when the "
    "policy exists in it, else the document's); the reply is in the customer's language.",
)


@partitioned_check(
    asset=dg.AssetKey(TABLE),
    name=check_name(TABLE, DUPLICATES),
    description="Exact and near-duplicate answer bodies within the partition and against every "
    "other partition, reported as metadata only: answers legitimately share quoted policy "
    "text, so their duplicate rate is watched, not failed on.",
)
def answers_duplicates(
    context: dg.AssetCheckExecutionContext, config: DuplicatesCheckConfig, warehouse: Warehouse
) -> dg.AssetCheckResult:
    key = context.partition_key
    report = find_duplicates_stored(
        warehouse, TABLE, "ticket_id", "body", key, config.duplicate_config()
    )
    return dg.AssetCheckResult(passed=True, metadata=duplicates_metadata(report))


CHECKS = [schema_check(OUTPUT_TABLE), answers_evidence, answers_duplicates]
