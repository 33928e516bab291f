#!/usr/bin/env bash
# Command 1: materialise one batch (default: today's partition) offline into DuckDB, print SQL.
# Usage: bash scripts/run_batch.sh [PARTITION_KEY]     e.g. 2026-11-22
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
partition="${1:-$(date -u +%F)}"
export DAGSTER_HOME="${DAGSTER_HOME:-$PWD/data/dagster_home}"
mkdir -p "$DAGSTER_HOME"
# A fresh DAGSTER_HOME gets dsgen's concurrency defaults (README, "Backfills"); an existing
# dagster.yaml with content is the user's and is left alone.
if [ ! -s "$DAGSTER_HOME/dagster.yaml" ]; then
  cat > "$DAGSTER_HOME/dagster.yaml" <<'YAML'
# Written by scripts/run_batch.sh for a fresh DAGSTER_HOME; edit freely, it is not overwritten.
concurrency:
  pools:
    default_limit: 2          # LLM-heavy steps (pool dsgen_llm) in flight at once, across all runs
  runs:
    max_concurrent_runs: 4    # runs of a backfill beyond this wait in the queue
YAML
fi
python3 -m uv run --frozen dagster asset materialize -m dsgen_dagster.definitions \
  --select '*' --partition "$partition"
python3 -m uv run --frozen python -m dsgen_dagster.show
