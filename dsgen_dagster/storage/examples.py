"""SQL a user runs over the database: printed by `python -m dsgen_dagster.show`, quoted in the
README, and executed by the tests so the README never shows a query that does not run.

Each query finds rows in any batch, even a small one (no hard-coded dates or clause numbers), and
selects few and short columns: DuckDB's printout drops columns that do not fit the terminal."""

from __future__ import annotations

# The newest published batch: what `dsgen batch` just made.
LATEST = "(SELECT max(partition_date) FROM manifest)"

EXAMPLE_QUERIES: dict[str, str] = {
    "Tickets per type and language": """
SELECT type, language, count(*) AS tickets
FROM tickets
GROUP BY ALL
ORDER BY tickets DESC, type, language
LIMIT 12""",
    "A few tickets of the latest batch": f"""
SELECT ticket_id, language, type, left(subject, 28) AS subject,
       left(regexp_replace(answer, '\\s+', ' ', 'g'), 34) AS answer
FROM tickets
WHERE NOT is_translation AND partition_date = {LATEST}
ORDER BY ticket_id
LIMIT 5""",
    "The policy clauses answers cite most": """
SELECT p.clause_number, left(p.title, 30) AS title, count(*) AS answers
FROM answers a
JOIN policy_graph p
  ON p.partition_date = a.partition_date AND list_contains(a.cited_clause_ids, p.clause_id)
GROUP BY ALL
ORDER BY answers DESC, p.clause_number
LIMIT 5""",
    "Orders with the most tickets": """
SELECT order_id, count(*) AS tickets, list(ticket_type ORDER BY ticket_id) AS types
FROM topics
GROUP BY order_id
ORDER BY tickets DESC, order_id
LIMIT 5""",
    "What each batch cost and made": """
SELECT partition_key, provider, tickets, total_prompt_tokens + total_completion_tokens AS tokens,
       total_cost_usd AS cost_usd, wall_seconds, llm_seconds, checks_passed AS passed,
       checks_failed AS failed
FROM manifest
ORDER BY partition_key DESC
LIMIT 5""",
}
