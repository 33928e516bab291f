"""Steps side by side (dsgen_dagster/threaded.py) and one concurrency budget for the stages
running together (llm/providers/openai/budget.py): the same rows as one step at a time, never
more requests at the endpoint than DSGEN_LLM_CONCURRENCY, and a failing stage that fails only
itself and what builds on it."""

from __future__ import annotations

import asyncio
import gc
import random
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import dagster as dg
import duckdb
import pytest
from dagster._core.definitions.dependency import NodeHandle

from dsgen_dagster import threaded
from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.gc_tuning import RUN_SWITCH_INTERVAL_SECONDS, RUN_THRESHOLDS, fewer_collections
from dsgen_dagster.jobs import BATCH_JOB_NAME, batch_job
from dsgen_dagster.lib import stage
from dsgen_dagster.llm.providers.openai import ratelimit
from dsgen_dagster.llm.providers.openai.budget import (
    SharedBudget,
    requests_in_flight,
    shared_budget,
)
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.quality import schema
from dsgen_dagster.resources import resources_from_env
from dsgen_dagster.threaded import (
    POLL_SECONDS,
    STOP,
    PoolClaims,
    StepKinds,
    audit_may_start,
    default_max_concurrent,
    threaded_executor,
)
from dsgen_dagster.uncaptured import execute_uncaptured
from dsgen_dagster_tests.fake_model import answer_like_a_model
from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer, Fault
from dsgen_dagster_tests.test_cli import pool_home, start_dsgen, wait_for

KEY = "2026-09-01"
CONCURRENCY = 4
# Room for every step that is ready at once: with four, a stage's three checks can hold the
# slots its independent sibling needs, and two stages that could overlap may not (a race).
THREADS = 8
# Every table a batch publishes from a model's answers, with the columns a run does not decide
# (when it happened) left out.
COMPARED = ("topics", "emails", "answers", "tags", "rephrasings", "translations")


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    fake = FakeOpenAIServer(latency=0.05, handler=answer_like_a_model).start()
    yield fake
    fake.stop()


def run_batch(
    server: FakeOpenAIServer,
    database: Path,
    threads: int,
    monkeypatch: pytest.MonkeyPatch,
    **settings: str,
) -> tuple[dg.ExecuteInProcessResult, dict[str, tuple[float, float]]]:
    """One batch through the code location's executor; its result and each step's span."""
    env = {
        "DSGEN_DB": str(database),
        "DSGEN_TICKETS_PER_BATCH": "12",
        "DSGEN_LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": "sk-test-threads",
        "DSGEN_LLM_CONCURRENCY": str(CONCURRENCY),
        **settings,
    }
    for name, value in {**env, "DSGEN_STEP_THREADS": str(threads)}.items():
        monkeypatch.setenv(name, value)
    defs = dg.Definitions(
        assets=all_assets(),
        asset_checks=all_checks(),
        jobs=[batch_job],
        resources=resources_from_env(env),
        executor=threaded_executor,
    )
    with dg.DagsterInstance.ephemeral() as instance:
        result = execute_uncaptured(
            defs.resolve_job_def(BATCH_JOB_NAME), instance=instance, partition_key=KEY
        )
        return result, step_spans(instance, result.run_id)


def step_spans(instance: dg.DagsterInstance, run_id: str) -> dict[str, tuple[float, float]]:
    spans: dict[str, list[float]] = {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None or record.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            spans[record.step_key] = [record.timestamp, float("inf")]
        elif event.event_type in (
            dg.DagsterEventType.STEP_SUCCESS,
            dg.DagsterEventType.STEP_FAILURE,
        ):
            spans[record.step_key][1] = record.timestamp
    return {step: (start, end) for step, (start, end) in spans.items()}


def published(database: Path, table: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        columns = [
            name
            for (name, kind) in connection.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = ?",
                [table],
            ).fetchall()
            if "TIMESTAMP" not in kind
        ]
        assert columns, f"{table} was not published"
        return connection.execute(
            f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL"
        ).fetchall()


def test_stages_side_by_side_make_the_same_rows_within_one_budget(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_at_a_time, serial = run_batch(server, tmp_path / "serial.duckdb", 1, monkeypatch)
    assert one_at_a_time.success
    server.reset()
    # A first chunk of four (one request per slot), each next one four times the last, up to
    # 20: the next chunk goes out while the previous one's answers come in.
    monkeypatch.setattr(stage, "GENERATE_CHUNK", 20)
    monkeypatch.setattr(stage, "FIRST_CHUNK_PER_SLOT", 1)
    chunk_sizes: dict[str, list[int]] = {}
    generate = LLMResource.generate

    def counting(self: LLMResource, requests: list[Any], **kwargs: Any) -> Any:
        chunk_sizes.setdefault(requests[0].stage, []).append(len(requests))
        return generate(self, requests, **kwargs)

    monkeypatch.setattr(LLMResource, "generate", counting)
    side_by_side, spans = run_batch(server, tmp_path / "threads.duckdb", THREADS, monkeypatch)
    assert side_by_side.success
    assert chunk_sizes["topics"] == [CONCURRENCY, 8]  # 12 tickets
    assert chunk_sizes["rephrasings"] == [CONCURRENCY, 16, 4]  # two per ticket
    assert chunk_sizes["policy_clause_texts"][:3] == [CONCURRENCY, 16, 20]  # then 20 each

    # answers and rephrasings both wait only for emails; tags and translations for answers.
    for first, second in (("answers", "rephrasings"), ("tags", "translations")):
        (a_start, a_end), (b_start, b_end) = spans[first], spans[second]
        assert a_start < b_end and b_start < a_end, f"{first} and {second} did not overlap"
    assert serial["rephrasings"][0] >= serial["answers"][1]  # the control: one after another
    # emails' duplicates check blocks nothing: it waits for the checks the next stages wait for.
    gates_end = max(spans["emails_emails_evidence"][1], spans["emails_emails_schema"][1])
    assert spans["emails_emails_duplicates"][0] >= gates_end

    assert server.count(200) > 8 * CONCURRENCY
    assert 1 < server.max_in_flight <= CONCURRENCY  # one budget for the stages running together
    for table in COMPARED:
        rows = published(tmp_path / "threads.duckdb", table)
        assert rows, table
        assert rows == published(tmp_path / "serial.duckdb", table), table


def test_a_failing_stage_fails_itself_and_what_builds_on_it_and_the_rest_finishes(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every tags answer breaks its model, re-asks included: past the reject budget, a
    # deterministic failure (no step retry).
    server.faults = (Fault("invalid", share=1.0, times=100, tool="TicketTags"),)
    result, spans = run_batch(server, tmp_path / "dsgen.duckdb", THREADS, monkeypatch)
    assert not result.success
    failed = {event.step_key for event in result.all_events if event.is_step_failure}
    assert failed == {"tags"}
    materialized = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
    assert {"answers", "rephrasings", "translations"} <= materialized
    assert "tags" not in materialized and "manifest" not in materialized
    assert spans["translations"][0] < spans["tags"][1]  # it ran beside the failing stage
    assert not STOP.is_set()


def test_stages_side_by_side_share_one_request_window(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A one-second window stands for the minute; the server enforces the limit the client knows.
    monkeypatch.setattr(ratelimit, "RATE_WINDOW_SECONDS", 1.0)
    server.rpm, server.window_seconds = 30, 1.0
    result, spans = run_batch(
        server, tmp_path / "dsgen.duckdb", THREADS, monkeypatch, DSGEN_LLM_RPM="30"
    )
    assert result.success
    (a_start, a_end), (b_start, b_end) = spans["tags"], spans["translations"]
    assert a_start < b_end and b_start < a_end
    assert server.count(429) == 0
    times = server.accepted_times()
    assert len(times) > 100
    assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[30:], strict=False))


@pytest.mark.slow
def test_sigterm_stops_stages_running_side_by_side_within_seconds(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    held: list[str] = []

    def hold(body: dict[str, Any]) -> bool:  # the endpoint stops answering tags requests
        if body["tools"][0]["function"]["name"] != "TicketTags":
            return False
        held.append(body["messages"][-1]["content"][:40])
        return True

    server.hold = hold
    env = {"DSGEN_LLM_PROVIDER": "openai", "OPENAI_BASE_URL": server.url,
           "OPENAI_API_KEY": "sk-test-threads", "DSGEN_TICKETS_PER_BATCH": "8"}  # fmt: skip
    batch = start_dsgen(tmp_path, "batch", KEY, "--no-show", **env)
    wait_for(lambda: len(held) >= 8, timeout=180)  # every tags request is in flight, unanswered
    asked = server.count() + len(held)

    stopped = time.monotonic()
    batch.send_signal(signal.SIGTERM)
    output = batch.communicate(timeout=60)[0]
    assert time.monotonic() - stopped < 15, output[-3000:]
    assert batch.returncode == 128 + signal.SIGTERM, output[-3000:]
    assert server.count() + len(held) - asked <= 64  # nothing new after the stop but what was
    with dg.DagsterInstance.from_config(str(tmp_path / "data" / "dagster_home")) as instance:
        (run,) = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.CANCELED
    assert not published_tables(tmp_path / "dsgen.duckdb") & {"tags", "manifest"}


def published_tables(database: Path) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return {
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }


def test_step_threads_default_to_one_offline_and_refuse_a_bad_setting() -> None:
    assert default_max_concurrent({}) == 1
    assert default_max_concurrent({"DSGEN_LLM_PROVIDER": "openai"}) == 4
    assert default_max_concurrent({"DSGEN_LLM_PROVIDER": "openai", "DSGEN_STEP_THREADS": "2"}) == 2
    with pytest.raises(dg.DagsterInvalidConfigError, match="DSGEN_STEP_THREADS='many'"):
        default_max_concurrent({"DSGEN_STEP_THREADS": "many"})


@pytest.mark.parametrize("threads", [1, 2])
def test_steps_side_by_side_collect_garbage_less_often_and_put_the_settings_back(
    threads: int,
) -> None:
    seen: dict[str, Any] = {}

    @dg.op
    def look() -> None:
        seen["thresholds"] = gc.get_threshold()
        seen["interval"] = sys.getswitchinterval()
        seen["frozen"] = gc.get_freeze_count()

    @dg.job(executor_def=threaded_executor, partitions_def=dg.StaticPartitionsDefinition([KEY]))
    def one_step() -> None:
        look()

    before = (gc.get_threshold(), sys.getswitchinterval(), gc.get_freeze_count())
    with dg.DagsterInstance.ephemeral() as instance:
        result = execute_uncaptured(
            one_step,
            instance=instance,
            partition_key=KEY,
            run_config={"execution": {"config": {"max_concurrent": threads}}},
        )

    assert result.success
    if threads == 1:  # one step at a time (offline): CPython's own settings
        assert (seen["thresholds"], seen["interval"], seen["frozen"]) == before
    else:
        assert seen["thresholds"] == RUN_THRESHOLDS
        assert seen["interval"] == pytest.approx(RUN_SWITCH_INTERVAL_SECONDS)
        assert seen["frozen"] > 10_000  # the modules and definitions loaded before the run
    assert (gc.get_threshold(), sys.getswitchinterval(), gc.get_freeze_count()) == before


def test_runs_side_by_side_keep_the_run_settings_until_the_last_ends() -> None:
    default = gc.get_threshold()
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold() == RUN_THRESHOLDS
        assert gc.get_threshold() == RUN_THRESHOLDS  # the other run still executes
        cycle: list[Any] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1  # cycles made during a run are still collected
    assert gc.get_threshold() == default
    assert gc.get_freeze_count() == 0


def test_a_check_that_blocks_nothing_waits_for_the_gates_and_for_requests_in_flight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defs = dg.Definitions(
        assets=all_assets(),
        asset_checks=all_checks(),
        jobs=[batch_job],
        resources=resources_from_env({}),
    )
    kinds = StepKinds(defs.resolve_job_def(BATCH_JOB_NAME))

    def step(name: str) -> Any:
        return SimpleNamespace(node_handle=NodeHandle(name, None))

    def running(*names: str) -> dict[str, Any]:
        return {name: (None, SimpleNamespace(step=step(name)), []) for name in names}

    audit, gate, stage_step = (
        step("emails_emails_duplicates"), step("emails_emails_schema"), step("answers")
    )  # fmt: skip
    assert kinds.is_audit(audit) and not kinds.is_gate(audit) and not kinds.is_stage(audit)
    assert kinds.is_gate(gate) and not kinds.is_audit(gate)
    assert kinds.is_stage(stage_step) and not kinds.is_audit(stage_step)

    in_flight = [False]
    monkeypatch.setattr(threaded, "requests_in_flight", lambda: in_flight[0])
    now = 1000.0
    assert audit_may_start(kinds, running(), now, now)  # nothing else runs
    assert audit_may_start(kinds, running("rephrasings_rephrasings_duplicates"), now, now)
    assert not audit_may_start(kinds, running("emails_emails_schema"), now, now)
    assert not audit_may_start(kinds, running("answers", "rephrasings"), now, now)
    in_flight[0] = True  # the stages' requests are out
    assert audit_may_start(kinds, running("answers", "rephrasings"), now, now)
    assert not audit_may_start(kinds, running("answers", "emails_emails_evidence"), now, now)
    # It waits AUDIT_PATIENCE_SECONDS at most.
    later = now + threaded.AUDIT_PATIENCE_SECONDS
    assert audit_may_start(kinds, running("emails_emails_evidence"), now, later)


def test_great_expectations_is_imported_once_the_first_requests_are_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    imported = threading.Event()
    monkeypatch.setattr(schema, "_great_expectations", imported.set)
    budget = shared_budget("http://127.0.0.1:9/warm-up", 2)

    schema.warm_up_in_background(when=requests_in_flight, patience_seconds=30)
    assert not imported.wait(0.3)  # nothing in flight yet: the stage is still preparing

    async def one_request() -> None:
        await budget.acquire()
        try:
            assert requests_in_flight()
            assert imported.wait(5)
        finally:
            budget.release()

    asyncio.run(one_request())
    assert not requests_in_flight()


def test_the_import_goes_ahead_when_no_request_comes(monkeypatch: pytest.MonkeyPatch) -> None:
    imported = threading.Event()
    monkeypatch.setattr(schema, "_great_expectations", imported.set)
    schema.warm_up_in_background(when=lambda: False, patience_seconds=0.2)
    assert imported.wait(5)


def test_one_budget_across_threads_and_event_loops() -> None:
    budget = SharedBudget(5)
    seen: list[int] = []
    lock = threading.Lock()

    async def requests(count: int, seed: int) -> None:
        rng = random.Random(seed)

        async def one() -> None:
            await budget.acquire()
            try:
                with lock:
                    seen.append(budget.in_flight)
                await asyncio.sleep(rng.uniform(0, 0.01))
            finally:
                budget.release()

        await asyncio.gather(*(one() for _ in range(count)))

    threads = [
        threading.Thread(target=lambda seed=seed: asyncio.run(requests(60, seed)))
        for seed in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(seen) == 180 and max(seen) == 5
    assert budget.in_flight == 0


def test_a_cancelled_wait_gives_its_slot_back() -> None:
    budget = SharedBudget(1)

    async def scenario() -> None:
        await budget.acquire()  # the only slot
        waiting = [asyncio.ensure_future(budget.acquire()) for _ in range(3)]
        await asyncio.sleep(0)
        budget.release()  # handed to the first waiter...
        for task in waiting:
            task.cancel()  # ...which is cancelled before it runs, as are the others
        await asyncio.gather(*waiting, return_exceptions=True)
        await asyncio.sleep(0)
        assert budget.in_flight == 0
        await asyncio.wait_for(budget.acquire(), timeout=1)  # the slot is free again
        assert budget.in_flight == 1

    asyncio.run(scenario())


def test_a_429_halves_the_budget_once_per_burst_and_successes_grow_it_back() -> None:
    budget = SharedBudget(64, cooldown_seconds=60)
    for _ in range(10):
        budget.on_rate_limited()
    assert int(budget.cap) == 32
    for _ in range(2000):
        budget.on_success()
    assert int(budget.cap) == 64


def test_a_step_waiting_for_a_pool_slot_sleeps_between_claims(tmp_path: Path) -> None:
    """Dagster's own interval is never above 0 (the plan polls at 100% CPU, and a stop of the
    blocked run took 12-16 s); ours sleeps until the next claim, POLL_SECONDS at most."""
    with dg.DagsterInstance.from_config(str(pool_home(tmp_path))) as instance:
        instance.event_log_storage.set_concurrency_slots(stage.LLM_POOL, 1)
        instance.event_log_storage.claim_concurrency_slot(stage.LLM_POOL, "other-run", "s", 0)
        run = instance.create_run_for_job(dg.GraphDefinition("g").to_job())
        with PoolClaims(instance, run) as claims:
            assert claims.interval_to_next_pending_claim_check() == 0.0  # nothing waits
            assert not claims.claim(stage.LLM_POOL, "emails")
            assert claims.has_pending_claims()
            assert 0 < claims.interval_to_next_pending_claim_check() <= POLL_SECONDS
            instance.event_log_storage.free_concurrency_slots_for_run("other-run")
            time.sleep(claims.interval_to_next_pending_claim_check())
            wait_for(lambda: claims.claim(stage.LLM_POOL, "emails"), timeout=10)
            assert not claims.has_pending_claims()
