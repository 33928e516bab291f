"""rephrasings: k differently worded variants of each customer email."""

import dagster as dg
import polars as pl

from dsgen_dagster import ids
from dsgen_dagster.defs.contexts import TicketWorld, email_context, index_by
from dsgen_dagster.defs.rephrasings import offline as _offline  # noqa: F401  registers composer
from dsgen_dagster.defs.rephrasings.models import REPHRASING_STYLES, RephrasedEmail, Rephrasing
from dsgen_dagster.defs.stage import generate, llm_asset
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest
from dsgen_dagster.seeding import rng_for
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "enrichment"
STAGE = "rephrasings"


def styles_for(seed: int, partition_key: str, ticket_id: str, count: int) -> list[str]:
    """Distinct styles per ticket (cycling when k exceeds the styles), in a seeded order."""
    order = list(REPHRASING_STYLES)
    rng_for(seed, partition_key, "rephrasing-styles", ticket_id).shuffle(order)
    return [order[i % len(order)] for i in range(count)]


@llm_asset(
    STAGE,
    group=GROUP,
    description="k rephrased variants per email (DSGEN_REPHRASINGS_PER_TICKET), cheap tier.",
    allow_empty=True,
)
def rephrasings(
    context: dg.AssetExecutionContext,
    batch_settings: BatchSettings,
    llm: LLMResource,
    warehouse: Warehouse,
    topics: pl.DataFrame,
    emails: pl.DataFrame,
    customers: pl.DataFrame,
    products: pl.DataFrame,
    orders: pl.DataFrame,
) -> pl.DataFrame:
    settings = batch_settings.validated()
    key = context.partition_key
    world = TicketWorld(
        batch_date=key, topics=topics, customers=customers, products=products, orders=orders
    )
    requests = []
    for ticket_id, email in index_by(emails, "ticket_id").items():
        styles = styles_for(settings.seed, key, ticket_id, settings.rephrasings_per_ticket)
        for variant, style in enumerate(styles, start=1):
            requests.append(
                LLMRequest(
                    stage=STAGE,
                    tier="cheap",
                    template=STAGE,
                    context={
                        **world.facts(ticket_id),
                        "email": email_context(email),
                        "style": style,
                        "variant": variant,
                    },
                    response_model=RephrasedEmail,
                    key=ids.child_id(ids.REPHRASING_PREFIX, ticket_id, str(variant)),
                    sample_index=variant,
                )
            )
    if not requests:
        context.log.info("rephrasings: rephrasings_per_ticket is 0; recording an empty partition")
    rows = []
    for request, result in generate(context, llm, warehouse, requests) if requests else []:
        rephrased = result.response
        assert isinstance(rephrased, RephrasedEmail)
        rows.append(
            Rephrasing(
                rephrasing_id=request.key,
                ticket_id=request.context["ticket_id"],
                variant=request.context["variant"],
                style=request.context["style"],
                subject=rephrased.subject,
                body=rephrased.body,
                language=request.context["language"],
                model=result.model,
            )
        )
    return frame_from_models(Rephrasing, rows)


ASSETS = [rephrasings]
