"""Offline composer of the `translations` stage: the email and the answer in another language.

Offline there is no translator, so both are composed anew from the same facts in the target
language, with the same composers as the emails and answers stages: the email keeps the order
reference rule (quoted verbatim, or no order-like token at all), and the answer cites the clauses
the original answer cited: quoting their target-language text when the policy exists in it, else
with the original answer's verbatim quotes. Honest template text: it says the
same things as the source ticket, not a sentence-by-sentence translation of it.
"""

from __future__ import annotations

import random
from typing import Any

from dsgen_dagster.defs.answers.offline import compose_answer
from dsgen_dagster.defs.emails.offline import compose_email
from dsgen_dagster.defs.translations.models import TranslatedTicket


def compose(context: dict[str, Any], rng: random.Random) -> TranslatedTicket:
    target = str(context.get("target_language") or context.get("language") or "en")
    citations = (context.get("answer") or {}).get("citations") or []
    quotes = {str(c["clause_id"]): str(c["quote"]) for c in citations if c.get("clause_id")}
    clauses = list(context.get("clauses") or [])
    if quotes:
        cited = [clause for clause in clauses if str(clause.get("clause_id")) in quotes]
        # Without the clauses, a quote is its own clause text: it stays verbatim either way.
        clauses = cited or [{"clause_id": cid, "text": quote} for cid, quote in quotes.items()]
    email = compose_email(context, rng, language=target)
    answer = compose_answer(context, clauses, rng, language=target, quotes=quotes)
    return TranslatedTicket(subject=email.subject, body=email.body, answer=answer.body)
