"""policy_graph: the clauses of the batch's policy document, with relations and line evidence."""

import dagster as dg
import polars as pl

from dsgen_dagster import ids
from dsgen_dagster.defs.policy_graph.models import PolicyClause
from dsgen_dagster.defs.policy_graph.parser import ParsedPolicy, parse_policy_file, relation_field
from dsgen_dagster.lib.stage import code_version, timed_stage
from dsgen_dagster.partitions import daily_partitions
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "policy"


def clause_rows(policy: ParsedPolicy, partition_key: str) -> list[PolicyClause]:
    """One row per clause; relations point at clause ids of the same partition."""
    rows = []
    for clause in policy.clauses:
        relations = {
            kind: [ids.clause_id(partition_key, number) for number, _ in targets]
            for kind, targets in clause.relations.items()
        }
        rows.append(
            PolicyClause(
                clause_id=ids.clause_id(partition_key, clause.number),
                clause_number=clause.number,
                section_number=clause.section_number,
                section=clause.section,
                title=clause.title,
                text=clause.text,
                line_start=clause.text_lines[0][0],
                line_end=clause.text_lines[-1][0],
                quote=clause.quote,
                source_path=policy.path,
                source_sha256=policy.sha256,
                **{relation_field(kind): targets for kind, targets in relations.items()},
            )
        )
    return rows


@dg.asset(
    partitions_def=daily_partitions,
    group_name=GROUP,
    kinds={"duckdb", "markdown"},
    code_version=code_version(),
    description="Clauses of the policy document (shipped or DSGEN_POLICY_PATH) with relations "
    "(overrides/modifies/requires/exception_of) and the verbatim source lines.",
)
def policy_graph(
    context: dg.AssetExecutionContext, batch_settings: BatchSettings, warehouse: Warehouse
) -> pl.DataFrame:
    settings = batch_settings.validated()
    with timed_stage(context, warehouse, "policy_graph"):
        policy = parse_policy_file(settings.resolved_policy_path())
        rows = clause_rows(policy, context.partition_key)
    relation_count = sum(len(row.related_ids()) for row in rows)
    context.log.info(
        f"policy_graph: {len(rows)} clauses, {relation_count} relations from {policy.path}"
    )
    context.add_output_metadata(
        {"clauses": len(rows), "relations": relation_count, "source_sha256": policy.sha256}
    )
    return frame_from_models(PolicyClause, rows)


ASSETS = [policy_graph]
