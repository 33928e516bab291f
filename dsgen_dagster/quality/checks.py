"""What the stage checks share: partitioned check declaration, reading rows, check configs.

Checks read their partition's rows from the warehouse rather than through the IO manager, so a
check sees exactly what was stored (column names and types included) and can read tables it
does not check (a scenario's topics, the policy graph, earlier partitions).
"""

# No `from __future__ import annotations`: Dagster reads the check functions' annotations.
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import dagster as dg
import polars as pl
from pydantic import Field

from dsgen_dagster.partitions import daily_partitions
from dsgen_dagster.quality.duplicates import DEFAULT_THRESHOLD, DuplicateConfig, DuplicateReport
from dsgen_dagster.quality.schema import EXPECTATION_CHUNK_ROWS, check_schema_slices
from dsgen_dagster.quality.tables import Table
from dsgen_dagster.quality.text import DEFAULT_SHINGLE_SIZE
from dsgen_dagster.storage.io_manager import read_partition
from dsgen_dagster.storage.stored import StoredTable
from dsgen_dagster.storage.warehouse import Warehouse

SCHEMA = "schema"
EVIDENCE = "evidence"
DUPLICATES = "duplicates"


def check_name(table: str, kind: str) -> str:
    """`emails_schema`: the table, then the kind, so a UI or log filter on the kind finds it."""
    return f"{table}_{kind}"


def partitioned_check(**kwargs: Any) -> Callable[..., dg.AssetChecksDefinition]:
    """`dg.asset_check` evaluated per daily partition, as every asset is.

    Partitioned asset checks are a preview feature in Dagster 1.13; without them a check's
    result is not attributed to the partition it checked, so we accept the preview (and mute
    its warning, which would otherwise print on every import of the code location).
    """

    def decorate(function: Callable[..., Any]) -> dg.AssetChecksDefinition:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dg.PreviewWarning)
            return dg.asset_check(partitions_def=daily_partitions, **kwargs)(function)

    return decorate


def read_rows(warehouse: Warehouse, table: str, partition_key: str) -> pl.DataFrame:
    return read_tables(warehouse, [table], partition_key)[table]


def read_tables(
    warehouse: Warehouse, tables: Iterable[str], partition_key: str
) -> dict[str, pl.DataFrame]:
    """Several tables' rows of one partition through one connection (opening the database
    file costs ~14 ms, measured; an evidence check reads up to nine tables)."""
    with warehouse.connect() as connection:
        return {
            table: read_partition(connection, table, partition_key, allow_empty=True)
            for table in tables
        }


class DuplicatesCheckConfig(dg.Config):
    """Run config of a duplicates check (Launchpad: ops.<check op>.config)."""

    threshold: float = Field(
        default=DEFAULT_THRESHOLD,
        gt=0.0,
        le=1.0,
        description="Two texts are near-duplicates when the Jaccard similarity of their word "
        "shingles is at least this.",
    )
    shingle_size: int = Field(default=DEFAULT_SHINGLE_SIZE, ge=1, description="Words per shingle.")
    max_duplicate_rate: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="The check fails when a larger share of the partition's items has an exact "
        "or near duplicate, within the partition or in an earlier one.",
    )

    def duplicate_config(self) -> DuplicateConfig:
        return DuplicateConfig(threshold=self.threshold, shingle_size=self.shingle_size)


class RephrasingCheckConfig(dg.Config):
    max_similarity: float = Field(
        default=DEFAULT_THRESHOLD,
        gt=0.0,
        le=1.0,
        description="A rephrasing fails when the Jaccard similarity of its word shingles to its "
        "source email's is at least this.",
    )
    shingle_size: int = Field(default=DEFAULT_SHINGLE_SIZE, ge=1, description="Words per shingle.")


def duplicates_metadata(report: DuplicateReport) -> dict[str, Any]:
    metadata = report.to_metadata()
    metadata["examples"] = dg.MetadataValue.json(metadata["examples"])
    metadata["offending_ids"] = dg.MetadataValue.text(", ".join(report.offending_ids()))
    return metadata


def schema_check(table: Table) -> dg.AssetChecksDefinition:
    """The schema check of one table: its pydantic model and its Great Expectations suite."""
    table_name = table.name

    @partitioned_check(
        asset=dg.AssetKey(table_name),
        name=check_name(table_name, SCHEMA),
        blocking=True,
        description=f"Rows of {table_name} validate against {table.model.__name__}; the "
        f"Great Expectations suite holds (not-null required columns, unique {table.key}, id "
        "prefixes, enum values, text lengths, language codes). Blocks downstream assets.",
    )
    def _schema(
        context: dg.AssetCheckExecutionContext, warehouse: Warehouse
    ) -> dg.AssetCheckResult:
        # A slice of rows at a time: the whole table's frame is never in memory.
        stored = StoredTable.opened(warehouse, table_name, context.partition_key, allow_empty=True)
        height, slices = stored.slices(EXPECTATION_CHUNK_ROWS)
        findings = check_schema_slices(
            table, slices, height, lambda names: stored.read(columns=names)
        )
        context.log.info(f"{check_name(table_name, SCHEMA)}: {findings.counts()}")
        return findings.result(extra={"model": table.model.__name__})

    return _schema
