"""policy_graph: the clauses of the batch's policy document, with relations and line evidence;
policy_clause_texts: each clause's text in every language the batch serves (`texts.py`)."""

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from dsgen_dagster import ids
from dsgen_dagster.defs.policy_graph.models import (
    RELATION_KINDS,
    TEXTS_TABLE,
    ClauseRelation,
    ClauseText,
    PolicyClause,
    TranslatedClause,
)
from dsgen_dagster.defs.policy_graph.parser import ParsedPolicy, parse_policy_file, safe_number
from dsgen_dagster.defs.policy_graph.retyping import TEMPLATE as RETYPING_TEMPLATE
from dsgen_dagster.defs.policy_graph.retyping import retype_relations
from dsgen_dagster.defs.policy_graph.texts import (
    DOCUMENT,
    MACHINE_TRANSLATION,
    served_languages,
    user_translations,
)
from dsgen_dagster.errors import LLMError
from dsgen_dagster.lib.domain import CompanyProfile
from dsgen_dagster.lib.stage import (
    Ask,
    LLMStage,
    StageInputs,
    code_version,
    llm_stage_asset,
    record_stage_report,
    timed_stage,
)
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.partitions import daily_partitions
from dsgen_dagster.quality.language import LANGUAGE_NAMES
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


def text_id(clause_id: str, language: str) -> str:
    return f"{clause_id}@{language}"


def own_texts(inputs: StageInputs) -> list[ClauseText]:
    """The clause texts no model makes: the document's, and the user's translation files'."""
    clauses = list(inputs.frames["policy_graph"].iter_rows(named=True))
    policy_language = inputs.settings.domain().company.policy_language
    rows = [
        ClauseText(
            text_id=text_id(clause["clause_id"], policy_language),
            clause_id=clause["clause_id"],
            clause_number=clause["clause_number"],
            language=policy_language,  # type: ignore[arg-type]
            title=clause["title"],
            text=clause["text"],
            source=DOCUMENT,
            source_path=Path(clause["source_path"]).name,
        )
        for clause in clauses
    ]
    ids_by_number = {clause["clause_number"]: clause["clause_id"] for clause in clauses}
    policy = parse_policy_file(inputs.settings.resolved_policy_path())
    for language, texts in user_translations(policy, policy_language).items():
        rows += [
            ClauseText(
                text_id=text_id(ids_by_number[text.number], language),
                clause_id=ids_by_number[text.number],
                clause_number=text.number,
                language=language,  # type: ignore[arg-type]
                title=text.title,
                text=text.text,
                source=text.source,  # type: ignore[arg-type]
                source_path=Path(text.path).name,
            )
            for text in texts
        ]
    return rows


def translation_requests(inputs: StageInputs) -> Iterator[Ask]:
    """One request per clause and served language that has no text yet; none offline, where no
    model can translate (that language then has no text, and answers quote the document's)."""
    if inputs.provider == "offline":
        return
    settings = inputs.settings
    domain = settings.domain()
    source = domain.company.policy_language
    have = {row.text_id for row in own_texts(inputs)}
    languages = served_languages(
        dict(domain.scenarios.language), list(settings.translation_languages), source
    )
    for language in languages:
        for clause in inputs.frames["policy_graph"].iter_rows(named=True):
            key = text_id(clause["clause_id"], language)
            if key in have:
                continue
            yield Ask(
                key=key,
                context={
                    "company": domain.company.name,
                    "clause_id": clause["clause_id"],
                    "clause_number": clause["clause_number"],
                    "title": clause["title"],
                    "text": clause["text"],
                    "source_language": source,
                    "target_language": language,
                    "source_language_name": LANGUAGE_NAMES.get(source, source),
                    "target_language_name": LANGUAGE_NAMES[language],
                },
            )


def translated_row(
    inputs: StageInputs, ask: Ask, translated: TranslatedClause, model: str
) -> ClauseText:
    return ClauseText(
        text_id=ask.key,
        clause_id=ask.context["clause_id"],
        clause_number=ask.context["clause_number"],
        language=ask.context["target_language"],
        title="",  # a title is not translated: contexts fall back to the document's
        text=translated.text.strip(),
        source=MACHINE_TRANSLATION,
        source_path="",
        model=model,
    )


def no_offline_translator(context: dict[str, Any], rng: random.Random) -> TranslatedClause:
    raise LLMError(
        "the offline provider does not translate policy clauses; set DSGEN_LLM_PROVIDER=openai "
        "or give a translation file (policy.<language>.md beside the policy)"
    )


STAGE = LLMStage(
    name="policy_clause_texts",
    group=GROUP,
    tier="cheap",
    description="Each clause's text per served language (ticket and translation languages): the "
    "document's own, the user's translation files (policy.<language>.md beside the policy, "
    "matched by clause number), else, with a model, a validated machine translation made once "
    "per batch. The offline provider translates nothing: answers then quote the document.",
    package=__package__,
    response_model=TranslatedClause,
    table=TEXTS_TABLE,
    build_requests=translation_requests,
    to_row=translated_row,
    compose_offline=no_offline_translator,
    inputs=("policy_graph",),
    own_rows=own_texts,
)
ASSETS = [policy_graph, llm_stage_asset(STAGE)]
