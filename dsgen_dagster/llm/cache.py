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
replays it. The tables are written by a background thread in small batches as rows arrive, each
batch in one short-lived connection (other processes can write in between), together with the
journal mark that makes the replay skip what is already in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import queue
import threading
import time
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
# A flush opens and closes the database (~20 ms of mostly GIL-holding work, measured): once a
# second costs ~2% of a core; the journal keeps what a killed run had not flushed yet.
FLUSH_ROWS = 500
FLUSH_SECONDS = 1.0

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
        self._queue: queue.Queue[tuple[str, dict[str, Any], int] | None] = queue.Queue()
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
        self._writer = threading.Thread(target=self._write_loop, name="llm-cache-writer")
        self._writer.start()

    def add_response(self, row: dict[str, Any]) -> None:
        self._add(RESPONSES_TABLE, row)

    def add_call(self, row: dict[str, Any]) -> None:
        """Returns once the row is in the journal: the call is ledgered, whatever happens next."""
        self._add(CALLS_TABLE, row)

    def _add(self, table: str, row: dict[str, Any]) -> None:
        sequence = self._journal.append(table, row) if self._journal is not None else 0
        self._queue.put((table, row, sequence))

    def close(self) -> None:
        """Flush what is left and wait for it to be written; the journal segment goes once
        every row is in the tables, else it stays for the next start to replay."""
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None
        if self._journal is not None:
            self._journal.close(written=not self._unwritten)
            self._journal = None

    def _write_loop(self) -> None:
        pending: dict[str, list[dict[str, Any]]] = {RESPONSES_TABLE: [], CALLS_TABLE: []}
        self._last_sequence = 0  # the journal line of the newest pending row
        flush_at: float | None = None  # set by the first row waiting to be written
        closing = False
        while not closing:
            wait = FLUSH_SECONDS if flush_at is None else max(flush_at - time.monotonic(), 0)
            try:
                item = self._queue.get(timeout=wait)
            except queue.Empty:
                item = ("", {}, 0)
            if item is None:
                closing = True
            elif item[0]:
                pending[item[0]].append(item[1])
                self._last_sequence = max(self._last_sequence, item[2])
                flush_at = flush_at or time.monotonic() + FLUSH_SECONDS
            due = flush_at is not None and time.monotonic() >= flush_at
            if closing or due or len(pending[RESPONSES_TABLE]) >= FLUSH_ROWS:
                if any(pending.values()):
                    self._flush(pending, final=closing)
                flush_at = None if not any(pending.values()) else time.monotonic() + FLUSH_SECONDS

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
