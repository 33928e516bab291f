"""topics: one row per ticket — a sampled scenario tied to real entities and policy clauses."""

from collections.abc import Iterator

from dsgen_dagster import ids
from dsgen_dagster.defs.topics.models import TABLE, Topic, TopicScenario
from dsgen_dagster.defs.topics.offline import compose
from dsgen_dagster.defs.topics.sampling import SampledScenario, ScenarioIndex, sample_scenario
from dsgen_dagster.lib.contexts import clause_context, ticket_facts
from dsgen_dagster.lib.stage import Ask, LLMStage, StageInputs, llm_stage_asset
from dsgen_dagster.seeding import rng_for


def scenario_context(
    ticket_id: str, sampled: SampledScenario, inputs: StageInputs
) -> dict[str, object]:
    draft = {
        "ticket_id": ticket_id,
        "ticket_type": sampled.ticket_type,
        "queue": sampled.queue,
        "priority": sampled.priority,
        "complexity": sampled.complexity,
        "info_completeness": sampled.info_completeness,
        "language": sampled.language,
        "order_reference": sampled.order_reference,
        "named_product": sampled.named_product,
        "relation": sampled.relation,
    }
    clauses = inputs.rows("policy_graph", "clause_id")
    facts = ticket_facts(
        draft,
        inputs.rows("customers", "customer_id")[sampled.order["customer_id"]],
        inputs.rows("products", "product_id")[sampled.product_id],
        sampled.order,
        batch_date=inputs.partition_key,
        domain=inputs.settings.domain(),
    )
    return {**facts, "clauses": clause_context([clauses[c] for c in sampled.clause_ids])}


def requests(inputs: StageInputs) -> Iterator[Ask]:
    """Sample each ticket's scenario (seeded per ticket, by lookup in a world indexed once); the
    model writes its summary."""
    settings, key = inputs.settings, inputs.partition_key
    customers = inputs.rows("customers", "customer_id")
    products = inputs.rows("products", "product_id")
    scenario_index = ScenarioIndex(
        settings.domain().scenarios,
        inputs.frames["policy_graph"].to_dicts(),
        inputs.frames["orders"].to_dicts(),
        list(products.values()),
    )
    for index in range(1, settings.tickets_per_batch + 1):
        ticket_id = ids.make_id(ids.TICKET_PREFIX, key, index)
        rng = rng_for(settings.seed, key, "topic", index)
        sampled = sample_scenario(rng, scenario_index, customers, products)
        yield Ask(
            key=ticket_id, context=scenario_context(ticket_id, sampled, inputs), payload=sampled
        )


def to_row(inputs: StageInputs, ask: Ask, scenario: TopicScenario, model: str) -> Topic:
    sampled: SampledScenario = ask.payload
    customer_id = sampled.order["customer_id"]
    return Topic(
        ticket_id=ask.key,
        customer_id=customer_id,
        order_id=sampled.order["order_id"],
        product_id=sampled.product_id,
        ticket_type=sampled.ticket_type,  # type: ignore[arg-type]
        queue=sampled.queue,  # type: ignore[arg-type]
        priority=sampled.priority,  # type: ignore[arg-type]
        complexity=sampled.complexity,  # type: ignore[arg-type]
        info_completeness=sampled.info_completeness,  # type: ignore[arg-type]
        order_reference=sampled.order_reference,
        language=sampled.language,  # type: ignore[arg-type]
        customer_tier=inputs.rows("customers", "customer_id")[customer_id]["tier"],
        clause_ids=sampled.clause_ids,
        relation=sampled.relation,  # type: ignore[arg-type]
        named_product=sampled.named_product,
        summary=scenario.summary,
        desired_outcome=scenario.desired_outcome,
        model=model,
    )


STAGE = LLMStage(
    name="topics",
    group="tickets",
    tier="strong",
    description="One row per ticket, drawn from the batch's scenario table (DSGEN_SCENARIOS, "
    "or one type per policy section): type, queue, priority, complexity, information "
    "completeness, language, customer/order/product, the 1-3 clauses it hinges on and the "
    "policy relation between them.",
    package=__package__,
    response_model=TopicScenario,
    table=TABLE,
    build_requests=requests,
    to_row=to_row,
    compose_offline=compose,
    inputs=("policy_graph", "customers", "products", "orders"),
)
ASSETS = [llm_stage_asset(STAGE)]
