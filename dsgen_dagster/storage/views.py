"""SQL views over the stage tables. `tickets` is the product's main SQL surface."""

from __future__ import annotations

import duckdb

MAX_TAG_COLUMNS = 8
TAG_COLUMNS = ",\n       ".join(f"g.tags[{i}] AS tag_{i}" for i in range(1, MAX_TAG_COLUMNS + 1))

# One row per ticket and language: the original email/answer, then each translation.
TICKETS_VIEW_SQL = f"""
CREATE OR REPLACE VIEW tickets AS
WITH texts AS (
    SELECT partition_date, ticket_id, language, FALSE AS is_translation,
           subject, body, NULL::VARCHAR AS answer_override
    FROM emails
    UNION ALL
    SELECT partition_date, ticket_id, language, TRUE AS is_translation,
           subject, body, answer AS answer_override
    FROM translations
)
SELECT x.partition_date,
       x.ticket_id,
       x.language,
       t.language AS source_language,
       x.is_translation,
       x.subject,
       x.body,
       coalesce(x.answer_override, a.body) AS answer,
       t.ticket_type AS type,
       t.queue,
       t.priority,
       t.complexity,
       t.info_completeness,
       t.customer_tier,
       {TAG_COLUMNS},
       g.predicted_type,
       g.predicted_queue,
       g.predicted_priority,
       t.customer_id,
       t.order_id,
       t.product_id,
       t.order_reference,
       t.clause_ids,
       a.cited_clause_ids,
       a.cited_quotes,
       e.from_address,
       e.sent_at
FROM texts x
JOIN topics t USING (partition_date, ticket_id)
JOIN emails e USING (partition_date, ticket_id)
JOIN answers a USING (partition_date, ticket_id)
LEFT JOIN tags g USING (partition_date, ticket_id)
"""


def create_views(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(TICKETS_VIEW_SQL)
