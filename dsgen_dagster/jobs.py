"""The batch job and the daily schedule of fresh batches."""

from __future__ import annotations

import dagster as dg

from dsgen_dagster.partitions import daily_partitions

BATCH_JOB_NAME = "dsgen_batch"

batch_job = dg.define_asset_job(
    BATCH_JOB_NAME,
    selection=dg.AssetSelection.all(),
    partitions_def=daily_partitions,
    description="Every asset of one batch (partition): policy to manifest.",
)

# Off by default: a fresh deployment should not start spending on an LLM provider by itself.
daily_batch_schedule = dg.build_schedule_from_partitioned_job(
    batch_job,
    hour_of_day=2,
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
