"""topics checks: schema, and the batch's scenario table's allowed values.

Ticket types and queues are open labels (a user's policy brings its own), so the schema check
only holds their form; `topics_evidence` holds them to the batch's scenario table: each type
is one of the table's, with its queue, and its first clause lies in the type's sections.
"""

import dagster as dg

from dsgen_dagster.defs.topics.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.lib.scenarios import ScenarioTable
from dsgen_dagster.quality.checks import (
    EVIDENCE,
    check_name,
    partitioned_check,
    read_rows,
    schema_check,
)
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.warehouse import Warehouse

SHOWN = 5


def scenario_problems(
    topics: list[dict], clauses: dict[str, dict], table: ScenarioTable
) -> list[str]:
    problems = []
    for topic in topics:
        spec = table.types.get(topic["ticket_type"])
        ticket = topic["ticket_id"]
        if spec is None:
            problems.append(f"{ticket}: type {topic['ticket_type']!r} is not in the table")
            continue
        if topic["queue"] != spec.queue:
            problems.append(f"{ticket}: queue {topic['queue']!r}, the table says {spec.queue!r}")
        if topic["priority"] not in spec.priority:
            problems.append(f"{ticket}: priority {topic['priority']!r} has no weight")
        clause = clauses.get(topic["clause_ids"][0])
        sections = {s.lower() for s in spec.sections}
        fits = clause is not None and (
            clause["clause_number"] in spec.clauses
            if spec.clauses
            else clause["section"].lower() in sections or clause["section_number"] in sections
        )
        if not fits:
            problems.append(f"{ticket}: first clause is not in the sections of {spec.name!r}")
    return problems


@partitioned_check(
    asset=dg.AssetKey("topics"),
    name=check_name("topics", EVIDENCE),
    blocking=True,
    additional_deps=[dg.AssetKey("policy_graph")],
    description="Every ticket type and queue is one of the batch's scenario table "
    "(DSGEN_SCENARIOS, or its default), each priority has a weight for its type, and each "
    "ticket's first clause lies in its type's sections. Blocks downstream assets.",
)
def topics_evidence(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse, batch_settings: BatchSettings
) -> dg.AssetCheckResult:
    key = context.partition_key
    table = batch_settings.domain().scenarios
    clauses = {
        row["clause_id"]: row for row in read_rows(warehouse, "policy_graph", key).to_dicts()
    }
    topics = read_rows(warehouse, "topics", key).to_dicts()
    problems = scenario_problems(topics, clauses, table)
    return dg.AssetCheckResult(
        passed=not problems,
        metadata={
            "rows": len(topics),
            "scenario_table": table.source,
            "ticket_types": dg.MetadataValue.json(list(table.types)),
            "problems": len(problems),
            "first": dg.MetadataValue.json(problems[:SHOWN]),
        },
    )


CHECKS = [schema_check(OUTPUT_TABLE), topics_evidence]
