"""topics: one row per ticket — a sampled scenario tied to real entities and policy clauses."""

import dagster as dg
import polars as pl

from dsgen_dagster import ids
from dsgen_dagster.defs.contexts import clause_context, index_by, ticket_facts
from dsgen_dagster.defs.stage import generate, llm_asset
from dsgen_dagster.defs.topics import offline as _offline  # noqa: F401  registers the composer
from dsgen_dagster.defs.topics.models import Topic, TopicScenario
from dsgen_dagster.defs.topics.sampling import SampledScenario, ScenarioWorld, sample_scenario
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest
from dsgen_dagster.seeding import rng_for
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "tickets"
STAGE = "topics"


def scenario_request(
    ticket_id: str, sampled: SampledScenario, world: dict[str, dict], clauses: dict, batch: str
) -> LLMRequest:
    order = sampled.order
    draft = {
        "ticket_id": ticket_id,
        "ticket_type": sampled.ticket_type,
        "queue": sampled.queue,
        "priority": sampled.priority,
        "complexity": sampled.complexity,
        "info_completeness": sampled.info_completeness,
        "language": sampled.language,
        "order_reference": sampled.order_reference,
    }
    facts = ticket_facts(
        draft,
        world["customers"][order["customer_id"]],
        world["products"][sampled.product_id],
        order,
        batch_date=batch,
    )
    return LLMRequest(
        stage=STAGE,
        tier="strong",
        template=STAGE,
        context={**facts, "clauses": clause_context([clauses[c] for c in sampled.clause_ids])},
        response_model=TopicScenario,
        key=ticket_id,
    )


@llm_asset(
    STAGE,
    group=GROUP,
    description="One row per ticket: type, queue, priority, complexity, information "
    "completeness, language, customer/order/product and the 1-3 clauses it hinges on.",
)
def topics(
    context: dg.AssetExecutionContext,
    batch_settings: BatchSettings,
    llm: LLMResource,
    warehouse: Warehouse,
    policy_graph: pl.DataFrame,
    customers: pl.DataFrame,
    products: pl.DataFrame,
    orders: pl.DataFrame,
) -> pl.DataFrame:
    settings = batch_settings.validated()
    key = context.partition_key
    world = {
        "customers": index_by(customers, "customer_id"),
        "products": index_by(products, "product_id"),
    }
    clause_rows = policy_graph.to_dicts()
    clauses = {row["clause_id"]: row for row in clause_rows}
    scenario_world = ScenarioWorld(orders.to_dicts(), world["customers"], clause_rows)
    sampled = {}
    for index in range(1, settings.tickets_per_batch + 1):
        ticket_id = ids.make_id(ids.TICKET_PREFIX, key, index)
        rng = rng_for(settings.seed, key, "topic", index)
        sampled[ticket_id] = sample_scenario(rng, scenario_world)
    requests = (scenario_request(tid, s, world, clauses, key) for tid, s in sampled.items())
    rows = []
    for request, result in generate(context, llm, warehouse, requests):
        scenario = result.response
        assert isinstance(scenario, TopicScenario)
        s = sampled[request.key]
        rows.append(
            Topic(
                ticket_id=request.key,
                customer_id=s.order["customer_id"],
                order_id=s.order["order_id"],
                product_id=s.product_id,
                ticket_type=s.ticket_type,  # type: ignore[arg-type]
                queue=s.queue,  # type: ignore[arg-type]
                priority=s.priority,  # type: ignore[arg-type]
                complexity=s.complexity,  # type: ignore[arg-type]
                info_completeness=s.info_completeness,  # type: ignore[arg-type]
                order_reference=s.order_reference,
                language=s.language,  # type: ignore[arg-type]
                customer_tier=world["customers"][s.order["customer_id"]]["tier"],
                clause_ids=s.clause_ids,
                summary=scenario.summary,
                desired_outcome=scenario.desired_outcome,
                model=result.model,
            )
        )
    return frame_from_models(Topic, rows)


ASSETS = [topics]
