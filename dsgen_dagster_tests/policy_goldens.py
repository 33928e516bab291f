"""Policy fixtures and their goldens, and how well the parser's relations match them.

Two groups under fixtures/policies/: `tuned/` (the parser was tuned on them; tests assert their
goldens exactly) and `heldout/` (written with their goldens before the parser, never tuned on;
tests assert clauses exactly and relations above a floor). A relation matches a golden one when
kind, source and target agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dsgen_dagster.defs.policy_graph.parser import ParsedPolicy, parse_policy_file

POLICIES = Path(__file__).parent / "fixtures" / "policies"
GROUPS = ("tuned", "heldout")


def fixtures(group: str) -> list[Path]:
    return sorted((POLICIES / group).glob("*.md"))


def golden(document: Path) -> dict[str, list[list[object]]]:
    loaded: dict[str, list[list[object]]] = json.loads(
        document.with_suffix(".json").read_text(encoding="utf-8")
    )
    return loaded


def parsed_clauses(policy: ParsedPolicy) -> list[list[object]]:
    return [[c.number, c.text_lines[0][0], c.text_lines[-1][0], c.kind] for c in policy.clauses]


def parsed_relations(policy: ParsedPolicy) -> list[list[object]]:
    return [[r.kind, c.number, r.target, r.trigger] for c in policy.clauses for r in c.relations]


def parsed_unresolved(policy: ParsedPolicy) -> list[list[object]]:
    return [[u.source, u.target, u.line] for u in policy.unresolved]


@dataclass(frozen=True)
class Score:
    name: str
    expected: int
    found: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def score(document: Path) -> Score:
    expected = {tuple(r[:3]) for r in golden(document)["relations"]}
    found = {tuple(r[:3]) for r in parsed_relations(parse_policy_file(document))}
    return Score(document.stem, len(expected), len(found), len(expected & found))


def table() -> str:
    rows = ["group    fixture      golden  found  matched  precision  recall"]
    for group in GROUPS:
        scores = [score(document) for document in fixtures(group)]
        total = Score(
            "ALL",
            sum(s.expected for s in scores),
            sum(s.found for s in scores),
            sum(s.matched for s in scores),
        )
        for s in [*scores, total]:
            rows.append(
                f"{group:8} {s.name:12} {s.expected:6} {s.found:6} {s.matched:8} "
                f"{s.precision:10.2f} {s.recall:7.2f}"
            )
    return "\n".join(rows)


def generated_policy(clause_count: int, per_section: int = 10) -> str:
    """A policy of `clause_count` clauses in the shipped layout and numbered paragraphs, each
    with prose references to its neighbours, for timing."""
    out = ["# Generated policy", ""]
    for index in range(clause_count):
        section, n = divmod(index, per_section)
        number = f"{section + 1}.{n + 1}"
        if n == 0:
            out += [f"## {section + 1}. Section {section + 1}", ""]
        previous = f"{section + 1}.{n}" if n else f"{section + 1}.1"
        body = (
            f"Customers may claim EUR 4.99 within 30 days, subject to {previous}, and in\n"
            f"addition to the rules in section {section + 1} the fee of 2.5 % applies."
        )
        if index % 2:
            out += [f"### {number} Clause {number}", body, ""]
        else:
            out += [f"{number} {body}", ""]
    return "\n".join(out)
