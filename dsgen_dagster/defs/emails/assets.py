"""emails: the email each ticket's customer writes."""

import datetime as dt

import dagster as dg
import polars as pl

from dsgen_dagster.defs.contexts import TicketWorld
from dsgen_dagster.defs.emails import offline as _offline  # noqa: F401  registers the composer
from dsgen_dagster.defs.emails.models import Email, EmailDraft
from dsgen_dagster.defs.stage import generate, llm_asset
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest
from dsgen_dagster.partitions import batch_date
from dsgen_dagster.seeding import rng_for
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "tickets"
STAGE = "emails"
SECONDARY_ADDRESS_SHARE = 0.3


def sender_and_time(
    seed: int, partition_key: str, ticket_id: str, customer: dict
) -> tuple[str, dt.datetime]:
    """Which of the customer's addresses wrote, and when during the batch's day."""
    rng = rng_for(seed, partition_key, "email-envelope", ticket_id)
    use_secondary = customer["secondary_email"] and rng.random() < SECONDARY_ADDRESS_SHARE
    address = customer["secondary_email"] if use_secondary else customer["primary_email"]
    day = dt.datetime.combine(batch_date(partition_key), dt.time(7, 0))
    return address, day + dt.timedelta(seconds=rng.randrange(15 * 3600))


@llm_asset(
    STAGE,
    group=GROUP,
    description="The customer's email per ticket: subject, body, from address, sent at.",
)
def emails(
    context: dg.AssetExecutionContext,
    batch_settings: BatchSettings,
    llm: LLMResource,
    warehouse: Warehouse,
    topics: pl.DataFrame,
    customers: pl.DataFrame,
    products: pl.DataFrame,
    orders: pl.DataFrame,
) -> pl.DataFrame:
    settings = batch_settings.validated()
    key = context.partition_key
    world = TicketWorld(
        batch_date=key, topics=topics, customers=customers, products=products, orders=orders
    )
    requests = (  # a generator: generate() renders them a chunk at a time
        LLMRequest(
            stage=STAGE,
            tier="strong",
            template=STAGE,
            context=world.facts(ticket_id),
            response_model=EmailDraft,
            key=ticket_id,
        )
        for ticket_id in world.topics
    )
    rows = []
    for request, result in generate(context, llm, warehouse, requests):
        draft = result.response
        assert isinstance(draft, EmailDraft)
        topic = world.topics[request.key]
        customer = world.customers[topic["customer_id"]]
        address, sent_at = sender_and_time(settings.seed, key, request.key, customer)
        rows.append(
            Email(
                ticket_id=request.key,
                subject=draft.subject,
                body=draft.body,
                from_address=address,
                sent_at=sent_at,
                language=topic["language"],
                model=result.model,
            )
        )
    return frame_from_models(Email, rows)


ASSETS = [emails]
