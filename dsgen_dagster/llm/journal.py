"""The call journal: every ledger and cache row on disk the moment its call returns.

The cache writes `llm_calls` and `llm_responses` rows to DuckDB in batches (a flush opens the
database, ~20 ms, too slow per call), so until a batch is flushed its rows exist only in memory.
Each writer therefore also appends every row, as one JSON line written and flushed at once, to its
own segment file next to the database (`<DSGEN_DB>.llm-journal/<host>-<pid>-<token>.jsonl`).
A flushed `write()` is in the kernel's page cache, so it survives the process being killed
(SIGKILL, OOM); it does not survive a power cut, which would need an fsync per call.

A live writer holds an exclusive `flock` on its segment; the kernel drops it when the process
dies. `replay_orphaned` (called before every cache lookup and before the manifest sums the
ledger) takes the lock of every segment nobody holds, inserts its rows and deletes it.

Replay is idempotent: every line carries a sequence number, and `llm_journal_marks` records,
per segment, the highest sequence number whose row is in the tables. The rows and the mark are
committed in one transaction, and a replay inserts only lines above the mark, so a crash between
that commit and the segment's deletion (or a replay racing another) counts nothing twice. A
segment is deleted while its lock is held, and a replayer that wins the lock checks the path is
still the same file, so an already deleted segment is never replayed from a stale handle. Marks
of segments that no longer exist are dropped.

A torn last line (the process killed inside `write()`) is skipped: its call's result was never
handed to the stage. The journal holds exactly the rows the tables get (response bodies, token
counts, redacted error texts), never request headers or the API key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import duckdb
import pyarrow as pa

logger = logging.getLogger(__name__)

JOURNAL_SUFFIX = ".llm-journal"
MARKS_TABLE = "llm_journal_marks"
TIMESTAMP_FIELDS = ("called_at", "created_at")
MARKS_DDL = f"CREATE TABLE IF NOT EXISTS {MARKS_TABLE} (segment VARCHAR, last_seq BIGINT)"


def journal_directory(database: str) -> Path | None:
    """Where the database's journal segments live; None for an in-memory database."""
    if not database or database == ":memory:":
        return None
    return Path(database + JOURNAL_SUFFIX)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot journal {type(value).__name__}")


class Journal:
    """One writer's append-only segment, locked for as long as the writer lives."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.segment = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:12]}.jsonl"
        self.path = directory / self.segment
        self._file: IO[bytes] | None = open(self.path, "ab")  # noqa: SIM115 — closed in close()
        fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._sequence = 0
        self._lock = threading.Lock()

    def append(self, table: str, row: dict[str, Any]) -> int:
        """Write one row and hand it to the kernel; returns its sequence number."""
        with self._lock:
            assert self._file is not None, "journal already closed"
            self._sequence += 1
            line = json.dumps({"seq": self._sequence, "table": table, "row": row}, default=_encode)
            self._file.write(line.encode() + b"\n")
            self._file.flush()
            return self._sequence

    def close(self, *, written: bool) -> None:
        """`written`: every row is in the tables, so the segment goes; else it stays to be
        replayed by the next start (the lock is released either way)."""
        with self._lock:
            if self._file is None:
                return
            if written:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
            self._file.close()
            self._file = None


def record_mark(connection: duckdb.DuckDBPyConnection, segment: str, last_seq: int) -> None:
    """Inside the caller's transaction: rows up to `last_seq` of `segment` are in the tables."""
    connection.execute(MARKS_DDL)
    connection.execute(f"DELETE FROM {MARKS_TABLE} WHERE segment = ?", [segment])
    connection.execute(f"INSERT INTO {MARKS_TABLE} VALUES (?, ?)", [segment, last_seq])


def read_segment(handle: IO[bytes]) -> list[dict[str, Any]]:
    """The segment's complete lines, in order; a torn or unreadable line ends it."""
    entries = []
    for line in handle.read().split(b"\n"):
        if not line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            break
        row = entry["row"]
        for name in TIMESTAMP_FIELDS:
            if isinstance(row.get(name), str):
                row[name] = dt.datetime.fromisoformat(row[name])
        entries.append(entry)
    return entries


@contextlib.contextmanager
def _orphan(path: Path) -> Iterator[IO[bytes] | None]:
    """The segment opened and locked when no live writer holds it (and it is still there)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 — closed below
    except FileNotFoundError:
        yield None
        return
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None  # its writer is alive
            return
        try:
            same = os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        yield handle if same else None
    finally:
        handle.close()


def replay_orphaned(connection: duckdb.DuckDBPyConnection, database: str, ddl: tuple) -> int:
    """Insert the rows of every segment whose writer is gone, then delete it; returns rows."""
    directory = journal_directory(database)
    if directory is None or not directory.is_dir():
        return 0
    replayed = 0
    for path in sorted(directory.glob("*.jsonl")):
        with _orphan(path) as handle:
            if handle is None:
                continue
            try:
                replayed += _replay_segment(connection, path.name, read_segment(handle), ddl)
            except Exception as exc:  # one bad segment must not fail every stage after it
                logger.warning(
                    "could not replay LLM journal segment %s (%s: %s); it is kept for the next "
                    "start",
                    path,
                    type(exc).__name__,
                    exc,
                )
                continue
            path.unlink()
    _drop_stale_marks(connection, directory)
    if replayed:
        logger.warning(
            "recovered %d LLM ledger/cache rows from the journal of a run that stopped before "
            "writing them",
            replayed,
        )
    return replayed


def _replay_segment(
    connection: duckdb.DuckDBPyConnection, segment: str, entries: list[dict[str, Any]], ddl: tuple
) -> int:
    for statement in ddl:
        connection.execute(statement)
    connection.execute(MARKS_DDL)
    connection.execute("BEGIN")
    try:
        row = connection.execute(
            f"SELECT max(last_seq) FROM {MARKS_TABLE} WHERE segment = ?", [segment]
        ).fetchone()
        done = int(row[0]) if row and row[0] is not None else 0
        fresh = [entry for entry in entries if entry["seq"] > done]
        by_table: dict[str, list[dict[str, Any]]] = {}
        for entry in fresh:
            by_table.setdefault(entry["table"], []).append(entry["row"])
        for table, rows in by_table.items():
            batch = pa.Table.from_pylist(rows)  # noqa: F841 — read by name in the SQL
            connection.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM batch')
        if fresh:
            record_mark(connection, segment, max(entry["seq"] for entry in fresh))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return len(fresh)


def _drop_stale_marks(connection: duckdb.DuckDBPyConnection, directory: Path) -> None:
    connection.execute(MARKS_DDL)
    marked = connection.execute(f"SELECT segment FROM {MARKS_TABLE}").fetchall()
    gone = [name for (name,) in marked if not (directory / name).exists()]
    if gone:
        connection.execute(f"DELETE FROM {MARKS_TABLE} WHERE list_contains(?, segment)", [gone])
