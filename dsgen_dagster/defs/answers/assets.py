"""answers: the agent's resolution of each ticket, citing the scenario's policy clauses."""

import dagster as dg
import polars as pl

from dsgen_dagster.defs.answers import offline as _offline  # noqa: F401  registers the composer
from dsgen_dagster.defs.answers.models import AgentAnswer, Answer
from dsgen_dagster.defs.contexts import TicketWorld, email_context, index_by
from dsgen_dagster.defs.stage import generate, llm_asset
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "tickets"
STAGE = "answers"


@llm_asset(
    STAGE,
    group=GROUP,
    description="The agent's answer per ticket, with the cited clause ids and verbatim quotes. "
    "The model sees only the scenario's clauses (targeted context), not the whole policy.",
)
def answers(
    context: dg.AssetExecutionContext,
    llm: LLMResource,
    warehouse: Warehouse,
    topics: pl.DataFrame,
    emails: pl.DataFrame,
    policy_graph: pl.DataFrame,
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
        policy_graph=policy_graph,
    )
    email_rows = index_by(emails, "ticket_id")
    requests = (  # a generator: generate() renders them a chunk at a time
        LLMRequest(
            stage=STAGE,
            tier="strong",
            template=STAGE,
            context={
                **world.facts(ticket_id),
                "email": email_context(email),
                "clauses": world.scenario_clauses(ticket_id),
            },
            response_model=AgentAnswer,
            key=ticket_id,
        )
        for ticket_id, email in email_rows.items()
    )
    rows = []
    for request, result in generate(context, llm, warehouse, requests):
        answer = result.response
        assert isinstance(answer, AgentAnswer)
        rows.append(
            Answer(
                ticket_id=request.key,
                body=answer.body,
                cited_clause_ids=[c.clause_id for c in answer.citations],
                cited_quotes=[c.quote for c in answer.citations],
                language=world.topics[request.key]["language"],
                model=result.model,
            )
        )
    return frame_from_models(Answer, rows)


ASSETS = [answers]
