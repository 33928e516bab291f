"""tags: up to eight tags per ticket, and the type / queue / priority a classifier predicts."""

from collections.abc import Iterator

from dsgen_dagster.defs.tags.models import TABLE, TagRow, TicketTags
from dsgen_dagster.defs.tags.offline import compose
from dsgen_dagster.defs.tags.taxonomy import allowed
from dsgen_dagster.lib.contexts import answer_context, email_context
from dsgen_dagster.lib.stage import WORLD_INPUTS, Ask, LLMStage, StageInputs, llm_stage_asset


def requests(inputs: StageInputs) -> Iterator[Ask]:
    world, emails = inputs.world, inputs.rows("emails")
    return (
        Ask(
            key=ticket_id,
            context={
                **world.facts(ticket_id),
                "email": email_context(emails[ticket_id]),
                "answer": answer_context(answer),
                "allowed": allowed(inputs.settings.domain()),
            },
        )
        for ticket_id, answer in inputs.rows("answers").items()
    )


def to_row(inputs: StageInputs, ask: Ask, labels: TicketTags, model: str) -> TagRow:
    return TagRow(
        ticket_id=ask.key,
        tags=list(dict.fromkeys(tag.strip().lower() for tag in labels.tags if tag.strip())),
        predicted_type=labels.ticket_type,
        predicted_queue=labels.queue,
        predicted_priority=labels.priority,
        model=model,
    )


STAGE = LLMStage(
    name="tags",
    group="enrichment",
    tier="cheap",
    description="Up to 8 tags per ticket plus predicted type, queue and priority (cheap tier).",
    package=__package__,
    response_model=TicketTags,
    table=TABLE,
    build_requests=requests,
    to_row=to_row,
    compose_offline=compose,
    inputs=(*WORLD_INPUTS, "emails", "answers"),
)
ASSETS = [llm_stage_asset(STAGE)]
