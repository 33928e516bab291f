"""translations: each ticket's email and answer in the batch's target languages."""

from collections.abc import Iterator

from dsgen_dagster import ids
from dsgen_dagster.defs.translations.models import TABLE, TranslatedTicket, Translation
from dsgen_dagster.defs.translations.offline import compose
from dsgen_dagster.lib.contexts import answer_context, email_context
from dsgen_dagster.lib.stage import WORLD_INPUTS, Ask, LLMStage, StageInputs, llm_stage_asset


def requests(inputs: StageInputs) -> Iterator[Ask]:
    """One request per ticket and target language other than the ticket's own."""
    world, emails = inputs.world, inputs.rows("emails")
    for ticket_id, answer in inputs.rows("answers").items():
        source = world.topics[ticket_id]["language"]
        for target in inputs.settings.translation_languages:
            if target == source:
                continue
            # The clauses in the target language when the policy exists in it (the translated
            # answer quotes that text), else in the language the answer quoted (kept verbatim).
            quoted_in = answer.get("quote_language") or world.policy_language
            clauses, quote_language = world.quoted_clauses(ticket_id, target, quoted_in)
            cited = set(answer["cited_clause_ids"] or [])
            yield Ask(
                key=ids.child_id(ids.TRANSLATION_PREFIX, ticket_id, target),
                context={
                    **world.facts(ticket_id),
                    "email": email_context(emails[ticket_id]),
                    "answer": answer_context(answer),
                    "clauses": clauses,
                    "source_language": source,
                    "target_language": target,
                    "quote_language": quote_language,
                    "requote": quote_language != quoted_in,
                    "requoted": [c for c in clauses if c["clause_id"] in cited],
                },
            )


def to_row(inputs: StageInputs, ask: Ask, translated: TranslatedTicket, model: str) -> Translation:
    return Translation(
        translation_id=ask.key,
        ticket_id=ask.context["ticket_id"],
        source_language=ask.context["source_language"],
        language=ask.context["target_language"],
        subject=translated.subject,
        body=translated.body,
        answer=translated.answer,
        quote_language=ask.context["quote_language"],
        model=model,
    )


STAGE = LLMStage(
    name="translations",
    group="enrichment",
    tier="cheap",
    description="Email and answer of each ticket in every DSGEN_TRANSLATION_LANGUAGES language "
    "other than its own (cheap tier).",
    package=__package__,
    response_model=TranslatedTicket,
    table=TABLE,
    build_requests=requests,
    to_row=to_row,
    compose_offline=compose,
    inputs=(*WORLD_INPUTS, "emails", "answers", "policy_graph", "policy_clause_texts"),
    allow_empty=True,
)
ASSETS = [llm_stage_asset(STAGE)]
