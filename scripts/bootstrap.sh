#!/usr/bin/env bash
# Install uv if missing, then the locked environment (.venv) from uv.lock. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -m uv --version >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv
fi
python3 -m uv sync --frozen --quiet
