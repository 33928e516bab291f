"""`dsgen batch` keeps no stage output in memory once its IO manager has stored it.

Dagster's `execute_in_process` holds every step's output for the result; at 100,000 tickets those
frames were most of the run's peak RSS. A weak reference to an asset's output tells whether
anything still holds it after the run.
"""

from __future__ import annotations

import gc
import weakref

import dagster as dg
import pytest

from dsgen_dagster.uncaptured import execute_uncaptured

PARTITIONS = dg.DailyPartitionsDefinition(start_date="2026-01-01")


class Frame:
    """Stands for a stage's whole-batch frame (weak-referenceable, unlike a list)."""


made: list[weakref.ref[Frame]] = []


class Discarding(dg.ConfigurableIOManager):
    """Stores nothing and loads a fresh value, as the staging IO manager loads from DuckDB."""

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        return None

    def load_input(self, context: dg.InputContext) -> Frame:
        return Frame()


@dg.asset(partitions_def=PARTITIONS)
def upstream() -> Frame:
    frame = Frame()
    made.append(weakref.ref(frame))
    return frame


@dg.asset(partitions_def=PARTITIONS)
def downstream(upstream: Frame) -> Frame:
    return Frame()


def job() -> dg.JobDefinition:
    defs = dg.Definitions(assets=[upstream, downstream], resources={"io_manager": Discarding()})
    return defs.get_implicit_global_asset_job_def()


def test_no_output_outlives_its_step() -> None:
    made.clear()
    with dg.DagsterInstance.ephemeral() as instance:
        result = execute_uncaptured(job(), instance=instance, partition_key="2026-11-30")
    assert result.success
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [
        dg.AssetKey("upstream"),
        dg.AssetKey("downstream"),
    ]
    gc.collect()
    assert made and made[0]() is None, "the run result still holds the upstream frame"


def test_execute_in_process_would_hold_it() -> None:
    # The reason for execute_uncaptured: with capture on, the frame lives as long as the result.
    made.clear()
    with dg.DagsterInstance.ephemeral() as instance:
        result = job().execute_in_process(instance=instance, partition_key="2026-11-30")
    gc.collect()
    assert made[0]() is not None
    del result


def test_unknown_partition_is_refused_before_any_step() -> None:
    made.clear()
    with dg.DagsterInstance.ephemeral() as instance, pytest.raises(Exception, match="1999-01-01"):
        execute_uncaptured(job(), instance=instance, partition_key="1999-01-01")
    assert made == []


def allocator_conf(env: dict[str, str]) -> str:
    """What polars' jemalloc is configured with once dsgen and then polars are imported."""
    import os
    import subprocess
    import sys

    script = "import os, dsgen_dagster, polars; print(os.environ['_RJEM_MALLOC_CONF'])"
    clean = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    done = subprocess.run(
        [sys.executable, "-c", script], env={**clean, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_polars_frees_pages_at_once() -> None:
    # jemalloc reads options left to right: the last decay given is the one in force.
    assert allocator_conf({}).endswith("dirty_decay_ms:0,muzzy_decay_ms:0")


def test_a_users_allocator_setting_is_kept() -> None:
    conf = allocator_conf({"_RJEM_MALLOC_CONF": "dirty_decay_ms:2000"})
    assert conf.endswith("dirty_decay_ms:2000")
    assert "dirty_decay_ms:0" not in conf


def test_release_memory_keeps_live_arrow_buffers() -> None:
    """It hands pyarrow's free pages back (a no-op without pyarrow loaded), never a live one."""
    import pyarrow as pa

    from dsgen_dagster.storage.memory import release_memory

    pool = pa.default_memory_pool()
    kept = pa.array(range(100_000))
    freed = pa.array([str(i) for i in range(100_000)])
    del freed
    release_memory()
    assert kept[99_999].as_py() == 99_999
    assert pool.bytes_allocated() >= kept.nbytes
