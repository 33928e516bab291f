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


def related(clause: Row, by_id: dict[str, Row]) -> list[str]:
    """Clauses this one points at, and clauses that point at it (both hops matter to a case)."""
    outgoing = [
        *clause["overrides"],
        *clause["modifies"],
        *clause["requires"],
        *clause["exception_of"],
    ]
    incoming = [
        other["clause_id"]
        for other in by_id.values()
        if clause["clause_id"]
        in (*other["overrides"], *other["modifies"], *other["requires"], *other["exception_of"])
    ]
    return [cid for cid in dict.fromkeys(outgoing + incoming) if cid in by_id]


def pick_clauses(
    ticket_type: str, complexity: str, clauses: list[Row], rng: random.Random
) -> list[str]:
    by_id = {c["clause_id"]: c for c in clauses}
    primary = rng.choice(matching_clauses(ticket_type, clauses))
    wanted = CLAUSE_COUNT_BY_COMPLEXITY[complexity]
    chosen = [primary["clause_id"]]
    neighbours = related(primary, by_id)
    rng.shuffle(neighbours)
    same_section = [c["clause_id"] for c in clauses if c["section"] == primary["section"]]
    rng.shuffle(same_section)
    for candidate in [*neighbours, *same_section]:
        if len(chosen) >= wanted:
            break
        if candidate not in chosen:
            chosen.append(candidate)
    return chosen


def pick_order(ticket_type: str, orders: list[Row], rng: random.Random) -> Row:
    statuses = STATUSES_BY_TYPE.get(ticket_type)
    fitting = [o for o in orders if statuses is None or o["status"] in statuses]
    return rng.choice(fitting or orders)


def sample_scenario(
    rng: random.Random, orders: list[Row], customers_by_id: dict[str, Row], clauses: list[Row]
) -> SampledScenario:
    ticket_type = weighted_choice(rng, TICKET_TYPE_WEIGHTS)
    complexity = weighted_choice(rng, COMPLEXITY_WEIGHTS)
    completeness = weighted_choice(rng, INFO_COMPLETENESS_WEIGHTS)
    order = pick_order(ticket_type, orders, rng)
    customer = customers_by_id[order["customer_id"]]
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
        clause_ids=pick_clauses(ticket_type, complexity, clauses, rng),
        order_reference=reference,
    )
