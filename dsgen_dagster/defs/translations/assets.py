"""translations: each ticket's email and answer in the batch's target languages."""

from collections.abc import Iterator

import dagster as dg
import polars as pl

from dsgen_dagster import ids
from dsgen_dagster.defs.contexts import TicketWorld, answer_context, email_context, index_by
from dsgen_dagster.defs.stage import generate, llm_asset
from dsgen_dagster.defs.translations import offline as _offline  # noqa: F401  registers composer
from dsgen_dagster.defs.translations.models import TranslatedTicket, Translation
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "enrichment"
STAGE = "translations"


@llm_asset(
    STAGE,
    group=GROUP,
    description="Email and answer of each ticket in every DSGEN_TRANSLATION_LANGUAGES language "
    "other than its own (cheap tier).",
    allow_empty=True,
)
def translations(
    context: dg.AssetExecutionContext,
    batch_settings: BatchSettings,
    llm: LLMResource,
    warehouse: Warehouse,
    topics: pl.DataFrame,
    emails: pl.DataFrame,
    answers: pl.DataFrame,
    policy_graph: pl.DataFrame,
    customers: pl.DataFrame,
    products: pl.DataFrame,
    orders: pl.DataFrame,
) -> pl.DataFrame:
    settings = batch_settings.validated()
    world = TicketWorld(
        batch_date=context.partition_key,
        topics=topics,
        customers=customers,
        products=products,
        orders=orders,
        policy_graph=policy_graph,
    )
    email_rows = index_by(emails, "ticket_id")
    answer_rows = index_by(answers, "ticket_id")

    def translation_requests() -> Iterator[LLMRequest]:
        # A generator: generate() renders and sends them a chunk at a time.
        for ticket_id, answer in answer_rows.items():
            source = world.topics[ticket_id]["language"]
            for target in settings.translation_languages:
                if target == source:
                    continue
                yield LLMRequest(
                    stage=STAGE,
                    tier="cheap",
                    template=STAGE,
                    context={
                        **world.facts(ticket_id),
                        "email": email_context(email_rows[ticket_id]),
                        "answer": answer_context(answer),
                        "clauses": world.scenario_clauses(ticket_id),
                        "source_language": source,
                        "target_language": target,
                    },
                    response_model=TranslatedTicket,
                    key=ids.child_id(ids.TRANSLATION_PREFIX, ticket_id, target),
                )

    wanted = any(
        target != world.topics[ticket_id]["language"]
        for ticket_id in answer_rows
        for target in settings.translation_languages
    )
    requests = translation_requests() if wanted else None
    rows = []
    for request, result in generate(context, llm, warehouse, requests) if requests else []:
        translated = result.response
        assert isinstance(translated, TranslatedTicket)
        rows.append(
            Translation(
                translation_id=request.key,
                ticket_id=request.context["ticket_id"],
                source_language=request.context["source_language"],
                language=request.context["target_language"],
                subject=translated.subject,
                body=translated.body,
                answer=translated.answer,
                model=result.model,
            )
        )
    return frame_from_models(Translation, rows)


ASSETS = [translations]
