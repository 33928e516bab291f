"""answers checks: schema, grounding evidence, and duplicate rates (reported, not failed on)."""

import dagster as dg

from dsgen_dagster.defs.answers.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.quality.checks import (
    DUPLICATES,
    EVIDENCE,
    DuplicatesCheckConfig,
    check_name,
    duplicates_metadata,
    partitioned_check,
    read_rows,
    schema_check,
)
from dsgen_dagster.quality.evidence import check_answer_evidence
from dsgen_dagster.quality.signatures import find_duplicates_stored
from dsgen_dagster.storage.warehouse import Warehouse

TABLE = "answers"


@partitioned_check(
    asset=dg.AssetKey(TABLE),
    name=check_name(TABLE, EVIDENCE),
    blocking=True,
    additional_deps=[dg.AssetKey("topics"), dg.AssetKey("policy_graph")],
    description="Each answer cites at least one clause; every cited clause exists in the "
    "partition's policy graph and belongs to the ticket's scenario; every quote appears in the "
    "cited clause's text. Blocks downstream assets.",
)
def answers_evidence(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    key = context.partition_key
    findings = check_answer_evidence(
        read_rows(warehouse, TABLE, key),
        read_rows(warehouse, "topics", key),
        read_rows(warehouse, "policy_graph", key),
    )
    return findings.result()


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
