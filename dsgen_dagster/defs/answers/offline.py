"""Offline composer of the `answers` stage: the agent's reply, as honest template text.

The reply greets the customer by first name, acknowledges the request (by ticket type), confirms
the order number, says it cannot be found (a misspelled reference) or asks for it (none given),
states where the order stands, quotes the scenario's policy clauses and says what happens next.

Grounding is exact: one citation per clause given (at most three), each quoting a whole sentence of
the clause's text verbatim, and the body carries every quote verbatim, in quotation marks. The
clause text is the one the context gives: in the reply's language when the policy exists in it (the
user's translation file), else the document's, which then stays in its language inside the reply
(the answers row records it as `quote_language`): a quote is never passed off as a translation.
`compose_answer` is shared with the translation composer.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from dsgen_dagster.defs.answers.models import AgentAnswer, Citation
from dsgen_dagster.errors import LLMError
from dsgen_dagster.llm.providers.offline.phrasebook import (
    RETAIL,
    Picker,
    fact_values,
    language_pack,
    split_sentences,
)

MAX_CITATIONS = 3
MIN_QUOTE_CHARS = 10
FALLBACK_CASE = "generic"  # a ticket type without phrases of its own (a user's policy)


def compose(context: dict[str, Any], rng: random.Random) -> AgentAnswer:
    return compose_answer(context, context.get("clauses") or [], rng)


def compose_answer(
    facts: Mapping[str, Any],
    clauses: Sequence[Mapping[str, Any]],
    rng: random.Random,
    *,
    language: str | None = None,
    quotes: Mapping[str, str] | None = None,
) -> AgentAnswer:
    """The agent's reply in `language` (default: the ticket's), citing `clauses`.

    `quotes` (clause id -> quote) are kept when they still are verbatim spans of their clause.
    """
    pack = language_pack(
        __package__, language or str(facts.get("language") or "en"), _offering(facts)
    )
    values = fact_values(facts, pack.code)
    values["agent"] = rng.choice(pack.phrases["agent"])
    picker = Picker(rng, pack.phrases, values)
    cited = cite(clauses, rng, quotes or {})
    case = str(facts.get("ticket_type") or "")
    if not picker.has(f"ack.{case}"):
        case = FALLBACK_CASE

    opening = [picker.pick("thanks")] if rng.random() < 0.75 else []
    opening.append(picker.pick(f"ack.{case}"))
    reference = _reference(picker, facts)
    if rng.random() < 0.5 or not values["ref"]:
        opening.append(reference)  # a missing number is asked for early
        reference = ""

    status = (facts.get("order") or {}).get("status")
    grounding = [picker.pick(f"status.{status}")] if rng.random() < 0.6 else []
    grounding += [reference] if reference else []
    grounding += _quoted(picker, pack.words["quotes"], cited)

    steps = picker.pick_many(f"next.{case}", rng.randint(1, 2))
    tier = (facts.get("customer") or {}).get("tier")
    if picker.has(f"tier.{tier}") and rng.random() < 0.5:
        steps.append(picker.pick(f"tier.{tier}"))

    blocks = [" ".join(s for s in block if s) for block in (opening, grounding, steps)]
    parts = [picker.pick("greeting"), *blocks, picker.pick("closing"), picker.pick("signoff")]
    body = "\n\n".join(part for part in parts if part)
    return AgentAnswer(body=body, citations=[citation for citation, _ in cited])


def cite(
    clauses: Sequence[Mapping[str, Any]], rng: random.Random, quotes: Mapping[str, str]
) -> list[tuple[Citation, Mapping[str, Any]]]:
    """One citation per clause (at most three): a kept quote, or a whole sentence of its text."""
    cited: list[tuple[Citation, Mapping[str, Any]]] = []
    for clause in clauses[:MAX_CITATIONS]:
        text = str(clause.get("text") or "")
        kept = quotes.get(str(clause.get("clause_id")))
        if kept and len(kept) >= MIN_QUOTE_CHARS and kept in text:
            quote = kept
        else:
            options = [s for s in split_sentences(text) if len(s) >= MIN_QUOTE_CHARS and s in text]
            if not options and len(text.strip()) >= MIN_QUOTE_CHARS:
                options = [text.strip()]
            if not options:
                continue
            quote = rng.choice(options)
        cited.append((Citation(clause_id=str(clause["clause_id"]), quote=quote), clause))
    if not cited:
        raise LLMError(
            "the answer has no clause text of at least 10 characters to quote; every scenario "
            "needs 1-3 policy clauses with text"
        )
    return cited


def _reference(picker: Picker, facts: Mapping[str, Any]) -> str:
    if not picker.values.get("ref"):
        return picker.pick("ref.missing")
    if facts.get("info_completeness") == "misspelled":
        return picker.pick("ref.unclear")
    return picker.pick("ref.given")


def _quoted(
    picker: Picker, marks: Sequence[str], cited: list[tuple[Citation, Mapping[str, Any]]]
) -> list[str]:
    open_mark, close_mark = marks
    sentences = []
    for index, (citation, clause) in enumerate(cited):
        # A clause without a title or number only draws templates that do not name them.
        picker.values["title"] = clause.get("title") or None
        picker.values["number"] = clause.get("number") or None
        picker.values["q"] = f"{open_mark}{citation.quote}{close_mark}"
        sentence = picker.pick("cite.first" if index == 0 else "cite.more")
        sentences.append(sentence if citation.quote in sentence else picker.values["q"])
    return sentences


def _offering(facts: Mapping[str, Any]) -> str:
    """What the company sells (lib/offering.py); a retailer when the facts do not say."""
    return str(facts.get("offering") or RETAIL)
