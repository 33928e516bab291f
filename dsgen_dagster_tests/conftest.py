"""Shared fixtures: resources on a temporary database, and a materialised two-partition batch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.resources import resources_from_env

PARTITIONS = ("2026-03-01", "2026-03-02")
SMALL_BATCH = {"DSGEN_TICKETS_PER_BATCH": "16"}


def offline_resources(database: Path, **env: str) -> dict[str, Any]:
    """The resources a user gets from the environment, pointed at `database`."""
    return resources_from_env({"DSGEN_DB": str(database), **SMALL_BATCH, **env})


def materialize_batch(
    database: Path, partition_key: str, *, selection: list | None = None, **env: str
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        selection or [*all_assets(), *all_checks()],
        resources=offline_resources(database, **env),
        partition_key=partition_key,
        raise_on_error=True,
    )


def step_failure_text(result: dg.ExecuteInProcessResult) -> str:
    """The first failed step's error and its causes, as a user reads them in the run's log."""
    error = result.get_step_failure_events()[0].step_failure_data.error
    texts = []
    while error is not None:
        texts.append(error.message)
        error = error.cause
    return "\n".join(texts)


@pytest.fixture(scope="session")
def batch_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two partitions of the whole pipeline, materialised once for the read-only tests."""
    database = tmp_path_factory.mktemp("batch") / "dsgen.duckdb"
    for partition_key in PARTITIONS:
        assert materialize_batch(database, partition_key).success
    return database


@pytest.fixture
def query(batch_db: Path) -> Callable[..., list[tuple]]:
    def run(sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(batch_db), read_only=True) as connection:
            return connection.execute(sql, params or []).fetchall()

    return run
