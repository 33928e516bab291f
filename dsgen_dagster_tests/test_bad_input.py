"""Bad input gets a clear error naming the problem and the fix, and never destroys written data."""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dsgen_dagster.defs.policy_graph.assets import policy_graph
from dsgen_dagster.errors import ConfigError
from dsgen_dagster.resources import resources_from_env
from dsgen_dagster_tests.conftest import (
    PARTITIONS,
    materialize_batch,
    offline_resources,
    step_failure_text,
)


def clause_count(database: Path, partition_key: str) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM staging.policy_graph WHERE partition_date = ?", [partition_key]
        ).fetchone()
    assert row is not None
    return row[0]


def test_users_own_policy_document_is_used(tmp_path: Path) -> None:
    policy = tmp_path / "acme.md"
    policy.write_text("## 1. Returns\n### 1.1 Window\nReturns within 14 days.\n", encoding="utf-8")
    database = tmp_path / "own.duckdb"
    materialize_batch(
        database, PARTITIONS[0], selection=[policy_graph], DSGEN_POLICY_PATH=str(policy)
    )
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "SELECT clause_id, text, source_path FROM staging.policy_graph"
        ).fetchall()
    assert rows == [("pol_20260301_1.1", "Returns within 14 days.", str(policy))]


def test_malformed_policy_fails_and_keeps_the_partitions_previous_rows(tmp_path: Path) -> None:
    database = tmp_path / "keep.duckdb"
    materialize_batch(database, PARTITIONS[0], selection=[policy_graph])
    before = clause_count(database, PARTITIONS[0])
    broken = tmp_path / "broken.md"
    broken.write_text("## 1. Returns\n### 1.1 Window\nText.\nRequires: 4.4\n", encoding="utf-8")

    result = dg.materialize(
        [policy_graph],
        resources=offline_resources(database, DSGEN_POLICY_PATH=str(broken)),
        partition_key=PARTITIONS[0],
        raise_on_error=False,
    )

    assert not result.success
    expected = f"{broken}:4: clause 1.1 requires clause 4.4, which does not exist"
    assert expected in step_failure_text(result)
    assert clause_count(database, PARTITIONS[0]) == before


@pytest.mark.parametrize(
    ("env", "words"),
    [
        (
            {"DSGEN_TICKETS_PER_BATCH": "many"},
            "DSGEN_TICKETS_PER_BATCH='many' is not a whole number",
        ),
        (
            {"DSGEN_TICKETS_PER_BATCH": "0"},
            "DSGEN_TICKETS_PER_BATCH=0 .*greater than or equal to 1; set DSGEN_TICKETS_PER_BATCH",
        ),
        (
            {"DSGEN_TICKETS_PER_BATCH": "1000000"},
            "set DSGEN_TICKETS_PER_BATCH to a whole number from 1 to 999999",
        ),
        ({"DSGEN_LLM_PROVIDER": "anthropic"}, "is not a provider; use one of offline, openai"),
        (
            {"DSGEN_POLICY_PATH": "/nowhere/policy.md"},
            "does not exist; set DSGEN_POLICY_PATH to a markdown file",
        ),
        ({"DSGEN_TRANSLATION_LANGUAGES": "de,xx"}, r"unsupported codes \['xx'\]"),
        ({"DSGEN_LLM_CONCURRENCY": "0"}, "DSGEN_LLM_CONCURRENCY=0 .*greater than or equal to 1"),
        ({"DSGEN_LLM_TEMPERATURE": "2.5"}, "DSGEN_LLM_TEMPERATURE=2.5 .*less than or equal to 2"),
        ({"DSGEN_LLM_SEED": "lucky"}, "DSGEN_LLM_SEED='lucky' is not a whole number"),
        (
            {"DSGEN_LLM_MAX_FAILURE_SHARE": "2"},
            "DSGEN_LLM_MAX_FAILURE_SHARE=2.0 .*less than or equal to 1",
        ),
        ({"DSGEN_PRICES": '{"m": "cheap"}'}, "DSGEN_PRICES=.*USD per million tokens"),
        ({"DSGEN_DB": ""}, None),
    ],
)
def test_invalid_configuration_is_named_with_its_fix(
    env: dict[str, str], words: str | None
) -> None:
    if words is None:  # an empty variable means "the default", not an error
        assert resources_from_env(env)["warehouse"].database == "data/dsgen.duckdb"
        return
    with pytest.raises(ConfigError, match=words):
        resources_from_env(env)


def test_invalid_run_config_override_fails_the_run_with_the_fix(tmp_path: Path) -> None:
    result = dg.materialize(
        [policy_graph],
        resources=offline_resources(tmp_path / "cfg.duckdb"),
        partition_key=PARTITIONS[0],
        run_config={"resources": {"batch_settings": {"config": {"tickets_per_batch": -3}}}},
        raise_on_error=False,
    )
    assert not result.success
    # The resources are built before any step: the run fails there, naming variable and fix.
    assert result.get_step_success_events() == []
    errors = [
        str(event.event_specific_data.error.message)  # type: ignore[union-attr]
        for event in result.all_events
        if event.event_type_value == "RESOURCE_INIT_FAILURE"
    ]
    assert any("greater than or equal to 1; set DSGEN_TICKETS_PER_BATCH" in e for e in errors)


def test_unknown_partition_is_refused_before_anything_runs(tmp_path: Path) -> None:
    database = tmp_path / "unknown.duckdb"
    with pytest.raises(dg.DagsterUnknownPartitionError, match="1999-01-01"):
        materialize_batch(database, "1999-01-01", selection=[policy_graph])
    assert not database.exists()


def test_ids_hold_the_largest_batch_the_settings_accept() -> None:
    from dsgen_dagster import ids
    from dsgen_dagster.defs.topics.models import Topic
    from dsgen_dagster.settings import MAX_TICKETS_PER_BATCH

    last = ids.make_id(ids.TICKET_PREFIX, PARTITIONS[0], MAX_TICKETS_PER_BATCH)
    first = ids.make_id(ids.TICKET_PREFIX, PARTITIONS[0], 1)
    pattern = Topic.model_fields["ticket_id"].metadata[0].pattern
    assert re.fullmatch(pattern, last) and re.fullmatch(pattern, first)
    assert first < ids.make_id(ids.TICKET_PREFIX, PARTITIONS[0], 100_000) < last  # sortable
    with pytest.raises(ValueError, match="does not fit"):
        ids.make_id(ids.TICKET_PREFIX, PARTITIONS[0], MAX_TICKETS_PER_BATCH + 1)
