"""Evidence checks: what the rows claim can be traced back to where it came from.

- policy clauses: each quote is the document's source lines, each text is its quote's lines
  joined, each relation points at a clause of the same partition and its trigger phrase is on
  its recorded line (a wrapped phrase: on the stripped lines from there, joined by newlines);
- answers: each cites at least one clause, every cited clause exists in the partition's policy
  graph and belongs to the ticket's scenario, every quote appears in the cited clause's text;
- emails: each carries the order reference its information-completeness variant says it carries
  (complete, wrong_product -> the true order id; misspelled -> a near miss of it, not the id;
  missing -> none).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl

from dsgen_dagster.defs.policy_graph.models import RELATION_KINDS
from dsgen_dagster.quality.findings import Findings

# An order reference as customers and agents write it: ord_20260301_00042, or a near miss of it.
ORDER_REFERENCE = re.compile(r"\bord_[0-9][0-9_]*[0-9]\b", re.IGNORECASE)
MAX_MISSPELLING_DISTANCE = 2

POLICY_RULES = ["source_missing", "source_changed", "quote_mismatch", "text_mismatch",
                "relation_missing", "trigger_missing"]  # fmt: skip
ANSWER_RULES = ["ticket_missing", "no_citation", "citation_count_mismatch", "clause_missing",
                "clause_outside_scenario", "quote_not_in_clause"]  # fmt: skip
EMAIL_RULES = ["ticket_missing", "reference_missing", "reference_not_misspelled",
               "reference_unexpected"]  # fmt: skip


def read_document(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def check_policy_evidence(
    clauses: pl.DataFrame, read: Callable[[str], bytes | None] = read_document
) -> Findings:
    findings = Findings(rows=clauses.height, rules=list(POLICY_RULES))
    known = set(clauses.get_column("clause_id").to_list()) if clauses.height else set()
    documents: dict[str, tuple[list[str] | None, str]] = {}
    for clause in clauses.iter_rows(named=True):
        clause_id, path = clause["clause_id"], clause["source_path"]
        if path not in documents:
            raw = read(path)
            lines = raw.decode("utf-8", "replace").splitlines() if raw is not None else None
            digest = hashlib.sha256(raw).hexdigest() if raw is not None else ""
            documents[path] = (lines, digest)
        lines, digest = documents[path]
        if lines is None:
            findings.add("source_missing", clause_id, f"cannot read {path}")
        else:
            if clause["source_sha256"] and digest != clause["source_sha256"]:
                findings.add("source_changed", clause_id, f"{path} changed since it was parsed")
            expected = source_quote(lines, clause["line_start"], clause["line_end"])
            if clause["quote"] != expected:
                lines_named = f"lines {clause['line_start']}-{clause['line_end']}"
                difference = first_difference(clause["quote"], expected)
                findings.add("quote_mismatch", clause_id, f"{lines_named}: {difference}")
        joined = " ".join(line.strip() for line in (clause["quote"] or "").split("\n"))
        if clause["text"] != joined:
            findings.add("text_mismatch", clause_id, first_difference(clause["text"], joined))
        for kind in RELATION_KINDS:
            for target in clause.get(kind) or []:
                if target not in known:
                    findings.add("relation_missing", clause_id, f"{kind} {target}: no such clause")
        for relation in clause.get("relations") or []:
            if lines is not None and not trigger_on_line(
                lines, relation["trigger"], relation["line"]
            ):
                findings.add(
                    "trigger_missing",
                    clause_id,
                    f"{relation['kind']} {relation['target_id']}: {relation['trigger']!r} is not "
                    f"on line {relation['line']}",
                )
    return findings


def trigger_on_line(lines: list[str], trigger: str, line: int) -> bool:
    """The phrase starts on `line`; one wrapped over lines is matched line break for line break."""
    span = lines[max(line, 1) - 1 : line + trigger.count("\n")]
    return bool(trigger) and trigger in "\n".join(part.strip() for part in span)


def source_quote(lines: list[str], start: int, end: int) -> str:
    """The document's lines start..end (1-based) as the parser quotes them: blank lines dropped."""
    span = [line.rstrip() for line in lines[max(start, 1) - 1 : end]]
    return "\n".join(line for line in span if line.strip())


def first_difference(actual: str | None, expected: str | None) -> str:
    """Where two texts part, word by word: enough to see a one-word slip in the metadata."""
    got, want = (actual or "").split(), (expected or "").split()
    for index, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return f"word {index + 1}: {a!r} where the source has {b!r}"
    if len(got) != len(want):
        return f"{len(got)} words where the source has {len(want)}"
    return "whitespace differs"


def check_answer_evidence(
    answers: pl.DataFrame, topics: pl.DataFrame, clauses: pl.DataFrame
) -> Findings:
    findings = Findings(rows=answers.height, rules=list(ANSWER_RULES))
    scenario = {
        row["ticket_id"]: set(row["clause_ids"] or []) for row in topics.iter_rows(named=True)
    }
    clause_text = {row["clause_id"]: _squash(row["text"]) for row in clauses.iter_rows(named=True)}
    for answer in answers.iter_rows(named=True):
        ticket_id = answer["ticket_id"]
        cited, quotes = answer["cited_clause_ids"] or [], answer["cited_quotes"] or []
        if ticket_id not in scenario:
            findings.add("ticket_missing", ticket_id, "no topic row for this ticket")
        if not cited:
            findings.add("no_citation", ticket_id, "the answer cites no clause")
        if len(cited) != len(quotes):
            findings.add(
                "citation_count_mismatch",
                ticket_id,
                f"{len(cited)} clause ids, {len(quotes)} quotes",
            )
        for clause_id, quote in zip(cited, quotes, strict=False):
            if clause_id not in clause_text:
                findings.add("clause_missing", ticket_id, f"{clause_id} is not in the policy graph")
                continue
            if ticket_id in scenario and clause_id not in scenario[ticket_id]:
                findings.add(
                    "clause_outside_scenario",
                    ticket_id,
                    f"{clause_id} is not one of the scenario's {sorted(scenario[ticket_id])}",
                )
            if _squash(quote) not in clause_text[clause_id]:
                findings.add(
                    "quote_not_in_clause",
                    ticket_id,
                    f"{clause_id}: {quote[:120]!r} is not in its text",
                )
    return findings


def _squash(text: str | None) -> str:
    """Whitespace runs as one space: a quote may wrap differently from the clause's text."""
    return " ".join((text or "").split())


def check_email_evidence(emails: pl.DataFrame, topics: pl.DataFrame) -> Findings:
    findings = Findings(rows=emails.height, rules=list(EMAIL_RULES))
    topic_of = {row["ticket_id"]: row for row in topics.iter_rows(named=True)}
    for email in emails.iter_rows(named=True):
        ticket_id = email["ticket_id"]
        topic = topic_of.get(ticket_id)
        if topic is None:
            findings.add("ticket_missing", ticket_id, "no topic row for this ticket")
            continue
        found = order_references(f"{email['subject'] or ''}\n{email['body'] or ''}")
        order_id, variant = topic["order_id"], topic["info_completeness"]
        if variant in ("complete", "wrong_product") and order_id not in found:
            findings.add(
                "reference_missing",
                ticket_id,
                f"complete: expected {order_id}, found {found or 'none'}",
            )
        elif variant == "misspelled":
            near = [r for r in found if 0 < edit_distance(r, order_id) <= MAX_MISSPELLING_DISTANCE]
            if order_id in found or not near:
                findings.add(
                    "reference_not_misspelled",
                    ticket_id,
                    f"misspelled: expected a near miss of {order_id}, found {found or 'none'}",
                )
        elif variant == "missing" and found:
            findings.add("reference_unexpected", ticket_id, f"missing: found {found}")
    return findings


def order_references(text: str) -> list[str]:
    return list(dict.fromkeys(match.lower() for match in ORDER_REFERENCE.findall(text)))


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
