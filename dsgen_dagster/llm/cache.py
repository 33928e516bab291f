"""The response cache and the call ledger, both tables in the DuckDB database.

`llm_responses` holds each request's raw response body (kept apart from the parsed rows the stages
write), keyed by the SHA-256 of everything that changes a response: model, rendered messages,
response JSON schema, temperature, seed and sample index — and nothing that doesn't, such as how
many re-asks we allow. `llm_calls` has one row per call a stage made (or answered from the cache):
tokens, cost, attempts, retries, error and latency, per stage and partition, with the content
re-asks per rule (`reasks_by_rule`, JSON) and, for a rejected row, the rule it still broke.

No primary key: a fresh connection loads a key's whole index to check one insert (~40 ms a
batch, measured). A stage only writes what it missed, and two runs racing on one key leave two
equally valid rows, of which a lookup takes either.

Every row is first appended to the writer's journal segment (`journal.py`), on disk before the
call's result is handed to the stage, so a killed run loses no ledger row: the next start
replays it. The tables are written by a background thread in batches every few seconds, each
batch in one short-lived connection (other processes can write in between), together with the
journal mark that makes the replay skip what is already in.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyarrow as pa
from pydantic import BaseModel

from dsgen_dagster.llm.journal import Journal, journal_directory, record_mark, replay_orphaned
from dsgen_dagster.llm.types import PreparedRequest
from dsgen_dagster.storage.warehouse import Warehouse

logger = logging.getLogger(__name__)

RESPONSES_TABLE = "llm_responses"
CALLS_TABLE = "llm_calls"
# A flush opens and closes the database (~20-35 ms, measured), inside the process's one unit of
# work: a step loading its inputs waits for it. Each chunk of requests in hand has its own
# writer, so three stages side by side flushed 254 times in a 2,000-ticket run (bench_llm.py)
# at one second; the journal keeps what a killed run had not flushed yet, whatever the period.
FLUSH_ROWS = 2000
FLUSH_SECONDS = 3.0

DDL = (
    f"""CREATE TABLE IF NOT EXISTS {RESPONSES_TABLE} (
        cache_key VARCHAR, stage VARCHAR, model VARCHAR, response_json VARCHAR,
        prompt_tokens BIGINT, completion_tokens BIGINT, created_at TIMESTAMP WITH TIME ZONE)""",
    f"""CREATE TABLE IF NOT EXISTS {CALLS_TABLE} (
        called_at TIMESTAMP WITH TIME ZONE, stage VARCHAR, partition_key VARCHAR,
        request_key VARCHAR, sample_index BIGINT, model VARCHAR, cache_key VARCHAR,
        prompt_tokens BIGINT, completion_tokens BIGINT, cost_usd DOUBLE, cached BOOLEAN,
        attempts BIGINT, retries BIGINT, rate_limited BIGINT, error VARCHAR,
        latency_seconds DOUBLE)""",
    # Content re-asks per rule ({"reference_missing": 1}) and the rule a rejected row still broke;
    # added to ledgers made before there were content rules.
    f"ALTER TABLE {CALLS_TABLE} ADD COLUMN IF NOT EXISTS reasks_by_rule JSON",
    f"ALTER TABLE {CALLS_TABLE} ADD COLUMN IF NOT EXISTS rejected_rule VARCHAR",
)


@lru_cache(maxsize=256)
def response_schema_json(response_model: type[BaseModel]) -> str:
    return json.dumps(response_model.model_json_schema(), sort_keys=True)


def cache_key(
    prepared: PreparedRequest, schema_json: str, temperature: float, seed: int | None
) -> str:
    identity = {
        "model": prepared.model,
        "messages": [[message.role, message.content] for message in prepared.messages],
        "schema": schema_json,
        "temperature": temperature,
        "seed": seed,
        "sample_index": prepared.request.sample_index,
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class CachedResponse:
    body: str
    prompt_tokens: int
    completion_tokens: int


def recover_journals(connection: Any, database: str) -> int:
    """Rows of runs that died before writing them go into the tables (see journal.py)."""
    return replay_orphaned(connection, database, DDL)


class ResponseCache:
    """Lookups before a stage runs; journal appends and background writes while it runs."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        # Rows waiting for the writer. A deque, not a queue.Queue: a put wakes the writer, and
        # with 64 answers a second arriving that was a thread switch per row; the event loop
        # that woke it then waited for the GIL back (py-spy, 2,000 tickets through three
        # stages: 18% of the run's GIL time sat in Queue.put's notify). The writer now wakes
        # every FLUSH_SECONDS, or early for a full batch or the close.
        self._rows: collections.deque[tuple[str, dict[str, Any], int]] = collections.deque()
        self._wake = threading.Event()
        self._closing = False
        self._writer: threading.Thread | None = None
        self._journal: Journal | None = None
        self._unwritten = False  # rows the final flush could not write: the journal keeps them
        self._last_sequence = 0
        self.write_failures = 0

    def lookup(self, keys: list[str]) -> dict[str, CachedResponse]:
        wanted = pa.table({"cache_key": pa.array(sorted(set(keys)), pa.string())})
        with self.warehouse.connect() as connection:
            for statement in DDL:
                connection.execute(statement)
            recover_journals(connection, self.warehouse.database)
            connection.register("wanted", wanted)
            rows = connection.execute(
                f"SELECT cache_key, response_json, prompt_tokens, completion_tokens "
                f"FROM {RESPONSES_TABLE} JOIN wanted USING (cache_key) ORDER BY created_at"
            ).fetchall()
        # Newest last, so it wins: a response re-requested because the old one no longer
        # validates replaces it here without a delete.
        return {key: CachedResponse(body, pt or 0, ct or 0) for key, body, pt, ct in rows}

    # ---- writing
    def start(self) -> None:
        directory = journal_directory(self.warehouse.database)
        self._journal = Journal(directory) if directory is not None else None
        self._unwritten = False
        self._closing = False
        self._wake.clear()
        self._writer = threading.Thread(target=self._write_loop, name="llm-cache-writer")
        self._writer.start()

    def add_response(self, row: dict[str, Any]) -> None:
        self._add(RESPONSES_TABLE, row)

    def add_call(self, row: dict[str, Any]) -> None:
        """Returns once the row is in the journal: the call is ledgered, whatever happens next."""
        self._add(CALLS_TABLE, row)

    def _add(self, table: str, row: dict[str, Any]) -> None:
        sequence = self._journal.append(table, row) if self._journal is not None else 0
        self._rows.append((table, row, sequence))
        if len(self._rows) == FLUSH_ROWS:  # once per full batch, not per row
            self._wake.set()

    def stop_writer(self) -> None:
        """The writer flushes what is waiting and ends (close() waits for it)."""
        self._closing = True
        self._wake.set()

    def close(self) -> None:
        """Flush what is left and wait for it to be written; the journal segment goes once
        every row is in the tables, else it stays for the next start to replay."""
        if self._writer is not None:
            self.stop_writer()
            self._writer.join()
            self._writer = None
        if self._journal is not None:
            self._journal.close(written=not self._unwritten)
            self._journal = None

    def _write_loop(self) -> None:
        pending: dict[str, list[dict[str, Any]]] = {RESPONSES_TABLE: [], CALLS_TABLE: []}
        self._last_sequence = 0  # the journal line of the newest pending row
        while True:
            self._wake.wait(FLUSH_SECONDS)
            self._wake.clear()
            closing = self._closing  # read before draining: a row added before close() is in
            while self._rows:
                table, row, sequence = self._rows.popleft()
                pending[table].append(row)
                self._last_sequence = max(self._last_sequence, sequence)
            if any(pending.values()):
                self._flush(pending, final=closing)
            if closing:
                return

    def _flush(self, pending: dict[str, list[dict[str, Any]]], final: bool) -> None:
        try:
            with self.warehouse.connect() as connection:
                connection.execute("BEGIN")
                for table, rows in pending.items():
                    if not rows:
                        continue
                    batch = pa.Table.from_pylist(rows)  # noqa: F841 — read by name in the SQL
                    connection.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch")
                if self._journal is not None:
                    record_mark(connection, self._journal.segment, self._last_sequence)
                connection.execute("COMMIT")
            for rows in pending.values():
                rows.clear()
        except Exception as exc:  # the cache must never fail the stage it serves
            self.write_failures += 1
            if final or self.write_failures % 10 == 0:
                lost = sum(len(rows) for rows in pending.values())
                logger.warning(
                    "could not write %d LLM cache/ledger rows yet (%s); %s",
                    lost,
                    type(exc).__name__,
                    "they stay in the journal for the next run to replay"
                    if self._journal is not None
                    else "a re-run will request them again",
                )
            if final:
                self._unwritten = True
                for rows in pending.values():
                    rows.clear()


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
