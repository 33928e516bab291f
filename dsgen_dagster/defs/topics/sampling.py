"""Seeded scenario sampling: weighted tables, a real order, and the clauses the case hinges on."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from dsgen_dagster.lib.vocabulary import (
    CLAUSE_COUNT_BY_COMPLEXITY,
    COMPLEXITY_WEIGHTS,
    INFO_COMPLETENESS_WEIGHTS,
    PRIORITY_WEIGHTS_BY_TYPE,
    QUEUE_BY_TYPE,
    SECTION_KEYWORDS_BY_TYPE,
    TICKET_TYPE_WEIGHTS,
)
from dsgen_dagster.seeding import weighted_choice

# Order statuses a ticket type makes sense for; other types fit any order.
STATUSES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "return_request": ("delivered",),
    "damaged_item": ("delivered",),
    "warranty_claim": ("delivered",),
    "shipping_delay": ("shipped", "processing"),
    "refund_status": ("returned", "cancelled"),
}
# Share of tickets written in English even when the customer's own language is another.
ENGLISH_FALLBACK_SHARE = 0.15

Row = dict[str, Any]


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


def matching_clauses(ticket_type: str, clauses: list[Row]) -> list[Row]:
    keywords = SECTION_KEYWORDS_BY_TYPE[ticket_type]
    for keyword in keywords:  # the first keyword that matches any section wins: most specific
        found = [c for c in clauses if keyword in c["section"].lower()]
        if found:
            return found
    return clauses  # a user's policy without such a section: any clause can ground the case


def links(clause: Row) -> tuple[str, ...]:
    return (*clause["overrides"], *clause["modifies"], *clause["requires"], *clause["exception_of"])


class ScenarioWorld:
    """A batch's orders and clauses, indexed once so each ticket samples by lookup.

    Every list keeps the order of its source rows, so a seeded draw picks exactly what a scan of
    the rows would have picked: the index changes the cost (linear in the batch), not the data.
    """

    def __init__(
        self, orders: list[Row], customers_by_id: dict[str, Row], clauses: list[Row]
    ) -> None:
        self.orders = orders
        self.customers_by_id = customers_by_id
        self.clauses = clauses
        by_id = {c["clause_id"]: c for c in clauses}
        self._orders_by_type = {
            ticket_type: [o for o in orders if o["status"] in statuses] or orders
            for ticket_type, statuses in STATUSES_BY_TYPE.items()
        }
        self._matching = {
            ticket_type: matching_clauses(ticket_type, clauses)
            for ticket_type in SECTION_KEYWORDS_BY_TYPE
        }
        incoming: dict[str, list[str]] = {cid: [] for cid in by_id}
        for other in clauses:  # in clause order, as a scan for "who points at me" finds them
            for target in dict.fromkeys(links(other)):
                if target in incoming:
                    incoming[target].append(other["clause_id"])
        self._related = {
            cid: [c for c in dict.fromkeys([*links(clause), *incoming[cid]]) if c in by_id]
            for cid, clause in by_id.items()
        }
        self._section: dict[str, list[str]] = {}
        for clause in clauses:
            self._section.setdefault(clause["section"], []).append(clause["clause_id"])

    def fitting_orders(self, ticket_type: str) -> list[Row]:
        """Orders whose status a ticket of this type makes sense for (all, if none fits)."""
        return self._orders_by_type.get(ticket_type, self.orders)

    def matching_clauses(self, ticket_type: str) -> list[Row]:
        return self._matching[ticket_type]

    def related(self, clause_id: str) -> list[str]:
        """Clauses this one points at, and clauses that point at it (both hops matter)."""
        return list(self._related[clause_id])

    def same_section(self, section: str) -> list[str]:
        return list(self._section[section])


def pick_clauses(
    ticket_type: str, complexity: str, world: ScenarioWorld, rng: random.Random
) -> list[str]:
    primary = rng.choice(world.matching_clauses(ticket_type))
    wanted = CLAUSE_COUNT_BY_COMPLEXITY[complexity]
    chosen = [primary["clause_id"]]
    neighbours = world.related(primary["clause_id"])
    rng.shuffle(neighbours)
    same_section = world.same_section(primary["section"])
    rng.shuffle(same_section)
    for candidate in [*neighbours, *same_section]:
        if len(chosen) >= wanted:
            break
        if candidate not in chosen:
            chosen.append(candidate)
    return chosen


def pick_order(ticket_type: str, world: ScenarioWorld, rng: random.Random) -> Row:
    return rng.choice(world.fitting_orders(ticket_type))


def sample_scenario(rng: random.Random, world: ScenarioWorld) -> SampledScenario:
    ticket_type = weighted_choice(rng, TICKET_TYPE_WEIGHTS)
    complexity = weighted_choice(rng, COMPLEXITY_WEIGHTS)
    completeness = weighted_choice(rng, INFO_COMPLETENESS_WEIGHTS)
    order = pick_order(ticket_type, world, rng)
    customer = world.customers_by_id[order["customer_id"]]
    language = "en" if rng.random() < ENGLISH_FALLBACK_SHARE else customer["language"]
    reference = {
        "complete": order["order_id"],
        "misspelled": misspell(order["order_id"], rng),
        "missing": None,
    }[completeness]
    return SampledScenario(
        ticket_type=ticket_type,
        queue=QUEUE_BY_TYPE[ticket_type],
        priority=weighted_choice(rng, PRIORITY_WEIGHTS_BY_TYPE[ticket_type]),
        complexity=complexity,
        info_completeness=completeness,
        language=language,
        order=order,
        product_id=rng.choice(order["product_ids"]),
        clause_ids=pick_clauses(ticket_type, complexity, world, rng),
        order_reference=reference,
    )
