"""The content rules of a translated ticket, over (subject, body, answer) and the context.

- the email and the answer are in the target language (names, numbers and quoted policy aside);
- ids are kept: the order reference the source email carries, verbatim (and none when it has
  none), and every policy quote of the source answer, verbatim in the translated answer — or,
  when the policy exists in the target language (`context["requote"]`), each cited clause quoted
  verbatim from its target-language text instead.
"""

from __future__ import annotations

from typing import Any

from dsgen_dagster.defs.answers.rules import policy_spans
from dsgen_dagster.defs.emails.rules import reference_violations
from dsgen_dagster.quality.language import QUOTED, inserted_facts, language_violations
from dsgen_dagster.quality.rules import Violation, short, squash

QUOTE_NOT_KEPT = "quote_not_kept"
RULES = ["wrong_language", "reference_missing", "reference_unexpected", QUOTE_NOT_KEPT]


def translation_violations(
    subject: str, body: str, answer: str, context: dict[str, Any]
) -> list[Violation]:
    target = context.get("target_language")
    source_email = context.get("email") or {}
    source_text = f"{source_email.get('subject') or ''}\n{source_email.get('body') or ''}"
    quotes = [str(c.get("quote") or "") for c in (context.get("answer") or {}).get("citations", [])]
    facts = inserted_facts(context)
    found: list[Violation] = []
    # The reference the source email really carries is what must survive translation.
    reference = context.get("order_reference")
    carried = reference if reference and reference in source_text else None
    kept = {**context, "order_reference": carried}
    found += reference_violations(f"{subject}\n{body}", kept, "the translated email")
    found += language_violations(f"{subject}\n{body}", target, facts, "the translated email")
    inserted = [*facts, *policy_spans(context, quotes)]
    found += language_violations(answer, target, inserted, "the translated answer")
    if context.get("requote"):
        return [*found, *requote_violations(answer, context)]
    squashed = squash(answer)
    missing = [quote for quote in quotes if squash(quote) not in squashed]
    if missing:
        found.append(
            Violation(
                QUOTE_NOT_KEPT,
                f"the translated answer lost the policy quote {short(missing[0])!r}; keep quoted "
                "policy text verbatim in its original language.",
            )
        )
    return found


MIN_QUOTE_CHARS = 10


def requote_violations(answer: str, context: dict[str, Any]) -> list[Violation]:
    """Each clause the source answer cited is quoted, in quotation marks, from its text in the
    target language."""
    spans = [squash(span)[1:-1].strip() for span in QUOTED.findall(answer)]
    spans = [span for span in spans if len(span) >= MIN_QUOTE_CHARS]
    found = []
    for clause in context.get("requoted") or []:
        text = squash(str(clause.get("text") or ""))
        if not any(span in text for span in spans):
            found.append(
                Violation(
                    QUOTE_NOT_KEPT,
                    f"the translated answer does not quote clause {clause.get('clause_id')} in "
                    f"{context.get('target_language')}; copy one sentence of that clause's "
                    f"{context.get('target_language')} text verbatim, in quotation marks.",
                )
            )
    return found
