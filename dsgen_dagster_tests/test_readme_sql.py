"""The README's SQL is the code's SQL, and every query runs and finds rows on a real batch."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dsgen_dagster.storage.examples import EXAMPLE_QUERIES

README = Path(__file__).resolve().parents[1] / "README.md"
SQL_BLOCK = re.compile(r"Queries a user runs.*?```sql\n(.*?)```", re.DOTALL)


def readme_queries() -> dict[str, str]:
    """`-- Title` then the query ending in `;`, for each query of the README's SQL block."""
    match = SQL_BLOCK.search(README.read_text(encoding="utf-8"))
    assert match, "README.md lost its 'Queries a user runs' ```sql block"
    queries = {}
    for chunk in re.split(r"^-- ", match.group(1), flags=re.MULTILINE)[1:]:
        title, _, sql = chunk.partition("\n")
        queries[title.strip()] = sql.strip().removesuffix(";")
    return queries


def test_the_readme_shows_exactly_the_example_queries() -> None:
    expected = {title: sql.strip() for title, sql in EXAMPLE_QUERIES.items()}
    assert readme_queries() == expected


@pytest.mark.parametrize("title", list(EXAMPLE_QUERIES))
def test_each_example_query_returns_rows(title: str, query: Callable[..., list[tuple]]) -> None:
    rows = query(EXAMPLE_QUERIES[title])
    assert rows, f"{title!r} returned no rows on a two-batch database"
    assert all(value is not None for value in rows[0][:2]), rows[0]
