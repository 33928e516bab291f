"""Duplicate signatures kept in DuckDB, so a cross-batch check costs one batch, not the history.

When a partition's duplicates check runs, the partition's texts are signed once and stored,
replacing what an earlier check of that partition stored:

- `dedup_texts`: one row per distinct normalised text of the partition (its first item), with its
  exact-text hash, how many items share it, and whether it has shingles;
- `dedup_signatures`: the LSH band keys of those texts (near-duplicate search only).

Rows are keyed by `source` (`table.column`) and `params` (hash version, shingle size, bands x
rows), so two checks with other settings never compare incomparable keys. Exact duplicates are a
join on the text hash; near-duplicate candidates a join on (band, band key), and each candidate's
Jaccard similarity is verified on the other text, read back from where it was signed.

Which batches are compared: every partition as a batch being built sees it, staged else
published (`storage.staging.batch_schema`), the rule the checks audit by:

- The checked partition is signed from its staged rows when its run staged them (the check
  audits staging, before publish), else from its published rows.
- Every other partition takes part in its *current version*: its staged rows while a run has
  staged them (published or not yet: concurrent batches of a backfill are compared with each
  other before either publishes), else its published rows. Each stored signature set records the
  version it was made from (`version`: the staging run and time, or `published`); a set whose
  version is no longer current (its staging was replaced by a newer run, or discarded so the
  published rows count again) never produces a report. It is re-signed from the current rows
  before the comparison, as are partitions with rows but no signatures yet (made before this
  table existed, or checked with other settings); sets of partitions with no rows any more are
  dropped.
- Storing its own signatures comes before comparing, so of two checks running concurrently the
  one that compares last sees the other's batch: each pair is caught by whichever check of the
  two runs last, earlier and later partitions alike.
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
from dsgen_dagster.storage.staging import STAGED_TABLE, STAGING_SCHEMA, table_exists
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
ALTER TABLE dedup_texts ADD COLUMN IF NOT EXISTS version VARCHAR;
"""
PUBLISHED_VERSION = "published"


def current_versions(connection: duckdb.DuckDBPyConnection, table: str) -> dict[dt.date, str]:
    """Partition -> the version of `table` its batch is at: the staging run and time while
    staged, else `published`, for every partition with rows in either."""
    versions: dict[dt.date, str] = {}
    if table_exists(connection, table):
        for (day,) in connection.execute(
            f'SELECT DISTINCT {PARTITION_COLUMN} FROM main."{table}"'
        ).fetchall():
            versions[day] = PUBLISHED_VERSION
    if table_exists(connection, "batches", STAGING_SCHEMA):
        for day, run_id, staged_at in connection.execute(
            f"SELECT partition_date, arg_max(run_id, staged_at), max(staged_at) "
            f"FROM {STAGED_TABLE} WHERE table_name = ? GROUP BY 1",
            [table],
        ).fetchall():
            versions[day] = f"{run_id}@{staged_at.isoformat()}"
    return versions


def version_schema(version: str) -> str:
    return "main" if version == PUBLISHED_VERSION else STAGING_SCHEMA


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
    version: str = PUBLISHED_VERSION,
) -> pl.DataFrame:
    schema = version_schema(version)
    if not table_exists(connection, table, schema):
        return pl.DataFrame(schema={id_column: pl.String, text_column: pl.String})
    return connection.execute(
        f'SELECT "{id_column}", "{text_column}" FROM {schema}."{table}" '
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
    version: str = PUBLISHED_VERSION,
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
            f"INSERT INTO {TEXTS_TABLE} BY NAME SELECT ? AS partition_date, ? AS source, "
            "? AS params, item, row_id, exact_hash, copies, shingled, ? AS version "
            "FROM incoming_texts",
            [day, source, params, version],
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
    """Read, sign and store one partition's texts at their current version (staged, else
    published); return the signed batch."""
    version = current_versions(connection, table).get(batch_date(partition_key), PUBLISHED_VERSION)
    frame = read_texts(connection, table, id_column, text_column, partition_key, version)
    batch = sign(frame, partition_key, config)
    store_signed(
        connection,
        f"{table}.{text_column}",
        params_key(config, near=near),
        partition_key,
        batch,
        near=near,
        version=version,
    )
    return batch


def register_versions(connection: duckdb.DuckDBPyConnection, table: str) -> dict[dt.date, str]:
    """`current_versions` of `table`, also as the relation `current_versions` for the SQL."""
    versions = current_versions(connection, table)
    frame = pl.DataFrame(
        {"partition_date": list(versions), "version": list(versions.values())},
        schema={"partition_date": pl.Date, "version": pl.String},
    )
    connection.register("current_versions", frame.to_arrow())
    return versions


def unsigned_partitions(
    connection: duckdb.DuckDBPyConnection, table: str, source: str, params: str
) -> list[str]:
    """Partitions of `table` with rows but no stored signatures of (source, params) made from
    their current version: never signed, or signed from a staging that was replaced or dropped."""
    connection.execute(CREATE_TABLES)
    register_versions(connection, table)
    try:
        rows = connection.execute(
            f"""SELECT partition_date FROM current_versions EXCEPT
                SELECT DISTINCT t.partition_date FROM {TEXTS_TABLE} t
                JOIN current_versions v ON v.partition_date = t.partition_date
                    AND v.version = t.version
                WHERE t.source = ? AND t.params = ?
                ORDER BY 1""",
            [source, params],
        ).fetchall()
    finally:
        connection.unregister("current_versions")
    return [day.isoformat() for (day,) in rows]


def forget_vanished_partitions(
    connection: duckdb.DuckDBPyConnection, table: str, source: str
) -> None:
    """Drop signatures of partitions with no rows left, staged or published."""
    connection.execute(CREATE_TABLES)
    register_versions(connection, table)
    try:
        for stored in (TEXTS_TABLE, SIGNATURES_TABLE):
            connection.execute(
                f"DELETE FROM {stored} WHERE source = ? AND partition_date NOT IN "
                "(SELECT partition_date FROM current_versions)",
                [source],
            )
    finally:
        connection.unregister("current_versions")


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
        if not current_versions(connection, table):
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
        register_versions(connection, table)
        try:
            _against_stored(connection, search, table, id_column, text_column, source, params, near)
        finally:
            connection.unregister("current_versions")
    return search.finish()


# The stored texts that count: other partitions' signatures made from their current version.
VALID_TEXTS = f"""(SELECT t.* FROM {TEXTS_TABLE} t
    JOIN current_versions v ON v.partition_date = t.partition_date AND v.version = t.version
    WHERE t.source = $source AND t.params = $params AND t.partition_date <> $day)"""


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
    names = {"source": source, "params": params, "day": day}
    partitions, items = connection.execute(
        f"SELECT count(DISTINCT partition_date), coalesce(sum(copies), 0) FROM {VALID_TEXTS}",
        names,
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
                FROM current_texts c JOIN {VALID_TEXTS} t ON t.exact_hash = c.exact_hash
                QUALIFY row_number() OVER (
                    PARTITION BY c.item ORDER BY t.partition_date, t.row_id) = 1
                ORDER BY c.item""",
            names,
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
                    JOIN {VALID_TEXTS} t ON t.partition_date = s.partition_date
                        AND t.item = s.item
                    JOIN current_texts ct ON ct.item = c.item
                    WHERE s.source = $source AND s.params = $params AND s.partition_date <> $day
                        AND t.exact_hash <> ct.exact_hash
                    QUALIFY row_number() OVER (
                        PARTITION BY c.item, c.band, s.partition_date ORDER BY s.item)
                        <= $fanout)""",
            {**names, "fanout": config.max_bucket_fanout},
        ).pl()
        search.report.candidate_pairs += candidates.height
        if candidates.height == 0:
            return
        connection.register("candidates", candidates.to_arrow())
        try:
            other = _candidate_texts(connection, table, id_column, text_column)
        finally:
            connection.unregister("candidates")
    finally:
        connection.unregister("current_texts")
        connection.unregister("current_signatures")
    _verify_near(search, other)


def _candidate_texts(
    connection: duckdb.DuckDBPyConnection, table: str, id_column: str, text_column: str
) -> pl.DataFrame:
    """The candidates' texts, each read from where its partition's current version lives."""
    parts = []
    for schema, test in (("main", "="), (STAGING_SCHEMA, "<>")):
        if table_exists(connection, table, schema):
            parts.append(
                f"""SELECT k.item, k.partition_date, k.row_id, x."{text_column}" AS text
                    FROM candidates k
                    JOIN current_versions v ON v.partition_date = k.partition_date
                    JOIN {schema}."{table}" x ON x.{PARTITION_COLUMN} = k.partition_date
                        AND x."{id_column}" = k.row_id
                    WHERE v.version {test} '{PUBLISHED_VERSION}'"""
            )
    return connection.execute(
        " UNION ALL ".join(parts) + " ORDER BY item, partition_date, row_id"
    ).pl()


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
