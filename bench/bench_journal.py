"""What journaling every LLM call costs: per-row append (write + flush) and replay of a segment.

Run: `.venv/bin/python bench/bench_journal.py [rows]` (default 20,000 rows: a response row with a
2 KB body and a ledger row per call, 10,000 calls). Prints microseconds per row appended, the
replay rate, and the machine-speed reference.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_llm import reference_loop_seconds  # noqa: E402

from dsgen_dagster.llm.cache import (  # noqa: E402
    CALLS_TABLE,
    RESPONSES_TABLE,
    now_utc,
    recover_journals,
)
from dsgen_dagster.llm.journal import Journal, journal_directory  # noqa: E402
from dsgen_dagster.storage.warehouse import Warehouse  # noqa: E402


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    calls = rows // 2
    print(f"machine speed: reference loop {reference_loop_seconds():.2f} s (lower is faster)")
    with tempfile.TemporaryDirectory() as scratch:
        database = str(Path(scratch) / "bench.duckdb")
        journal = Journal(journal_directory(database))  # type: ignore[arg-type]
        body = "x" * 2000
        started = time.perf_counter()
        for number in range(calls):
            journal.append(
                RESPONSES_TABLE,
                {
                    "cache_key": f"{number:064d}",
                    "stage": "emails",
                    "model": "gpt-4o",
                    "response_json": body,
                    "prompt_tokens": 500,
                    "completion_tokens": 200,
                    "created_at": now_utc(),
                },
            )
            journal.append(
                CALLS_TABLE,
                {
                    "called_at": now_utc(),
                    "stage": "emails",
                    "partition_key": "2026-01-01",
                    "request_key": f"tkt_{number:08d}",
                    "sample_index": 0,
                    "model": "gpt-4o",
                    "cache_key": f"{number:064d}",
                    "prompt_tokens": 500,
                    "completion_tokens": 200,
                    "cost_usd": 0.003,
                    "cached": False,
                    "attempts": 1,
                    "retries": 0,
                    "rate_limited": 0,
                    "error": None,
                    "latency_seconds": 0.5,
                    "reasks_by_rule": "{}",
                    "rejected_rule": None,
                },
            )
        appended = time.perf_counter() - started
        size = journal.path.stat().st_size
        journal.close(written=False)
        started = time.perf_counter()
        with Warehouse(database=database).connect() as connection:
            replayed = recover_journals(connection, database)
        replay = time.perf_counter() - started
    print(
        f"append: {rows} rows ({calls} calls) in {appended:.3f} s = "
        f"{appended / rows * 1e6:.1f} us/row, {appended / calls * 1e6:.1f} us/call; "
        f"segment {size / 2**20:.1f} MiB"
    )
    print(f"replay: {replayed} rows in {replay:.3f} s = {replayed / replay:,.0f} rows/s")


if __name__ == "__main__":
    main()
