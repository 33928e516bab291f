"""The project's Dagster instance: where it lives, its default dagster.yaml, and dead runs.

`dsgen` runs jobs in its own process (`execute_in_process`), so no run launcher watches them and
the daemon's run monitoring cannot tell when such a process is killed: its run stays STARTED and
keeps its pool slots (docs/stack-notes.md). Every run dsgen starts therefore carries the host and
pid of its process as tags, and every dsgen command that runs something first fails the runs of
this host whose process is gone and frees their slots.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

PID_TAG = "dsgen/pid"
HOST_TAG = "dsgen/host"
PARTITION_TAG = "dagster/partition"  # what Dagster tags a partition's run with
DEFAULT_HOME = Path("data") / "dagster_home"

# Written into a fresh DAGSTER_HOME; README "Backfills" shows the same settings.
DEFAULT_DAGSTER_YAML = """\
# Written by dsgen for a fresh DAGSTER_HOME; edit freely, it is not overwritten.
concurrency:
  pools:
    default_limit: 2          # LLM-heavy steps (pool dsgen_llm) in flight at once, across all runs
  runs:
    max_concurrent_runs: 4    # runs of a backfill beyond this wait in the queue
"""

_ACTIVE = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]

log = logging.getLogger(__name__)


def ensure_home() -> Path:
    """DAGSTER_HOME (default `<cwd>/data/dagster_home`), created with dsgen's dagster.yaml.

    An existing dagster.yaml with content is the user's and is left alone.
    """
    home = Path(os.environ.get("DAGSTER_HOME") or Path.cwd() / DEFAULT_HOME).absolute()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.is_file() or config.stat().st_size == 0:
        config.write_text(DEFAULT_DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def process_tags() -> dict[str, str]:
    """Tags that let a later dsgen process tell whether this run's process still exists."""
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


@dataclass(frozen=True)
class ReapedRun:
    run_id: str
    partition_key: str | None
    pid: int
    freed_slots: int


def dead_runs(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    """Runs dsgen started on this host that are still STARTING/STARTED but whose process is gone.

    A pid reused since by an unrelated process counts as alive: a run is never failed by mistake,
    at worst it is noticed one restart later.
    """
    records = instance.get_run_records(
        filters=dg.RunsFilter(statuses=_ACTIVE, tags={HOST_TAG: socket.gethostname()})
    )
    runs = [record.dagster_run for record in records]
    return [run for run in runs if not process_exists(int(run.tags.get(PID_TAG, "0") or 0))]


def held_slots(instance: dg.DagsterInstance, run_id: str) -> int:
    storage = instance.event_log_storage
    return sum(
        slot.run_id == run_id
        for key in storage.get_concurrency_keys()
        for slot in storage.get_concurrency_info(key).claimed_slots
    )


def reap_dead_runs(instance: dg.DagsterInstance) -> list[ReapedRun]:
    """Mark dead runs failed and free their pool slots; log one line for each."""
    reaped = []
    for run in dead_runs(instance):
        pid = int(run.tags.get(PID_TAG, "0") or 0)
        slots = held_slots(instance, run.run_id)
        instance.report_run_failed(
            run, message=f"dsgen: the process of this run (pid {pid}) is gone; marked failed"
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        partition_key = run.tags.get(PARTITION_TAG)
        reaped.append(ReapedRun(run.run_id, partition_key, pid, slots))
        log.warning(
            "dead run %s (partition %s, pid %d gone): marked failed, freed %d pool slot(s)",
            run.run_id,
            partition_key,
            pid,
            slots,
        )
    return reaped
