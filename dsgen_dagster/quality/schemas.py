"""schemas/<table>.json: the JSON Schema of every output table, generated from its pydantic model.

    python -m dsgen_dagster.quality.schemas            # rewrite schemas/*.json
    python -m dsgen_dagster.quality.schemas --check    # exit 1 if a file is missing or stale

A table's schema is its row model's JSON Schema plus the `partition_date` column every table
carries. The test suite runs the same comparison as --check, so a model change without a
regenerated schema fails CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from dsgen_dagster.defs import tables
from dsgen_dagster.quality.tables import Table

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
PARTITION_COLUMN_SCHEMA = {
    "description": "The batch (daily partition) the row belongs to; added by the storage layer.",
    "format": "date",
    "title": "Partition Date",
    "type": "string",
}


def default_directory() -> Path:
    """The repository's schemas/ when run from a checkout, else ./schemas."""
    root = Path(__file__).resolve().parents[2]
    return root / "schemas" if (root / "pyproject.toml").is_file() else Path("schemas")


def table_schema(table: Table) -> dict[str, Any]:
    schema = table.model.model_json_schema(mode="serialization")
    schema["properties"]["partition_date"] = PARTITION_COLUMN_SCHEMA
    schema["required"] = [*schema.get("required", []), "partition_date"]
    about = f"{schema['description']} " if schema.get("description") else ""
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": f"dsgen/{table.name}.json",
        "title": table.name,
        "description": f"{about}One row of the `{table.name}` table (model "
        f"{table.model.__name__}); key column `{table.key}`.",
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }


def rendered() -> dict[str, str]:
    """File name -> content, for every table."""
    return {
        f"{name}.json": json.dumps(table_schema(table), indent=2, ensure_ascii=False) + "\n"
        for name, table in tables().items()
    }


def stale_files(directory: Path) -> list[str]:
    """Schema files that are missing, differ from the models, or belong to no table."""
    expected = rendered()
    stale = [
        name
        for name, content in expected.items()
        if not (directory / name).is_file() or (directory / name).read_text() != content
    ]
    extra = [p.name for p in directory.glob("*.json") if p.name not in expected]
    return sorted(stale + extra)


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in rendered().items():
        path = directory / name
        if not path.is_file() or path.read_text() != content:
            path.write_text(content)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", type=Path, default=default_directory())
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files(args.directory)
        for name in stale:
            print(f"{args.directory / name} is out of date with the pydantic models")
        if stale:
            print("run: python -m dsgen_dagster.quality.schemas")
        return 1 if stale else 0
    written = write(args.directory)
    print(f"{len(written)} of {len(tables())} schemas updated in {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
