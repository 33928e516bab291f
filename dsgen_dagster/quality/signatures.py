"""Duplicate signatures kept in DuckDB, so a cross-batch check costs one batch, not the history.

When a partition's duplicates check runs, the partition's texts are signed once and stored,
replacing what an earlier check of that partition stored:

- `dedup_texts`: one row per distinct normalised text of the partition (its first item), with its
  exact-text hash, how many items share it, and whether it has shingles;
- `dedup_signatures`: the LSH band keys of those texts (near-duplicate search only).

Rows are keyed by `source` (`table.column`) and `params` (hash version, shingle size, bands x
rows), so two checks with other settings never compare incomparable keys. The new partition is
then compared with every other stored partition, earlier and later alike: in a concurrent
backfill each pair is caught by whichever of its two checks runs last. Exact duplicates are a
join on the text hash; near-duplicate candidates a join on (band, band key), and each candidate's
Jaccard similarity is verified on the other text, read back from the table. Partitions that have
rows but no signatures yet (made before this table existed, or checked with other settings) are
signed once, one at a time, and stored. Signatures are as fresh as the partition's last check:
re-materialising an asset re-runs its checks, which replaces them.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import polars as pl

from dsgen_dagster.partitions import batch_date
from dsgen_dagster.quality.duplicates import (
    DuplicateConfig,
    DuplicateReport,
    DuplicateSearch,
    _Groups,
    _verified,
    sign,
)
from dsgen_dagster.quality.minhash import SignedBatch, sign_texts
from dsgen_dagster.storage.io_manager import PARTITION_COLUMN
from dsgen_dagster.storage.staging import table_exists
from dsgen_dagster.storage.warehouse import Warehouse

TEXTS_TABLE = "dedup_texts"
SIGNATURES_TABLE = "dedup_signatures"
# Bump when minhash.py changes how texts are hashed: stored keys of another version never match.
SIGNATURE_VERSION = 1

CREATE_TABLES = f"""
CREATE TABLE IF NOT EXISTS {TEXTS_TABLE} (
    partition_date DATE, source VARCHAR, params VARCHAR, item INTEGER, row_id VARCHAR,
    exact_hash UBIGINT, copies INTEGER, shingled BOOLEAN);
CREATE TABLE IF NOT EXISTS {SIGNATURES_TABLE} (
    partition_date DATE, source VARCHAR, params VARCHAR, item INTEGER, band UTINYINT,
    band_key UBIGINT);
"""


def params_key(config: DuplicateConfig, *, near: bool) -> str:
    if not near:
        return f"v{SIGNATURE_VERSION}-exact"
    params = config.lsh_params()
    return f"v{SIGNATURE_VERSION}-n{params.shingle_size}-b{params.bands}x{params.rows}"


def read_texts(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    id_column: str,
    text_column: str,
    partition_key: str,
) -> pl.DataFrame:
    return connection.execute(
        f'SELECT "{id_column}", "{text_column}" FROM "{table}" '
        f"WHERE {PARTITION_COLUMN} = ? ORDER BY 1",
        [batch_date(partition_key)],
    ).pl()


def signature_frames(batch: SignedBatch, *, near: bool) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(dedup_texts rows, dedup_signatures rows) of a signed partition, without its date."""
    groups = _Groups.of(batch)
    representatives = groups.representative.astype(np.int64)
    shingled = batch.shingle_counts[representatives] > 0
    texts = pl.DataFrame(
        {
            "item": representatives.astype(np.int32),
            "row_id": [batch.ids[i] for i in representatives],
            "exact_hash": groups.sorted_hashes.astype(np.uint64),
            "copies": groups.size.astype(np.int32),
            "shingled": shingled,
        }
    )
    signed = np.sort(representatives[shingled]) if near else np.zeros(0, dtype=np.int64)
    bands = batch.band_keys.shape[1]
    signatures = pl.DataFrame(
        {
            "item": np.repeat(signed, bands).astype(np.int32),
            "band": np.tile(np.arange(bands, dtype=np.uint8), signed.size),
            "band_key": batch.band_keys[signed].ravel().astype(np.uint64),
        }
    )
    return texts, signatures


def store_signed(
    connection: duckdb.DuckDBPyConnection,
    source: str,
    params: str,
    partition_key: str,
    batch: SignedBatch,
    *,
    near: bool,
) -> None:
    """Replace the partition's stored signatures of (source, params), in one transaction."""
    texts, signatures = signature_frames(batch, near=near)
    day = batch_date(partition_key)
    connection.execute(CREATE_TABLES)
    connection.register("incoming_texts", texts.to_arrow())
    connection.register("incoming_signatures", signatures.to_arrow())
    connection.execute("BEGIN TRANSACTION")
    try:
        for table in (TEXTS_TABLE, SIGNATURES_TABLE):
            connection.execute(
                f"DELETE FROM {table} WHERE partition_date = ? AND source = ? AND params = ?",
                [day, source, params],
            )
        connection.execute(
            f"INSERT INTO {TEXTS_TABLE} SELECT ?, ?, ?, item, row_id, exact_hash, copies, "
            "shingled FROM incoming_texts",
            [day, source, params],
        )
        connection.execute(
            f"INSERT INTO {SIGNATURES_TABLE} SELECT ?, ?, ?, item, band, band_key "
            "FROM incoming_signatures",
            [day, source, params],
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.unregister("incoming_texts")
        connection.unregister("incoming_signatures")


def store_partition_signatures(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    id_column: str,
    text_column: str,
    partition_key: str,
    config: DuplicateConfig,
    *,
    near: bool = True,
) -> SignedBatch:
    """Read, sign and store one partition's texts; return the signed batch."""
    frame = read_texts(connection, table, id_column, text_column, partition_key)
    batch = sign(frame, partition_key, config)
    store_signed(
        connection,
        f"{table}.{text_column}",
        params_key(config, near=near),
        partition_key,
        batch,
        near=near,
    )
    return batch


def unsigned_partitions(
    connection: duckdb.DuckDBPyConnection, table: str, source: str, params: str
) -> list[str]:
    """Partitions of `table` with rows but no stored signatures of (source, params)."""
    connection.execute(CREATE_TABLES)
    rows = connection.execute(
        f'SELECT DISTINCT {PARTITION_COLUMN} FROM "{table}" EXCEPT '
        f"SELECT DISTINCT partition_date FROM {TEXTS_TABLE} WHERE source = ? AND params = ? "
        "ORDER BY 1",
        [source, params],
    ).fetchall()
    return [day.isoformat() for (day,) in rows]


def forget_vanished_partitions(
    connection: duckdb.DuckDBPyConnection, table: str, source: str
) -> None:
    """Drop signatures of partitions whose rows are gone from `table`."""
    for stored in (TEXTS_TABLE, SIGNATURES_TABLE):
        connection.execute(
            f"DELETE FROM {stored} WHERE source = ? AND partition_date NOT IN "
            f'(SELECT DISTINCT {PARTITION_COLUMN} FROM "{table}")',
            [source],
        )


def find_duplicates_stored(
    warehouse: Warehouse,
    table: str,
    id_column: str,
    text_column: str,
    partition_key: str,
    config: DuplicateConfig | None = None,
    *,
    near: bool = True,
) -> DuplicateReport:
    """Duplicates of one partition's texts within it and against every other partition's

    stored signatures; the partition's own signatures are stored (replaced) first.
    `near=False` looks for exact duplicates only (short texts such as subjects).
    """
    config = config or DuplicateConfig()
    source, params = f"{table}.{text_column}", params_key(config, near=near)
    with warehouse.connect() as connection:
        if not table_exists(connection, table):
            return DuplicateSearch(sign([], partition_key, config), config).finish()
        batch = store_partition_signatures(
            connection, table, id_column, text_column, partition_key, config, near=near
        )
        forget_vanished_partitions(connection, table, source)
        missing = unsigned_partitions(connection, table, source, params)
    for key in missing:  # a connection each: one partition's texts in memory at a time
        with warehouse.connect() as connection:
            store_partition_signatures(
                connection, table, id_column, text_column, key, config, near=near
            )
    search = DuplicateSearch(batch, config)
    search.within(near=near)
    with warehouse.connect() as connection:
        _against_stored(connection, search, table, id_column, text_column, source, params, near)
    return search.finish()


def _against_stored(
    connection: duckdb.DuckDBPyConnection,
    search: DuplicateSearch,
    table: str,
    id_column: str,
    text_column: str,
    source: str,
    params: str,
    near: bool,
) -> None:
    batch, config = search.batch, search.config
    day = batch_date(batch.partition_key)
    partitions, items = connection.execute(
        f"SELECT count(DISTINCT partition_date), coalesce(sum(copies), 0) FROM {TEXTS_TABLE} "
        "WHERE source = ? AND params = ? AND partition_date <> ?",
        [source, params, day],
    ).fetchone() or (0, 0)
    search.report.earlier_partitions, search.report.earlier_items = int(partitions), int(items)
    if not partitions or not len(batch):
        return
    current, signatures = signature_frames(batch, near=near)
    connection.register("current_texts", current.to_arrow())
    connection.register("current_signatures", signatures.to_arrow())
    try:
        exact = connection.execute(
            f"""SELECT c.item, t.partition_date, t.row_id
                FROM current_texts c JOIN {TEXTS_TABLE} t ON t.exact_hash = c.exact_hash
                WHERE t.source = ? AND t.params = ? AND t.partition_date <> ?
                QUALIFY row_number() OVER (
                    PARTITION BY c.item ORDER BY t.partition_date, t.row_id) = 1
                ORDER BY c.item""",
            [source, params, day],
        ).fetchall()
        if exact:
            search.mark_exact_other(
                np.array([row[0] for row in exact], dtype=np.int64),
                [_iso(row[1]) for row in exact],
                [row[2] for row in exact],
            )
        if not near or signatures.height == 0:
            return
        # Candidates: a shared band key with a text that is not the same text; at most
        # max_bucket_fanout partners per (text, band, partition), as in the in-memory search.
        candidates = connection.execute(
            f"""SELECT DISTINCT item, partition_date, row_id FROM (
                    SELECT c.item, s.partition_date, t.row_id
                    FROM current_signatures c
                    JOIN {SIGNATURES_TABLE} s ON s.band = c.band AND s.band_key = c.band_key
                    JOIN {TEXTS_TABLE} t ON t.source = s.source AND t.params = s.params
                        AND t.partition_date = s.partition_date AND t.item = s.item
                    JOIN current_texts ct ON ct.item = c.item
                    WHERE s.source = ? AND s.params = ? AND s.partition_date <> ?
                        AND t.exact_hash <> ct.exact_hash
                    QUALIFY row_number() OVER (
                        PARTITION BY c.item, c.band, s.partition_date ORDER BY s.item) <= ?)""",
            [source, params, day, config.max_bucket_fanout],
        ).pl()
        search.report.candidate_pairs += candidates.height
        if candidates.height == 0:
            return
        connection.register("candidates", candidates.to_arrow())
        try:
            other = connection.execute(
                f"""SELECT k.item, k.partition_date, k.row_id, x."{text_column}" AS text
                    FROM candidates k JOIN "{table}" x
                      ON x.{PARTITION_COLUMN} = k.partition_date AND x."{id_column}" = k.row_id
                    WHERE x.{PARTITION_COLUMN} IN (SELECT DISTINCT partition_date FROM candidates)
                    ORDER BY k.item, k.partition_date, k.row_id""",
            ).pl()
        finally:
            connection.unregister("candidates")
    finally:
        connection.unregister("current_texts")
        connection.unregister("current_signatures")
    _verify_near(search, other)


def _verify_near(search: DuplicateSearch, other: pl.DataFrame) -> None:
    """Exact Jaccard of each (current text, other text) candidate; mark those at the threshold."""
    if other.height == 0:
        return
    ids = other.get_column("row_id").to_list()
    signed = sign_texts(ids, other.get_column("text"), search.config.lsh_params())
    texts = other.get_column("item").to_numpy().astype(np.int64)
    found, similarity = _verified(
        search.batch, texts, signed, np.arange(len(ids)), search.config.threshold
    )
    if found.any():
        partitions = other.get_column("partition_date").to_list()
        chosen = np.flatnonzero(found)
        search.mark_near_other(
            texts[chosen],
            similarity,
            [_iso(partitions[k]) for k in chosen],
            [ids[k] for k in chosen],
        )


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
