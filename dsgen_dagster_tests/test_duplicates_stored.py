"""The cross-batch duplicates check against stored signatures: stored once, replaced on a
re-check, symmetric between earlier and later partitions, and back-filled when missing."""

from __future__ import annotations

from pathlib import Path

from dsgen_dagster.quality.signatures import SIGNATURES_TABLE, TEXTS_TABLE
from dsgen_dagster_tests.check_support import (
    EARLIER,
    PLANTED,
    execute,
    metadata,
    one,
    planted_copy,
    run_checks,
)

CHECK = "emails_duplicates"


def plant_near_copy_of_earlier_email(database: Path) -> tuple[str, str]:
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
    return earlier_id, current_id


def stored_texts(database: Path, partition_key: str) -> tuple[int, int]:
    return one(
        database,
        f"SELECT count(*), coalesce(sum(copies), 0) FROM {TEXTS_TABLE} "
        "WHERE partition_date = ? AND source = 'emails.body'",
        [partition_key],
    )


def test_signatures_are_stored_once_and_replaced_when_the_partition_is_rechecked(
    batch_db: Path, tmp_path: Path
) -> None:
    database = planted_copy(batch_db, tmp_path)
    before = stored_texts(database, PLANTED)
    bands = one(
        database, f"SELECT count(*) FROM {SIGNATURES_TABLE} WHERE partition_date = ?", [PLANTED]
    )

    run_checks(database, CHECK)

    assert before == (16, 16) and stored_texts(database, PLANTED) == before
    assert bands > 0 and bands == one(
        database, f"SELECT count(*) FROM {SIGNATURES_TABLE} WHERE partition_date = ?", [PLANTED]
    )


def test_a_pair_is_caught_by_the_check_that_runs_last_earlier_or_later(
    batch_db: Path, tmp_path: Path
) -> None:
    database = planted_copy(batch_db, tmp_path)
    earlier_id, current_id = plant_near_copy_of_earlier_email(database)

    later = metadata(run_checks(database, CHECK, partition_key=PLANTED)[CHECK])
    earlier = run_checks(database, CHECK, partition_key=EARLIER)[CHECK]

    assert (later["near_earlier"], later["earlier_partitions"]) == (1, 1)
    assert not earlier.passed
    found = metadata(earlier)
    assert (found["near_earlier"], found["exact_earlier"], found["duplicated"]) == (1, 0, 1)
    [example] = found["examples"]
    assert (example["id"], example["other_id"]) == (earlier_id, current_id)
    assert example["other_partition"] == PLANTED


def test_partitions_without_stored_signatures_are_signed_when_first_compared(
    batch_db: Path, tmp_path: Path
) -> None:
    database = planted_copy(batch_db, tmp_path)
    execute(database, f"DROP TABLE {TEXTS_TABLE}; DROP TABLE {SIGNATURES_TABLE}")
    plant_near_copy_of_earlier_email(database)

    found = metadata(run_checks(database, CHECK)[CHECK])

    assert (found["near_earlier"], found["earlier_partitions"], found["earlier_items"]) == (
        1,
        1,
        16,
    )
    assert stored_texts(database, EARLIER) == (16, 16)


def test_repeated_subjects_are_reported_as_rates_not_failed(batch_db: Path, tmp_path: Path) -> None:
    database = planted_copy(batch_db, tmp_path)
    first, second = execute(
        database,
        "SELECT ticket_id FROM emails WHERE partition_date = ? ORDER BY 1 LIMIT 2",
        [PLANTED],
    )
    earlier_subject = one(
        database, "SELECT min(subject) FROM emails WHERE partition_date = ?", [EARLIER]
    )
    execute(
        database,
        "UPDATE emails SET subject = ? WHERE ticket_id IN (?, ?)",
        [earlier_subject, first[0], second[0]],
    )

    evaluation = run_checks(database, CHECK)[CHECK]

    assert evaluation.passed
    found = metadata(evaluation)
    assert found["subject_exact_within"] >= 2 and found["subject_exact_other"] >= 2
    assert found["subject_exact_within_rate"] == found["subject_exact_within"] / 16


def stage_marker(database: Path, run_id: str) -> None:
    execute(
        database, "INSERT INTO staging.batches VALUES ('emails', ?, ?, now())", [EARLIER, run_id]
    )


def test_a_staged_batch_counts_until_its_staging_is_discarded_or_replaced(
    batch_db: Path, tmp_path: Path
) -> None:
    """Another partition is compared at its current version: its staged rows while a run has
    staged them (a concurrent batch, unpublished), else its published rows."""
    database = planted_copy(batch_db, tmp_path)
    earlier_id = one(
        database, "SELECT min(ticket_id) FROM emails WHERE partition_date = ?", [EARLIER]
    )
    current_id = one(
        database, "SELECT max(ticket_id) FROM emails WHERE partition_date = ?", [PLANTED]
    )
    original = one(database, "SELECT body FROM staging.emails WHERE ticket_id = ?", [earlier_id])
    execute(  # a run stages EARLIER with a near copy of PLANTED's email; nothing is published
        database,
        """UPDATE staging.emails SET body = (SELECT body FROM emails WHERE ticket_id = ?)
               || ' Thanks again.' WHERE ticket_id = ?""",
        [current_id, earlier_id],
    )
    stage_marker(database, "run-a")

    staged = metadata(run_checks(database, CHECK)[CHECK])
    assert staged["near_earlier"] == 1
    [example] = staged["examples"]
    assert (example["id"], example["other_id"]) == (current_id, earlier_id)

    execute(database, "DELETE FROM staging.batches WHERE run_id = 'run-a'")  # discarded
    discarded = metadata(run_checks(database, CHECK)[CHECK])
    assert (discarded["near_earlier"], discarded["earlier_partitions"]) == (0, 1)

    stage_marker(database, "run-a")
    assert metadata(run_checks(database, CHECK)[CHECK])["near_earlier"] == 1
    # a newer run replaces that staging with the original email
    execute(
        database, "UPDATE staging.emails SET body = ? WHERE ticket_id = ?", [original, earlier_id]
    )
    stage_marker(database, "run-b")
    replaced = metadata(run_checks(database, CHECK)[CHECK])
    assert (replaced["near_earlier"], replaced["earlier_partitions"]) == (0, 1)
