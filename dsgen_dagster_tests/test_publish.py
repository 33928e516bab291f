"""Write, audit, publish: a batch is published whole or not at all."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.defs.answers.assets import STAGE as ANSWERS
from dsgen_dagster.errors import LLMError
from dsgen_dagster.lib.stage import llm_stage_asset
from dsgen_dagster_tests.conftest import offline_resources

PARTITION = "2026-04-20"


def published_state(database: Path) -> dict[str, Any]:
    """What a reader sees: the published tables, the tickets view, the manifest."""
    with duckdb.connect(str(database), read_only=True) as connection:

        def rows(sql: str) -> list[tuple]:
            return connection.execute(sql).fetchall()

        return {
            "topics": rows("SELECT ticket_id, order_id FROM topics ORDER BY 1"),
            "orders": rows("SELECT order_id FROM orders ORDER BY 1"),
            "tickets": rows(
                "SELECT ticket_id, language, subject, answer FROM tickets ORDER BY 1, 2"
            ),
            "manifest": rows("SELECT partition_key, tickets, created_at, row_counts FROM manifest"),
        }


def failing_answers(context: dict[str, Any], rng: random.Random) -> Any:
    raise LLMError("the endpoint is down")


def test_a_failed_run_leaves_the_published_batch_exactly_as_it_was(tmp_path: Path) -> None:
    database = tmp_path / "db.duckdb"
    first = dg.materialize(
        [*all_assets(), *all_checks()],
        resources=offline_resources(database, DSGEN_TICKETS_PER_BATCH="6"),
        partition_key=PARTITION,
    )
    assert first.success
    before = published_state(database)
    assert len(before["topics"]) == 6 and before["manifest"][0][1] == 6

    # Changed settings, then the provider fails in answers: entities and topics are re-made.
    broken = llm_stage_asset(dataclasses.replace(ANSWERS, compose_offline=failing_answers))
    assets = [broken if asset.keys == broken.keys else asset for asset in all_assets()]
    failed = dg.materialize(
        [*assets, *all_checks()],
        resources=offline_resources(database, DSGEN_TICKETS_PER_BATCH="3"),
        partition_key=PARTITION,
        raise_on_error=False,
    )
    assert not failed.success
    assert published_state(database) == before
    with duckdb.connect(str(database), read_only=True) as connection:
        (staged_topics,) = connection.execute(
            "SELECT count(*) FROM staging.topics WHERE partition_date = ?", [PARTITION]
        ).fetchone()  # type: ignore[misc]
    assert staged_topics == 3  # the failed run's work waits in staging

    resumed = dg.materialize(
        [*all_assets(), *all_checks()],
        resources=offline_resources(database, DSGEN_TICKETS_PER_BATCH="3"),
        partition_key=PARTITION,
    )
    assert resumed.success
    after = published_state(database)
    assert len(after["topics"]) == 3 and after["manifest"][0][1] == 3
    assert {order for (_, order) in after["topics"]} <= {order for (order,) in after["orders"]}
    assert {ticket for ticket, *_ in after["tickets"]} == {ticket for ticket, _ in after["topics"]}


def test_rows_that_fail_a_blocking_check_never_reach_the_published_tables(
    tmp_path: Path,
) -> None:
    """Generation rejects what it can see is wrong; a defect only a check finds (here planted in
    staging after generation) must still stop the publish step."""
    database = tmp_path / "db.duckdb"
    resources = offline_resources(database, DSGEN_TICKETS_PER_BATCH="4")
    assert dg.materialize(
        [*all_assets(), *all_checks()], resources=resources, partition_key=PARTITION
    ).success
    before = published_state(database)

    changed = offline_resources(database, DSGEN_TICKETS_PER_BATCH="4", DSGEN_SEED="5")
    staged_only = [a for a in all_assets() if dg.AssetKey("manifest") not in a.keys]
    assert dg.materialize(staged_only, resources=changed, partition_key=PARTITION).success
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "UPDATE staging.emails SET body = body || ' My order is ord_20260420_99999.'"
        )
    instance = dg.DagsterInstance.ephemeral()  # the check's outcome, for the run after it
    result = dg.materialize(
        [*all_assets(), *all_checks()],
        selection=dg.AssetSelection.assets("manifest")
        | dg.AssetSelection.checks_for_assets("emails"),
        resources=changed,
        partition_key=PARTITION,
        instance=instance,
        raise_on_error=False,
    )
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert not evaluations["emails_evidence"].passed
    assert result.asset_materializations_for_node("manifest") == []
    assert published_state(database) == before
    with duckdb.connect(str(database), read_only=True) as connection:
        published_bodies = connection.execute("SELECT body FROM emails").fetchall()
    assert not any("ord_20260420_99999" in body for (body,) in published_bodies)

    # A later run of the publish step alone does not publish what the failed check saw.
    alone = dg.materialize(
        [*all_assets(), *all_checks()],
        selection=["manifest"],
        resources=changed,
        partition_key=PARTITION,
        instance=instance,
        raise_on_error=False,
    )
    assert not alone.success
    assert published_state(database) == before


def test_a_stage_staged_before_its_upstream_was_re_made_is_not_published(tmp_path: Path) -> None:
    """Re-running topics alone after a complete batch leaves emails and answers built from the
    old topics in staging: publishing them together would mix two scenarios per ticket."""
    database = tmp_path / "db.duckdb"
    resources = offline_resources(database, DSGEN_TICKETS_PER_BATCH="3")
    assert dg.materialize(
        [*all_assets(), *all_checks()], resources=resources, partition_key=PARTITION
    ).success
    before = published_state(database)
    changed = offline_resources(database, DSGEN_TICKETS_PER_BATCH="3", DSGEN_SEED="9")
    assert dg.materialize(
        all_assets(), selection=["topics"], resources=changed, partition_key=PARTITION
    ).success

    result = dg.materialize(
        all_assets(),
        selection=["manifest"],
        resources=changed,
        partition_key=PARTITION,
        raise_on_error=False,
    )
    assert not result.success
    [failure] = result.get_step_failure_events()
    text = failure.step_failure_data.error.message if failure.step_failure_data.error else ""
    assert "emails (staged before topics)" in text
    assert published_state(database) == before
