"""`JobDefinition.execute_in_process` without output capture.

`execute_in_process` (and `dg.materialize`, which calls it) keeps every step's output value in
the result for `output_for_node`: here, every stage's whole-batch frame until the run ends. At
100,000 tickets that held RSS at ~2.9 GB by the translations step (bench/bench_batch.py), while
each frame is in DuckDB staging the moment its step ends and downstream steps load their inputs
from there. Nothing of ours reads outputs from the result, so `dsgen batch` and the batch bench
run through this copy of the same code path with capture off.

It uses Dagster internals (`core_execute_in_process` and friends), which is why dagster is pinned
exactly in pyproject.toml; test_batch_memory.py fails loudly if an upgrade moves them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster._core.definitions.job_base import InMemoryJob
from dagster._core.execution.execute_in_process import core_execute_in_process, merge_run_tags

from dsgen_dagster.threaded import threaded_executor


def execute_uncaptured(
    job: dg.JobDefinition,
    *,
    instance: dg.DagsterInstance,
    partition_key: str,
    run_config: Mapping[str, Any] | None = None,
    run_id: str | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = False,
) -> dg.ExecuteInProcessResult:
    """Run `job` for one partition in this process, as `execute_in_process` does, keeping no
    step output in memory after its IO manager has stored it."""
    # The code location's executor (threaded.py), not the serial one execute_in_process imposes.
    ephemeral = job.as_ephemeral_job(resource_defs={}, input_values={}).with_executor_def(
        threaded_executor
    )
    config = dict(run_config or {})
    if not config and ephemeral.partitioned_config:
        config = dict(ephemeral.partitioned_config.get_run_config_for_partition_key(partition_key))
    return core_execute_in_process(
        job=InMemoryJob(job_def=ephemeral),
        run_config=config,
        instance=instance,
        output_capturing_enabled=False,
        raise_on_error=raise_on_error,
        # merge_run_tags also refuses a partition key the job does not have.
        run_tags=merge_run_tags(
            job_def=job,
            partition_key=partition_key,
            tags=tags,
            asset_selection=None,
            instance=instance,
            run_config=config,
        ),
        run_id=run_id,
        asset_selection=frozenset(),
    )
