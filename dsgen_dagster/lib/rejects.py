"""The rejects table: rows a stage set aside because they still broke a content rule after their
re-asks (or got no answer at all), so that no ticket disappears without a trace.

One row per rejected request: every request of a stage is either a row of the stage's table or a
row here. A partition's rejects of one stage are replaced in one transaction when the stage runs
again, as its rows are; a re-run asks for the rejected rows again (their wrong answers were never
cached as valid).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dsgen_dagster.llm.types import LLMResult
from dsgen_dagster.partitions import batch_date
from dsgen_dagster.storage.warehouse import Warehouse

REJECTS_TABLE = "rejects"
REQUEST_FAILED = "request_failed"  # no answer at all (transport errors after retries)
DDL = f"""CREATE TABLE IF NOT EXISTS {REJECTS_TABLE} (
    partition_date DATE, stage VARCHAR, row_key VARCHAR, ticket_id VARCHAR, rule VARCHAR,
    rules VARCHAR[], message VARCHAR, attempts BIGINT, model VARCHAR, raw_response VARCHAR,
    recorded_at TIMESTAMP WITH TIME ZONE)"""
COLUMNS = ("partition_date", "stage", "row_key", "ticket_id", "rule", "rules", "message",
           "attempts", "model", "raw_response")  # fmt: skip


def reject_rows(
    stage: str, partition_key: str, contexts: Sequence[dict[str, Any]], results: list[LLMResult]
) -> list[tuple[Any, ...]]:
    """The rejects of one stage run: each result without a response, with its request's ticket."""
    rows = []
    for context, result in zip(contexts, results, strict=True):
        if result.ok:
            continue
        rules = result.rejected_rules or [REQUEST_FAILED]
        rows.append(
            (
                batch_date(partition_key),
                stage,
                result.key,
                context.get("ticket_id", result.key),
                rules[0],
                rules,
                result.rejection or result.error or "",
                result.usage.attempts,
                result.model,
                result.raw_response,
            )
        )
    return rows


def replace_rejects(
    warehouse: Warehouse, partition_key: str, stage: str, rows: list[tuple[Any, ...]]
) -> None:
    with warehouse.connect() as connection:
        connection.execute(DDL)
        connection.execute("BEGIN TRANSACTION")
        try:
            connection.execute(
                f"DELETE FROM {REJECTS_TABLE} WHERE partition_date = ? AND stage = ?",
                [batch_date(partition_key), stage],
            )
            if rows:
                placeholders = ", ".join("?" for _ in COLUMNS)
                connection.executemany(
                    f"INSERT INTO {REJECTS_TABLE} ({', '.join(COLUMNS)}, recorded_at) "
                    f"VALUES ({placeholders}, now())",
                    [list(row) for row in rows],
                )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
