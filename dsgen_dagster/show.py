"""Print the README's example queries against the database: `python -m dsgen_dagster.show`."""

from __future__ import annotations

import argparse
import sys

import duckdb

from dsgen_dagster.settings import database_path_from_env
from dsgen_dagster.storage.examples import EXAMPLE_QUERIES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=database_path_from_env(), help="DuckDB file (DSGEN_DB)")
    args = parser.parse_args(argv)
    try:
        connection = duckdb.connect(args.db, read_only=True)
    except duckdb.Error as exc:
        sys.stderr.write(f"cannot open {args.db}: {exc}\nMaterialise a batch first (README).\n")
        return 1
    with connection:
        for title, sql in EXAMPLE_QUERIES.items():
            sys.stdout.write(f"\n-- {title}{sql}\n")
            sys.stdout.write(str(connection.sql(sql)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
