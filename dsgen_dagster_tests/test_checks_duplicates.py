"""Duplicates checks: emails within and across partitions, answers (reported), rephrasings."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dsgen_dagster.defs.rephrasings.evidence import check_rephrasings
from dsgen_dagster_tests.check_support import (
    EARLIER,
    PLANTED,
    execute,
    metadata,
    one,
    planted_copy,
    run_checks,
)


def test_clean_emails_answers_and_rephrasings_have_no_duplicates(batch_db: Path) -> None:
    names = ("emails_duplicates", "answers_duplicates", "rephrasings_duplicates")
    evaluations = run_checks(batch_db, *names)

    assert all(evaluations[name].passed for name in names)
    emails = metadata(evaluations["emails_duplicates"])
    assert (emails["items"], emails["duplicated"], emails["earlier_partitions"]) == (16, 0, 1)
    assert metadata(evaluations["answers_duplicates"])["duplicated"] == 0
    assert metadata(evaluations["rephrasings_duplicates"])["max_similarity_found"] < 0.5


def test_an_exact_duplicate_email_fails(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    source, copy = execute(
        database,
        "SELECT ticket_id FROM emails WHERE partition_date = ? ORDER BY 1 LIMIT 2",
        [PLANTED],
    )
    # Same text up to case, punctuation and spacing.
    execute(
        database,
        """UPDATE emails SET body = upper(replace((SELECT body FROM emails WHERE ticket_id = ?),
           ' ', '  ')) || ' !!' WHERE ticket_id = ?""",
        [source[0], copy[0]],
    )

    evaluation = run_checks(database, "emails_duplicates")["emails_duplicates"]

    assert not evaluation.passed
    found = metadata(evaluation)
    assert (found["exact_within"], found["duplicated"]) == (2, 2)
    assert found["duplicate_rate"] == 2 / 16
    [example] = found["examples"]
    assert (example["id"], example["other_id"], example["kind"]) == (copy[0], source[0], "exact")


def test_a_near_duplicate_across_two_partitions_fails(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    earlier_id = one(
        database, "SELECT min(ticket_id) FROM emails WHERE partition_date = ?", [EARLIER]
    )
    current_id = one(
        database, "SELECT max(ticket_id) FROM emails WHERE partition_date = ?", [PLANTED]
    )
    execute(
        database,
        """UPDATE emails SET body = (SELECT body FROM emails WHERE ticket_id = ?)
           || ' Thanks again.' WHERE ticket_id = ?""",
        [earlier_id, current_id],
    )

    evaluation = run_checks(database, "emails_duplicates")["emails_duplicates"]

    assert not evaluation.passed
    found = metadata(evaluation)
    assert (found["near_earlier"], found["exact_earlier"], found["duplicated"]) == (1, 0, 1)
    [example] = found["examples"]
    assert (example["id"], example["other_id"]) == (current_id, earlier_id)
    assert example["other_partition"] == EARLIER
    assert example["similarity"] >= 0.8
    assert found["offending_ids"] == current_id


def test_the_allowed_duplicate_rate_and_threshold_are_run_config(
    batch_db: Path, tmp_path: Path
) -> None:
    database = planted_copy(batch_db, tmp_path)
    source, copy = execute(
        database,
        "SELECT ticket_id FROM emails WHERE partition_date = ? ORDER BY 1 LIMIT 2",
        [PLANTED],
    )
    execute(
        database,
        "UPDATE emails SET body = (SELECT body FROM emails WHERE ticket_id = ?) "
        "WHERE ticket_id = ?",
        [source[0], copy[0]],
    )
    config = {"max_duplicate_rate": 0.2, "threshold": 0.9}
    run_config = {"ops": {"emails_emails_duplicates": {"config": config}}}

    evaluation = run_checks(database, "emails_duplicates", run_config=run_config)[
        "emails_duplicates"
    ]

    assert evaluation.passed
    found = metadata(evaluation)
    assert (found["duplicated"], found["max_duplicate_rate"], found["threshold"]) == (2, 0.2, 0.9)


def test_duplicate_answers_are_reported_not_failed(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    source, copy = execute(
        database,
        "SELECT ticket_id FROM answers WHERE partition_date = ? ORDER BY 1 LIMIT 2",
        [PLANTED],
    )
    execute(
        database,
        "UPDATE answers SET body = (SELECT body FROM answers WHERE ticket_id = ?) "
        "WHERE ticket_id = ?",
        [source[0], copy[0]],
    )

    evaluation = run_checks(database, "answers_duplicates")["answers_duplicates"]

    assert evaluation.passed
    found = metadata(evaluation)
    assert (found["exact_within"], found["exact_within_rate"]) == (2, 2 / 16)


def test_a_rephrasing_identical_to_its_source_fails(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    rephrasing_id = one(
        database, "SELECT max(rephrasing_id) FROM rephrasings WHERE partition_date = ?", [PLANTED]
    )
    execute(
        database,
        """UPDATE rephrasings r SET body = e.body FROM emails e
           WHERE e.partition_date = r.partition_date AND e.ticket_id = r.ticket_id
             AND r.rephrasing_id = ?""",
        [rephrasing_id],
    )

    evaluation = run_checks(database, "rephrasings_duplicates")["rephrasings_duplicates"]

    assert not evaluation.passed
    found = metadata(evaluation)
    assert (found["failed_rows"], found["too_similar"]) == (1, 1)
    assert found["offending_ids"] == rephrasing_id
    assert found["max_similarity_found"] == 1.0


def test_a_rephrasing_must_keep_its_ticket() -> None:
    emails = pl.DataFrame({"ticket_id": ["tkt_20260302_00001"], "body": ["Where is my parcel?"]})
    rephrasings = pl.DataFrame(
        {
            "rephrasing_id": [
                "rph_20260302_00001_1",
                "rph_20260302_00009_1",
                "rph_20260302_00007_2",
            ],
            "ticket_id": ["tkt_20260302_00001", "tkt_20260302_00001", "tkt_20260302_00404"],
            "variant": [1, 1, 2],
            "body": ["My parcel has not arrived, can you check?"] * 3,
        }
    )

    findings, _ = check_rephrasings(rephrasings, emails)

    assert findings.counts() == {"ticket_missing": 1, "ticket_mismatch": 1, "too_similar": 0}
    assert findings.offending_ids() == ["rph_20260302_00009_1", "rph_20260302_00007_2"]
