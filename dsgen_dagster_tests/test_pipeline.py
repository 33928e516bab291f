"""The whole pipeline, offline, over two partitions of one database."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dsgen_dagster.defs.manifest.assets import DATA_TABLES
from dsgen_dagster_tests.conftest import PARTITIONS, materialize_batch

ID_PREFIXES = {
    "policy_graph": ("clause_id", "pol_"),
    "customers": ("customer_id", "cus_"),
    "products": ("product_id", "prd_"),
    "orders": ("order_id", "ord_"),
    "topics": ("ticket_id", "tkt_"),
    "rephrasings": ("rephrasing_id", "rph_"),
    "translations": ("translation_id", "trn_"),
}


def table_snapshot(database: Path, table: str, partition_key: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        columns = [
            name
            for (name,) in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        kept = ", ".join(f'"{c}"' for c in columns if c not in ("created_at", "recorded_at"))
        return connection.execute(
            f'SELECT {kept} FROM "{table}" WHERE partition_date = ? ORDER BY ALL', [partition_key]
        ).fetchall()


def test_every_table_has_rows_for_each_partition(query) -> None:
    for table in (*DATA_TABLES, "manifest"):
        counts = dict(query(f'SELECT partition_date::VARCHAR, count(*) FROM "{table}" GROUP BY 1'))
        assert set(counts) == set(PARTITIONS), table
        assert all(count > 0 for count in counts.values()), table
    tickets = query("SELECT count(*) FROM topics WHERE partition_date = ?", [PARTITIONS[0]])
    assert tickets == [(16,)]


def test_ids_carry_their_prefix_and_are_unique_across_partitions(query) -> None:
    for table, (column, prefix) in ID_PREFIXES.items():
        total, distinct, bad = query(
            f"SELECT count(*), count(DISTINCT {column}), "
            f"count(*) FILTER (WHERE NOT starts_with({column}, ?)) FROM {table}",
            [prefix],
        )[0]
        assert total == distinct, f"{table}.{column} repeats across partitions"
        assert bad == 0, table


def test_foreign_keys_hold_within_each_partition(query) -> None:
    orphans = {
        "email without topic": """SELECT count(*) FROM emails e ANTI JOIN topics t
            USING (partition_date, ticket_id)""",
        "topic without customer": """SELECT count(*) FROM topics t ANTI JOIN customers c
            USING (partition_date, customer_id)""",
        "topic without order": """SELECT count(*) FROM topics t ANTI JOIN orders o
            USING (partition_date, order_id)""",
        "topic without product": """SELECT count(*) FROM topics t ANTI JOIN products p
            USING (partition_date, product_id)""",
        "order of another customer": """SELECT count(*) FROM topics t JOIN orders o
            USING (partition_date, order_id) WHERE o.customer_id <> t.customer_id""",
        "product not in its order": """SELECT count(*) FROM topics t JOIN orders o
            USING (partition_date, order_id)
            WHERE NOT list_contains(o.product_ids, t.product_id)""",
        "cited clause missing": """SELECT count(*) FROM
            (SELECT partition_date, unnest(cited_clause_ids) AS clause_id FROM answers) a
            ANTI JOIN policy_graph p USING (partition_date, clause_id)""",
        "scenario clause missing": """SELECT count(*) FROM
            (SELECT partition_date, unnest(clause_ids) AS clause_id FROM topics) t
            ANTI JOIN policy_graph p USING (partition_date, clause_id)""",
        "relation to missing clause": """SELECT count(*) FROM
            (SELECT partition_date, unnest(requires || overrides || modifies || exception_of)
             AS clause_id FROM policy_graph) r
            ANTI JOIN policy_graph p USING (partition_date, clause_id)""",
        "rephrasing without email": """SELECT count(*) FROM rephrasings r ANTI JOIN emails e
            USING (partition_date, ticket_id)""",
    }
    for name, sql in orphans.items():
        assert query(sql) == [(0,)], name


def test_every_ticket_has_one_email_answer_and_tag_row(query) -> None:
    for table in ("emails", "answers", "tags"):
        assert query(
            f"""SELECT count(*) FROM topics t FULL JOIN {table} x USING (partition_date, ticket_id)
                WHERE t.ticket_id IS NULL OR x.ticket_id IS NULL"""
        ) == [(0,)], table
    per_ticket = query("SELECT DISTINCT count(*) FROM rephrasings GROUP BY ticket_id")
    assert per_ticket == [(2,)]


def test_tickets_view_flattens_originals_and_translations(query) -> None:
    columns = {row[0] for row in query("DESCRIBE tickets")}
    assert {"subject", "body", "answer", "type", "queue", "priority", "language"} <= columns
    assert {f"tag_{i}" for i in range(1, 9)} <= columns
    originals, translated = query(
        """SELECT count(*) FILTER (WHERE NOT is_translation), count(*) FILTER (WHERE is_translation)
           FROM tickets WHERE partition_date = ?""",
        [PARTITIONS[0]],
    )[0]
    expected_translations = query(
        """SELECT count(*) FROM topics t, unnest(['de', 'fr']) AS l(code)
           WHERE t.partition_date = ? AND t.language <> l.code""",
        [PARTITIONS[0]],
    )[0][0]
    assert originals == 16
    assert translated == expected_translations
    assert query("SELECT count(*) FROM tickets WHERE tag_1 IS NULL OR answer IS NULL") == [(0,)]


def test_manifest_records_config_models_prompts_and_counts(query) -> None:
    row = query(
        """SELECT provider, model_strong, seed, tickets,
                  json_extract(row_counts, '$.topics')::INT,
                  json_extract_string(prompt_hashes, '$.emails'),
                  json_extract_string(library_versions, '$.dagster'),
                  json_extract(stages, '$.emails.requests')::INT
           FROM manifest WHERE partition_date = ?""",
        [PARTITIONS[1]],
    )
    provider, model, seed, tickets, topic_rows, email_hash, dagster_version, email_requests = row[0]
    assert (provider, model, tickets, topic_rows, email_requests) == (
        "offline",
        "offline-composer",
        16,
        16,
        16,
    )
    assert len(email_hash) == 12
    assert dagster_version.startswith("1.13")


def test_rematerialising_a_partition_replaces_it_and_leaves_the_other(tmp_path: Path) -> None:
    database = tmp_path / "replace.duckdb"
    for partition_key in PARTITIONS:
        materialize_batch(database, partition_key)
    before = {t: table_snapshot(database, t, PARTITIONS[0]) for t in DATA_TABLES}
    other_before = {t: table_snapshot(database, t, PARTITIONS[1]) for t in DATA_TABLES}

    materialize_batch(database, PARTITIONS[0])

    for table in DATA_TABLES:
        assert table_snapshot(database, table, PARTITIONS[0]) == before[table], table
        assert table_snapshot(database, table, PARTITIONS[1]) == other_before[table], table


def test_same_seed_gives_identical_rows_and_another_seed_does_not(
    tmp_path: Path, batch_db: Path
) -> None:
    again = tmp_path / "again.duckdb"
    materialize_batch(again, PARTITIONS[0])
    for table in DATA_TABLES:
        assert table_snapshot(again, table, PARTITIONS[0]) == table_snapshot(
            batch_db, table, PARTITIONS[0]
        ), table

    reseeded = tmp_path / "reseeded.duckdb"
    materialize_batch(reseeded, PARTITIONS[0], DSGEN_SEED="7")
    assert table_snapshot(reseeded, "emails", PARTITIONS[0]) != table_snapshot(
        batch_db, "emails", PARTITIONS[0]
    )
