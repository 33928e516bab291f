"""The call journal: a row is on disk when its call returns, and a dead writer's rows reach the
ledger exactly once."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dsgen_dagster.llm.cache import CALLS_TABLE, ResponseCache, now_utc, recover_journals
from dsgen_dagster.llm.journal import MARKS_TABLE, Journal, journal_directory
from dsgen_dagster.storage.warehouse import Warehouse


def call_row(number: int) -> dict:
    return {
        "called_at": now_utc(),
        "stage": "topics",
        "partition_key": "2026-07-01",
        "request_key": f"req-{number}",
        "sample_index": 0,
        "model": "gpt-4o",
        "prompt_tokens": 10,
        "completion_tokens": 5,
        "cost_usd": 0.001,
        "cached": False,
        "attempts": 1,
        "retries": 0,
        "rate_limited": 0,
        "error": None,
        "latency_seconds": 0.01,
        "reasks_by_rule": "{}",
        "rejected_rule": None,
    }


def ledger(database: Path) -> list[tuple]:
    with duckdb.connect(str(database)) as connection:
        return connection.execute(
            f"SELECT request_key, cost_usd, called_at IS NOT NULL FROM {CALLS_TABLE} ORDER BY 1"
        ).fetchall()


def recover(database: Path) -> int:
    with Warehouse(database=str(database)).connect() as connection:
        return recover_journals(connection, str(database))


def dead_writer(database: Path, calls: int) -> Path:
    """A segment as a killed writer leaves it: lines written, never flushed to the tables."""
    journal = Journal(journal_directory(str(database)))  # type: ignore[arg-type]
    for number in range(calls):
        journal.append(CALLS_TABLE, call_row(number))
    journal.close(written=False)  # the lock goes, as when the kernel reaps the process
    return journal.path


def test_a_dead_writers_rows_are_replayed_once_and_its_segment_removed(tmp_path: Path) -> None:
    database = tmp_path / "dsgen.duckdb"
    segment = dead_writer(database, 3)

    assert recover(database) == 3
    assert recover(database) == 0
    assert ledger(database) == [(f"req-{n}", 0.001, True) for n in range(3)]
    assert not segment.exists()


def test_a_crash_between_the_insert_and_the_segments_removal_counts_nothing_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "dsgen.duckdb"
    segment = dead_writer(database, 2)

    def killed(self: Path, missing_ok: bool = False) -> None:
        raise SystemExit("killed after the commit, before the unlink")

    with monkeypatch.context() as patched:
        patched.setattr(Path, "unlink", killed)
        with pytest.raises(SystemExit):
            recover(database)
    assert segment.exists() and len(ledger(database)) == 2
    with open(segment, "ab") as handle:  # ... and the writer had one more line it never flushed
        handle.write(b'{"seq": 3, "table": "llm_calls", "row": {"request_key": "req-late"}}\n')

    assert recover(database) == 1
    assert [row[0] for row in ledger(database)] == ["req-0", "req-1", "req-late"]


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    database = tmp_path / "dsgen.duckdb"
    segment = dead_writer(database, 2)
    with open(segment, "ab") as handle:
        handle.write(b'{"seq": 3, "table": "llm_ca')

    assert recover(database) == 2
    assert len(ledger(database)) == 2


def test_a_live_writers_segment_is_left_to_it_and_removed_when_it_has_written(
    tmp_path: Path,
) -> None:
    database = tmp_path / "dsgen.duckdb"
    cache = ResponseCache(Warehouse(database=str(database)))
    cache.lookup([])  # as a stage run does first: it creates the tables
    cache.start()
    cache.add_call(call_row(0))
    (segment,) = journal_directory(str(database)).glob("*.jsonl")  # type: ignore[union-attr]
    assert b"req-0" in segment.read_bytes()  # on disk as soon as add_call returned

    assert recover(database) == 0  # its writer holds the lock
    cache.close()

    assert ledger(database) == [("req-0", 0.001, True)]
    assert not segment.exists()
    assert recover(database) == 0
    with duckdb.connect(str(database)) as connection:  # the finished segment's mark is dropped
        assert connection.execute(f"SELECT count(*) FROM {MARKS_TABLE}").fetchone() == (0,)


def test_rows_flushed_before_a_writer_died_are_not_replayed_again(tmp_path: Path) -> None:
    database = tmp_path / "dsgen.duckdb"
    cache = ResponseCache(Warehouse(database=str(database)))
    cache.lookup([])  # as a stage run does first: it creates the tables
    cache.start()
    cache.add_call(call_row(0))
    cache.add_call(call_row(1))
    cache.stop_writer()  # the writer flushes and stops: rows and mark committed
    cache._writer.join()  # type: ignore[union-attr]
    cache._journal.append(CALLS_TABLE, call_row(2))  # type: ignore[union-attr]
    cache._journal.close(written=False)  # type: ignore[union-attr] — then the process dies

    assert recover(database) == 1
    assert [row[0] for row in ledger(database)] == ["req-0", "req-1", "req-2"]


def test_a_segment_that_cannot_be_replayed_is_kept_and_does_not_stop_the_others(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "dsgen.duckdb"
    good = dead_writer(database, 1)
    bad = good.with_name("a-bad-segment.jsonl")  # replayed first, by name
    bad.write_bytes(b'{"seq": 1, "table": "no_such_table", "row": {"x": 1}}\n')

    assert recover(database) == 1
    assert bad.exists() and not good.exists()
    assert "could not replay LLM journal segment" in caplog.text and bad.name in caplog.text
