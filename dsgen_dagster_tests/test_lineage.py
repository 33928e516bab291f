"""Lineage: a prompt edit changes exactly its asset's code_version and makes exactly the
downstream partitions stale, as the UI shows them."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.definitions.data_version import StaleStatus
from dagster._utils.test.data_versions import get_stale_status_resolver

from dsgen_dagster.definitions import defs
from dsgen_dagster.defs import all_assets, llm_stages, stage_modules
from dsgen_dagster.defs.policy_graph.retyping import TEMPLATE as RETYPING_TEMPLATE
from dsgen_dagster.lib.stage import GENERATOR_VERSION
from dsgen_dagster.llm import prompts
from dsgen_dagster_tests.conftest import offline_resources

UPSTREAM_OF_EMAILS = {"policy_graph", "customers", "products", "orders", "topics"}
DOWNSTREAM_OF_EMAILS = {"answers", "tags", "rephrasings", "translations", "manifest"}


def reload_code_location() -> list[dg.AssetsDefinition]:
    """What `dagster dev`'s "Reload definitions" does: re-import the stage modules."""
    for module in stage_modules("assets"):
        importlib.reload(module)
    return all_assets()


def code_versions(assets: list[dg.AssetsDefinition]) -> dict[str, str | None]:
    return {
        spec.key.to_user_string(): spec.code_version for asset in assets for spec in asset.specs
    }


@pytest.fixture
def prompt_copy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Every stage's prompt as `<stage folder>.jinja2` in a temporary folder the test may edit,
    read in place of the package's own; the package's prompts stay untouched."""
    copy = tmp_path / "prompts"
    copy.mkdir()
    for stage in llm_stages():
        folder = stage.package.rsplit(".", 1)[-1]  # policy_clause_texts lives in policy_graph/
        (copy / f"{folder}.jinja2").write_text(stage.template.source, encoding="utf-8")

    def read_copy(package: str, filename: str) -> str:
        return (copy / f"{package.rsplit('.', 1)[-1]}.jinja2").read_text(encoding="utf-8")

    monkeypatch.setattr(prompts, "read_source", read_copy)
    yield copy
    monkeypatch.undo()
    reload_code_location()


def edit(template: Path) -> None:
    template.write_text(template.read_text() + "\n{# reworded #}\n", encoding="utf-8")


def test_code_versions_carry_generator_version_and_prompt_hash() -> None:
    graph = defs.get_repository_def().asset_graph
    hashes = {stage.name: stage.template.hash for stage in llm_stages()}
    assert set(hashes) == {
        "policy_clause_texts", "topics", "emails", "answers", "tags", "rephrasings", "translations"
    }  # fmt: skip
    # policy_graph is no LLM stage, but its optional relation re-typing has a prompt.
    hashes["policy_graph"] = RETYPING_TEMPLATE.hash
    for key in graph.get_all_asset_keys():
        version = graph.get(key).code_version or ""
        name = key.to_user_string()
        assert version.startswith(f"gen{GENERATOR_VERSION}"), name
        if name in hashes:
            assert version == f"gen{GENERATOR_VERSION}-prompt{hashes[name]}", name
        else:
            assert "-prompt" not in version, name


def test_editing_a_prompt_changes_only_that_assets_code_version(prompt_copy: Path) -> None:
    before = code_versions(reload_code_location())
    assert before == code_versions(list(defs.assets or []))  # the copy is the repo's prompts
    edit(prompt_copy / "emails.jinja2")
    after = code_versions(reload_code_location())
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"emails"}


def stale_assets(instance: dg.DagsterInstance, partition: str) -> set[str]:
    status_of = get_stale_status_resolver(instance, all_assets()).get_status
    return {
        name
        for name in UPSTREAM_OF_EMAILS | {"emails"} | DOWNSTREAM_OF_EMAILS
        if status_of(dg.AssetKey(name), partition) == StaleStatus.STALE
    }


def test_a_prompt_edit_marks_its_asset_stale_then_exactly_the_downstream_partitions(
    prompt_copy: Path, tmp_path: Path
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    resources = offline_resources(tmp_path / "db.duckdb", DSGEN_TICKETS_PER_BATCH="2")
    for partition in ("2026-06-01", "2026-06-02"):
        assert dg.materialize(
            reload_code_location(), resources=resources, partition_key=partition, instance=instance
        ).success
    assert stale_assets(instance, "2026-06-01") == set()

    edit(prompt_copy / "emails.jinja2")
    assets = reload_code_location()
    # The UI: emails is stale in every partition ("code version changed"), nothing upstream is.
    assert stale_assets(instance, "2026-06-01") == {"emails"}
    assert stale_assets(instance, "2026-06-02") == {"emails"}

    # Re-materialise emails of one partition: its downstream is now stale there, and only there.
    assert dg.materialize(
        assets,
        selection="emails",
        resources=resources,
        partition_key="2026-06-01",
        instance=instance,
    ).success
    assert stale_assets(instance, "2026-06-01") == DOWNSTREAM_OF_EMAILS
    assert stale_assets(instance, "2026-06-02") == {"emails"}
