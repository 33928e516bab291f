"""emails checks: schema, the emails rules (evidence), and duplicates across every earlier batch."""

from typing import Any

import dagster as dg

from dsgen_dagster.defs.emails.assets import STAGE
from dsgen_dagster.defs.emails.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.defs.emails.rules import RULES, email_violations
from dsgen_dagster.lib.evidence import rules_check
from dsgen_dagster.quality.checks import (
    DUPLICATES,
    DuplicatesCheckConfig,
    check_name,
    duplicates_metadata,
    earlier_texts,
    partitioned_check,
    read_rows,
    schema_check,
)
from dsgen_dagster.quality.duplicates import find_duplicates
from dsgen_dagster.quality.rules import Violation
from dsgen_dagster.storage.warehouse import Warehouse

TABLE = "emails"


def email_row_rules(row: dict[str, Any], context: dict[str, Any]) -> list[Violation]:
    return email_violations(row["subject"] or "", row["body"] or "", context)


emails_evidence = rules_check(
    STAGE,
    email_row_rules,
    RULES,
    "Each email carries exactly the order reference its scenario says (complete -> the order "
    "id, misspelled -> the given misspelling, missing -> none), is written in the ticket's "
    "language and is signed with the customer's first name.",
)


@partitioned_check(
    asset=dg.AssetKey(TABLE),
    name=check_name(TABLE, DUPLICATES),
    description="Exact (normalised text) and near-duplicate (MinHash/LSH candidates, verified "
    "word 5-gram Jaccard >= threshold) email bodies, within the partition and against every "
    "earlier partition. Fails when the share of duplicated emails exceeds max_duplicate_rate.",
)
def emails_duplicates(
    context: dg.AssetCheckExecutionContext, config: DuplicatesCheckConfig, warehouse: Warehouse
) -> dg.AssetCheckResult:
    key = context.partition_key
    current = read_rows(warehouse, TABLE, key).select("ticket_id", "body")
    report = find_duplicates(
        current,
        earlier_texts(warehouse, TABLE, "ticket_id", "body", key),
        partition_key=key,
        config=config.duplicate_config(),
    )
    context.log.info(
        f"{TABLE}_duplicates: {report.duplicated} of {report.items} emails duplicated "
        f"(rate {report.rate:.4f}, allowed {config.max_duplicate_rate}) against "
        f"{report.earlier_partitions} earlier partitions"
    )
    return dg.AssetCheckResult(
        passed=report.rate <= config.max_duplicate_rate,
        metadata={**duplicates_metadata(report), "max_duplicate_rate": config.max_duplicate_rate},
    )


CHECKS = [schema_check(OUTPUT_TABLE), emails_evidence, emails_duplicates]
