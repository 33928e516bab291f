"""The policy parser: the shipped document, and malformed documents with clear errors."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from dsgen_dagster.defs.policy_graph.assets import clause_frame, clause_rows, policy_graph
from dsgen_dagster.defs.policy_graph.evidence import check_policy_evidence, trigger_on_line
from dsgen_dagster.defs.policy_graph.parser import (
    ParsedPolicy,
    parse_policy_file,
    parse_policy_text,
)
from dsgen_dagster.errors import PolicyParseError
from dsgen_dagster.settings import SHIPPED_POLICY_PATH
from dsgen_dagster_tests.conftest import PARTITIONS, materialize_batch
from dsgen_dagster_tests.policy_goldens import (
    POLICIES,
    fixtures,
    generated_policy,
    golden,
    parsed_clauses,
    parsed_relations,
    parsed_unresolved,
    score,
    table,
)

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
        ("# Policy\n## Untitled\nText without a number.\n", None, "no clauses found"),
        ("## 1. A\n1.1 Text.\n\n1.1 Again.\n", 4, "duplicate clause number 1.1"),
        ("## 1. A\n### 1.1 X\nText.\nRequires: 1.1\n", 4, "relates to itself"),
        ("## 1. A\n### 1.1 X\nText.\nRequires: 1.1\nMore text.\n", 5, "after its relation"),
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
    latin.write_bytes("# Policy\n## 1. Rückgabe\n".encode("latin-1"))
    with pytest.raises(PolicyParseError, match="not UTF-8") as raised:
        parse_policy_file(latin)
    assert str(raised.value).startswith(f"{latin}:2: ")


def test_shipped_policy_parses_as_before() -> None:
    """data/policy.md gives the clauses, titles, spans and relations the line parser gave."""
    policy = parse_policy_file(SHIPPED_POLICY_PATH)
    expected = golden(POLICIES / "tuned" / "shipped.md")
    assert parsed_clauses(policy) == expected["clauses"]
    assert {c.number: c.title for c in policy.clauses} == expected["titles"]
    assert parsed_relations(policy) == expected["relations"]
    assert SHIPPED_POLICY_PATH.read_bytes() == (POLICIES / "tuned" / "shipped.md").read_bytes()


@pytest.mark.parametrize("document", fixtures("tuned"), ids=lambda p: p.stem)
def test_tuned_fixtures_match_their_goldens_exactly(document: Path) -> None:
    policy = parse_policy_file(document)
    expected = golden(document)
    assert parsed_clauses(policy) == expected["clauses"]
    assert {c.number: c.title for c in policy.clauses} == expected["titles"]
    assert parsed_relations(policy) == expected["relations"]
    assert parsed_unresolved(policy) == expected["unresolved"]
    assert_quotes_are_source_lines(policy, document)


# Relations on the held-out fixtures, kind+source+target, all fixtures together. A regression
# floor set just under what was measured with per-mention typing (issue 11, second pass): 0.89
# precision, 0.89 recall over 47 relations (airline, insurance 1.00; bank 0.89; carrental 0.85).
# Before it: 0.73/0.70. Not a target.
HELD_OUT_PRECISION_FLOOR = 0.85
HELD_OUT_RECALL_FLOOR = 0.85


@pytest.mark.parametrize("document", fixtures("heldout"), ids=lambda p: p.stem)
def test_held_out_fixtures_clauses_are_exact(document: Path) -> None:
    policy = parse_policy_file(document)
    assert parsed_clauses(policy) == golden(document)["clauses"]
    assert_quotes_are_source_lines(policy, document)


def test_held_out_relations_above_the_floor() -> None:
    scores = [score(document) for document in fixtures("heldout")]
    matched = sum(s.matched for s in scores)
    assert matched / sum(s.found for s in scores) >= HELD_OUT_PRECISION_FLOOR, table()
    assert matched / sum(s.expected for s in scores) >= HELD_OUT_RECALL_FLOOR, table()


def assert_quotes_are_source_lines(policy: ParsedPolicy, document: Path) -> None:
    lines = document.read_text(encoding="utf-8").splitlines()
    frame = clause_frame(clause_rows(policy, "2026-03-01"))
    findings = check_policy_evidence(frame, read=lambda path: document.read_bytes())
    assert findings.result().passed, findings.result().metadata
    for clause in policy.clauses:
        for relation in clause.relations:
            assert trigger_on_line(lines, relation.trigger, relation.line), relation


def test_numbered_paragraphs_under_a_clause_heading_are_sub_clauses() -> None:
    document = (
        "## 2. Refunds\n### 2.1 Window\nRefunds within 14 days.\n\n2.1.1 Sale items within 7\n"
        "days.\n1. item one\n2. item two\n"
    )
    policy = parse_policy_text(document)
    assert parsed_clauses(policy) == [["2.1", 3, 3, "clause"], ["2.1.1", 5, 8, "clause"]]
    assert policy.clauses[1].text == "2.1.1 Sale items within 7 days. 1. item one 2. item two"


def test_renumbered_list_items_and_lettered_items_fold_into_their_clause() -> None:
    document = "## 1 Fees\n1.1 Fees are:\n1. one\n1. two\n(a) three\nb) four\n(ii) five\n"
    policy = parse_policy_text(document)
    assert parsed_clauses(policy) == [["1.1", 2, 7, "clause"]]


@pytest.mark.parametrize(
    "sentence",
    [
        "A fee of EUR 4.99 applies in 2.5 % of cases.",
        "Interest of 1.5 % per month is due under version 2.0 of the tariff.",
        "Claims are paid within 30 days, or in 14 days from 15.01.2026.",
        "Refunds under 1.5 times the fee are paid in 3 days.",
        "Fees range from 1.50 to 2.75 EUR and are multiplied by 1.5 at night.",
        "Prices rise by 2.5 % from 1.5.2026.",
    ],
)
def test_amounts_durations_and_dates_are_no_references(sentence: str) -> None:
    policy = parse_policy_text(f"## 1 A\n1.1 First.\n\n1.2 {sentence}\n\n1.5 Fifth.\n")
    assert [c.relations for c in policy.clauses] == [[], [], []]
    assert policy.unresolved == []


def test_prose_relations_typed_and_explicit_lines_win() -> None:
    document = (
        "## 1 A\n1.1 Base.\n\n1.2 Subject to 1.1 or 1.3, and notwithstanding [POL-X-1].\n"
        "Overrides: 1.3\n\n1.3 Third.\n\n[POL-X-1] Bracketed, see section 9 and Clause 1.1.\n"
    )
    policy = parse_policy_text(document)
    assert parsed_relations(policy) == [
        ["overrides", "1.2", "1.3", "Overrides"],
        ["requires", "1.2", "1.1", "Subject to"],
        ["overrides", "1.2", "POL-X-1", "notwithstanding"],
        ["references", "POL-X-1", "1.1", "Clause 1.1"],
    ]
    assert parsed_unresolved(policy) == [["POL-X-1", "9", 9]]
    rows = clause_rows(policy, "2026-03-01")
    assert rows[1].overrides == ["pol_20260301_1.3", "pol_20260301_POL-X-1"]
    assert rows[1].requires == ["pol_20260301_1.1"]
    assert rows[3].clause_id == "pol_20260301_POL-X-1"


def test_each_mention_takes_its_own_trigger() -> None:
    document = (
        "## 1 A\n1.1 Base.\n\n1.2 Second.\n\n1.3 Third.\n\n1.4 Fourth.\n\n"
        "1.5 Notwithstanding 1.1, fees under 1.2 are excluded from 1.3 or 1.4 (see 2.1).\n\n"
        "1.6 Claims covered by 1.1 are paid instead of the refund in\n1.2; the limit in 1.3 does"
        " not apply and the fee is subject\nto 1.5.\n\n## 2 B\n2.1 Other.\n"
    )
    policy = parse_policy_text(document)
    assert parsed_relations(policy) == [
        ["overrides", "1.5", "1.1", "Notwithstanding"],
        ["references", "1.5", "1.2", "1.2"],
        ["exception_of", "1.5", "1.3", "excluded from"],
        ["exception_of", "1.5", "1.4", "excluded from"],
        ["references", "1.5", "2.1", "2.1"],
        ["references", "1.6", "1.1", "1.1"],
        ["modifies", "1.6", "1.2", "instead of"],
        ["overrides", "1.6", "1.3", "does not apply"],
        ["requires", "1.6", "1.5", "subject\nto"],
    ]
    sixth = {r.target: r for r in policy.clauses[5].relations}
    assert (sixth["1.2"].line, sixth["1.3"].line, sixth["1.5"].line) == (12, 13, 13)
    # Unsure typings say why; the optional LLM re-typing reads only those.
    assert sixth["1.1"].ambiguous == "a cue in the sentence governs another mention"
    assert sixth["1.2"].ambiguous == ""
    assert policy.clauses[4].relations[0].ambiguous == "cues of two kinds in one sentence"


def test_definitions_are_clauses_of_kind_definition() -> None:
    rows = clause_rows(parse_policy_file(POLICIES / "tuned" / "telecom.md"), "2026-03-01")
    definition = rows[0]
    assert (definition.kind, definition.clause_number, definition.title) == (
        "definition",
        "Billing Period",
        "Billing Period",
    )
    assert definition.clause_id == "pol_20260301_Billing-Period"
    assert definition.section_number == "1"


def test_a_trigger_not_on_its_line_is_an_evidence_finding() -> None:
    policy = parse_policy_file(POLICIES / "tuned" / "saas.md")
    rows = clause_rows(policy, "2026-03-01")
    moved = rows[1].relations[0].model_copy(update={"line": 1})
    rows[1] = rows[1].model_copy(update={"relations": [moved]})
    path = POLICIES / "tuned" / "saas.md"
    findings = check_policy_evidence(clause_frame(rows), read=lambda _: path.read_bytes())
    result = findings.result()
    assert not result.passed
    assert result.metadata["rule_counts"].value["trigger_missing"] == 1


def test_five_thousand_clauses_parse_in_seconds() -> None:
    started = time.perf_counter()
    policy = parse_policy_text(generated_policy(5000))
    assert len(policy.clauses) == 5000
    assert time.perf_counter() - started < 20  # a few seconds here; slack for a shared machine


def test_asset_stores_relations_and_reports_unresolved_mentions(tmp_path: Path) -> None:
    database = tmp_path / "telecom.duckdb"
    policy = POLICIES / "tuned" / "telecom.md"
    result = materialize_batch(
        database, PARTITIONS[0], selection=[policy_graph], DSGEN_POLICY_PATH=str(policy)
    )
    (materialization,) = result.asset_materializations_for_node("policy_graph")
    metadata = materialization.metadata
    assert metadata["unresolved_references"].value == 1
    assert "clause 4.3 mentions 6.2" in str(metadata["unresolved_first"].value)
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "SELECT clause_id, r.kind, r.target_id, r.trigger, r.line FROM staging.policy_graph, "
            "unnest(relations) AS t(r) WHERE clause_number = '2.5'"
        ).fetchall()
    assert rows == [("pol_20260301_2.5", "requires", "pol_20260301_2.4", "subject to", 26)]


def test_a_numbered_section_with_only_text_is_one_clause() -> None:
    document = "## 7. Governing law\nThis policy is governed\nby Irish law.\n### Notes\nAside.\n"
    policy = parse_policy_text(document)
    assert parsed_clauses(policy) == [["7", 2, 3, "clause"]]
    assert (policy.clauses[0].title, policy.clauses[0].text) == (
        "Governing law",
        "This policy is governed by Irish law.",
    )


def test_setext_and_unnumbered_headings_are_sections() -> None:
    document = "Returns\n=======\n\n§ 1.1 Within 30 days.\n\n## Refunds\n\n2.1 In 14 days.\n"
    policy = parse_policy_text(document)
    assert [(c.number, c.section_number, c.section) for c in policy.clauses] == [
        ("1.1", "", "Returns"),
        ("2.1", "", "Refunds"),
    ]


def test_word_export_pseudo_headings() -> None:
    """Bold-only lines and `1. General` list items standing for headings."""
    document = (
        "1. General\n1.1 These terms apply to all plans.\n1.2 They replace earlier terms.\n\n"
        "**2. Billing**\n\n2.1 Bills are monthly.\n\n**2.2 Direct debit**\nCollected on day 5.\n"
        "1. Not a section\n"
    )
    policy = parse_policy_text(document)
    assert [(c.number, c.section_number, c.section, c.title) for c in policy.clauses] == [
        ("1.1", "1", "General", ""),
        ("1.2", "1", "General", ""),
        ("2.1", "2", "Billing", ""),
        ("2.2", "2", "Billing", "Direct debit"),
    ]
    assert parsed_clauses(policy)[-1] == ["2.2", 10, 11, "clause"]
