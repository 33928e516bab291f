"""SQL a user runs over the database: printed by `python -m dsgen_dagster.show`, quoted in the
README, and executed by the tests so the README never shows a query that does not run."""

from __future__ import annotations

EXAMPLE_QUERIES: dict[str, str] = {
    "Tickets per type and language": """
SELECT type, language, count(*) AS tickets
FROM tickets
GROUP BY ALL
ORDER BY tickets DESC, type, language
LIMIT 12""",
    "A few tickets": """
SELECT ticket_id, language, type, priority, subject, left(answer, 60) AS answer, tag_1, tag_2
FROM tickets
WHERE NOT is_translation
ORDER BY ticket_id
LIMIT 5""",
    "Answers citing a given clause (here 2.1, Refund timing)": """
SELECT a.ticket_id, t.ticket_type AS type, p.clause_number, p.title, left(a.body, 40) AS answer
FROM answers a
JOIN topics t USING (partition_date, ticket_id)
JOIN policy_graph p
  ON p.partition_date = a.partition_date AND list_contains(a.cited_clause_ids, p.clause_id)
WHERE p.clause_number = '2.1'
ORDER BY a.ticket_id
LIMIT 5""",
    "Orders with more than one ticket": """
SELECT order_id, count(*) AS tickets, list(ticket_type ORDER BY ticket_id) AS types
FROM topics
GROUP BY order_id
HAVING count(*) > 1
ORDER BY tickets DESC, order_id
LIMIT 5""",
    "What each batch cost and made": """
SELECT partition_key, provider, tickets, total_prompt_tokens + total_completion_tokens AS tokens,
       total_cost_usd, wall_seconds, checks_passed, checks_failed
FROM manifest
ORDER BY partition_key DESC
LIMIT 5""",
}
