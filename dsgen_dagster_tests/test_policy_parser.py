"""The policy parser: the shipped document, and malformed documents with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsgen_dagster.defs.policy_graph.assets import clause_rows
from dsgen_dagster.defs.policy_graph.parser import parse_policy_file, parse_policy_text
from dsgen_dagster.errors import PolicyParseError
from dsgen_dagster.settings import SHIPPED_POLICY_PATH

GOOD = """# Policy
## 1. Returns
### 1.1 Window
Returns within 30 days.
Keep the box.

### 1.2 Software
Opened software cannot be returned.
Exception of: 1.1
"""


def test_shipped_policy_quotes_are_the_source_lines() -> None:
    policy = parse_policy_file(SHIPPED_POLICY_PATH)
    lines = SHIPPED_POLICY_PATH.read_text(encoding="utf-8").splitlines()
    rows = clause_rows(policy, "2026-03-01")
    assert len(rows) >= 30
    assert {row.section_number for row in rows} == {str(n) for n in range(1, 8)}
    for row in rows:
        assert row.quote == "\n".join(lines[row.line_start - 1 : row.line_end])
    relations = {
        kind
        for row in rows
        for kind in ("overrides", "modifies", "requires", "exception_of")
        if getattr(row, kind)
    }
    assert relations == {"overrides", "modifies", "requires", "exception_of"}


def test_relations_become_clause_ids_of_the_partition() -> None:
    rows = clause_rows(parse_policy_text(GOOD), "2026-03-01")
    assert [r.clause_id for r in rows] == ["pol_20260301_1.1", "pol_20260301_1.2"]
    assert rows[1].exception_of == ["pol_20260301_1.1"]
    assert rows[0].text == "Returns within 30 days. Keep the box."
    assert (rows[0].line_start, rows[0].line_end) == (4, 5)


@pytest.mark.parametrize(
    ("document", "line", "words"),
    [
        ("# Policy\nJust prose, no clauses.\n", None, "no clauses found"),
        ("## 1. A\n### 1.1 X\nText.\n### 1.1 Y\nMore.\n", 4, "duplicate clause number 1.1"),
        ("## 1. A\n### 1.1 X\nText.\nRequires: 9.9\n", 4, "clause 9.9, which does not exist"),
        ("## 1. A\n### 1.1 X\n\n### 1.2 Y\nText.\n", 2, "clause 1.1 has no text"),
        ("## 1. A\n### Untitled\nText.\n", 2, "has no number"),
        ("## 1. A\n### 2.1 X\nText.\n", 2, "inside section 1"),
        ("## 1. A\n### 1.1 X\nText.\nRequires: one\n", 4, "is not a clause number"),
    ],
)
def test_malformed_policy_names_the_line(document: str, line: int | None, words: str) -> None:
    with pytest.raises(PolicyParseError, match=words) as raised:
        parse_policy_text(document, path="my_policy.md")
    assert raised.value.line == line
    expected_prefix = f"my_policy.md:{line}: " if line else "my_policy.md: "
    assert str(raised.value).startswith(expected_prefix)


def test_unreadable_and_non_utf8_documents(tmp_path: Path) -> None:
    with pytest.raises(PolicyParseError, match="cannot read"):
        parse_policy_file(tmp_path / "missing.md")
    latin = tmp_path / "latin.md"
    latin.write_bytes("## 1. Rückgabe\n".encode("latin-1"))
    with pytest.raises(PolicyParseError, match="not UTF-8"):
        parse_policy_file(latin)
