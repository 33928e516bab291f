"""Offline composer of the `topics` stage: a scenario's summary and desired outcome, in English.

Honest template text from the sampled facts: who the customer is and what happened (by ticket
type), the product, where the order stands, and the policy clauses the case hinges on (by title).
The desired outcome is drawn from the outcomes that fit the ticket type, nudged by the clauses'
titles (a "Store credit option" clause makes store credit likely). Its wording carries the keywords
`phrasebook.outcome_kind` recognises, so emails in every language ask for the same thing.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from dsgen_dagster.defs.topics.models import TopicScenario
from dsgen_dagster.llm.providers.offline.phrasebook import RETAIL, Picker, fact_values

STATUS_NAMES = ("processing", "shipped", "delivered", "returned", "cancelled")

# Outcomes that fit each ticket type, with weights.
OUTCOMES_BY_TYPE: dict[str, dict[str, float]] = {
    "return_request": {"refund": 0.5, "exchange": 0.2, "store_credit": 0.3},
    "refund_status": {"refund": 0.8, "store_credit": 0.2},
    "shipping_delay": {"delivery": 0.6, "refund": 0.15, "replacement": 0.1, "cancel": 0.15},
    "damaged_item": {"replacement": 0.6, "refund": 0.4},
    "warranty_claim": {"repair": 0.6, "replacement": 0.3, "refund": 0.1},
    "billing_dispute": {"reversal": 0.7, "explanation": 0.3},
    "account_access": {"access": 1.0},
    "privacy_request": {"data_copy": 0.5, "deletion": 0.5},
    "complaint": {"compensation": 0.5, "supervisor": 0.3, "explanation": 0.2},
    # A user's policy: its types have no outcomes of their own.
    "generic": {"explanation": 0.4, "compensation": 0.2, "refund": 0.2, "cancel": 0.2},
}
# Clause titles that make an outcome the natural one.
CLAUSE_HINTS: tuple[tuple[str, str], ...] = (
    ("store credit", "store_credit"),
    ("price drop", "price_diff"),
    ("supervisor", "supervisor"),
    ("goodwill", "compensation"),
    ("deletion", "deletion"),
    ("data access", "data_copy"),
    ("duplicate", "reversal"),
    ("instalment", "instalment"),
    ("failed payment", "instalment"),
    ("address change", "address"),
    ("lost parcel", "replacement"),
    ("repair", "repair"),
    ("damaged on arrival", "replacement"),
    ("cancelled order", "refund"),
    ("late delivery", "refund"),
    ("account access", "access"),
)
HINT_SHARE = 0.6

SCENE: dict[str, list[str]] = {
    "event.return_request": [
        "{full} ({tier} tier) wants to return the {product} ({category}) ordered on {order_date}.",
        "{full}, a {tier} customer, has decided the {product} ({category}) is not right after all.",
        "The {product} ({category}) that {full} ({tier} tier) bought does not suit them.",
    ],
    "event.refund_status": [
        "{full} ({tier} tier) sent back the {product} ({category}) and has seen no refund yet.",
        "{full}, a {tier} customer, is chasing a refund for a returned {product} ({category}).",
    ],
    "event.shipping_delay": [
        "{full} ({tier} tier) is still waiting for the {product} ({category}) ordered on "
        "{order_date}.",
        "The {product} ({category}) that {full}, a {tier} customer, ordered is overdue.",
    ],
    "event.damaged_item": [
        "{full} ({tier} tier) received the {product} ({category}) damaged.",
        "The {product} ({category}) reached {full}, a {tier} customer, broken in transit.",
    ],
    "event.warranty_claim": [
        "{full} ({tier} tier) reports a defect in the {product} ({category}).",
        "The {product} ({category}) of {full}, a {tier} customer, has stopped working.",
    ],
    "event.billing_dispute": [
        "{full} ({tier} tier) disputes what was charged for the {product} ({category}).",
        "{full}, a {tier} customer, sees a charge for the {product} ({category}) they think is "
        "wrong.",
    ],
    "event.account_access": [
        "{full} ({tier} tier) cannot log in to their account after buying the {product}.",
        "{full}, a {tier} customer, is locked out of the account the {product} was bought with.",
    ],
    "event.privacy_request": [
        "{full} ({tier} tier), who bought the {product} ({category}), asks what happens to "
        "their personal data.",
        "{full}, a {tier} customer who bought the {product}, asks about their personal data.",
    ],
    "event.complaint": [
        "{full} ({tier} tier) complains about how the order of the {product} was handled.",
        "{full}, a {tier} customer, is unhappy with the service around the {product}.",
    ],
    "event.generic": [
        "{full} ({tier} tier) contacts {company} about {situation} concerning the {product} "
        "({category}).",
        "{full}, a {tier} customer of {company}, has a problem with the {product} ({category}): "
        "{situation}.",
    ],
    "order": [
        "The order ({total}, {shipping}, paid by {payment}) {status}.",
        "It was ordered on {order_date} for {total} by {payment} and {status}.",
        "Order placed {order_date}, {shipping}; it {status}.",
    ],
    "clauses": [
        "The case hinges on {titles}.",
        "What decides it: {titles}.",
        "The policy that applies: {titles}.",
    ],
    "status.processing": ["is still processing"],
    "status.shipped": ["has shipped but not arrived"],
    "status.delivered": ["was delivered on {delivery_date}", "has been delivered"],
    "status.returned": ["has been returned"],
    "status.cancelled": ["was cancelled"],
}

OUTCOMES: dict[str, list[str]] = {
    "refund": ["A full refund for the {product}.", "Their money back for the {product}."],
    "store_credit": ["Store credit for the {product} instead of a refund."],
    "replacement": ["A replacement {product} sent out quickly.", "A working replacement unit."],
    "exchange": ["An exchange of the {product} for another model."],
    "repair": ["A free repair of the {product} under warranty."],
    "reversal": ["The wrong charge reversed.", "The overcharged amount reversed to their card."],
    "price_diff": ["The price difference refunded after the price drop."],
    "delivery": ["The {product} delivered, or a firm delivery date.", "A tracking update."],
    "access": ["Access to their account again.", "A password reset that works."],
    "data_copy": ["A copy of the personal data held on them."],
    "deletion": ["Their account and data deleted."],
    "compensation": ["A goodwill voucher for the trouble.", "Compensation for the hassle."],
    "supervisor": ["The case escalated to a supervisor."],
    "cancel": ["The order cancelled before it ships."],
    "address": ["The delivery address changed and the parcel redirected."],
    "instalment": ["The failed instalment sorted out so the order is not put on hold."],
    "explanation": ["A clear explanation of the charge.", "An explanation of what went wrong."],
}


# A company that is no retailer (lib/offering.py): its customer holds a membership, a booking, a
# contract or an account, which has a state, not a delivery.
SCENE_ANY: dict[str, list[str]] = {
    "order": [
        "The {item} (since {order_date}, paid by {payment}) is {status}.",
        "It began on {order_date}, costs {total} and is {status}.",
        "The {item} dates from {order_date}; it is {status}.",
    ],
    **{f"status.{status}": ["{state_word}"] for status in STATUS_NAMES},
}
OUTCOMES_ANY: dict[str, list[str]] = {
    "store_credit": ["A credit on the {item} for the {product} instead of a refund."],
    "replacement": ["A working alternative to the {product}."],
    "exchange": ["An exchange of the {product} for another option."],
    "repair": ["The fault with the {product} fixed at no cost."],
    "delivery": ["A firm date for when the {product} starts."],
    "cancel": ["The {item} cancelled without a penalty.", "The cancellation of the {product}."],
    "address": ["The address on the {item} changed."],
    "instalment": ["The failed instalment sorted out so the {item} is not suspended."],
}


def compose(context: dict[str, Any], rng: random.Random) -> TopicScenario:
    ticket_type = str(context.get("ticket_type") or "")
    if ticket_type not in OUTCOMES_BY_TYPE:
        ticket_type = "generic"
    clauses: Sequence[Mapping[str, Any]] = context.get("clauses") or []
    retail = (context.get("offering") or RETAIL) == RETAIL
    scene = SCENE if retail else {**SCENE, **SCENE_ANY}
    outcomes = OUTCOMES if retail else {**OUTCOMES, **OUTCOMES_ANY}
    picker = Picker(rng, scene, fact_values(context, "en"))
    picker.values["tier"] = (context.get("customer") or {}).get("tier") or "standard"
    picker.values["category"] = (context.get("product") or {}).get("category") or "product"
    picker.values["titles"] = _titles(clauses) or None
    status = picker.pick(f"status.{(context.get('order') or {}).get('status')}")
    picker.values["status"] = status or None

    sentences = [picker.pick(f"event.{ticket_type}")]
    sentences += [picker.pick("order")] if status else []
    sentences += [picker.pick("clauses")]
    summary = " ".join(sentence for sentence in sentences if sentence)
    while len(summary) > 600 and len(sentences) > 1:
        sentences.pop(1)
        summary = " ".join(sentence for sentence in sentences if sentence)

    desired = Picker(rng, outcomes, picker.values).pick(_outcome(ticket_type, clauses, rng))
    return TopicScenario(summary=summary[:600], desired_outcome=desired[:300])


def _titles(clauses: Sequence[Mapping[str, Any]]) -> str:
    named = [
        f"{clause.get('title')} ({clause.get('number')})"
        if clause.get("number") and clause.get("title")
        else str(clause.get("title") or f"clause {clause.get('number')}")
        for clause in clauses
        if clause.get("title") or clause.get("number")
    ]
    if len(named) <= 1:
        return "".join(named)
    return ", ".join(named[:-1]) + " and " + named[-1]


def _outcome(ticket_type: str, clauses: Sequence[Mapping[str, Any]], rng: random.Random) -> str:
    titles = " ".join(str(clause.get("title") or "") for clause in clauses).lower()
    hinted = [kind for keyword, kind in CLAUSE_HINTS if keyword in titles]
    if hinted and rng.random() < HINT_SHARE:
        return hinted[0]
    table = OUTCOMES_BY_TYPE[ticket_type]
    return rng.choices(list(table), weights=list(table.values()), k=1)[0]
