"""Evidence that the policy graph is the document's own: each quote is the document's source
lines, each text is its quote's lines joined, each relation points at a clause of the same
partition and its trigger phrase is on its recorded line (a wrapped phrase: on the stripped lines
from there, joined by newlines).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import polars as pl

from dsgen_dagster.defs.policy_graph.models import RELATION_KINDS
from dsgen_dagster.quality.evidence import first_difference
from dsgen_dagster.quality.findings import Findings

POLICY_RULES = ["source_missing", "source_changed", "quote_mismatch", "text_mismatch",
                "relation_missing", "trigger_missing"]  # fmt: skip


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
