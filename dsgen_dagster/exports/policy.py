"""The card's account of the policy the batches were grounded in: clauses, layouts, relations."""

from __future__ import annotations

import re
from collections import Counter

import polars as pl

# How a clause is numbered in the document (the parser reads each of these layouts).
LAYOUTS = (
    ("numbered `1.2`", re.compile(r"^\d+(\.\d+)+$")),
    ("lettered `3(b)`", re.compile(r"^\d+(\.\d+)*\([a-z0-9]+\)$", re.IGNORECASE)),
    ("list item `2.`", re.compile(r"^\d+\.?$")),
    ("code `POL-RET-001`", re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")),
)


def layout(clause_number: str, kind: str) -> str:
    if kind == "definition":
        return "definition (a term)"
    for name, pattern in LAYOUTS:
        if pattern.match(clause_number):
            return name
    return "other"


def relation_kinds(policy: pl.DataFrame) -> Counter[str]:
    kinds: Counter[str] = Counter()
    if "relations" in policy.columns:
        for relations in policy["relations"].to_list():
            kinds.update(relation["kind"] for relation in relations or [])
    return kinds


def one_policy(policy: pl.DataFrame) -> list[str]:
    layouts = Counter(
        layout(number, kind)
        for number, kind in zip(policy["clause_number"], policy["kind"], strict=True)
    )
    relations = relation_kinds(policy)
    name = policy["source_path"][0]
    sha = policy["source_sha256"][0]
    return [
        f"- `{name}` (sha256 `{sha[:12]}…`): {policy.height} clauses in "
        f"{policy['section'].n_unique()} sections",
        "  - layouts: " + ", ".join(f"{n} {count}" for n, count in sorted(layouts.items())),
        "  - relations: "
        + (", ".join(f"{kind} {count}" for kind, count in sorted(relations.items())) or "none"),
    ]


def policy_lines(policy_graph: pl.DataFrame | None) -> list[str]:
    """One entry per distinct policy document, counted on the first batch that used it."""
    if policy_graph is None or policy_graph.is_empty():
        return ["No policy clauses were exported."]
    lines = []
    for sha in policy_graph["source_sha256"].unique(maintain_order=True).to_list():
        rows = policy_graph.filter(pl.col("source_sha256") == sha)
        first = rows.filter(pl.col("partition_date") == rows["partition_date"].min())
        lines += one_policy(first)
    return lines
