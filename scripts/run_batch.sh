#!/usr/bin/env bash
# Command 1: materialise one batch (default: today's partition) offline into DuckDB, print SQL.
# Usage: bash scripts/run_batch.sh [PARTITION_KEY]     e.g. 2026-11-22
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
partition="${1:-$(date -u +%F)}"
export DAGSTER_HOME="${DAGSTER_HOME:-$PWD/data/dagster_home}"
mkdir -p "$DAGSTER_HOME"
touch "$DAGSTER_HOME/dagster.yaml"
python3 -m uv run --frozen dagster asset materialize -m dsgen_dagster.definitions \
  --select '*' --partition "$partition"
python3 -m uv run --frozen python -m dsgen_dagster.show
