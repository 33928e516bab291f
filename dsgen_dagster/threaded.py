"""An in-process executor that runs independent steps side by side, in threads.

With an LLM endpoint, a step spends its time waiting for answers. Dagster's in-process executor
runs one step after another, so every stage ends with its last requests trickling in (the slow
tail of the latency), then a check re-reads the rows while nothing is in flight, then the next
stage loads its inputs: at 2,000 tickets that left the run at ~0.90 of the bound an endpoint
allows (bench/bench_llm.py). Here the steps whose inputs are ready run at once, up to
`max_concurrent`: answers beside rephrasings, tags beside translations, a stage's checks beside
the stages that do not wait for them. The LLM stages of one process draw on one concurrency budget
(`llm/providers/openai/budget.py`), so running three of them does not put three times
DSGEN_LLM_CONCURRENCY in flight.

Threads, not processes: steps keep sharing the process's resources, its DuckDB instance (one
writer per run) and its request limiter, and no step pays a process start. The offline provider
is CPU-bound, so there one step at a time (`max_concurrent` 1) is the in-process executor itself.

A stop (SIGTERM or Ctrl-C through `dsgen batch`, see batch.py) calls `stop_steps`: `STOP` is set,
the executor starts no further step, the LLM stages cancel their requests in flight (the answers
already received are cached and ledgered), and once the running steps have ended the run ends
as interrupted, as with Dagster's own executors. An interruption of the plan's own thread does
the same.

While steps run side by side, the process collects garbage less often and switches threads
sooner (gc_tuning.py): a full collection stops every thread, the event loops waiting for answers
too. One step at a time (offline) keeps CPython's settings: there nothing waits, and at 10,000
tickets offline the run's settings cost ~27 MB of peak memory and no time (bench_batch.py).

DuckDB in one process from several threads: `Warehouse.connect` takes a process-wide lock for
each unit of work (storage/warehouse.py says why).

Built on Dagster internals (`ActiveExecution`, `dagster_event_sequence_for_step`), like
uncaptured.py: dagster is pinned exactly, and test_threaded.py fails loudly if an upgrade moves
them.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from typing import Any

import dagster as dg
from dagster._core.errors import DagsterExecutionInterruptedError
from dagster._core.events import DagsterEvent, EngineEventData
from dagster._core.execution.api import ExecuteRunWithPlanIterable
from dagster._core.execution.compute_logs import create_compute_log_file_key
from dagster._core.execution.context.system import PlanExecutionContext, PlanOrchestrationContext
from dagster._core.execution.context_creation_job import PlanExecutionContextManager
from dagster._core.execution.plan.execute_plan import (
    _trigger_hook,
    dagster_event_sequence_for_step,
    inner_plan_execution_iterator,
)
from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.execution.retries import RetryMode, get_retries_config
from dagster._core.executor.base import Executor
from dagster._core.executor.init import InitExecutorContext

from dsgen_dagster.gc_tuning import fewer_collections
from dsgen_dagster.lib.stage import provider_kind
from dsgen_dagster.llm.providers.openai.budget import requests_in_flight
from dsgen_dagster.quality.schema import warm_up_in_background

# Steps at once when neither the run config nor DSGEN_STEP_THREADS says: with a model behind
# them the LLM stages wait, they do not compute.
LLM_STEP_THREADS = 4
POLL_SECONDS = 0.05
MIN_SLEEP_SECONDS = 0.005  # a claim due now is checked on the next pass, not in a spin
# A check that blocks nothing waits, at most this long, for the steps that others wait for.
AUDIT_PATIENCE_SECONDS = 10.0
# Set when the run is stopped: LLM stages send no further request and end interrupted.
STOP = threading.Event()
_DONE = object()
_STEP_THREADS: set[threading.Thread] = set()  # the steps running now, in this process


def running_steps() -> bool:
    return any(thread.is_alive() for thread in _STEP_THREADS)


def stop_steps(timeout: float) -> bool:
    """Stop the steps running in threads and wait up to `timeout` for them to end (a process
    must not exit while one is inside DuckDB: its native code aborts at interpreter exit).
    True when none is left."""
    STOP.set()
    deadline = time.monotonic() + timeout
    for thread in list(_STEP_THREADS):
        thread.join(max(deadline - time.monotonic(), 0.0))
    return not running_steps()


def default_max_concurrent(environ: Mapping[str, str] = os.environ) -> int:
    """DSGEN_STEP_THREADS, else 1 for the offline provider (CPU-bound: threads only share one
    core's worth of Python) and LLM_STEP_THREADS for a model endpoint."""
    configured = environ.get("DSGEN_STEP_THREADS", "").strip()
    if configured:
        if not configured.isdigit() or not 1 <= int(configured) <= 64:
            raise dg.DagsterInvalidConfigError(
                f"DSGEN_STEP_THREADS={configured!r} is not a whole number from 1 to 64; "
                "set it to the number of steps a run may execute at once (1: one after another)",
                [],
                configured,
            )
        return int(configured)
    return 1 if provider_kind(environ) == "offline" else LLM_STEP_THREADS


class ThreadedExecutor(Executor):
    def __init__(self, retries: RetryMode, max_concurrent: int) -> None:
        self._retries = retries
        self.max_concurrent = max_concurrent

    @property
    def retries(self) -> RetryMode:
        return self._retries

    def execute(
        self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan
    ) -> Iterator[DagsterEvent]:
        yield DagsterEvent.engine_event(
            plan_context,
            f"Executing steps in process (pid: {os.getpid()})"
            + (
                f", up to {self.max_concurrent} at once in threads"
                if self.max_concurrent > 1
                else ""
            ),
            event_specific_data=EngineEventData.in_process(
                os.getpid(), execution_plan.step_keys_to_execute
            ),
        )
        max_concurrent = self.max_concurrent

        def iterator(
            job_context: PlanExecutionContext, execution_plan: ExecutionPlan
        ) -> Iterator[DagsterEvent]:
            with PoolClaims(job_context.instance, job_context.dagster_run) as concurrency:
                STOP.clear()
                if max_concurrent <= 1:
                    yield from inner_plan_execution_iterator(
                        job_context, execution_plan, concurrency
                    )
                else:
                    yield from threaded_plan_iterator(
                        job_context, execution_plan, concurrency, max_concurrent
                    )

        yield from iter(
            ExecuteRunWithPlanIterable(
                execution_plan=plan_context.execution_plan,
                iterator=iterator,
                execution_context_manager=PlanExecutionContextManager(
                    job=plan_context.job,
                    retry_mode=plan_context.retry_mode,
                    execution_plan=plan_context.execution_plan,
                    run_config=plan_context.run_config,
                    dagster_run=plan_context.dagster_run,
                    instance=plan_context.instance,
                    raise_on_error=plan_context.raise_on_error,
                    output_capture=plan_context.output_capture,
                ),
            )
        )


@dg.executor(
    name="dsgen_threads",
    config_schema={
        "retries": get_retries_config(),
        "max_concurrent": dg.Field(
            int,
            is_required=False,
            description="Steps run at once, in threads of the run's process. Default: "
            "DSGEN_STEP_THREADS, else 1 with the offline provider and 4 with a model endpoint.",
        ),
    },
)
def threaded_executor(init_context: InitExecutorContext) -> ThreadedExecutor:
    config: dict[str, Any] = dict(init_context.executor_config)
    retries = RetryMode.from_config(config["retries"])
    assert retries is not None
    return ThreadedExecutor(retries, config.get("max_concurrent") or default_max_concurrent())


class PoolClaims(InstanceConcurrencyContext):
    """Dagster's pool claims, with a plan that waits for a slot sleeping between its checks.

    Dagster's `interval_to_next_pending_claim_check` returns `min(0, ...)`: never more than 0,
    so `sleep_til_ready` never sleeps and the plan loop polls at 100% CPU holding the GIL while a
    step waits for a pool slot. Everything else in the process starves: `dsgen batch`'s stop
    took 9.4 s in `report_run_canceling` alone (py-spy showed the worker spinning in
    `get_steps_to_execute`), and the stop of a blocked batch took 12-16 s. Here the plan sleeps
    until the next claim is due, POLL_SECONDS at most, so an interruption lands within that
    (a re-check before the claim is due is a dictionary look-up, not a query)."""

    def interval_to_next_pending_claim_check(self) -> float:
        if not self.has_pending_claims():
            return 0.0
        now = time.time()
        due = min(self._pending_timeouts.values(), default=now)
        return min(max(due - now, MIN_SLEEP_SECONDS), POLL_SECONDS)


def threaded_plan_iterator(
    job_context: PlanExecutionContext,
    execution_plan: ExecutionPlan,
    concurrency: InstanceConcurrencyContext,
    max_concurrent: int,
) -> Iterator[DagsterEvent]:
    """`inner_plan_execution_iterator` with each ready step in a thread of its own: this thread
    hands out the steps, records their events in the plan's state and yields them in the order
    they happen."""
    compute_log_manager = job_context.instance.compute_log_manager
    step_keys = [step.key for step in execution_plan.get_steps_to_execute_in_topo_order()]
    warm_up_in_background(when=requests_in_flight)
    with (
        fewer_collections(),
        execution_plan.start(
            retry_mode=job_context.retry_mode,
            instance_concurrency_context=concurrency,
            step_dependency_config=job_context.step_dependency_config,
        ) as active,
        ExitStack() as capture_stack,
    ):
        log_key = compute_log_manager.build_log_key_for_run(
            job_context.run_id, create_compute_log_file_key()
        )
        log_context = capture_stack.enter_context(compute_log_manager.capture_logs(log_key))
        yield DagsterEvent.capture_logs(job_context, step_keys, log_key, log_context)
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        running: dict[str, tuple[threading.Thread, Any, list[DagsterEvent]]] = {}
        kinds = StepKinds(job_context.job_def)
        held: list[tuple[float, Any]] = []  # audits handed out by the plan, not started yet

        def start(step: Any) -> None:
            step_context = job_context.for_step(step, active.get_known_state())
            thread = threading.Thread(
                target=_run_step,
                args=(step.key, step_context, events),
                name=f"dsgen-step-{step.key}",
                daemon=True,
            )
            running[step.key] = (thread, step_context, [])
            _STEP_THREADS.add(thread)
            thread.start()

        try:
            while not active.is_complete or running or held:
                if STOP.is_set():  # stop_steps(): no step starts; the running ones end first
                    raise DagsterExecutionInterruptedError("dsgen: the run was stopped")
                if not active.is_complete and len(running) < max_concurrent:
                    for step in active.get_steps_to_execute(limit=max_concurrent - len(running)):
                        if kinds.is_audit(step):
                            held.append((time.monotonic(), step))
                        else:
                            start(step)
                    yield from active.concurrency_event_iterator(job_context)
                while held and len(running) < max_concurrent:
                    since, step = held[0]
                    if not audit_may_start(kinds, running, since):
                        break
                    held.pop(0)
                    start(step)
                if not running:
                    active.sleep_til_ready()
                    continue
                yield from _next_events(job_context, active, events, running)
        except BaseException:
            # Stopped (or our own bookkeeping failed): no new request goes out; the steps
            # still running end, their events are recorded, and the interruption goes on.
            STOP.set()
            while running:
                yield from _next_events(job_context, active, events, running)
            raise
        finally:
            if not running:  # the process may run another job (tests, a long-lived worker)
                STOP.clear()


class StepKinds:
    """What each step of a job is: a stage (it materialises), a gate (a blocking check: the
    next stage waits for it) or an audit (a check that blocks nothing, the duplicates checks)."""

    def __init__(self, job_def: Any) -> None:
        self._asset_layer = job_def.asset_layer
        self._specs: dict[Any, list[Any] | None] = {}

    def _check_specs(self, step: Any) -> list[Any] | None:
        """The check specs of a step that only checks, None for a step that materialises."""
        if step.node_handle not in self._specs:
            assets_def = self._asset_layer.get_assets_def_for_node(step.node_handle)
            only_checks = assets_def is not None and not assets_def.keys
            self._specs[step.node_handle] = list(assets_def.check_specs) if only_checks else None
        return self._specs[step.node_handle]

    def is_audit(self, step: Any) -> bool:
        specs = self._check_specs(step)
        return bool(specs) and not any(spec.blocking for spec in specs or [])

    def is_stage(self, step: Any) -> bool:
        return self._check_specs(step) is None

    def is_gate(self, step: Any) -> bool:
        return any(spec.blocking for spec in self._check_specs(step) or [])


def audit_may_start(
    kinds: StepKinds,
    running: Mapping[str, tuple[threading.Thread, Any, list[DagsterEvent]]],
    held_since: float,
    now: float | None = None,
) -> bool:
    """An audit starts once nothing waits for the CPU it would take: no blocking check is
    running, and the stages running (if any) have their requests out.

    The steps share one GIL. A duplicates check started beside the blocking checks after
    emails made them, and the answers and rephrasings stages then loading their inputs and
    rendering their first requests, wait for its ~0.5 s, with nothing in flight: at 2,000
    tickets the emails gate took 0.84 s with it and answers sent its first request 1.0 s after
    it started (bench/bench_llm.py). Beside stages whose requests are out, it costs them
    nothing. It waits AUDIT_PATIENCE_SECONDS at most (a stage answered from the cache has
    nothing in flight)."""
    now = time.monotonic() if now is None else now
    if now - held_since >= AUDIT_PATIENCE_SECONDS:
        return True
    steps = [step_context.step for _, step_context, _ in running.values()]
    if any(kinds.is_gate(step) for step in steps):
        return False
    return not any(kinds.is_stage(step) for step in steps) or requests_in_flight()


def _next_events(
    job_context: PlanExecutionContext,
    active: Any,
    events: queue.Queue[tuple[str, Any]],
    running: dict[str, tuple[threading.Thread, Any, list[DagsterEvent]]],
) -> Iterator[DagsterEvent]:
    """What the running steps did next, waiting up to POLL_SECONDS (a step up for retry or a
    pool slot may become ready meanwhile)."""
    try:
        key, event = events.get(timeout=POLL_SECONDS)
    except queue.Empty:
        return
    thread, step_context, step_events = running[key]
    if event is _DONE:
        thread.join()
        del running[key]
        active.verify_complete(job_context, key)
        for plan_event in active.plan_events_iterator(job_context):
            step_events.append(plan_event)
            yield plan_event
        yield from _trigger_hook(step_context, step_events)
    elif isinstance(event, BaseException):
        raise event
    else:
        step_events.append(event)
        yield event
        active.handle_event(event)


def _run_step(key: str, step_context: Any, events: queue.Queue[tuple[str, Any]]) -> None:
    try:
        for event in dagster_event_sequence_for_step(step_context):
            events.put((key, event))
    except BaseException as exc:  # Dagster's own failure: the plan's thread raises it
        events.put((key, exc))
    finally:
        events.put((key, _DONE))
        _STEP_THREADS.discard(threading.current_thread())
