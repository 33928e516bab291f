"""The daily schedule asks for the newest batch: the partition of the day it runs on."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from dsgen_dagster.definitions import defs
from dsgen_dagster.jobs import BATCH_JOB_NAME, daily_batch_schedule


def requested_partitions(when: dt.datetime) -> list[str | None]:
    context = dg.build_schedule_context(scheduled_execution_time=when)
    result = daily_batch_schedule.evaluate_tick(context)
    assert result.skip_message is None
    return [request.partition_key for request in result.run_requests or []]


@pytest.mark.parametrize(
    ("when", "partition"),
    [
        (dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC), "2026-11-22"),
        (dt.datetime(2026, 1, 1, 2, 0, tzinfo=dt.UTC), "2026-01-01"),
        (dt.datetime(2027, 2, 28, 2, 0, tzinfo=dt.UTC), "2027-02-28"),
    ],
)
def test_a_tick_requests_the_batch_of_its_day(when: dt.datetime, partition: str) -> None:
    assert requested_partitions(when) == [partition]


def test_the_schedule_runs_the_batch_job_daily_and_starts_stopped() -> None:
    schedule = defs.get_schedule_def(daily_batch_schedule.name)
    assert schedule.job_name == BATCH_JOB_NAME
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone in (None, "UTC")
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
