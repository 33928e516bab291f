"""The labels a tagger may use: routing labels and the tag taxonomy.

Tags are a closed vocabulary so that they can be counted and evaluated across batches: the ticket
type, the product category, the language, the priority and a sentiment, whether the order number
was given, the order status and the customer tier.
"""

from __future__ import annotations

import re
from typing import Any

from dsgen_dagster.defs.entities.catalogue import CATEGORIES, ORDER_STATUS_WEIGHTS
from dsgen_dagster.lib.contexts import allowed_labels
from dsgen_dagster.lib.vocabulary import LANGUAGES, PRIORITIES, TICKET_TYPES

SENTIMENTS = ("calm", "neutral", "frustrated", "upset")
REFERENCE_TAGS = ("order-number-given", "order-number-unclear", "missing-order-number")
TIER_TAGS = ("plus-customer", "business-customer")


def slug(value: Any) -> str:
    """`Smart Home` -> `smart-home`: lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", str(value or "").lower()).strip("-")


TAXONOMY: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            *(slug(ticket_type) for ticket_type in TICKET_TYPES),
            *(slug(category) for category in CATEGORIES),
            *(f"lang-{language}" for language in LANGUAGES),
            *(f"priority-{priority}" for priority in PRIORITIES),
            *SENTIMENTS,
            *REFERENCE_TAGS,
            *(f"order-{slug(status)}" for status in ORDER_STATUS_WEIGHTS),
            *TIER_TAGS,
        ]
    )
)


def allowed() -> dict[str, list[str]]:
    """What the tags prompt offers (`context["allowed"]`): routing labels and the taxonomy."""
    return {**allowed_labels(), "tags": list(TAXONOMY)}
