"""tags: up to eight tags per ticket, and the type / queue / priority a classifier predicts."""

import dagster as dg
import polars as pl

from dsgen_dagster.defs.contexts import (
    TicketWorld,
    allowed_labels,
    answer_context,
    email_context,
    index_by,
)
from dsgen_dagster.defs.stage import generate, llm_asset
from dsgen_dagster.defs.tags import offline as _offline  # noqa: F401  registers the composer
from dsgen_dagster.defs.tags.models import TagRow, TicketTags
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "enrichment"
STAGE = "tags"


@llm_asset(
    STAGE,
    group=GROUP,
    description="Up to 8 tags per ticket plus predicted type, queue and priority (cheap tier).",
)
def tags(
    context: dg.AssetExecutionContext,
    llm: LLMResource,
    warehouse: Warehouse,
    topics: pl.DataFrame,
    emails: pl.DataFrame,
    answers: pl.DataFrame,
    customers: pl.DataFrame,
    products: pl.DataFrame,
    orders: pl.DataFrame,
) -> pl.DataFrame:
    world = TicketWorld(
        batch_date=context.partition_key,
        topics=topics,
        customers=customers,
        products=products,
        orders=orders,
    )
    email_rows, answer_rows = index_by(emails, "ticket_id"), index_by(answers, "ticket_id")
    requests = (  # a generator: generate() renders them a chunk at a time
        LLMRequest(
            stage=STAGE,
            tier="cheap",
            template=STAGE,
            context={
                **world.facts(ticket_id),
                "email": email_context(email_rows[ticket_id]),
                "answer": answer_context(answer),
                "allowed": allowed_labels(),
            },
            response_model=TicketTags,
            key=ticket_id,
        )
        for ticket_id, answer in answer_rows.items()
    )
    rows = []
    for request, result in generate(context, llm, warehouse, requests):
        labels = result.response
        assert isinstance(labels, TicketTags)
        rows.append(
            TagRow(
                ticket_id=request.key,
                tags=list(dict.fromkeys(tag.strip().lower() for tag in labels.tags if tag.strip())),
                predicted_type=labels.ticket_type,
                predicted_queue=labels.queue,
                predicted_priority=labels.priority,
                model=result.model,
            )
        )
    return frame_from_models(TagRow, rows)


ASSETS = [tags]
