"""The one partitions definition every asset shares: one daily partition = one batch."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from dsgen_dagster.errors import ConfigError

FIRST_BATCH_DATE = "2026-01-01"

# end_offset=1 makes today's batch materialisable, so a "fresh batch" is today's, not yesterday's.
daily_partitions = dg.DailyPartitionsDefinition(start_date=FIRST_BATCH_DATE, end_offset=1)


def batch_date(partition_key: str) -> dt.date:
    """The date of a partition key, with a clear error for a key that is not one."""
    try:
        return dt.date.fromisoformat(partition_key)
    except ValueError as exc:
        raise ConfigError(
            f"partition key {partition_key!r} is not a date (YYYY-MM-DD); "
            f"partitions are daily from {FIRST_BATCH_DATE}"
        ) from exc


def partition_code(partition_key: str) -> str:
    """Compact form of a partition key used inside ids: 2026-11-22 -> 20261122."""
    return batch_date(partition_key).strftime("%Y%m%d")
