"""The content rules of a customer email, over (subject, body) and the request's context.

- the order reference is exactly what the scenario's completeness variant says: the context's
  `order_reference` verbatim (the true id, or the misspelling the scenario gives), or, when it is
  None, no order reference at all; no other order-like number;
- written in the requested language;
- signed by the customer: the first name in the last lines.

Shared by the response model (generation time, re-asks) and `emails_evidence` (stored rows);
rephrasings and translations keep the same order-reference rule.
"""

from __future__ import annotations

import re
from typing import Any

from dsgen_dagster.quality.language import inserted_facts, language_violations
from dsgen_dagster.quality.rules import Violation, last_lines

# An order reference as customers write it: ord_20260301_00042, ORD-20260301-00042, ord 2026...
ORDER_TOKEN = re.compile(r"\bord[_\s-]?\d[\d_-]*\d\b", re.IGNORECASE)
SIGNATURE_LINES = 3

REFERENCE_MISSING = "reference_missing"
REFERENCE_NOT_MISSPELLED = "reference_not_misspelled"
REFERENCE_UNEXPECTED = "reference_unexpected"
NOT_SIGNED = "not_signed"
RULES = [REFERENCE_MISSING, REFERENCE_NOT_MISSPELLED, REFERENCE_UNEXPECTED, "wrong_language",
         NOT_SIGNED]  # fmt: skip


def order_tokens(text: str) -> list[str]:
    return list(dict.fromkeys(ORDER_TOKEN.findall(text)))


def reference_violations(text: str, context: dict[str, Any], what: str) -> list[Violation]:
    """`what` carries the context's order reference verbatim, or none when it has none."""
    reference = context.get("order_reference")
    others = [token for token in order_tokens(text) if token != reference]
    if not reference:
        if others:
            return [
                Violation(
                    REFERENCE_UNEXPECTED,
                    f"{what} mentions the order number {others[0]!r}, but this customer does not "
                    "have it at hand; remove every order number.",
                )
            ]
        return []
    found: list[Violation] = []
    if reference not in text:
        misspelled = context.get("info_completeness") == "misspelled"
        rule = REFERENCE_NOT_MISSPELLED if misspelled else REFERENCE_MISSING
        note = " (it is deliberately misspelled: do not correct it)" if misspelled else ""
        found.append(
            Violation(
                rule,
                f"{what} must mention the order number exactly as given, character for "
                f"character: {reference}{note}.",
            )
        )
    if others:
        found.append(
            Violation(
                REFERENCE_UNEXPECTED,
                f"{what} mentions {others[0]!r}; the only order number to write is {reference}.",
            )
        )
    return found


def signature_violations(body: str, context: dict[str, Any]) -> list[Violation]:
    first_name = str((context.get("customer") or {}).get("first_name") or "")
    if first_name and first_name not in last_lines(body, SIGNATURE_LINES):
        return [
            Violation(
                NOT_SIGNED,
                f"the email is not signed by the customer; end it with their first name, "
                f"{first_name}.",
            )
        ]
    return []


def email_violations(subject: str, body: str, context: dict[str, Any]) -> list[Violation]:
    text = f"{subject}\n{body}"
    return [
        *reference_violations(text, context, "the email"),
        *language_violations(text, context.get("language"), inserted_facts(context), "the email"),
        *signature_violations(body, context),
    ]
