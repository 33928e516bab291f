"""policy_graph: the clauses of the batch's policy document, with relations and line evidence."""

import dagster as dg
import polars as pl

from dsgen_dagster import ids
from dsgen_dagster.defs.policy_graph.models import RELATION_KINDS, ClauseRelation, PolicyClause
from dsgen_dagster.defs.policy_graph.parser import ParsedPolicy, parse_policy_file, safe_number
from dsgen_dagster.defs.policy_graph.retyping import TEMPLATE as RETYPING_TEMPLATE
from dsgen_dagster.defs.policy_graph.retyping import retype_relations
from dsgen_dagster.lib.domain import CompanyProfile
from dsgen_dagster.lib.stage import code_version, record_stage_report, timed_stage
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.partitions import daily_partitions
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import polars_type
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "policy"
UNRESOLVED_SHOWN = 5


def clause_rows(
    policy: ParsedPolicy, partition_key: str, company: CompanyProfile | None = None
) -> list[PolicyClause]:
    """One row per clause; relations point at clause ids of the same partition."""
    profile = {"company": company.name, "currency": company.currency} if company else {}
    rows = []
    for clause in policy.clauses:
        relations = [
            ClauseRelation(
                kind=relation.kind,  # type: ignore[arg-type]
                target_id=ids.clause_id(partition_key, safe_number(relation.target)),
                target_number=relation.target,
                trigger=relation.trigger,
                line=relation.line,
                scope=relation.scope,  # type: ignore[arg-type]
            )
            for relation in clause.relations
        ]
        by_kind = {
            kind: [r.target_id for r in relations if r.kind == kind] for kind in RELATION_KINDS
        }
        rows.append(
            PolicyClause(
                clause_id=ids.clause_id(partition_key, safe_number(clause.number)),
                clause_number=clause.number,
                kind=clause.kind,  # type: ignore[arg-type]
                section_number=clause.section_number,
                section=clause.section,
                title=clause.title,
                text=clause.text,
                line_start=clause.text_lines[0][0],
                line_end=clause.text_lines[-1][0],
                quote=clause.quote,
                relations=relations,
                source_path=policy.path,
                source_sha256=policy.sha256,
                **profile,
                **by_kind,
            )
        )
    return rows


def clause_frame(rows: list[PolicyClause]) -> pl.DataFrame:
    """Like `frame_from_models`, with `relations` as a list of structs."""
    relation = pl.Struct(
        {name: polars_type(f.annotation) for name, f in ClauseRelation.model_fields.items()}
    )
    schema = {
        name: pl.List(relation) if name == "relations" else polars_type(f.annotation)
        for name, f in PolicyClause.model_fields.items()
    }
    return pl.DataFrame([row.model_dump() for row in rows], schema=schema, orient="row")


def unresolved_metadata(policy: ParsedPolicy) -> dict[str, object]:
    shown = [
        f"{policy.path}:{u.line}: clause {u.source} mentions {u.target} ({u.kind}), "
        f"which is not a clause: {u.text[:120]}"
        for u in policy.unresolved[:UNRESOLVED_SHOWN]
    ]
    return {"unresolved_references": len(policy.unresolved), "unresolved_first": shown}


@dg.asset(
    partitions_def=daily_partitions,
    group_name=GROUP,
    kinds={"duckdb", "markdown"},
    code_version=code_version(RETYPING_TEMPLATE),
    description="Clauses of the policy document (shipped or DSGEN_POLICY_PATH) with relations "
    "(overrides/modifies/requires/exception_of/references, each with its trigger phrase and "
    "line) and the verbatim source lines. Prose mentions of missing clauses are in metadata.",
)
def policy_graph(
    context: dg.AssetExecutionContext,
    batch_settings: BatchSettings,
    warehouse: Warehouse,
    llm: LLMResource,
) -> pl.DataFrame:
    settings = batch_settings.validated()
    with timed_stage(context, warehouse, "policy_graph"):
        policy = parse_policy_file(settings.resolved_policy_path())
    retyping = retype_relations(
        policy,
        llm,
        mode=settings.relation_retyping,
        partition_key=context.partition_key,
        log=context.log,
    )
    if retyping.report is not None:  # the model was asked: its calls are the stage's report
        record_stage_report(warehouse, context.partition_key, retyping.report)
    rows = clause_rows(policy, context.partition_key, settings.domain().company)
    relation_count = sum(len(row.relations) for row in rows)
    context.log.info(
        f"policy_graph: {len(rows)} clauses, {relation_count} relations, "
        f"{len(policy.unresolved)} unresolved references from {policy.path}"
    )
    context.add_output_metadata(
        {
            "clauses": len(rows),
            "relations": relation_count,
            "source_sha256": policy.sha256,
            **unresolved_metadata(policy),
            **retyping.metadata(),
        }
    )
    return clause_frame(rows)


ASSETS = [policy_graph]
