"""policy_graph checks: schema, and evidence that every quote is the document's own lines."""

import dagster as dg

from dsgen_dagster.defs.policy_graph.evidence import check_policy_evidence
from dsgen_dagster.defs.policy_graph.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.quality.checks import (
    EVIDENCE,
    check_name,
    partitioned_check,
    read_rows,
    schema_check,
)
from dsgen_dagster.storage.warehouse import Warehouse

TABLE = "policy_graph"


@partitioned_check(
    asset=dg.AssetKey(TABLE),
    name=check_name(TABLE, EVIDENCE),
    blocking=True,
    description="Each clause's quote equals its source lines in the policy document (which must "
    "still be the parsed one), its text is its quote's lines joined, and each relation points "
    "at a clause of the same partition. Blocks downstream assets.",
)
def policy_graph_evidence(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    findings = check_policy_evidence(read_rows(warehouse, TABLE, context.partition_key))
    return findings.result()


CHECKS = [schema_check(OUTPUT_TABLE), policy_graph_evidence]
