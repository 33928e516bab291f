"""The content rules of an agent's answer, over (body, citations) and the request's context.

- every citation names a clause the prompt gave (`context["clauses"]`);
- every quote is verbatim in its clause's text (whitespace runs and typographic quotes
  normalised, nothing else) in the language the quotes are in: the answer's own when the policy
  exists in it (`policy_clause_texts`), else the document's; a stored row is checked against the
  text in the `quote_language` it records (`stored_quote_context`), and that language must be the
  one its request gave;
- the reply is in the customer's language (quoted policy text, clause titles and facts aside).

Shared by the response model (generation time, re-asks) and `answers_evidence` (stored rows);
translations keep or re-quote the quotes by the same normalisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dsgen_dagster.quality.language import inserted_facts, language_violations
from dsgen_dagster.quality.rules import Violation, short, squash

CLAUSE_NOT_GIVEN = "clause_not_given"
QUOTE_NOT_IN_CLAUSE = "quote_not_in_clause"
QUOTE_LANGUAGE = "quote_language"
RULES = [CLAUSE_NOT_GIVEN, QUOTE_NOT_IN_CLAUSE, "wrong_language"]
STORED_RULES = [*RULES, QUOTE_LANGUAGE]


def stored_quote_context(
    context: dict[str, Any], quote_language: str | None
) -> tuple[dict[str, Any], list[Violation]]:
    """The request's context with each clause's text in the language a stored row says its
    quotes are in (empty where the clause has no text in it), and a violation when that is not
    the language the request quoted in."""
    found: list[Violation] = []
    expected = context.get("quote_language")
    if expected and quote_language != expected:
        found.append(
            Violation(
                QUOTE_LANGUAGE,
                f"the row says its quotes are in {quote_language}, but its request gave the "
                f"clauses in {expected}; quote the clause text given and record its language.",
            )
        )
    clauses = []
    for clause in context.get("clauses") or []:
        texts = clause.get("texts")
        if texts is not None:
            clause = {**clause, "text": texts.get(quote_language or "", "")}
        clauses.append(clause)
    return {**context, "clauses": clauses}, found


def policy_spans(context: dict[str, Any], quotes: Sequence[str]) -> list[str | None]:
    """What of the policy a reply may carry untranslated: its quotes and the clauses' titles."""
    titles = [clause.get("title") for clause in context.get("clauses") or []]
    return [*quotes, *titles]


def citation_violations(
    citations: Sequence[tuple[str, str]], context: dict[str, Any]
) -> list[Violation]:
    clauses = {str(c["clause_id"]): str(c.get("text") or "") for c in context.get("clauses") or []}
    found: list[Violation] = []
    for clause_id, quote in citations:
        if clause_id not in clauses:
            found.append(
                Violation(
                    CLAUSE_NOT_GIVEN,
                    f"clause {clause_id} was not given; cite only the clauses in the prompt "
                    f"({', '.join(clauses) or 'none'}).",
                )
            )
        elif not (quoted := squash(quote)) or quoted not in squash(clauses[clause_id]):
            found.append(
                Violation(
                    QUOTE_NOT_IN_CLAUSE,
                    f"the quote {short(quote)!r} is not in clause {clause_id}; copy one sentence "
                    "of that clause exactly.",
                )
            )
    return found


def answer_violations(
    body: str, citations: Sequence[tuple[str, str]], context: dict[str, Any]
) -> list[Violation]:
    quotes = [quote for _, quote in citations]
    inserted = [*inserted_facts(context), *policy_spans(context, quotes)]
    return [
        *citation_violations(citations, context),
        *language_violations(body, context.get("language"), inserted, "the reply"),
    ]
