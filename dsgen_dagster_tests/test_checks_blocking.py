"""The checks as a user meets them: named by kind, on every table, blocking where they must."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import dagster as dg
import pytest

from dsgen_dagster.definitions import defs
from dsgen_dagster.defs import all_assets, all_checks, tables
from dsgen_dagster.defs.emails.assets import STAGE as EMAILS
from dsgen_dagster.defs.emails.models import EmailDraft
from dsgen_dagster.lib.stage import llm_stage_asset
from dsgen_dagster_tests.check_support import EARLIER, PLANTED, execute, metadata, run_checks
from dsgen_dagster_tests.conftest import offline_resources

KINDS = ("schema", "evidence", "duplicates")
EXPECTED = {
    **{f"{table}_schema": table for table in tables()},
    "policy_graph_evidence": "policy_graph",
    "policy_clause_texts_evidence": "policy_clause_texts",
    "topics_evidence": "topics",
    "emails_evidence": "emails",
    "answers_evidence": "answers",
    "tags_evidence": "tags",
    "rephrasings_evidence": "rephrasings",
    "translations_evidence": "translations",
    "emails_duplicates": "emails",
    "answers_duplicates": "answers",
    "rephrasings_duplicates": "rephrasings",
}


def check_specs() -> dict[str, dg.AssetCheckSpec]:
    graph = defs.get_repository_def().asset_graph
    return {key.name: graph.get_check_spec(key) for key in graph.asset_check_keys}


def test_every_table_has_its_checks_named_by_kind() -> None:
    specs = check_specs()
    assert {name: spec.asset_key.to_user_string() for name, spec in specs.items()} == EXPECTED
    for name in specs:
        assert sum(kind in name for kind in KINDS) == 1, name


def test_schema_and_evidence_checks_block_and_duplicates_checks_do_not() -> None:
    for name, spec in check_specs().items():
        assert spec.blocking == ("duplicates" not in name), name


@pytest.mark.parametrize("partition_key", [EARLIER, PLANTED])
def test_every_check_passes_on_a_clean_partition(batch_db: Path, partition_key: str) -> None:
    evaluations = run_checks(batch_db, partition_key=partition_key)

    assert set(evaluations) == set(EXPECTED)
    failed = {name: metadata(e) for name, e in evaluations.items() if not e.passed}
    assert failed == {}
    for name, evaluation in evaluations.items():
        found = metadata(evaluation)
        assert found.get("rows", found.get("items", 0)) > 0, name
        assert evaluation.partition == partition_key


ORDER_REFERENCE = re.compile(r"ord_\d+_\d+")


def test_a_broken_composer_is_caught_at_generation_and_stops_the_partition(
    tmp_path: Path,
) -> None:
    """Emails that quote another order's number break the emails rules as they are made: every
    row is rejected, so the stage fails (past the reject budget) and nothing after it runs."""
    compose = EMAILS.compose_offline

    def wrong_order_number(context: dict, rng) -> EmailDraft:
        draft = compose(context, rng)
        assert isinstance(draft, EmailDraft)
        body = ORDER_REFERENCE.sub("ord_20260302_99999", draft.body)
        if context.get("info_completeness") == "missing":
            body += " My order number is ord_20260302_99999."
        return EmailDraft(
            subject=ORDER_REFERENCE.sub("ord_20260302_99999", draft.subject), body=body
        )

    slipping = llm_stage_asset(dataclasses.replace(EMAILS, compose_offline=wrong_order_number))
    assets = [slipping if asset.keys == slipping.keys else asset for asset in all_assets()]
    database = tmp_path / "blocked.duckdb"
    result = dg.materialize(
        [*assets, *all_checks()],
        resources=offline_resources(database),
        partition_key=PLANTED,
        raise_on_error=False,
    )

    assert not result.success
    [failure] = [event for event in result.all_events if event.is_step_failure]
    assert failure.step_key == "emails"
    message = dg.serialize_value(failure)
    assert "emails: 16 of 16 rows (100.0%) still broke a content rule" in message
    assert "top rules: reference_" in message
    materialized = {
        event.asset_key.to_user_string()
        for event in result.get_asset_materialization_events()
        if event.asset_key is not None
    }
    assert {"policy_graph", "customers", "topics"} <= materialized
    assert materialized.isdisjoint(
        {"emails", "answers", "tags", "rephrasings", "translations", "manifest"}
    )
    tables = {name for (name,) in execute(database, "SELECT table_name FROM duckdb_tables()")}
    assert "topics" in tables and "emails" not in tables and "answers" not in tables
