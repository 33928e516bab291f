"""`python -m dsgen_dagster.exports --out exports/latest` (the newest batch), or a range:
`python -m dsgen_dagster.exports --from 2026-03-01 --to 2026-03-07 --out exports/week10`"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dsgen_dagster.errors import DsgenError
from dsgen_dagster.exports.checks import instance_from_environment
from dsgen_dagster.exports.writer import export_dataset, latest_batch
from dsgen_dagster.settings import database_path_from_env
from dsgen_dagster.storage.warehouse import Warehouse


def main(argv: list[str] | None = None, prog: str = "python -m dsgen_dagster.exports") -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Write batches FROM..TO (partition keys, inclusive; default: the newest "
        "published batch) of the tickets view and the world as Parquet + JSONL, with a dataset "
        "card and manifest.json.",
    )
    parser.add_argument(
        "--from", dest="first", help="first partition, YYYY-MM-DD (default: the newest batch)"
    )
    parser.add_argument("--to", dest="last", help="last partition (default: --from)")
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--db", default=database_path_from_env(), help="DuckDB file (DSGEN_DB)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing folder")
    parser.add_argument(
        "--no-instance",
        action="store_true",
        help="take check outcomes from the manifest table, not from the Dagster instance "
        "(DAGSTER_HOME)",
    )
    args = parser.parse_args(argv)
    if not Path(args.db).is_file():
        sys.stderr.write(f"{args.db} does not exist; materialise some batches first (README)\n")
        return 1
    try:
        instance = None if args.no_instance else instance_from_environment()
        warehouse = Warehouse(database=args.db)
        first = args.first or latest_batch(warehouse)
        result = export_dataset(
            warehouse,
            first,
            args.last or first,
            args.out,
            overwrite=args.overwrite,
            instance=instance,
        )
    except DsgenError as exc:
        sys.stderr.write(f"export failed: {exc}\n")
        return 1
    rows = ", ".join(f"{config} {count}" for config, count in result.rows.items())
    batches = f"{len(result.partitions)} batch" + ("" if len(result.partitions) == 1 else "es")
    span = " to ".join(dict.fromkeys([result.partitions[0], result.partitions[-1]]))
    sys.stdout.write(f"exported {batches} ({span}) to {result.out}: {rows}\n")
    if result.missing_partitions:
        sys.stdout.write(f"skipped (no manifest row yet): {', '.join(result.missing_partitions)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
