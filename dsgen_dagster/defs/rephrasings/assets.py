"""rephrasings: k differently worded variants of each customer email."""

from collections.abc import Iterator

from dsgen_dagster import ids
from dsgen_dagster.defs.rephrasings.models import (
    REPHRASING_STYLES,
    TABLE,
    RephrasedEmail,
    Rephrasing,
)
from dsgen_dagster.defs.rephrasings.offline import compose
from dsgen_dagster.lib.contexts import email_context
from dsgen_dagster.lib.stage import WORLD_INPUTS, Ask, LLMStage, StageInputs, llm_stage_asset
from dsgen_dagster.seeding import rng_for


def styles_for(seed: int, partition_key: str, ticket_id: str, count: int) -> list[str]:
    """Distinct styles per ticket (cycling when k exceeds the styles), in a seeded order."""
    order = list(REPHRASING_STYLES)
    rng_for(seed, partition_key, "rephrasing-styles", ticket_id).shuffle(order)
    return [order[i % len(order)] for i in range(count)]


def requests(inputs: StageInputs) -> Iterator[Ask]:
    """k requests per email (DSGEN_REPHRASINGS_PER_TICKET; 0 makes an empty partition)."""
    settings = inputs.settings
    for ticket_id, email in inputs.rows("emails").items():
        styles = styles_for(
            settings.seed, inputs.partition_key, ticket_id, settings.rephrasings_per_ticket
        )
        for variant, style in enumerate(styles, start=1):
            yield Ask(
                key=ids.child_id(ids.REPHRASING_PREFIX, ticket_id, str(variant)),
                context={
                    **inputs.world.facts(ticket_id),
                    "email": email_context(email),
                    "style": style,
                    "variant": variant,
                },
                sample_index=variant,
            )


def to_row(inputs: StageInputs, ask: Ask, rephrased: RephrasedEmail, model: str) -> Rephrasing:
    return Rephrasing(
        rephrasing_id=ask.key,
        ticket_id=ask.context["ticket_id"],
        variant=ask.context["variant"],
        style=ask.context["style"],
        subject=rephrased.subject,
        body=rephrased.body,
        language=ask.context["language"],
        model=model,
    )


STAGE = LLMStage(
    name="rephrasings",
    group="enrichment",
    tier="cheap",
    description="k rephrased variants per email (DSGEN_REPHRASINGS_PER_TICKET), cheap tier.",
    package=__package__,
    response_model=RephrasedEmail,
    table=TABLE,
    build_requests=requests,
    to_row=to_row,
    compose_offline=compose,
    inputs=(*WORLD_INPUTS, "emails"),
    allow_empty=True,
)
ASSETS = [llm_stage_asset(STAGE)]
