"""policy_graph checks: schema, and evidence that every quote is the document's own lines."""

import dagster as dg

from dsgen_dagster.defs.policy_graph.evidence import check_policy_evidence
from dsgen_dagster.defs.policy_graph.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.defs.policy_graph.models import TEXTS_TABLE
from dsgen_dagster.defs.policy_graph.texts import texts_findings
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


@partitioned_check(
    asset=dg.AssetKey(TEXTS_TABLE.name),
    name=check_name(TEXTS_TABLE.name, EVIDENCE),
    blocking=True,
    additional_deps=[dg.AssetKey(TABLE)],
    description="Every clause has its document-language text, equal to policy_graph's; every "
    "text belongs to a clause of the partition; a user's translation is still what its file "
    "(policy.<language>.md) says; a machine translation is non-empty, in its language and keeps "
    "every number of the original. Blocks downstream assets.",
)
def policy_clause_texts_evidence(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    key = context.partition_key
    texts = read_rows(warehouse, TEXTS_TABLE.name, key).iter_rows(named=True)
    clauses = read_rows(warehouse, TABLE, key).iter_rows(named=True)
    findings = texts_findings(list(texts), list(clauses))
    return findings.result()


CHECKS = [
    schema_check(OUTPUT_TABLE),
    policy_graph_evidence,
    schema_check(TEXTS_TABLE),
    policy_clause_texts_evidence,
]
