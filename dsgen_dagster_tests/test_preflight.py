"""Fail early, fail once: what can be checked before work starts fails the run before its first
step, with the variable named, and is not retried."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from dsgen_dagster.defs import all_assets
from dsgen_dagster.resources import resources_from_env

PARTITION = "2026-05-10"


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port that is bound but not listening: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def run_failure(env: dict[str, str]) -> tuple[dg.ExecuteInProcessResult, str]:
    result = dg.materialize(
        all_assets(),
        resources=resources_from_env(env),
        partition_key=PARTITION,
        raise_on_error=False,
    )
    errors = [
        str(event.event_specific_data.error.message)  # type: ignore[union-attr]
        for event in result.all_events
        if event.event_type_value == "RESOURCE_INIT_FAILURE"
    ]
    return result, "\n".join(errors)


def started_steps(result: dg.ExecuteInProcessResult) -> list[str]:
    return [e.step_key or "" for e in result.all_events if e.event_type_value == "STEP_START"]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"OPENAI_BASE_URL": "localhost:8000/v1"}, "OPENAI_BASE_URL='localhost:8000/v1' is not an"),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:{port}/v1"}, "cannot reach OPENAI_BASE_URL="),
        ({"OPENAI_BASE_URL": ""}, "needs an API key for api.openai.com; set OPENAI_API_KEY"),
    ],
)
def test_a_bad_endpoint_fails_the_run_before_any_step_and_once(
    tmp_path: Path,
    closed_port: int,
    monkeypatch: pytest.MonkeyPatch,
    extra: dict[str, str],
    words: str,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    env = {
        "DSGEN_DB": str(tmp_path / "db.duckdb"),
        "DSGEN_LLM_PROVIDER": "openai",
        **{key: value.format(port=closed_port) for key, value in extra.items()},
    }
    result, errors = run_failure(env)
    assert not result.success
    assert words in errors
    assert started_steps(result) == []
    retries = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert retries == []


def test_a_database_path_that_is_a_directory_is_named(tmp_path: Path) -> None:
    result, errors = run_failure({"DSGEN_DB": str(tmp_path)})
    assert not result.success
    assert f"DSGEN_DB={str(tmp_path)!r} is a directory; set DSGEN_DB to a file path" in errors
    assert started_steps(result) == []
