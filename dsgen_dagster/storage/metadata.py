"""Materialisation metadata of a stored partition: row count, column schema, a preview of rows."""

from __future__ import annotations

from typing import Any

import dagster as dg
import duckdb
import polars as pl

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 48


def table_schema(
    connection: duckdb.DuckDBPyConnection, table: str, schema: str = "main"
) -> dg.TableSchema:
    """The stored table's columns with their DuckDB types: what a SQL user sees."""
    described = connection.execute(f'DESCRIBE {schema}."{table}"').fetchall()
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=name,
                type=column_type,
                constraints=dg.TableColumnConstraints(nullable=nullable == "YES"),
            )
            for name, column_type, nullable, *_ in described
        ]
    )


def preview_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("|", "\\|")
    if len(text) > PREVIEW_CELL_CHARS:
        text = text[: PREVIEW_CELL_CHARS - 1] + "…"
    return text


def markdown_preview(
    frame: pl.DataFrame, rows: int = PREVIEW_ROWS, height: int | None = None
) -> str:
    """The first rows as a markdown table, long texts cut, so the UI shows what was made
    (`height`: the rows there are, when `frame` holds only the first)."""
    height = frame.height if height is None else height
    if frame.width == 0:
        return "_no columns_"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = [
        "| " + " | ".join(preview_cell(value) for value in row) + " |"
        for row in frame.head(rows).iter_rows()
    ]
    if not body:
        body = ["| " + " | ".join("" for _ in frame.columns) + " |"]
    more = height - min(rows, frame.height)
    footer = [f"\n_{more} more rows_"] if more > 0 else []
    return "\n".join([header, rule, *body, *footer])


def partition_metadata(
    table: str,
    partition_key: str,
    frame: pl.DataFrame,
    schema: dg.TableSchema,
    height: int | None = None,
) -> dict[str, Any]:
    """`frame`: the partition's rows, or its first rows when `height` says how many it has."""
    height = frame.height if height is None else height
    return {
        "table": table,
        "partition": partition_key,
        "dagster/row_count": height,
        "dagster/table_name": table,
        "dagster/column_schema": schema,
        "preview": dg.MetadataValue.md(markdown_preview(frame, height=height)),
    }
