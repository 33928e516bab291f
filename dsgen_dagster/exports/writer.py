"""Write a range of batches as a folder that loads as a Hugging Face dataset.

```
OUT/README.md                      dataset card (YAML `configs:` maps each config to its Parquet)
OUT/manifest.json                  the batches' manifest rows, check outcomes, files with checksums
OUT/data/<config>.parquet          one file per config: tickets, policy_graph, customers, ...
OUT/jsonl/<config>.jsonl           the same rows as JSON lines
```
The folder is written next to OUT and renamed into place, so a failed export leaves no half folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl

from dsgen_dagster.defs import tables
from dsgen_dagster.errors import DsgenError
from dsgen_dagster.exports.card import CHART_FILE, distributions, render_card
from dsgen_dagster.exports.chart import bar_chart
from dsgen_dagster.exports.checks import current_check_outcomes
from dsgen_dagster.exports.public import POLICY_TABLE, policy_hashes, public_batch, public_frame
from dsgen_dagster.partitions import batch_date
from dsgen_dagster.storage.io_manager import PARTITION_COLUMN
from dsgen_dagster.storage.staging import table_exists
from dsgen_dagster.storage.warehouse import Warehouse

# The `tickets` view is always exported; each table a stage marks `exported` is a config too.
TICKETS_ORDER = "partition_date, ticket_id, is_translation, language"


def configs() -> dict[str, str]:
    """Config name -> ORDER BY: a stable row order, so two exports of the same batches are
    identical."""
    exported = {
        name: f"partition_date, {table.key}" for name, table in tables().items() if table.exported
    }
    return {"tickets": TICKETS_ORDER, **exported}


JSON_COLUMNS = (
    "config", "prompt_hashes", "library_versions", "row_counts", "stages",
    "stage_wall_seconds", "check_outcomes", "upstream_data_versions",
)  # fmt: skip


class ExportError(DsgenError):
    """The requested export cannot be written."""


@dataclass
class ExportResult:
    out: Path
    partitions: list[str]
    missing_partitions: list[str]
    rows: dict[str, int] = field(default_factory=dict)


def export_dataset(
    warehouse: Warehouse,
    first: str,
    last: str,
    out: Path,
    *,
    overwrite: bool = False,
    instance: dg.DagsterInstance | None = None,
    check_keys: Iterable[dg.AssetCheckKey] | None = None,
) -> ExportResult:
    """Export the batches from `first` to `last` (inclusive) that have a manifest row."""
    start, end = batch_date(first), batch_date(last)
    if end < start:
        raise ExportError(f"--to {last} is before --from {first}; swap them")
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise ExportError(f"{out} exists and is not empty; choose another --out or --overwrite")
    with warehouse.connect() as connection:
        batches = manifest_rows(connection, start, end)
        if not batches:
            raise ExportError(
                f"no complete batch between {first} and {last} in {warehouse.database}: "
                "materialise those partitions (every asset, manifest last) first"
            )
        partitions = [batch["partition_key"] for batch in batches]
        frames = {
            config: public_frame(config, read_config(connection, config, order, partitions))
            for config, order in configs().items()
        }
    hashes = policy_hashes(frames.get(POLICY_TABLE, pl.DataFrame()))
    batches = [public_batch(batch, hashes) for batch in batches]
    if instance is not None:
        refresh_checks(batches, instance, check_keys)
    requested = [str(start + dt.timedelta(days=n)) for n in range((end - start).days + 1)]
    result = ExportResult(
        out=out,
        partitions=partitions,
        missing_partitions=sorted(set(requested) - set(partitions)),
        rows={config: frame.height for config, frame in frames.items()},
    )
    source = Path(warehouse.database).name  # the file's name: its folder is the machine's
    write_folder(out, frames, batches, result, source=source, checked=instance)
    return result


def latest_batch(warehouse: Warehouse) -> str:
    """The newest published batch (the newest manifest row): what `dsgen export` exports when no
    range is given, so the README's export runs as written right after `dsgen batch`."""
    with warehouse.connect() as connection:
        row = (
            connection.execute("SELECT max(partition_key) FROM manifest").fetchone()
            if table_exists(connection, "manifest")
            else None
        )
    if not row or row[0] is None:
        raise ExportError(
            f"no published batch in {warehouse.database}: make one first (dsgen batch)"
        )
    return str(row[0])


def manifest_rows(
    connection: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    if not table_exists(connection, "manifest"):
        return []
    cursor = connection.execute(
        f"SELECT * EXCLUDE ({PARTITION_COLUMN}) FROM manifest "
        f"WHERE {PARTITION_COLUMN} BETWEEN ? AND ? ORDER BY partition_key",
        [start, end],
    )
    names = [column[0] for column in cursor.description or []]
    batches = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    for batch in batches:
        for column in JSON_COLUMNS:
            if isinstance(batch.get(column), str):
                batch[column] = json.loads(batch[column])
        batch["created_at"] = str(batch.get("created_at"))
    return batches


def read_config(
    connection: duckdb.DuckDBPyConnection, config: str, order: str, partitions: list[str]
) -> pl.DataFrame:
    if not table_exists(connection, config):
        raise ExportError(f"{config} does not exist in the database; materialise the batches")
    dates = [batch_date(key) for key in partitions]
    return connection.execute(
        f'SELECT * FROM "{config}" WHERE {PARTITION_COLUMN} IN '
        f"(SELECT unnest(?::DATE[])) ORDER BY {order}",
        [dates],
    ).pl()


def refresh_checks(
    batches: list[dict[str, Any]],
    instance: dg.DagsterInstance,
    check_keys: Iterable[dg.AssetCheckKey] | None,
) -> None:
    """Replace each batch's check outcomes with the instance's final ones: a check that ran after
    the manifest was written (a non-blocking check) shows PENDING in the manifest table."""
    keys = list(check_keys) if check_keys is not None else None
    for batch in batches:
        batch["check_outcomes"] = current_check_outcomes(instance, batch["partition_key"], keys)


def file_entry(path: Path, root: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {
        "path": path.relative_to(root).as_posix(),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def write_folder(
    out: Path,
    frames: dict[str, pl.DataFrame],
    batches: list[dict[str, Any]],
    result: ExportResult,
    *,
    source: str,
    checked: dg.DagsterInstance | None,
) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        files: dict[str, dict[str, Any]] = {}
        for config, frame in frames.items():
            (staging / "data").mkdir(exist_ok=True)
            (staging / "jsonl").mkdir(exist_ok=True)
            parquet = staging / "data" / f"{config}.parquet"
            jsonl = staging / "jsonl" / f"{config}.jsonl"
            frame.write_parquet(parquet)
            frame.write_ndjson(jsonl)
            files[config] = {
                "rows": frame.height,
                "columns": {name: str(dtype) for name, dtype in frame.schema.items()},
                "parquet": file_entry(parquet, staging),
                "jsonl": file_entry(jsonl, staging),
            }
        chart = staging / CHART_FILE
        chart.write_text(bar_chart(distributions(frames["tickets"])), encoding="utf-8")
        manifest = {
            "chart": file_entry(chart, staging),
            "export": {
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "source_database": source,
                "partitions": result.partitions,
                "missing_partitions": result.missing_partitions,
                "check_outcomes_from": "dagster instance" if checked else "manifest table",
            },
            "files": files,
            "batches": batches,
        }
        (staging / "manifest.json").write_text(
            json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
        )
        (staging / "README.md").write_text(render_card(frames, files, batches), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
