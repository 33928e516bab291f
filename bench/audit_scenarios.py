"""Do sampled tickets fit their policy? Over 2,000 offline tickets (no LLM call), print:

- the share of tickets whose primary clause lies in its type's sections (or listed clauses) of
  the scenario table, and the share of all cited clauses that do;
- product-category/type mismatches: tickets whose product cannot have the type's problem (a
  category the type excludes or does not name, or a needed term such as a warranty at 0);
- which relation the multi-clause tickets exercise, and the sections cited.

    .venv/bin/python bench/audit_scenarios.py                  # shipped, telecom and gym fixtures
    .venv/bin/python bench/audit_scenarios.py POLICY [CATALOGUE SCENARIOS]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from dsgen_dagster.defs.entities.models import Customer, Order, Product
from dsgen_dagster.defs.entities.sampling import (
    sample_customers,
    sample_orders,
    sample_products,
    world_sizes,
)
from dsgen_dagster.defs.policy_graph.assets import clause_frame, clause_rows
from dsgen_dagster.defs.policy_graph.parser import parse_policy_file
from dsgen_dagster.defs.topics.assets import requests
from dsgen_dagster.defs.topics.sampling import product_fits
from dsgen_dagster.lib.stage import StageInputs
from dsgen_dagster.settings import SHIPPED_POLICY_PATH, BatchSettings
from dsgen_dagster.storage.frames import frame_from_models

TICKETS = 2000
PARTITION = "2026-03-01"
FIXTURES = Path(__file__).resolve().parent.parent / "dsgen_dagster_tests" / "fixtures"
TELECOM = (
    FIXTURES / "policies" / "tuned" / "telecom.md",
    FIXTURES / "domains" / "telecom" / "catalogue.yaml",
    FIXTURES / "domains" / "telecom" / "scenarios.yaml",
)
GYM = FIXTURES / "domains" / "gym" / "policy.md"


def audit(policy: Path, catalogue: str = "", scenarios: str = "") -> None:
    settings = BatchSettings(
        tickets_per_batch=TICKETS,
        policy_path=str(policy),
        catalogue_path=catalogue,
        scenarios_path=scenarios,
    )
    domain = settings.domain()
    graph = clause_frame(clause_rows(parse_policy_file(policy), PARTITION))
    customers_n, products_n, orders_n = world_sizes(TICKETS)
    customers = sample_customers(settings.seed, PARTITION, customers_n)
    products = sample_products(
        settings.seed,
        PARTITION,
        products_n,
        catalogue=domain.catalogue,
        brand=domain.company.name.split()[0],
    )
    orders = sample_orders(settings.seed, PARTITION, orders_n, customers, products)
    frames = {
        "policy_graph": graph,
        "customers": frame_from_models(Customer, customers),
        "products": frame_from_models(Product, products),
        "orders": frame_from_models(Order, orders),
    }
    asks = list(requests(StageInputs(PARTITION, settings, frames)))
    clauses = {row["clause_id"]: row for row in graph.to_dicts()}
    product_rows = {p.product_id: p.model_dump() for p in products}

    def in_situation(type_name: str, clause_id: str) -> bool:
        spec, clause = domain.scenarios.types[type_name], clauses[clause_id]
        if spec.clauses:
            return clause["clause_number"] in spec.clauses
        sections = {s.lower() for s in spec.sections}
        return clause["section"].lower() in sections or clause["section_number"] in sections

    primary = cited = cited_total = 0
    mismatches: Counter[str] = Counter()
    relations: Counter[str] = Counter()
    sections: Counter[str] = Counter()
    for ask in asks:
        scenario = ask.payload
        primary += in_situation(scenario.ticket_type, scenario.clause_ids[0])
        cited += sum(in_situation(scenario.ticket_type, c) for c in scenario.clause_ids)
        cited_total += len(scenario.clause_ids)
        spec = domain.scenarios.types[scenario.ticket_type]
        if not product_fits(spec, product_rows[scenario.product_id]):
            mismatches[
                f"{scenario.ticket_type}/{product_rows[scenario.product_id]['category']}"
            ] += 1
        if len(scenario.clause_ids) > 1:
            relations[scenario.relation] += 1
        sections[clauses[scenario.clause_ids[0]]["section"]] += 1
    print(f"== {domain.company.name} ({policy.name}; scenarios: {domain.scenarios.source})")
    print(
        f"primary clause in its type's sections: {primary}/{len(asks)} ({primary / len(asks):.1%})"
    )
    print(
        f"cited clauses in the type's sections:  {cited}/{cited_total} ({cited / cited_total:.1%})"
    )
    print(f"product-category/type mismatches:     {sum(mismatches.values())} {dict(mismatches)}")
    print(f"relations of multi-clause tickets:    {dict(relations.most_common())}")
    print(f"primary sections cited:               {dict(sections.most_common())}")


def main(argv: list[str]) -> None:
    if argv:
        audit(Path(argv[0]), *argv[1:3])
        return
    audit(SHIPPED_POLICY_PATH)
    audit(TELECOM[0], str(TELECOM[1]), str(TELECOM[2]))
    audit(GYM)  # no catalogue, no scenario table: derived offerings, one type per section


if __name__ == "__main__":
    main(sys.argv[1:])
