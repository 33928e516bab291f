"""Settings mean what they say: the environment gives the defaults, run config overrides field by
field, and the effective values reach the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb

from dsgen_dagster.defs import all_assets
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.resources import resources_from_env

PARTITION = "2026-05-04"


def test_a_partial_run_config_override_keeps_every_other_environment_setting(
    tmp_path: Path,
) -> None:
    database = tmp_path / "db.duckdb"
    resources = resources_from_env(
        {
            "DSGEN_DB": str(database),
            "DSGEN_TICKETS_PER_BATCH": "5",
            "DSGEN_REPHRASINGS_PER_TICKET": "1",
            "DSGEN_TRANSLATION_LANGUAGES": "es",
            "DSGEN_LLM_MAX_REASKS": "4",
        }
    )
    result = dg.materialize(
        all_assets(),
        resources=resources,
        partition_key=PARTITION,
        run_config={
            "resources": {
                "batch_settings": {"config": {"seed": 7}},
                "llm": {"config": {"request_timeout_seconds": 12.5}},
            }
        },
    )
    assert result.success
    with duckdb.connect(str(database), read_only=True) as connection:
        (config,) = connection.execute("SELECT config FROM manifest").fetchone()  # type: ignore[misc]
        counts = connection.execute(
            "SELECT (SELECT count(*) FROM topics), (SELECT count(*) FROM rephrasings), "
            "(SELECT count(DISTINCT language) FROM translations)"
        ).fetchone()
    effective = json.loads(config)
    assert effective["seed"] == 7  # the override
    assert effective["tickets_per_batch"] == 5  # the environment's, not the class default 24
    assert effective["rephrasings_per_ticket"] == 1
    assert effective["translation_languages"] == ["es"]
    assert effective["llm"]["max_reasks"] == 4
    assert counts == (5, 5, 1)


def test_the_launchpad_defaults_are_the_environments_values() -> None:
    resources = resources_from_env({"DSGEN_TICKETS_PER_BATCH": "9", "DSGEN_LLM_RPM": "600"})
    settings, llm = resources["batch_settings"], resources["llm"]
    assert type(settings).model_fields["tickets_per_batch"].default == 9
    assert type(llm).model_fields["rpm"].default == 600
    assert type(llm).model_fields["rpm"].metadata == LLMResource.model_fields["rpm"].metadata
    assert type(llm).model_fields["api_key"].default == ""  # a key is never a shown default
