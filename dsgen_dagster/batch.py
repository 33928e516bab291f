"""One batch as a run of the job `dsgen_batch`, in this process, recorded in the instance.

The run executes in a worker thread so that SIGTERM and SIGINT reach a handler of ours: on the
main thread Dagster replaces both with a handler that only sets a flag, and a step blocked by a
pool limit never looks at that flag (it polls at 100% CPU and ignores SIGTERM; see
docs/stack-notes.md). On either signal the run is marked CANCELING and a KeyboardInterrupt is
raised in the worker, which Dagster turns into a CANCELED run whose pool slots are released; when
the interrupt lands where Dagster does not turn it into that (a step, or its own bookkeeping), the
run is marked CANCELED and its slots freed from here.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import dagster as dg
from dagster._core.utils import make_new_run_id

from dsgen_dagster.instance import process_tags
from dsgen_dagster.jobs import BATCH_JOB_NAME
from dsgen_dagster.threaded import running_steps, stop_steps
from dsgen_dagster.uncaptured import execute_uncaptured

STOP_GRACE_SECONDS = 10.0
log = logging.getLogger("dsgen")


class StopRequested(Exception):
    """SIGTERM or SIGINT arrived while the batch ran."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class BatchResult:
    run_id: str
    partition_key: str
    success: bool
    seconds: float
    status: str
    checks: dict[str, int] = field(default_factory=dict)
    failed_steps: list[str] = field(default_factory=list)


def logger_config(verbose: bool) -> dict[str, Any]:
    """Console logger level: the event stream (DEBUG) only with --verbose; the instance's event
    log keeps every event either way."""
    level = "DEBUG" if verbose else "WARNING"
    return {"loggers": {"console": {"config": {"log_level": level}}}}


def run_batch(partition_key: str, *, verbose: bool = False) -> BatchResult:
    from dsgen_dagster.definitions import defs

    job = defs.resolve_job_def(BATCH_JOB_NAME)
    run_id = make_new_run_id()
    started = time.monotonic()
    outcome: dict[str, Any] = {}

    def execute() -> None:
        with dg.DagsterInstance.get() as instance:
            try:
                outcome["result"] = execute_uncaptured(
                    job,
                    run_config=logger_config(verbose),
                    instance=instance,
                    partition_key=partition_key,
                    run_id=run_id,
                    tags=process_tags(),
                    raise_on_error=False,
                )
            except BaseException as exc:  # reported on the main thread
                outcome["error"] = exc

    worker = threading.Thread(target=execute, name=f"dsgen-batch-{partition_key}", daemon=True)
    with _signals_raise_stop():
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.2)
        except StopRequested as stop:
            _stop(worker, run_id)
            raise SystemExit(128 + stop.signum) from None
    if "error" in outcome:
        raise outcome["error"]
    return _summarise(outcome["result"], partition_key, time.monotonic() - started)


class _signals_raise_stop:
    def __enter__(self) -> None:
        self._previous = {
            signum: signal.signal(signum, self._raise) for signum in (signal.SIGTERM, signal.SIGINT)
        }

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    @staticmethod
    def _raise(signum: int, _frame: FrameType | None) -> None:
        # Raised once: a second signal during the orderly stop must not cut it short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise StopRequested(signum)


def _stop(worker: threading.Thread, run_id: str) -> None:
    log.warning("stopping run %s", run_id)
    with dg.DagsterInstance.get() as instance:
        run = instance.get_run_by_id(run_id)
        if run is not None and not run.is_finished:
            instance.report_run_canceling(run, message="dsgen: stop requested (signal)")
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        if running_steps():
            # Steps side by side in threads (dsgen_dagster/threaded.py): the executor starts no
            # further step, the LLM stages cancel their requests, the run ends as stopped.
            stop_steps(STOP_GRACE_SECONDS)
            worker.join(max(deadline - time.monotonic(), 0.0))
        # Else (one step at a time on the worker) every half second: an interrupt that lands
        # inside a step only fails that step, and the executor would go on (or keep waiting
        # for a pool slot).
        while worker.is_alive() and time.monotonic() < deadline:
            _interrupt(worker)
            worker.join(0.5)
        run = instance.get_run_by_id(run_id)
        if run is not None and not run.is_finished:  # the interrupt did not reach the job
            instance.report_run_canceled(run, message="dsgen: stopped by a signal")
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)
        final = instance.get_run_by_id(run_id)
    status = final.status.value if final else "unknown"
    log.warning("run %s stopped: %s, its pool slots freed", run_id, status)


def _interrupt(worker: threading.Thread) -> None:
    """Raise KeyboardInterrupt in the worker at its next Python bytecode."""
    if worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident), ctypes.py_object(KeyboardInterrupt)
        )


def _summarise(
    result: dg.ExecuteInProcessResult, partition_key: str, seconds: float
) -> BatchResult:
    checks = {"passed": 0, "failed": 0}
    for evaluation in result.get_asset_check_evaluations():
        checks["passed" if evaluation.passed else "failed"] += 1
    return BatchResult(
        run_id=result.run_id,
        partition_key=partition_key,
        success=result.success,
        seconds=seconds,
        status=result.dagster_run.status.value,
        checks=checks,
        failed_steps=[event.step_key or "" for event in result.get_step_failure_events()],
    )


def print_summary(batch: BatchResult) -> None:
    state = "succeeded" if batch.success else "FAILED"
    sys.stdout.write(
        f"batch {batch.partition_key} {state} in {batch.seconds:.1f}s (run {batch.run_id}, "
        f"job {BATCH_JOB_NAME}); checks: {batch.checks['passed']} passed, "
        f"{batch.checks['failed']} failed\n"
    )
    if batch.failed_steps:
        sys.stdout.write(f"failed steps: {', '.join(batch.failed_steps)}; rerun with -v\n")
    sys.stdout.flush()
