"""The labels a tagger may use: routing labels and the tag taxonomy.

Tags are a closed vocabulary so that they can be counted and evaluated across batches: the ticket
type, the product category, the language, the priority and a sentiment, whether the order number
was given, the order status and the customer tier.
"""

from __future__ import annotations

import re
from typing import Any

from dsgen_dagster.defs.entities.catalogue import ORDER_STATUS_WEIGHTS
from dsgen_dagster.lib.catalogue import shipped_catalogue
from dsgen_dagster.lib.contexts import allowed_labels
from dsgen_dagster.lib.domain import Domain
from dsgen_dagster.lib.vocabulary import LANGUAGES, PRIORITIES, TICKET_TYPES

SENTIMENTS = ("calm", "neutral", "frustrated", "upset")
REFERENCE_TAGS = ("order-number-given", "order-number-unclear", "missing-order-number")
TIER_TAGS = ("plus-customer", "business-customer")


def slug(value: Any) -> str:
    """`Smart Home` -> `smart-home`: lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", str(value or "").lower()).strip("-")


def taxonomy(ticket_types: list[str], categories: list[str]) -> tuple[str, ...]:
    """The batch's tags: its ticket types and product categories, and the fixed facets."""
    return tuple(
        dict.fromkeys(
            [
                *(slug(ticket_type) for ticket_type in ticket_types),
                *(slug(category) for category in categories),
                *(f"lang-{language}" for language in LANGUAGES),
                *(f"priority-{priority}" for priority in PRIORITIES),
                *SENTIMENTS,
                *REFERENCE_TAGS,
                *(f"order-{slug(status)}" for status in ORDER_STATUS_WEIGHTS),
                *TIER_TAGS,
            ]
        )
    )


TAXONOMY: tuple[str, ...] = taxonomy(list(TICKET_TYPES), shipped_catalogue().categories)


def allowed(domain: Domain | None = None) -> dict[str, list[str]]:
    """What the tags prompt offers (`context["allowed"]`): the batch's routing labels (its
    scenario table's, else the shipped ones) and the taxonomy of its types and categories."""
    labels = allowed_labels(domain)
    categories = domain.catalogue.categories if domain else shipped_catalogue().categories
    return {**labels, "tags": list(taxonomy(labels["ticket_types"], categories))}
