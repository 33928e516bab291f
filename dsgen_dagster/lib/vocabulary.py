"""A ticket's vocabularies, and the shipped policy's weighted tables scenarios are drawn from.

Ticket types and queues are open: a batch's come from its scenario table (`lib/scenarios.py`),
so the row models take any lower-case label and the topics check holds them to the batch's table.
`ShippedTicketType` lists the shipped policy's types; priorities, languages, tiers are closed.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

TicketType = Annotated[
    str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, examples=["billing_dispute"])
]
Queue = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, examples=["billing"])]
ShippedTicketType = Literal[
    "return_request",
    "refund_status",
    "shipping_delay",
    "damaged_item",
    "warranty_claim",
    "billing_dispute",
    "account_access",
    "privacy_request",
    "complaint",
]
ShippedQueue = Literal[
    "returns", "billing", "shipping", "technical_support", "account", "escalations"
]
Priority = Literal["low", "medium", "high", "urgent"]
Complexity = Literal["simple", "moderate", "complex"]
InfoCompleteness = Literal["complete", "misspelled", "missing", "wrong_product"]
CustomerTier = Literal["standard", "plus", "business"]
Language = Literal["en", "de", "fr", "es"]
OrderStatus = Literal["processing", "shipped", "delivered", "returned", "cancelled"]

TICKET_TYPES: tuple[str, ...] = get_args(ShippedTicketType)
QUEUES: tuple[str, ...] = get_args(ShippedQueue)
PRIORITIES: tuple[str, ...] = get_args(Priority)
COMPLEXITIES: tuple[str, ...] = get_args(Complexity)
INFO_COMPLETENESS: tuple[str, ...] = get_args(InfoCompleteness)
LANGUAGES: tuple[str, ...] = get_args(Language)

TICKET_TYPE_WEIGHTS: dict[str, float] = {
    "return_request": 0.17,
    "refund_status": 0.13,
    "shipping_delay": 0.15,
    "damaged_item": 0.10,
    "warranty_claim": 0.12,
    "billing_dispute": 0.11,
    "account_access": 0.08,
    "privacy_request": 0.05,
    "complaint": 0.09,
}

QUEUE_BY_TYPE: dict[str, str] = {
    "return_request": "returns",
    "refund_status": "billing",
    "shipping_delay": "shipping",
    "damaged_item": "returns",
    "warranty_claim": "technical_support",
    "billing_dispute": "billing",
    "account_access": "account",
    "privacy_request": "account",
    "complaint": "escalations",
}

# Priority is conditioned on the ticket type: a locked account is more urgent than a return.
PRIORITY_WEIGHTS_BY_TYPE: dict[str, dict[str, float]] = {
    "return_request": {"low": 0.35, "medium": 0.5, "high": 0.13, "urgent": 0.02},
    "refund_status": {"low": 0.2, "medium": 0.5, "high": 0.25, "urgent": 0.05},
    "shipping_delay": {"low": 0.15, "medium": 0.45, "high": 0.3, "urgent": 0.1},
    "damaged_item": {"low": 0.05, "medium": 0.4, "high": 0.4, "urgent": 0.15},
    "warranty_claim": {"low": 0.2, "medium": 0.5, "high": 0.25, "urgent": 0.05},
    "billing_dispute": {"low": 0.05, "medium": 0.35, "high": 0.4, "urgent": 0.2},
    "account_access": {"low": 0.05, "medium": 0.3, "high": 0.4, "urgent": 0.25},
    "privacy_request": {"low": 0.2, "medium": 0.5, "high": 0.25, "urgent": 0.05},
    "complaint": {"low": 0.05, "medium": 0.3, "high": 0.45, "urgent": 0.2},
}

COMPLEXITY_WEIGHTS: dict[str, float] = {"simple": 0.45, "moderate": 0.4, "complex": 0.15}
# wrong_product: the email names another product than the one ordered.
INFO_COMPLETENESS_WEIGHTS: dict[str, float] = {
    "complete": 0.55,
    "misspelled": 0.17,
    "missing": 0.18,
    "wrong_product": 0.1,
}
LANGUAGE_WEIGHTS: dict[str, float] = {"en": 0.55, "de": 0.2, "fr": 0.15, "es": 0.1}
CUSTOMER_TIER_WEIGHTS: dict[str, float] = {"standard": 0.7, "plus": 0.22, "business": 0.08}

# Where each shipped type's cases live in the shipped policy, and which products can have them:
# a damaged or defective item is a physical one, a return needs a return window.
PHYSICAL_ONLY = ("software",)
SHIPPED_TYPE_SITUATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "return_request": {
        "sections": ("Returns",),
        "clauses": ("1.1", "1.2", "1.3", "1.4", "1.5"),
        "needs": ("return_window_days",),
        "statuses": ("delivered",),
    },
    "refund_status": {"sections": ("Refunds",), "statuses": ("returned", "cancelled")},
    "shipping_delay": {
        "sections": ("Shipping and delivery",),
        "clauses": ("3.1", "3.2", "3.3", "3.5"),
        "exclude_categories": PHYSICAL_ONLY,
        "statuses": ("shipped", "processing"),
    },
    "damaged_item": {
        "sections": ("Shipping and delivery", "Returns"),
        "clauses": ("3.4",),
        "exclude_categories": PHYSICAL_ONLY,
        "statuses": ("delivered",),
    },
    "warranty_claim": {
        "sections": ("Warranty and repairs",),
        "needs": ("warranty_months",),
        "exclude_categories": PHYSICAL_ONLY,
        "statuses": ("delivered",),
    },
    "billing_dispute": {"sections": ("Billing and payments",)},
    "account_access": {"sections": ("Account and privacy",), "clauses": ("6.1", "6.2", "6.5")},
    "privacy_request": {"sections": ("Account and privacy",), "clauses": ("6.3", "6.4", "6.2")},
    "complaint": {"sections": ("Escalation and complaints",)},
}

# How many clauses a scenario hinges on, by complexity.
CLAUSE_COUNT_BY_COMPLEXITY: dict[str, int] = {"simple": 1, "moderate": 2, "complex": 3}
