"""The dsgen code location: `dsgen ui` (`dagster dev -m dsgen_dagster.definitions`)."""

from __future__ import annotations

import dagster as dg

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.jobs import batch_job, daily_batch_schedule
from dsgen_dagster.resources import resources_from_env

defs = dg.Definitions(
    assets=all_assets(),
    asset_checks=all_checks(),
    jobs=[batch_job],
    schedules=[daily_batch_schedule],
    resources=resources_from_env(),
    # Steps share one process: no ~1 s start-up per step, and one DuckDB writer per run.
    executor=dg.in_process_executor,
)
