"""rephrasings checks: schema, the rephrasings rules (evidence), and each rephrasing really
differs from its source email (duplicates, with a configurable threshold)."""

from typing import Any

import dagster as dg

from dsgen_dagster.defs.rephrasings.assets import STAGE
from dsgen_dagster.defs.rephrasings.evidence import check_rephrasings
from dsgen_dagster.defs.rephrasings.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.defs.rephrasings.rules import RULES, rephrasing_violations
from dsgen_dagster.lib.evidence import rules_check
from dsgen_dagster.quality.checks import (
    DUPLICATES,
    RephrasingCheckConfig,
    check_name,
    partitioned_check,
    read_rows,
    schema_check,
)
from dsgen_dagster.quality.rules import Violation
from dsgen_dagster.storage.warehouse import Warehouse

TABLE = "rephrasings"


@partitioned_check(
    asset=dg.AssetKey(TABLE),
    name=check_name(TABLE, DUPLICATES),
    additional_deps=[dg.AssetKey("emails")],
    description="Each rephrasing keeps its ticket (its source email exists and its id derives "
    "from the ticket's) and differs from the source: the Jaccard similarity of their word "
    "shingles stays below max_similarity.",
)
def rephrasings_duplicates(
    context: dg.AssetCheckExecutionContext, config: RephrasingCheckConfig, warehouse: Warehouse
) -> dg.AssetCheckResult:
    key = context.partition_key
    findings, similarity = check_rephrasings(
        read_rows(warehouse, TABLE, key),
        read_rows(warehouse, "emails", key),
        max_similarity=config.max_similarity,
        shingle_size=config.shingle_size,
    )
    return findings.result(extra={**similarity, "max_similarity": config.max_similarity})


def rephrasing_row_rules(row: dict[str, Any], context: dict[str, Any]) -> list[Violation]:
    return rephrasing_violations(row["subject"] or "", row["body"] or "", context)


rephrasings_evidence = rules_check(
    STAGE,
    rephrasing_row_rules,
    RULES,
    "Each rephrasing keeps the order reference exactly (or has none, as its email) and differs "
    "from its source email (word 5-gram Jaccard below the default threshold).",
)

CHECKS = [schema_check(OUTPUT_TABLE), rephrasings_evidence, rephrasings_duplicates]
