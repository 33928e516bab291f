"""What the UI shows: the location `dsgen`, the job `dsgen_batch`, kinds that say what is used."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dsgen_dagster import cli
from dsgen_dagster.lib.stage import provider_kind


def test_the_workspace_names_the_location_dsgen(tmp_path: Path) -> None:
    (entry,) = yaml.safe_load(cli.PROJECT_WORKSPACE.read_text(encoding="utf-8"))["load_from"]
    assert entry["python_module"]["location_name"] == cli.LOCATION_NAME == "dsgen"
    assert cli.workspace_file(tmp_path) == cli.PROJECT_WORKSPACE


def test_an_installed_package_gets_the_same_workspace_in_dagster_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "PROJECT_WORKSPACE", tmp_path / "absent.yaml")
    written = cli.workspace_file(tmp_path)
    (entry,) = yaml.safe_load(written.read_text(encoding="utf-8"))["load_from"]
    assert entry["python_module"]["location_name"] == "dsgen"
    assert entry["python_module"]["module_name"] == "dsgen_dagster.definitions"


@pytest.mark.parametrize(
    ("value", "kind"), [("", "offline"), ("offline", "offline"), ("openai", "openai")]
)
def test_llm_stage_kinds_name_the_provider_in_use(
    value: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DSGEN_LLM_PROVIDER", value)
    assert provider_kind() == kind


def test_the_loaded_stages_carry_duckdb_and_the_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    from dsgen_dagster.definitions import defs

    graph = defs.get_repository_def().asset_graph
    kinds = {key.to_user_string(): graph.get(key).kinds for key in graph.get_all_asset_keys()}
    assert kinds["emails"] == {"duckdb", provider_kind()}
    assert "openai" not in kinds["emails"] or provider_kind() == "openai"
