"""emails checks: schema, the emails rules (evidence), and duplicates across every other batch."""

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
    partitioned_check,
    schema_check,
)
from dsgen_dagster.quality.duplicates import DuplicateReport
from dsgen_dagster.quality.rules import Violation
from dsgen_dagster.quality.signatures import find_duplicates_stored
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


def email_duplicate_reports(
    warehouse: Warehouse, partition_key: str, config: DuplicatesCheckConfig
) -> tuple[DuplicateReport, DuplicateReport]:
    """(bodies: exact and near, subjects: exact only), each against every other partition."""
    duplicate_config = config.duplicate_config()
    bodies = find_duplicates_stored(
        warehouse, TABLE, "ticket_id", "body", partition_key, duplicate_config
    )
    subjects = find_duplicates_stored(
        warehouse, TABLE, "ticket_id", "subject", partition_key, duplicate_config, near=False
    )
    return bodies, subjects


def subject_metadata(report: DuplicateReport) -> dict[str, Any]:
    rates = report.rates()
    return {
        "subject_exact_within": report.exact_within,
        "subject_exact_within_rate": round(rates["exact_within"], 6),
        "subject_exact_other": report.exact_earlier,
        "subject_exact_other_rate": round(rates["exact_earlier"], 6),
    }


@partitioned_check(
    asset=dg.AssetKey(TABLE),
    name=check_name(TABLE, DUPLICATES),
    description="Exact (normalised text) and near-duplicate (MinHash/LSH candidates, verified "
    "word 5-gram Jaccard >= threshold) email bodies, within the partition and against every "
    "other stored partition. Fails when the share of duplicated emails exceeds "
    "max_duplicate_rate. Exact repeats of subjects are reported as rates, not failed on: short "
    "subjects (and the offline templates) repeat legitimately.",
)
def emails_duplicates(
    context: dg.AssetCheckExecutionContext, config: DuplicatesCheckConfig, warehouse: Warehouse
) -> dg.AssetCheckResult:
    key = context.partition_key
    report, subjects = email_duplicate_reports(warehouse, key, config)
    context.log.info(
        f"{TABLE}_duplicates: {report.duplicated} of {report.items} emails duplicated "
        f"(rate {report.rate:.4f}, allowed {config.max_duplicate_rate}) against "
        f"{report.earlier_partitions} other partitions; subjects repeated: "
        f"{subjects.exact_within} within, {subjects.exact_earlier} in other partitions"
    )
    return dg.AssetCheckResult(
        passed=report.rate <= config.max_duplicate_rate,
        metadata={
            **duplicates_metadata(report),
            **subject_metadata(subjects),
            "max_duplicate_rate": config.max_duplicate_rate,
        },
    )


CHECKS = [schema_check(OUTPUT_TABLE), emails_evidence, emails_duplicates]
