"""The dsgen code location: `dsgen ui` (`dagster dev -m dsgen_dagster.definitions`)."""

from __future__ import annotations

import dagster as dg

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.jobs import batch_job, daily_batch_schedule
from dsgen_dagster.resources import resources_from_env
from dsgen_dagster.threaded import threaded_executor

defs = dg.Definitions(
    assets=all_assets(),
    asset_checks=all_checks(),
    jobs=[batch_job],
    schedules=[daily_batch_schedule],
    resources=resources_from_env(),
    # Steps share one process (no ~1 s start-up per step, one DuckDB writer per run); with a
    # model endpoint, independent steps run side by side in threads.
    executor=threaded_executor,
)
