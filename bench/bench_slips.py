"""Benchmark: what slips cost. The LLM stages of one partition against a local OpenAI-compatible
server whose model now and then ignores an instruction (`dsgen_dagster_tests.fake_model`:
a seeded share of requests per stage slips on one rule; a fifth of those are stubborn and slip on
every re-ask, so they end up in the rejects table).

    uv run python bench/bench_slips.py --tickets 300 --latency 0.2 [--shares 0,0.05,0.2]

For each slip share: tickets kept (tags rows, the end of a ticket's chain), rejects by rule,
the extra requests the re-asks took and their extra cost against the 0% run, and the wall time
against the bound (bench_llm's: the chain's latency, or all requests over the concurrency). The
reject budget is lifted (DSGEN_MAX_REJECT_SHARE=1) so every stage runs; the table says which
stages the default budget (5%) would have failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import dagster as dg  # noqa: E402
import duckdb  # noqa: E402
from bench_llm import (  # noqa: E402
    BENCH_KEY,
    LLM_STAGES,
    UPSTREAM,
    bound_seconds,
    reference_loop_seconds,
    server_stats,
)

from dsgen_dagster.defs import all_assets  # noqa: E402
from dsgen_dagster.resources import resources_from_env  # noqa: E402

HANDLER = "dsgen_dagster_tests.fake_model:slipping_model"
DEFAULT_REJECT_SHARE = 0.05


def start_server(latency: float, share: float) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "dsgen_dagster_tests.fake_openai_server"]
    command += ["--latency", str(latency), "--handler", HANDLER]
    env = {**os.environ, "DSGEN_FAKE_SLIP_SHARE": str(share)}
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def run_once(args: argparse.Namespace, share: float) -> dict:
    server, url = start_server(args.latency, share)
    workdir = Path(tempfile.mkdtemp(prefix="dsgen-slips-"))
    database = workdir / "bench.duckdb"
    os.environ["OPENAI_API_KEY"] = BENCH_KEY
    env = {
        "DSGEN_DB": str(database),
        "DSGEN_TICKETS_PER_BATCH": str(args.tickets),
        "DSGEN_LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": url,
        "OPENAI_API_KEY": BENCH_KEY,
        "DSGEN_LLM_CONCURRENCY": str(args.concurrency),
        "DSGEN_MAX_REJECT_SHARE": "1",
    }
    try:
        resources = resources_from_env(env)
        assets = all_assets()
        upstream = [dg.AssetKey(name) for name in UPSTREAM]
        dg.materialize(
            assets, selection=upstream, resources=resources, partition_key=args.partition
        )
        started = time.perf_counter()
        result = dg.materialize(
            assets,
            selection=[dg.AssetKey(stage) for stage in LLM_STAGES],
            resources=resources,
            partition_key=args.partition,
        )
        wall = time.perf_counter() - started
        stats = server_stats(url)
        with duckdb.connect(str(database), read_only=True) as connection:
            reports = {
                stage: json.loads(report)
                for stage, report in connection.execute(
                    "SELECT stage, report FROM stage_reports"
                ).fetchall()
            }
            kept = connection.execute("SELECT count(*) FROM tags").fetchone()[0]  # type: ignore[index]
            reasks = connection.execute(
                "SELECT coalesce(sum(attempts - 1), 0), count(*) FROM llm_calls"
            ).fetchone()
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
    rejects: dict[str, int] = {}
    over_budget = []
    for stage in LLM_STAGES:
        report = reports.get(stage, {})
        for rule, count in (report.get("rejects_by_rule") or {}).items():
            rejects[rule] = rejects.get(rule, 0) + count
        if (
            report.get("requests")
            and report["rejected"] / report["requests"] > DEFAULT_REJECT_SHARE
        ):
            over_budget.append(stage)
    answered = stats["by_status"].get("200", 0)
    return {
        "share": share,
        "success": result.success,
        "kept": kept,
        "rejects": rejects,
        "requests": answered,
        "calls": reasks[1],  # type: ignore[index]
        "extra_requests": reasks[0],  # type: ignore[index]
        "cost": sum(r.get("cost_usd", 0.0) for r in reports.values()),
        "wall": wall,
        "bound": bound_seconds(answered, args.latency, args.concurrency, 0),
        "over_budget": over_budget,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="What slips cost: kept, rejects, re-asks, time.")
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.2, help="server seconds per request")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--shares", default="0,0.05,0.2", help="slip shares, comma-separated")
    parser.add_argument("--partition", default="2026-07-01")
    args = parser.parse_args()

    probe_before = reference_loop_seconds()
    runs = [run_once(args, float(share)) for share in args.shares.split(",")]
    probe_after = reference_loop_seconds()
    base_cost = runs[0]["cost"] if runs[0]["share"] == 0 else float("nan")
    print(f"tickets={args.tickets} latency={args.latency}s concurrency={args.concurrency}")
    print(
        f"machine speed:  reference loop {probe_before:.2f} s before, {probe_after:.2f} s after "
        "(lower is faster)"
    )
    print(
        "| slips | run ok | tickets kept | rejects by rule | requests | extra requests (re-asks) "
        "| cost USD | extra cost | wall s | bound s | ratio | over the 5% budget |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        rejects = ", ".join(f"{rule} {count}" for rule, count in sorted(run["rejects"].items()))
        extra = run["extra_requests"] / max(run["calls"], 1)
        print(
            f"| {run['share']:.0%} | {run['success']} | {run['kept']} / {args.tickets} "
            f"| {rejects or '-'} | {run['requests']} | {run['extra_requests']} ({extra:.1%}) "
            f"| {run['cost']:.4f} | {run['cost'] - base_cost:+.4f} | {run['wall']:.1f} "
            f"| {run['bound']:.1f} | {run['bound'] / run['wall']:.2f} "
            f"| {', '.join(run['over_budget']) or '-'} |"
        )


if __name__ == "__main__":
    main()
