"""Seeded scenario sampling from the batch's scenario table: a situation, a real order with a
product that can have it, and the clauses the case hinges on, walked along the policy graph.

The ticket type, its clauses and the product are chosen together: the primary clause comes from
the type's sections (or listed clauses), the order holds a product of a category that can have
the type's problem (categories, needed terms such as a warranty, fitting order status), and the
further clauses of a moderate or complex case follow the primary clause's relations (a rule and
its exception, an override and what it overrides, a requirement chain), recorded as `relation`.
`ScenarioIndex` indexes orders, products and clauses once per batch; each ticket is then drawn
by lookups, so a batch costs time linear in its size.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dsgen_dagster.lib.scenarios import ScenarioTable, TicketTypeSpec
from dsgen_dagster.lib.vocabulary import CLAUSE_COUNT_BY_COMPLEXITY
from dsgen_dagster.seeding import weighted_choice

# Share of tickets written in English even when the customer's own language is another.
ENGLISH_FALLBACK_SHARE = 0.15
# Share of moderate/complex cases whose primary clause is one with relations, when there is one.
RELATED_PRIMARY_SHARE = 0.8
RELATION_KINDS = ("exception_of", "overrides", "requires", "modifies")

Row = Mapping[str, Any]


@dataclass(frozen=True)
class SampledScenario:
    ticket_type: str
    queue: str
    priority: str
    complexity: str
    info_completeness: str
    language: str
    order: Row
    product_id: str
    clause_ids: list[str]
    order_reference: str | None
    relation: str = "none"
    named_product: str | None = None


def misspell(reference: str, rng: random.Random) -> str:
    """A near miss of an order id, as customers type them: a swapped, dropped or wrong digit."""
    prefix, digits = reference[: reference.rfind("_") + 1], reference[reference.rfind("_") + 1 :]
    for _ in range(20):
        position = rng.randrange(len(digits))
        operation = rng.choice(("swap", "replace", "drop"))
        if operation == "swap" and position + 1 < len(digits):
            chars = list(digits)
            chars[position], chars[position + 1] = chars[position + 1], chars[position]
            candidate = "".join(chars)
        elif operation == "replace":
            new_digit = rng.choice([d for d in "0123456789" if d != digits[position]])
            candidate = digits[:position] + new_digit + digits[position + 1 :]
        else:
            candidate = digits[:position] + digits[position + 1 :]
        if candidate != digits:
            return prefix + candidate
    return prefix + digits[:-1]


def product_fits(spec: TicketTypeSpec, product: Row) -> bool:
    category = product["category"]
    return (
        (not spec.categories or category in spec.categories)
        and category not in spec.exclude_categories
        and all((product.get(term) or 0) > 0 for term in spec.needs)
    )


class ScenarioIndex:
    """The batch's clauses, orders and products, indexed once for every ticket's draw."""

    def __init__(
        self,
        table: ScenarioTable,
        clauses: Sequence[Row],
        orders: Sequence[Row],
        products: Sequence[Row],
    ) -> None:
        self.table = table
        self.clauses = {c["clause_id"]: c for c in clauses}
        self.neighbours = self._neighbours(clauses)
        self.primaries = {
            name: self._primaries(spec, clauses) for name, spec in table.types.items()
        }
        by_section: dict[str, list[str]] = defaultdict(list)
        for clause in clauses:
            by_section[clause["section"]].append(clause["clause_id"])
        self.by_section = dict(by_section)
        products_by_id = {p["product_id"]: p for p in products}
        self.names_by_category: dict[str, list[str]] = defaultdict(list)
        for product in products:
            self.names_by_category[product["category"]].append(product["name"])
        self.all_names = [p["name"] for p in products]
        self.orders = {
            name: self._orders(spec, orders, products_by_id) for name, spec in table.types.items()
        }
        self.any_orders = [(o, list(o["product_ids"])) for o in orders]

    @staticmethod
    def _neighbours(clauses: Sequence[Row]) -> dict[str, list[tuple[str, str]]]:
        """clause id -> (relation kind, other clause id), both directions, in document order."""
        ids = {c["clause_id"] for c in clauses}
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for clause in clauses:
            for kind in RELATION_KINDS:
                for target in clause.get(kind) or []:
                    if target in ids and target != clause["clause_id"]:
                        found[clause["clause_id"]].append((kind, target))
                        found[target].append((kind, clause["clause_id"]))
        return {cid: list(dict.fromkeys(pairs)) for cid, pairs in found.items()}

    @staticmethod
    def _primaries(spec: TicketTypeSpec, clauses: Sequence[Row]) -> list[str]:
        rules = [c for c in clauses if c.get("kind", "clause") == "clause"] or clauses
        if spec.clauses:
            wanted = set(spec.clauses)
            chosen = [c for c in rules if c["clause_number"] in wanted]
        else:
            sections = {s.lower() for s in spec.sections}
            chosen = [
                c
                for c in rules
                if c["section"].lower() in sections or c["section_number"] in sections
            ]
        return [c["clause_id"] for c in chosen or rules]

    @staticmethod
    def _orders(
        spec: TicketTypeSpec, orders: Sequence[Row], products: Mapping[str, Row]
    ) -> list[tuple[Row, list[str]]]:
        """Orders in a fitting status, each with its products that can have the problem."""
        fitting = []
        for order in orders:
            if spec.statuses and order["status"] not in spec.statuses:
                continue
            eligible = [pid for pid in order["product_ids"] if product_fits(spec, products[pid])]
            if eligible:
                fitting.append((order, eligible))
        if fitting:
            return fitting
        # No order in a fitting status: a fitting product matters more than the status.
        return [
            (order, eligible)
            for order in orders
            if (eligible := [p for p in order["product_ids"] if product_fits(spec, products[p])])
        ]

    def pick_clauses(
        self, ticket_type: str, complexity: str, rng: random.Random
    ) -> tuple[list[str], str]:
        candidates = self.primaries[ticket_type]
        wanted = CLAUSE_COUNT_BY_COMPLEXITY[complexity]
        related = [cid for cid in candidates if cid in self.neighbours]
        if wanted > 1 and related and rng.random() < RELATED_PRIMARY_SHARE:
            primary = rng.choice(related)
        else:
            primary = rng.choice(candidates)
        chosen, relation = [primary], "none"
        if wanted > 1 and primary in self.neighbours:
            kind, other = rng.choice(self.neighbours[primary])
            chosen.append(other)
            relation = kind
            # A chain: the second clause's own relation (a requirement of the exception ...).
            onward = [c for _, c in self.neighbours.get(other, []) if c not in chosen]
            if wanted > 2 and onward:
                chosen.append(rng.choice(onward))
        section = [c for c in self.by_section[self.clauses[primary]["section"]] if c not in chosen]
        rng.shuffle(section)
        chosen += section[: max(0, wanted - len(chosen))]
        return chosen, relation

    def pick_order(self, ticket_type: str, rng: random.Random) -> tuple[Row, str]:
        order, eligible = rng.choice(self.orders[ticket_type] or self.any_orders)
        return order, rng.choice(eligible)

    def other_product(self, product: Row, rng: random.Random) -> str | None:
        """A product the customer confuses with theirs: same category when there is another."""
        same = [n for n in self.names_by_category[product["category"]] if n != product["name"]]
        others = same or [n for n in self.all_names if n != product["name"]]
        return rng.choice(others) if others else None


def sample_scenario(
    rng: random.Random,
    index: ScenarioIndex,
    customers_by_id: Mapping[str, Row],
    products_by_id: Mapping[str, Row],
) -> SampledScenario:
    table = index.table
    ticket_type = weighted_choice(rng, table.type_weights())
    spec = table.types[ticket_type]
    complexity = weighted_choice(rng, dict(table.complexity))
    completeness = weighted_choice(rng, dict(table.completeness))
    order, product_id = index.pick_order(ticket_type, rng)
    customer = customers_by_id[order["customer_id"]]
    english = "en" in table.language and rng.random() < ENGLISH_FALLBACK_SHARE
    language = "en" if english else customer["language"]
    named = None
    if completeness == "wrong_product":
        named = index.other_product(products_by_id[product_id], rng)
        completeness = completeness if named else "complete"
    reference = {
        "complete": order["order_id"],
        "wrong_product": order["order_id"],
        "misspelled": misspell(order["order_id"], rng),
        "missing": None,
    }[completeness]
    clause_ids, relation = index.pick_clauses(ticket_type, complexity, rng)
    return SampledScenario(
        ticket_type=ticket_type,
        queue=spec.queue,
        priority=weighted_choice(rng, dict(spec.priority)),
        complexity=complexity,
        info_completeness=completeness,
        language=language,
        order=order,
        product_id=product_id,
        clause_ids=clause_ids,
        order_reference=reference,
        relation=relation,
        named_product=named,
    )
