"""The code location loads and has the shape the README and DESIGN.md promise."""

from __future__ import annotations

import dagster as dg

from dsgen_dagster.definitions import defs
from dsgen_dagster.partitions import daily_partitions

EXPECTED_GROUPS = {
    "policy_graph": "policy",
    "policy_clause_texts": "policy",
    "customers": "entities",
    "products": "entities",
    "orders": "entities",
    "topics": "tickets",
    "emails": "tickets",
    "answers": "tickets",
    "tags": "enrichment",
    "rephrasings": "enrichment",
    "translations": "enrichment",
    "manifest": "manifest",
}


def test_definitions_load_with_every_stage_as_a_partitioned_asset() -> None:
    repository = defs.get_repository_def()
    graph = repository.asset_graph
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys == set(EXPECTED_GROUPS)
    for name, group in EXPECTED_GROUPS.items():
        node = graph.get(dg.AssetKey(name))
        assert node.group_name == group, name
        assert node.partitions_def == daily_partitions, name


def test_lineage_follows_the_pipeline_order() -> None:
    graph = defs.get_repository_def().asset_graph

    def parents(name: str) -> set[str]:
        return {key.to_user_string() for key in graph.get(dg.AssetKey(name)).parent_keys}

    assert parents("topics") == {"policy_graph", "customers", "products", "orders"}
    assert "topics" in parents("emails")
    assert parents("policy_clause_texts") == {"policy_graph"}
    assert {"emails", "policy_graph", "policy_clause_texts"} <= parents("answers")
    assert "answers" in parents("tags")
    assert "emails" in parents("rephrasings")
    assert {"emails", "answers", "policy_clause_texts"} <= parents("translations")
    assert parents("manifest") >= set(EXPECTED_GROUPS) - {"manifest"}


def test_batch_job_and_daily_schedule_are_defined() -> None:
    job = defs.get_job_def("dsgen_batch")
    assert job.partitions_def == daily_partitions
    schedule = defs.get_schedule_def("dsgen_batch_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
