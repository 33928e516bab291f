"""Step-level retries: LLM stages carry a RetryPolicy, and a step that fails once is retried."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pydantic
import pytest

from dsgen_dagster.defs import all_assets
from dsgen_dagster.errors import ConfigError, LLMError
from dsgen_dagster.lib.stage import LLM_POOL, LLM_RETRY_POLICY
from dsgen_dagster.llm.providers.offline.provider import OfflineProvider
from dsgen_dagster_tests.conftest import offline_resources, step_failure_text

LLM_STAGES = {"topics", "emails", "answers", "tags", "rephrasings", "translations"}


def test_llm_stages_retry_with_exponential_backoff_and_jitter_in_the_llm_pool() -> None:
    assert LLM_RETRY_POLICY.backoff == dg.Backoff.EXPONENTIAL
    assert LLM_RETRY_POLICY.jitter == dg.Jitter.PLUS_MINUS
    assert LLM_RETRY_POLICY.max_retries >= 2
    llm_assets = {
        key.to_user_string(): asset
        for asset in all_assets()
        for key in asset.keys
        if key.to_user_string() in LLM_STAGES
    }
    assert set(llm_assets) == LLM_STAGES
    for name, asset in llm_assets.items():
        assert asset.op.retry_policy == LLM_RETRY_POLICY, name
        assert asset.op.pool == LLM_POOL, name


def test_a_step_whose_provider_fails_once_is_retried_and_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    delays: list[int] = []

    def no_wait(policy: dg.RetryPolicy, attempt_num: int) -> float:
        delays.append(attempt_num)
        assert policy == LLM_RETRY_POLICY
        return 0.0

    monkeypatch.setattr(dg.RetryPolicy, "calculate_delay", no_wait)
    calls: list[str] = []
    real_run = OfflineProvider.run

    def fails_first_emails_call(self, prepared, log=None, partition_key=""):
        stage = prepared[0].request.stage
        calls.append(stage)
        if stage == "emails" and calls.count("emails") == 1:
            raise LLMError("provider unavailable (injected)")
        return real_run(self, prepared, log=log, partition_key=partition_key)

    monkeypatch.setattr(OfflineProvider, "run", fails_first_emails_call)
    database = tmp_path / "db.duckdb"
    result = dg.materialize(
        all_assets(),
        resources=offline_resources(database, DSGEN_TICKETS_PER_BATCH="2"),
        partition_key="2026-07-01",
    )
    assert result.success
    assert calls.count("emails") == 2 and delays == [1]
    retried = [
        event.step_key
        for event in result.all_events
        if event.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY
    ]
    assert retried == ["emails"]
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM emails").fetchone() == (2,)


def invalid_row_error() -> pydantic.ValidationError:
    try:
        pydantic.TypeAdapter(int).validate_python("not a number")
    except pydantic.ValidationError as exc:
        return exc
    raise AssertionError("expected a ValidationError")


@pytest.mark.parametrize(
    "make_error", [invalid_row_error, lambda: ConfigError("bad setting (injected)")]
)
def test_a_deterministic_error_fails_the_step_at_its_first_attempt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_error
) -> None:
    delays: list[int] = []
    monkeypatch.setattr(
        dg.RetryPolicy, "calculate_delay", lambda policy, attempt: delays.append(attempt) or 0.0
    )
    calls: list[str] = []
    real_run = OfflineProvider.run

    def emails_break_deterministically(self, prepared, log=None, partition_key=""):
        calls.append(prepared[0].request.stage)
        if prepared[0].request.stage == "emails":
            raise make_error()
        return real_run(self, prepared, log=log, partition_key=partition_key)

    monkeypatch.setattr(OfflineProvider, "run", emails_break_deterministically)
    result = dg.materialize(
        all_assets(),
        resources=offline_resources(tmp_path / "db.duckdb", DSGEN_TICKETS_PER_BATCH="2"),
        partition_key="2026-07-01",
        raise_on_error=False,
    )

    assert not result.success
    assert calls.count("emails") == 1 and delays == []
    assert not [
        event
        for event in result.all_events
        if event.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY
    ]
    assert "not retried" in step_failure_text(result)
