"""`dsgen` as a user runs it: real processes on one instance (DAGSTER_HOME) and one database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest
from dagster._utils.concurrency import ConcurrencyKeyInfo

from dsgen_dagster.cli import main
from dsgen_dagster.instance import DEFAULT_DAGSTER_YAML, PID_TAG, ensure_home
from dsgen_dagster.lib.stage import LLM_POOL

KEY = "2026-05-01"
NEXT_KEY = "2026-05-02"
TICKETS = "3"


def dsgen_env(root: Path, **env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    return {**base, "DSGEN_DB": str(root / "dsgen.duckdb"), "DSGEN_TICKETS_PER_BATCH": TICKETS,
            **env}  # fmt: skip


def dsgen(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dsgen_dagster.cli", *args],
        cwd=root, env=dsgen_env(root, **env), capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def start_dsgen(root: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dsgen_dagster.cli", *args],
        cwd=root, env=dsgen_env(root, **env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def pool_home(root: Path) -> Path:
    """An instance whose LLM pool admits one step at a time, its storage created up front."""
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "concurrency:\n  pools:\n    default_limit: 1\ntelemetry:\n  enabled: false\n"
    )
    dg.DagsterInstance.from_config(str(home)).dispose()
    return home


def wait_for(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def pool_info(home: Path) -> ConcurrencyKeyInfo:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return instance.event_log_storage.get_concurrency_info(LLM_POOL)


def test_without_dagster_home_the_instance_is_data_dagster_home_with_dsgens_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    home = ensure_home()
    assert home == tmp_path / "data" / "dagster_home" and os.environ["DAGSTER_HOME"] == str(home)
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == DEFAULT_DAGSTER_YAML
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    ensure_home()  # the user's own dagster.yaml stays
    assert (home / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"


@pytest.mark.parametrize(
    "args", [["batch", "1999-01-01"], ["batch", "2026-13-40"], ["backfill", "2026-01-02", "x"]]
)
def test_a_bad_partition_key_fails_at_once_naming_the_range_and_writes_nothing(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("DSGEN_DB", str(tmp_path / "dsgen.duckdb"))
    assert main(args) == 2
    message = capsys.readouterr().err
    today = dg.DailyPartitionsDefinition(start_date="2026-01-01", end_offset=1)
    assert "from 2026-01-01 to " + today.get_last_partition_key() in message  # type: ignore
    assert list(tmp_path.iterdir()) == []


def test_a_killed_batch_is_failed_and_freed_and_the_next_batch_exports_its_passed_checks(
    tmp_path: Path,
) -> None:
    home = pool_home(tmp_path)
    killed = start_dsgen(
        tmp_path, "batch", KEY, "--no-show", DAGSTER_HOME=str(home), DSGEN_TICKETS_PER_BATCH="100"
    )
    wait_for(lambda: bool(pool_info(home).claimed_slots), timeout=90)
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=30)
    (dead_run_id,) = pool_info(home).active_run_ids  # the slot outlives its process

    batch = dsgen(tmp_path, "batch", NEXT_KEY, DAGSTER_HOME=str(home))
    assert batch.returncode == 0, batch.stderr[-3000:]  # not blocked by the dead run's slot
    assert f"dead run {dead_run_id}" in batch.stderr and "freed 1 pool slot" in batch.stderr
    assert f"batch {NEXT_KEY} succeeded" in batch.stdout and "0 failed" in batch.stdout
    assert "-- What each batch cost and made" in batch.stdout  # the SQL results follow
    assert "DEBUG" not in batch.stdout + batch.stderr and "STEP_START" not in batch.stderr
    with dg.DagsterInstance.from_config(str(home)) as instance:
        dead = instance.get_run_by_id(dead_run_id)
        assert dead is not None and dead.status == dg.DagsterRunStatus.FAILURE
        (run,) = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.SUCCESS]))
    assert run.job_name == "dsgen_batch" and run.tags["dagster/partition"] == NEXT_KEY
    assert PID_TAG in run.tags
    info = pool_info(home)
    assert info.claimed_slots == [] and info.pending_steps == []

    out = tmp_path / "out"
    export = dsgen(
        tmp_path, "export", "--from", NEXT_KEY, "--out", str(out), DAGSTER_HOME=str(home)
    )
    assert export.returncode == 0, export.stderr[-3000:]
    (entry,) = json.loads((out / "manifest.json").read_text())["batches"]
    assert {check["outcome"] for check in entry["check_outcomes"].values()} == {"PASSED"}


def test_sigterm_stops_a_batch_blocked_by_the_pool_within_seconds(tmp_path: Path) -> None:
    home = pool_home(tmp_path)
    with dg.DagsterInstance.from_config(str(home)) as instance:  # a slot no dsgen run will free
        instance.event_log_storage.set_concurrency_slots(LLM_POOL, 1)
        instance.event_log_storage.claim_concurrency_slot(LLM_POOL, "other-run", "step", 0)
    blocked = start_dsgen(tmp_path, "batch", KEY, "--no-show", DAGSTER_HOME=str(home))
    wait_for(lambda: len(pool_info(home).pending_steps) > 1, timeout=90)
    time.sleep(0.5)  # let it spin on the claim

    stopped = time.monotonic()
    blocked.send_signal(signal.SIGTERM)
    output = blocked.communicate(timeout=30)[0]
    assert time.monotonic() - stopped < 8  # 1.5-1.8 s measured; 6-16 s while the plan spun
    assert blocked.returncode == 128 + signal.SIGTERM, output[-3000:]
    with dg.DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs()
        assert run.is_finished and run.status != dg.DagsterRunStatus.SUCCESS
    assert pool_info(home).active_run_ids == {"other-run"}
