#!/usr/bin/env bash
# Command 1: materialise one batch (default: today's partition) offline into DuckDB, print SQL.
# Usage: bash scripts/run_batch.sh [PARTITION_KEY]     e.g. 2026-11-22
# `dsgen batch` runs it on the project's instance (DAGSTER_HOME, default data/dagster_home, given
# dsgen's dagster.yaml when fresh), so the run shows in the UI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
python3 -m uv run --frozen dsgen batch "$@"
