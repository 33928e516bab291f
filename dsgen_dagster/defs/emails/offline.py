"""Offline composer of the `emails` stage: the customer's email, as honest template text.

The email is assembled from the language's phrase pools (`dsgen_dagster/llm/phrases/`): a greeting,
what happened (by ticket type), when it was ordered and where the order stands, the order number or
an admission that it is not at hand, details and history (more of them the more complex the case),
the customer's tier, a tone that follows the priority, what the customer wants (the scenario's
desired outcome, recognised by keyword and asked for in the email's language), a closing and the
customer's first name. Sentence order, paragraphing and register vary with the seeded draw.

Rules every email keeps: an `order_reference` is quoted verbatim; without one, no order-like token
appears. `compose_email` is shared with the rephrasing (another style, away from the source's
wording) and translation (another language) composers.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from dsgen_dagster.defs.emails.models import EmailDraft
from dsgen_dagster.llm.providers.offline.phrasebook import (
    RETAIL,
    Picker,
    fact_values,
    language_pack,
    outcome_kind,
    paragraphs,
)

# How much the customer writes: by complexity, or by a rephrasing's style.
LENGTH_BY_COMPLEXITY = {"simple": "short", "moderate": "medium", "complex": "long"}
LENGTH_BY_STYLE = {"terse": "terse", "detailed": "long"}
REGISTER_BY_STYLE = {"formal": "formal", "casual": "casual"}
# A ticket type without phrases of its own (a user's policy) is told from its situation, product,
# company and clause title.
FALLBACK_CASE = "generic"

SITUATIONS = {"terse": (1, 1), "short": (1, 1), "medium": (1, 2), "long": (2, 2)}
DETAILS = {"terse": (0, 0), "short": (0, 1), "medium": (1, 2), "long": (3, 4)}
PARAGRAPHS = {"terse": (1, 1), "short": (1, 2), "medium": (2, 3), "long": (3, 4)}
OPENER_SHARE = {"terse": 0.0, "short": 0.4, "medium": 0.7, "long": 0.9}


def compose(context: dict[str, Any], rng: random.Random) -> EmailDraft:
    return compose_email(context, rng)


def compose_email(
    facts: Mapping[str, Any],
    rng: random.Random,
    *,
    language: str | None = None,
    style: str | None = None,
    avoid: str = "",
) -> EmailDraft:
    """The customer's email from the ticket's facts, in `language` (default: the ticket's).

    `style` is a rephrasing style (formal, casual, terse, detailed); `avoid` a text whose wording
    the email should not reuse.
    """
    pack = language_pack(
        __package__, language or str(facts.get("language") or "en"), _offering(facts)
    )
    values = fact_values(facts, pack.code)
    if facts.get("info_completeness") == "wrong_product" and facts.get("named_product"):
        values["product"] = facts["named_product"]  # the customer names the wrong product
    picker = Picker(rng, pack.phrases, values, avoid=avoid)
    case = str(facts.get("ticket_type") or "")
    if not picker.has(f"situation.{case}"):
        case = FALLBACK_CASE
    register = REGISTER_BY_STYLE.get(style or "") or _register(facts, rng)
    length = LENGTH_BY_STYLE.get(style or "") or LENGTH_BY_COMPLEXITY.get(
        str(facts.get("complexity")), "medium"
    )
    subject = _subject(picker, facts, case)
    body = _body(picker, facts, case, register, length)
    return EmailDraft(subject=subject, body=body)


def _register(facts: Mapping[str, Any], rng: random.Random) -> str:
    tier = (facts.get("customer") or {}).get("tier")
    formal_share = 0.8 if tier == "business" else 0.5
    if facts.get("priority") in ("high", "urgent"):
        formal_share -= 0.1
    return "formal" if rng.random() < formal_share else "casual"


def _subject(picker: Picker, facts: Mapping[str, Any], case: str) -> str:
    rng = picker.rng
    subject = picker.pick(f"subject.{case}")
    priority = facts.get("priority")
    if priority in ("high", "urgent") and rng.random() < 0.6:
        subject = picker.pick(f"subject.prefix.{priority}") + subject
    if picker.values.get("ref") and rng.random() < 0.45:
        subject += picker.pick("subject.ref")
    return subject[:200]


def _body(picker: Picker, facts: Mapping[str, Any], case: str, register: str, length: str) -> str:
    rng = picker.rng
    opening = [picker.pick("opener")] if rng.random() < OPENER_SHARE[length] else []
    opening += picker.pick_many(f"situation.{case}", rng.randint(*SITUATIONS[length]))

    facts_block = [_order_sentence(picker, facts), _reference_sentence(picker, length)]
    rng.shuffle(facts_block)

    extra = _details(picker, case, length)
    tier = (facts.get("customer") or {}).get("tier")
    if length != "terse" and picker.has(f"tier.{tier}") and rng.random() < 0.6:
        extra.append(picker.pick(f"tier.{tier}"))
    history_share = 0.8 if length == "long" else 0.4
    if (length != "terse" and facts.get("priority") in ("high", "urgent")) or length == "long":
        extra += [picker.pick("history")] if rng.random() < history_share else []
    rng.shuffle(extra)

    priority = facts.get("priority")
    tone_share = 0.3 if length == "terse" else 0.85
    tone = [picker.pick(f"tone.{priority}")] if rng.random() < tone_share else []
    ask = [_ask(picker, facts, case)]

    layouts = [
        (opening, facts_block, extra, tone, ask),
        (opening, ask, facts_block, extra, tone),
        (opening, facts_block, ask, extra, tone),
        (tone, opening, facts_block, extra, ask),
        (opening, extra, facts_block, ask, tone),
    ]
    sentences = [sentence for block in rng.choice(layouts) for sentence in block]
    body = paragraphs(sentences, rng.randint(*PARAGRAPHS[length]), rng)

    closing_share = 0.4 if length == "terse" else 0.85
    closing = picker.pick(f"closing.{register}") if rng.random() < closing_share else ""
    if closing and rng.random() < 0.4:
        body[-1] = f"{body[-1]} {closing}"
        closing = ""
    parts = [
        picker.pick(f"greeting.{register}"),
        *body,
        closing,
        picker.pick(f"signoff.{register}"),
    ]
    return "\n\n".join(part for part in parts if part)


def _order_sentence(picker: Picker, facts: Mapping[str, Any]) -> str:
    frame = picker.pick("order.frame")
    if not frame:
        return ""
    status = picker.pick(f"order.status.{(facts.get('order') or {}).get('status')}")
    if not status:
        return f"{frame}."
    return f"{frame}{status}." if status.startswith(",") else f"{frame} {status}."


def _reference_sentence(picker: Picker, length: str) -> str:
    if picker.values.get("ref"):
        return picker.pick("ref.given")  # the reference is always quoted, in every style
    missing_share = 0.5 if length == "terse" else 0.8
    return picker.pick("ref.missing") if picker.rng.random() < missing_share else ""


def _details(picker: Picker, case: str, length: str) -> list[str]:
    count = picker.rng.randint(*DETAILS[length])
    specific = picker.rng.randint(0, min(count, 2))
    return picker.pick_many(f"detail.{case}", specific) + picker.pick_many(
        "detail", count - specific
    )


def _ask(picker: Picker, facts: Mapping[str, Any], case: str) -> str:
    product = (facts.get("product") or {}).get("name")
    kind = outcome_kind(facts.get("desired_outcome"), case, product)
    picker.values["want"] = picker.pick(f"want.{kind}") or picker.pick("want.explanation")
    return picker.pick("ask.frame")


def _offering(facts: Mapping[str, Any]) -> str:
    """What the company sells (lib/offering.py); a retailer when the facts do not say."""
    return str(facts.get("offering") or RETAIL)
