"""Rephrasings must keep their ticket and really differ from the email they rephrase: the
`rephrasings_duplicates` check, with a configurable threshold (the rule `too_similar` of
`rules.py` at its default is what generation enforces)."""

from __future__ import annotations

import polars as pl

from dsgen_dagster import ids
from dsgen_dagster.defs.rephrasings.rules import TOO_SIMILAR
from dsgen_dagster.quality.duplicates import DEFAULT_THRESHOLD
from dsgen_dagster.quality.findings import Findings
from dsgen_dagster.quality.text import DEFAULT_SHINGLE_SIZE, jaccard

REPHRASING_RULES = ["ticket_missing", "ticket_mismatch", TOO_SIMILAR]


def check_rephrasings(
    rephrasings: pl.DataFrame,
    emails: pl.DataFrame,
    *,
    max_similarity: float = DEFAULT_THRESHOLD,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
) -> tuple[Findings, dict[str, float]]:
    """Findings, and the similarity of rephrasings to their sources (max and mean) as metadata."""
    findings = Findings(rows=rephrasings.height, rules=list(REPHRASING_RULES))
    source = {row["ticket_id"]: row["body"] for row in emails.iter_rows(named=True)}
    similarities = []
    for row in rephrasings.iter_rows(named=True):
        rephrasing_id, ticket_id = row["rephrasing_id"], row["ticket_id"]
        if ticket_id not in source:
            findings.add("ticket_missing", rephrasing_id, f"no email for {ticket_id}")
            continue
        expected_id = ids.child_id(ids.REPHRASING_PREFIX, ticket_id, str(row["variant"]))
        if rephrasing_id != expected_id:
            findings.add(
                "ticket_mismatch",
                rephrasing_id,
                f"variant {row['variant']} of {ticket_id} should be {expected_id}",
            )
        similarity = jaccard(row["body"] or "", source[ticket_id] or "", n=shingle_size)
        similarities.append(similarity)
        if similarity >= max_similarity:
            findings.add(
                TOO_SIMILAR,
                rephrasing_id,
                f"similarity {similarity:.3f} to the email of {ticket_id} (limit {max_similarity})",
            )
    summary = {
        "max_similarity_found": round(max(similarities), 4) if similarities else 0.0,
        "mean_similarity": round(sum(similarities) / len(similarities), 4) if similarities else 0.0,
    }
    return findings, summary
