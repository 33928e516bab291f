"""emails: the email each ticket's customer writes."""

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from dsgen_dagster.defs.emails.models import TABLE, Email, EmailDraft
from dsgen_dagster.defs.emails.offline import compose
from dsgen_dagster.lib.stage import WORLD_INPUTS, Ask, LLMStage, StageInputs, llm_stage_asset
from dsgen_dagster.partitions import batch_date
from dsgen_dagster.seeding import rng_for

SECONDARY_ADDRESS_SHARE = 0.3


def sender_and_time(
    seed: int, partition_key: str, ticket_id: str, customer: Mapping[str, Any]
) -> tuple[str, dt.datetime]:
    """Which of the customer's addresses wrote, and when during the batch's day."""
    rng = rng_for(seed, partition_key, "email-envelope", ticket_id)
    use_secondary = customer["secondary_email"] and rng.random() < SECONDARY_ADDRESS_SHARE
    address = customer["secondary_email"] if use_secondary else customer["primary_email"]
    day = dt.datetime.combine(batch_date(partition_key), dt.time(7, 0))
    return address, day + dt.timedelta(seconds=rng.randrange(15 * 3600))


def requests(inputs: StageInputs) -> Iterator[Ask]:
    world = inputs.world
    return (Ask(key=ticket_id, context=world.facts(ticket_id)) for ticket_id in world.topics)


def to_row(inputs: StageInputs, ask: Ask, draft: EmailDraft, model: str) -> Email:
    topic = inputs.world.topics[ask.key]
    customer = inputs.world.customers[topic["customer_id"]]
    address, sent_at = sender_and_time(
        inputs.settings.seed, inputs.partition_key, ask.key, customer
    )
    return Email(
        ticket_id=ask.key,
        subject=draft.subject,
        body=draft.body,
        from_address=address,
        sent_at=sent_at,
        language=topic["language"],
        model=model,
    )


STAGE = LLMStage(
    name="emails",
    group="tickets",
    tier="strong",
    description="The customer's email per ticket: subject, body, from address, sent at.",
    package=__package__,
    response_model=EmailDraft,
    table=TABLE,
    build_requests=requests,
    to_row=to_row,
    compose_offline=compose,
    inputs=(*WORLD_INPUTS, "policy_graph"),  # the clause title the offline email may name
)
ASSETS = [llm_stage_asset(STAGE)]
