"""Benchmark: what translating a policy costs per batch — `policy_clause_texts` with the openai
provider against a local OpenAI-compatible server with a fixed latency, run twice.

    .venv/bin/python bench/bench_policy_texts.py                      # the shipped policy
    .venv/bin/python bench/bench_policy_texts.py --policy POLICY.md --latency 0.5

Prints the clauses, served languages, requests, tokens and wall seconds of the first run, and the
requests the second run made (0: a batch's policy is translated once, then read from the cache).
The count is clauses x served languages without a translation file, whatever the batch's size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dagster as dg  # noqa: E402
import duckdb  # noqa: E402
from bench_llm import BENCH_KEY, reference_loop_seconds, server_stats, start_server  # noqa: E402

from dsgen_dagster.defs import all_assets  # noqa: E402
from dsgen_dagster.resources import resources_from_env  # noqa: E402

STAGES = ("policy_graph", "policy_clause_texts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policy", default="", help="policy markdown (default: the shipped one)")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--partition", default="2026-06-01")
    args = parser.parse_args()
    print(f"machine speed: reference loop {reference_loop_seconds():.2f} s (lower is faster)")
    server, url = start_server(args.latency, 0)
    os.environ["OPENAI_API_KEY"] = BENCH_KEY
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = {
                "DSGEN_DB": str(Path(folder) / "bench.duckdb"),
                "DSGEN_LLM_PROVIDER": "openai",
                "OPENAI_BASE_URL": url,
                "OPENAI_API_KEY": BENCH_KEY,
                **({"DSGEN_POLICY_PATH": args.policy} if args.policy else {}),
            }
            resources = resources_from_env(env)
            walls, requests = [], []
            for _ in range(2):
                before = server_stats(url)["requests"]
                started = time.perf_counter()
                result = dg.materialize(
                    all_assets(), selection=list(STAGES), resources=resources,
                    partition_key=args.partition,
                )  # fmt: skip
                walls.append(time.perf_counter() - started)
                requests.append(server_stats(url)["requests"] - before)
                assert result.success
            with duckdb.connect(env["DSGEN_DB"], read_only=True) as connection:
                clauses, languages = connection.execute(
                    "SELECT count(DISTINCT clause_id), list(DISTINCT language ORDER BY language) "
                    "FROM staging.policy_clause_texts WHERE source = 'machine_translation'"
                ).fetchone()  # type: ignore[misc]
                paid, prompt, completion, cost = connection.execute(
                    "SELECT count(*) FILTER (WHERE NOT cached), sum(prompt_tokens) FILTER (WHERE "
                    "NOT cached), sum(completion_tokens) FILTER (WHERE NOT cached), "
                    "round(sum(cost_usd), 6) FROM llm_calls WHERE stage = 'policy_clause_texts'"
                ).fetchone()  # type: ignore[misc]
    finally:
        server.terminate()
    print(f"clauses {clauses}, machine-translated languages {languages}")
    print(
        f"first run: {requests[0]} requests ({paid} paid calls ledgered: {prompt} prompt + "
        f"{completion} completion tokens, ${cost} at the default prices), {walls[0]:.1f} s for "
        f"both assets at {args.latency} s latency"
    )
    print(f"second run: {requests[1]} requests, {walls[1]:.1f} s (cache)")
    print(f"machine speed: reference loop {reference_loop_seconds():.2f} s at the end")


if __name__ == "__main__":
    main()
