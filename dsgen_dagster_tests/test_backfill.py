"""A backfill as it really runs: one OS process per partition, all writing one DuckDB file.

Each process runs the code location's assets for its partition, as a run the daemon launches for
a UI backfill would, recorded in one shared DAGSTER_HOME whose dagster.yaml caps the `dsgen_llm`
pool, so the test also shows that the pool limit holds across runs. (`dagster asset materialize`
would also run the asset checks: twice the CPU, and nothing more about concurrent writes.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dsgen_dagster.defs.manifest.assets import DATA_TABLES
from dsgen_dagster.errors import StorageError
from dsgen_dagster.instance import DEFAULT_DAGSTER_YAML
from dsgen_dagster.lib.stage import LLM_POOL
from dsgen_dagster.storage.warehouse import Warehouse

REPO = Path(__file__).resolve().parents[1]
PARTITIONS = ("2026-04-01", "2026-04-02", "2026-04-03", "2026-04-04")
TICKETS = 3
POOL_LIMIT = 2
ID_COLUMNS = {
    "policy_graph": "clause_id", "customers": "customer_id", "products": "product_id",
    "orders": "order_id", "topics": "ticket_id", "emails": "ticket_id", "answers": "ticket_id",
    "tags": "ticket_id", "rephrasings": "rephrasing_id", "translations": "translation_id",
    "policy_clause_texts": "text_id",
}  # fmt: skip
LLM_STEPS = {"topics", "emails", "answers", "tags", "rephrasings", "translations"}


# One run of every asset of the code location for the partition in argv[1], in this process.
RUN_PARTITION = """
import sys
import dagster as dg
from dsgen_dagster.definitions import defs
assets = [asset for asset in defs.assets or [] if isinstance(asset, dg.AssetsDefinition)]
with dg.DagsterInstance.get() as instance:
    result = dg.materialize(
        assets, resources=defs.resources, partition_key=sys.argv[1], instance=instance,
        raise_on_error=False,
    )
sys.exit(0 if result.success else 1)
"""


def materialize_command(partition_key: str) -> list[str]:
    return [sys.executable, "-c", RUN_PARTITION, partition_key]


@pytest.fixture(scope="module")
def backfill(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    root = tmp_path_factory.mktemp("backfill")
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        f"concurrency:\n  pools:\n    default_limit: {POOL_LIMIT}\ntelemetry:\n  enabled: false\n"
    )
    # Create the instance's storage once, as `dagster dev` does before it launches runs; runs
    # that each start on an empty DAGSTER_HOME race to create the same SQLite schema.
    dg.DagsterInstance.from_config(str(home)).dispose()
    database = root / "dsgen.duckdb"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "DSGEN_DB": str(database),
        "DSGEN_TICKETS_PER_BATCH": str(TICKETS),
    }
    started = time.monotonic()
    processes = {
        key: subprocess.Popen(
            materialize_command(key),
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for key in PARTITIONS
    }
    logs = {key: process.communicate(timeout=600)[0] for key, process in processes.items()}
    wall = time.monotonic() - started
    for key, process in processes.items():
        assert process.returncode == 0, f"partition {key} failed:\n{logs[key][-4000:]}"
    return database, home, wall


def test_four_concurrent_runs_all_succeed_and_each_partition_has_exactly_its_rows(
    backfill: tuple[Path, Path, float],
) -> None:
    database, _, wall = backfill
    print(f"4 concurrent partition runs: {wall:.1f}s wall")
    with duckdb.connect(str(database), read_only=True) as connection:
        manifests = {
            key: counts
            for key, counts in connection.execute(
                "SELECT partition_key, row_counts::JSON FROM manifest"
            ).fetchall()
        }
        assert sorted(manifests) == list(PARTITIONS)
        for table, id_column in ID_COLUMNS.items():
            stored = dict(
                connection.execute(
                    f"SELECT partition_date::VARCHAR, count(*) FROM {table} GROUP BY ALL"
                ).fetchall()
            )
            for key in PARTITIONS:
                # What the partition's own manifest counted is still there: no run clobbered it.
                assert stored[key] == json.loads(manifests[key])[table], table
            foreign = connection.execute(
                f"SELECT count(*) FROM {table} "
                f"WHERE NOT contains({id_column}, strftime(partition_date, '%Y%m%d'))"
            ).fetchone()
            duplicates = connection.execute(
                f"SELECT count(*) - count(DISTINCT {id_column}) FROM {table}"
            ).fetchone()
            assert foreign == (0,) and duplicates == (0,), table
        tickets = connection.execute(
            "SELECT partition_date::VARCHAR, count(*) FROM topics GROUP BY ALL ORDER BY 1"
        ).fetchall()
    assert tickets == [(key, TICKETS) for key in PARTITIONS]
    assert set(ID_COLUMNS) == set(DATA_TABLES)


def test_the_pool_limit_held_across_the_runs(backfill: tuple[Path, Path, float]) -> None:
    _, home, _ = backfill
    with dg.DagsterInstance.from_config(str(home)) as instance:
        intervals = []
        for record in instance.get_run_records():
            starts: dict[str, float] = {}
            for entry in instance.all_logs(record.dagster_run.run_id):
                event = entry.dagster_event
                if event is None or event.step_key not in LLM_STEPS:
                    continue
                if event.event_type == dg.DagsterEventType.STEP_START:
                    starts[event.step_key] = entry.timestamp
                elif event.event_type == dg.DagsterEventType.STEP_SUCCESS:
                    intervals.append((starts[event.step_key], entry.timestamp))
        assert instance.event_log_storage.get_concurrency_info(LLM_POOL).slot_count == POOL_LIMIT
    assert len(intervals) == len(PARTITIONS) * len(LLM_STEPS)
    most_at_once = max(
        sum(start <= moment < end for start, end in intervals) for moment, _ in intervals
    )
    print(f"LLM steps in flight at once, across the 4 runs: at most {most_at_once}")
    assert 1 <= most_at_once <= POOL_LIMIT


def hold_lock(database: Path, seconds: float) -> subprocess.Popen:
    """Another process that opens the database for writing and keeps it for `seconds`."""
    script = (
        "import duckdb, sys, time\n"
        f"connection = duckdb.connect({str(database)!r})\n"
        "print('locked', flush=True)\n"
        f"time.sleep({seconds})\n"
        "connection.close()\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_writer_waits_out_another_process_lock_then_writes(tmp_path: Path) -> None:
    database = tmp_path / "db.duckdb"
    duckdb.connect(str(database)).close()
    holder = hold_lock(database, 1.5)
    started = time.monotonic()
    with Warehouse(database=str(database)).connect() as connection:
        waited = time.monotonic() - started
        connection.execute("CREATE TABLE t AS SELECT 1 AS x")
    holder.wait(timeout=30)
    assert waited > 0.5


def test_a_lock_held_past_the_timeout_fails_with_the_fix(tmp_path: Path) -> None:
    database = tmp_path / "db.duckdb"
    duckdb.connect(str(database)).close()
    holder = hold_lock(database, 1.5)
    warehouse = Warehouse(database=str(database), lock_timeout_seconds=0.3)
    try:
        with pytest.raises(StorageError, match="stayed locked .* raise lock_timeout_seconds"):
            warehouse.connect().__enter__()
    finally:
        holder.wait(timeout=30)


def test_dsgen_writes_the_dagster_yaml_the_readme_shows_and_dagster_accepts_it(
    tmp_path: Path,
) -> None:
    written = DEFAULT_DAGSTER_YAML
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("  ```yaml\n")[1].split("  ```\n")[0]
    assert [line.strip() for line in shown.splitlines()] == [
        line.strip() for line in written.splitlines() if not line.startswith("#")
    ]
    (tmp_path / "dagster.yaml").write_text(written + "\n", encoding="utf-8")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        config = instance.get_concurrency_config()
    assert config.pool_config.default_pool_limit == 2
    assert config.run_queue_config is not None
    assert config.run_queue_config.max_concurrent_runs == 4
