"""answers: the agent's resolution of each ticket, citing the scenario's policy clauses."""

from collections.abc import Iterator

from dsgen_dagster.defs.answers.models import TABLE, AgentAnswer, Answer
from dsgen_dagster.defs.answers.offline import compose
from dsgen_dagster.lib.contexts import email_context
from dsgen_dagster.lib.stage import WORLD_INPUTS, Ask, LLMStage, StageInputs, llm_stage_asset
from dsgen_dagster.quality.language import LANGUAGE_NAMES


def requests(inputs: StageInputs) -> Iterator[Ask]:
    world = inputs.world
    for ticket_id, email in inputs.rows("emails").items():
        # The clauses in the ticket's language when the policy exists in it, else the document's.
        clauses, quote_language = world.quoted_clauses(
            ticket_id, world.topics[ticket_id]["language"]
        )
        yield Ask(
            key=ticket_id,
            context={
                **world.facts(ticket_id),
                "email": email_context(email),
                "clauses": clauses,
                "quote_language": quote_language,
                "quote_language_name": LANGUAGE_NAMES.get(quote_language, quote_language),
            },
        )


def to_row(inputs: StageInputs, ask: Ask, answer: AgentAnswer, model: str) -> Answer:
    return Answer(
        ticket_id=ask.key,
        body=answer.body,
        cited_clause_ids=[c.clause_id for c in answer.citations],
        cited_quotes=[c.quote for c in answer.citations],
        language=inputs.world.topics[ask.key]["language"],
        quote_language=ask.context["quote_language"],
        model=model,
    )


STAGE = LLMStage(
    name="answers",
    group="tickets",
    tier="strong",
    description="The agent's answer per ticket, with the cited clause ids and verbatim quotes. "
    "The model sees only the scenario's clauses (targeted context), not the whole policy.",
    package=__package__,
    response_model=AgentAnswer,
    table=TABLE,
    build_requests=requests,
    to_row=to_row,
    compose_offline=compose,
    inputs=(*WORLD_INPUTS, "emails", "policy_graph", "policy_clause_texts"),
)
ASSETS = [llm_stage_asset(STAGE)]
