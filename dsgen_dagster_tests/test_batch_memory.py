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
