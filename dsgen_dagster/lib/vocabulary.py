"""The closed vocabularies of a ticket and the weighted tables scenarios are drawn from."""

from __future__ import annotations

from typing import Literal, get_args

TicketType = Literal[
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
Queue = Literal["returns", "billing", "shipping", "technical_support", "account", "escalations"]
Priority = Literal["low", "medium", "high", "urgent"]
Complexity = Literal["simple", "moderate", "complex"]
InfoCompleteness = Literal["complete", "misspelled", "missing"]
CustomerTier = Literal["standard", "plus", "business"]
Language = Literal["en", "de", "fr", "es"]
OrderStatus = Literal["processing", "shipped", "delivered", "returned", "cancelled"]

TICKET_TYPES: tuple[str, ...] = get_args(TicketType)
QUEUES: tuple[str, ...] = get_args(Queue)
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
INFO_COMPLETENESS_WEIGHTS: dict[str, float] = {"complete": 0.6, "misspelled": 0.2, "missing": 0.2}
LANGUAGE_WEIGHTS: dict[str, float] = {"en": 0.55, "de": 0.2, "fr": 0.15, "es": 0.1}
CUSTOMER_TIER_WEIGHTS: dict[str, float] = {"standard": 0.7, "plus": 0.22, "business": 0.08}

# Which policy sections a ticket type hinges on, matched against section titles (lower case).
SECTION_KEYWORDS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "return_request": ("return",),
    "refund_status": ("refund",),
    "shipping_delay": ("shipping", "delivery"),
    "damaged_item": ("return", "shipping", "damage"),
    "warranty_claim": ("warranty", "repair"),
    "billing_dispute": ("billing", "payment"),
    "account_access": ("account", "privacy"),
    "privacy_request": ("privacy", "account", "data"),
    "complaint": ("escalation", "complaint"),
}

# How many clauses a scenario hinges on, by complexity.
CLAUSE_COUNT_BY_COMPLEXITY: dict[str, int] = {"simple": 1, "moderate": 2, "complex": 3}
