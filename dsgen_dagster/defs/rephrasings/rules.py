"""The content rules of a rephrased email, over (subject, body) and the request's context.

- it keeps the order reference exactly (the emails rule: verbatim, or none when there is none);
- it differs enough from its source: the word-shingle Jaccard similarity of the bodies stays below
  the threshold the `rephrasings_duplicates` check uses by default.
"""

from __future__ import annotations

from typing import Any

from dsgen_dagster.defs.emails.rules import reference_violations
from dsgen_dagster.quality.duplicates import DEFAULT_THRESHOLD
from dsgen_dagster.quality.rules import Violation
from dsgen_dagster.quality.text import DEFAULT_SHINGLE_SIZE, jaccard

TOO_SIMILAR = "too_similar"
RULES = ["reference_missing", "reference_not_misspelled", "reference_unexpected", TOO_SIMILAR]


def similarity_violations(
    body: str,
    source: str,
    *,
    max_similarity: float = DEFAULT_THRESHOLD,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
) -> list[Violation]:
    similarity = jaccard(body, source, n=shingle_size)
    if similarity < max_similarity:
        return []
    return [
        Violation(
            TOO_SIMILAR,
            f"the rewrite is too close to the original (word 5-gram similarity {similarity:.2f}, "
            f"limit {max_similarity}); change the wording and the order of the sentences.",
        )
    ]


def rephrasing_violations(subject: str, body: str, context: dict[str, Any]) -> list[Violation]:
    source = (context.get("email") or {}).get("body") or ""
    return [
        *reference_violations(f"{subject}\n{body}", context, "the rewrite"),
        *similarity_violations(body, source),
    ]
