"""Offline composer of the `tags` stage.

The offline provider's honest shortcut: it does not read the email or the answer, it derives the
tags and the predicted routing from the ticket's sampled facts. So offline, the predicted
`ticket_type`, `queue` and `priority` equal the true ones (when they are among the allowed labels),
and tags are: the ticket type, the product category, the language, the priority and a sentiment
that follows it, whether the order number was given, unclear or missing, the order status and the
customer tier (for Plus and Business customers). A real model labels from the text instead, which
is what makes its predictions worth evaluating.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Any

from dsgen_dagster.defs.tags.models import MAX_TAGS, TicketTags
from dsgen_dagster.lib.contexts import allowed_labels
from dsgen_dagster.lib.vocabulary import QUEUE_BY_TYPE

SENTIMENT_BY_PRIORITY = {
    "low": "calm",
    "medium": "neutral",
    "high": "frustrated",
    "urgent": "upset",
}
REFERENCE_TAG = {
    "complete": "order-number-given",
    "misspelled": "order-number-unclear",
    "missing": "missing-order-number",
}
TIER_TAG = {"plus": "plus-customer", "business": "business-customer"}


def compose(context: dict[str, Any], rng: random.Random) -> TicketTags:
    allowed = context.get("allowed") or allowed_labels()
    ticket_type = _label(context.get("ticket_type"), allowed["ticket_types"], "complaint")
    queue = _label(
        context.get("queue"), allowed["queues"], QUEUE_BY_TYPE.get(ticket_type, "escalations")
    )
    priority = _label(context.get("priority"), allowed["priorities"], "medium")
    product = context.get("product") or {}
    order = context.get("order") or {}
    candidates = [
        slug(ticket_type),
        slug(product.get("category")),
        f"lang-{slug(context.get('language'))}" if context.get("language") else "",
        f"priority-{priority}",
        SENTIMENT_BY_PRIORITY.get(priority, ""),
        REFERENCE_TAG.get(str(context.get("info_completeness")), ""),
        f"order-{slug(order.get('status'))}" if order.get("status") else "",
        TIER_TAG.get(str((context.get("customer") or {}).get("tier")), ""),
    ]
    tags = list(dict.fromkeys(tag for tag in candidates if tag))[:MAX_TAGS]
    return TicketTags(
        tags=tags or [slug(ticket_type)],
        ticket_type=ticket_type,  # type: ignore[arg-type]
        queue=queue,  # type: ignore[arg-type]
        priority=priority,  # type: ignore[arg-type]
    )


def slug(value: Any) -> str:
    """`Smart Home` -> `smart-home`: lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", str(value or "").lower()).strip("-")


def _label(value: Any, allowed: Sequence[str], fallback: str) -> str:
    if value in allowed:
        return str(value)
    return fallback if fallback in allowed or not allowed else str(allowed[0])
