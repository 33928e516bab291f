#!/usr/bin/env bash
# Command 2: lint, type-check and run the test suite in the locked environment.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
python3 -m uv run --frozen ruff check .
python3 -m uv run --frozen mypy dsgen_dagster
python3 -m uv run --frozen pytest "$@"
