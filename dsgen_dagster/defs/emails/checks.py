"""emails checks: schema, order-reference evidence, and duplicates across every earlier batch."""

import dagster as dg

from dsgen_dagster.defs.emails.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.quality.checks import (
    DUPLICATES,
    EVIDENCE,
    DuplicatesCheckConfig,
    check_name,
    duplicates_metadata,
    earlier_texts,
    partitioned_check,
    read_rows,
    schema_check,
)
from dsgen_dagster.quality.duplicates import find_duplicates
from dsgen_dagster.quality.evidence import check_email_evidence
from dsgen_dagster.storage.warehouse import Warehouse

TABLE = "emails"


@partitioned_check(
    asset=dg.AssetKey(TABLE),
    name=check_name(TABLE, EVIDENCE),
    blocking=True,
    additional_deps=[dg.AssetKey("topics")],
    description="Each email carries the order reference its scenario's information completeness "
    "says: complete -> the true order id; misspelled -> a near miss of it (edit distance 1-2), "
    "never the id itself; missing -> no order reference. Blocks downstream assets.",
)
def emails_evidence(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    key = context.partition_key
    findings = check_email_evidence(
        read_rows(warehouse, TABLE, key), read_rows(warehouse, "topics", key)
    )
    return findings.result()


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
