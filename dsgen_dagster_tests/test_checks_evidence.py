"""Evidence checks: policy quotes, answer citations and email order references."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsgen_dagster.defs.emails.rules import order_tokens
from dsgen_dagster.defs.policy_graph.evidence import source_quote
from dsgen_dagster.quality.evidence import edit_distance, first_difference
from dsgen_dagster_tests.check_support import (
    PLANTED,
    execute,
    metadata,
    one,
    planted_copy,
    run_checks,
)


def test_order_references_and_their_distance() -> None:
    text = "Order ORD-20260301-00042, or was it ord_20260301_0042? Not ord_x or order_1."
    assert order_tokens(text) == ["ORD-20260301-00042", "ord_20260301_0042"]
    assert edit_distance("ord_1_00042", "ord_1_00042") == 0
    assert edit_distance("ord_1_00042", "ord_1_00024") == 1  # adjacent swap
    assert edit_distance("ord_1_00042", "ord_1_0042") == 1  # dropped digit
    assert edit_distance("ord_1_00042", "ord_1_00943") == 2


def test_source_quote_and_first_difference() -> None:
    lines = ["### 1.1 Title", "First line.", "", "Second line.  ", "Requires: 1.2"]
    assert source_quote(lines, 2, 4) == "First line.\nSecond line."
    assert first_difference("a b c", "a x c") == "word 2: 'b' where the source has 'x'"
    assert first_difference("a b", "a b c") == "2 words where the source has 3"


def test_a_quote_off_by_one_word_fails(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    clause_id, quote = one(
        database,
        "SELECT clause_id, quote FROM policy_graph WHERE partition_date = ? ORDER BY clause_id",
        [PLANTED],
    )
    words = quote.split(" ")
    words[2] = "never"
    execute(
        database,
        "UPDATE policy_graph SET quote = ? WHERE clause_id = ?",
        [" ".join(words), clause_id],
    )

    evaluation = run_checks(database, "policy_graph_evidence")["policy_graph_evidence"]

    assert not evaluation.passed
    found = metadata(evaluation)
    assert found["failed_rows"] == 1
    assert found["quote_mismatch"] == 1
    assert found["offending_ids"] == clause_id
    assert "'never'" in found["offending_rows"][0]["detail"]


def test_a_relation_to_a_missing_clause_fails(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    clause_id = one(
        database, "SELECT max(clause_id) FROM policy_graph WHERE partition_date = ?", [PLANTED]
    )
    execute(
        database,
        "UPDATE policy_graph SET requires = ['pol_20260302_9.9'] WHERE clause_id = ?",
        [clause_id],
    )

    found = metadata(run_checks(database, "policy_graph_evidence")["policy_graph_evidence"])

    assert (found["failed_rows"], found["relation_missing"]) == (1, 1)
    assert found["offending_ids"] == clause_id


def cite(database: Path, ticket_id: str, clause_id: str, quote: str) -> None:
    execute(
        database,
        "UPDATE answers SET cited_clause_ids = [?], cited_quotes = [?] WHERE ticket_id = ?",
        [clause_id, quote, ticket_id],
    )


def test_a_citation_of_a_missing_clause_fails(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    ticket_id, quote = one(
        database,
        "SELECT ticket_id, cited_quotes[1] FROM answers WHERE partition_date = ? ORDER BY 1",
        [PLANTED],
    )
    cite(database, ticket_id, "pol_20260302_9.9", quote)

    evaluation = run_checks(database, "answers_evidence")["answers_evidence"]

    assert not evaluation.passed
    found = metadata(evaluation)
    assert (found["failed_rows"], found["clause_not_given"]) == (1, 1)
    assert found["offending_ids"] == ticket_id


def test_a_citation_of_a_clause_outside_the_scenario_fails(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    ticket_id, outside, text = one(
        database,
        """SELECT t.ticket_id, p.clause_id, p.text
           FROM topics t JOIN policy_graph p USING (partition_date)
           WHERE t.partition_date = ? AND NOT list_contains(t.clause_ids, p.clause_id)
           ORDER BY t.ticket_id, p.clause_id""",
        [PLANTED],
    )
    cite(database, ticket_id, outside, text[:40])  # a verbatim quote, of the wrong clause

    found = metadata(run_checks(database, "answers_evidence")["answers_evidence"])

    assert (found["failed_rows"], found["clause_not_given"]) == (1, 1)
    assert found["rule_counts"]["quote_not_in_clause"] == 0
    assert found["offending_ids"] == ticket_id


def test_a_quote_not_in_the_cited_clause_fails(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    ticket_id, clause_id = one(
        database,
        "SELECT ticket_id, cited_clause_ids[1] FROM answers WHERE partition_date = ? ORDER BY 1",
        [PLANTED],
    )
    cite(database, ticket_id, clause_id, "Refunds are always paid in cash within one hour.")

    found = metadata(run_checks(database, "answers_evidence")["answers_evidence"])

    assert (found["failed_rows"], found["quote_not_in_clause"]) == (1, 1)


@pytest.mark.parametrize(
    ("variant", "rule"),
    [
        ("complete", "reference_missing"),
        ("misspelled", "reference_not_misspelled"),
        ("missing", "reference_unexpected"),
    ],
)
def test_an_email_with_the_wrong_order_number_fails(
    batch_db: Path, tmp_path: Path, variant: str, rule: str
) -> None:
    database = planted_copy(batch_db, tmp_path)
    ticket_id, order_id, reference = one(
        database,
        """SELECT ticket_id, order_id, order_reference FROM topics
           WHERE partition_date = ? AND info_completeness = ? ORDER BY ticket_id""",
        [PLANTED, variant],
    )
    other_order = one(
        database,
        "SELECT max(order_id) FROM orders WHERE partition_date = ? AND order_id <> ?",
        [PLANTED, order_id],
    )
    if variant == "complete":  # another order's number instead of the true one
        edit = "replace(body, ?, ?)", [order_id, other_order]
    elif variant == "misspelled":  # the true number instead of the near miss
        edit = "replace(body, ?, ?)", [reference, order_id]
    else:  # a number where the scenario says the customer has none
        edit = "body || ' My order number is ' || ? || '.'", [order_id]
    execute(
        database,
        f"UPDATE emails SET body = {edit[0]}, subject = 'Help' WHERE ticket_id = ?",
        [*edit[1], ticket_id],
    )

    evaluation = run_checks(database, "emails_evidence")["emails_evidence"]

    assert not evaluation.passed
    found = metadata(evaluation)
    assert (found["failed_rows"], found[rule]) == (1, 1)
    assert found["offending_ids"] == ticket_id
