"""Benchmark: the LLM stages of one partition as a Dagster run against a local OpenAI-compatible
server with a fixed latency, optionally rate-limited per minute.

    uv run python bench/bench_llm.py --tickets 2000 --latency 0.5 --concurrency 64
    uv run python bench/bench_llm.py --tickets 2000 --latency 0.5 --concurrency 64 --server-rpm 6000

Prints requests, 429s, wall seconds, tickets/s and the ratio of the bound to the wall time. The
bound is what no client can beat: max(latency x calls in one ticket's chain, total calls x latency
/ concurrency) and, with a limit, the time the per-minute window imposes (request j cannot be sent
before minute j // rpm; the last minute's requests still need their turns at the concurrency).
The entities, the policy graph and the policy's clause texts are materialised first, untimed:
the first make no LLM calls, and the clause translations are a constant of the policy (clauses x
served languages, once per batch), not of the tickets.
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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dagster as dg  # noqa: E402

from dsgen_dagster.defs import all_assets  # noqa: E402
from dsgen_dagster.resources import resources_from_env  # noqa: E402

UPSTREAM = ("policy_graph", "policy_clause_texts", "customers", "products", "orders")
LLM_STAGES = ("topics", "emails", "answers", "tags", "rephrasings", "translations")
CHAIN_CALLS = 4  # topics -> emails -> answers -> tags or translations, one ticket's longest path
HANDLER = "dsgen_dagster_tests.fake_model:answer_like_a_model"
BENCH_KEY = "sk-bench-not-a-real-key"


def start_server(latency: float, rpm: int) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "dsgen_dagster_tests.fake_openai_server"]
    command += ["--latency", str(latency), "--rpm", str(rpm), "--handler", HANDLER]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def server_stats(url: str) -> dict:
    with urllib.request.urlopen(url.removesuffix("/v1") + "/stats") as response:
        return json.load(response)


def reference_loop_seconds() -> float:
    """A fixed pure-Python loop: how fast this machine is right now (shared hosts vary ~2x)."""
    started = time.perf_counter()
    total = 0
    for number in range(3_000_000):
        total += number
    return time.perf_counter() - started


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """Each step's seconds from its STEP_START to its STEP_SUCCESS, from the event log."""
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for record in instance.all_logs(run_id):
        event, step = record.dagster_event, record.step_key
        if event is None or step is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            started[step] = record.timestamp
        elif event.event_type == dg.DagsterEventType.STEP_SUCCESS and step in started:
            seconds[step] = record.timestamp - started[step]
    return seconds


def bound_seconds(calls: int, latency: float, concurrency: int, rpm: int) -> float:
    bound = max(CHAIN_CALLS * latency, calls * latency / concurrency)
    if rpm and calls > rpm:
        full_minutes = (calls - 1) // rpm
        last_minute_calls = calls - full_minutes * rpm
        bound = max(bound, full_minutes * 60 + last_minute_calls * latency / concurrency)
    return bound


def main() -> None:
    parser = argparse.ArgumentParser(description="Throughput of the openai provider, end to end.")
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.5, help="server seconds per request")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--server-rpm", type=int, default=0, help="server-side limit; 0 = none")
    parser.add_argument(
        "--client-rpm", type=int, default=None, help="DSGEN_LLM_RPM; default: the server's limit"
    )
    parser.add_argument("--partition", default="2026-07-01")
    parser.add_argument("--keep", action="store_true", help="keep the database to inspect")
    args = parser.parse_args()
    client_rpm = args.server_rpm if args.client_rpm is None else args.client_rpm

    probe_before = reference_loop_seconds()
    server, url = start_server(args.latency, args.server_rpm)
    workdir = Path(tempfile.mkdtemp(prefix="dsgen-bench-"))
    os.environ["OPENAI_API_KEY"] = BENCH_KEY  # resolved by the resource's dg.EnvVar
    env = {
        "DSGEN_DB": str(workdir / "bench.duckdb"),
        "DSGEN_TICKETS_PER_BATCH": str(args.tickets),
        "DSGEN_LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": url,
        "OPENAI_API_KEY": BENCH_KEY,
        "DSGEN_LLM_CONCURRENCY": str(args.concurrency),
        "DSGEN_LLM_RPM": str(client_rpm),
    }
    try:
        resources = resources_from_env(env)
        assets = all_assets()
        upstream = [dg.AssetKey(name) for name in UPSTREAM]
        dg.materialize(
            assets, selection=upstream, resources=resources, partition_key=args.partition
        )
        started, client_cpu = time.perf_counter(), time.process_time()
        server_cpu = process_cpu_seconds(server.pid)
        instance = dg.DagsterInstance.ephemeral()
        result = dg.materialize(
            assets,
            selection=[dg.AssetKey(stage) for stage in LLM_STAGES],
            resources=resources,
            partition_key=args.partition,
            instance=instance,
        )
        wall = time.perf_counter() - started
        client_cpu = time.process_time() - client_cpu
        server_cpu = process_cpu_seconds(server.pid) - server_cpu
        stats = server_stats(url)
        probe_after = reference_loop_seconds()
    finally:
        server.terminate()
        server.wait(10)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    materializations = [
        event.step_materialization_data.materialization
        for event in result.get_asset_materialization_events()
    ]
    stage_seconds = {
        m.asset_key.path[-1]: m.metadata["wall_seconds"].value for m in materializations
    }
    answered = stats["by_status"].get("200", 0)
    rate_limited = stats["by_status"].get("429", 0)
    bound = bound_seconds(answered, args.latency, args.concurrency, args.server_rpm)
    print(
        f"tickets={args.tickets} latency={args.latency}s concurrency={args.concurrency} "
        f"server_rpm={args.server_rpm or 'none'} client_rpm={client_rpm or 'none'}"
    )
    print(f"run succeeded:  {result.success}")
    print(
        f"machine speed:  reference loop {probe_before:.2f} s before, {probe_after:.2f} s after "
        "(lower is faster)"
    )
    print(f"requests:       {stats['requests']} ({answered} answered, {rate_limited} 429)")
    print(f"429 share:      {rate_limited / max(stats['requests'], 1):.2%}")
    print(f"wall seconds:   {wall:.1f}")
    print(f"tickets/s:      {args.tickets / wall:.1f}")
    print(f"bound seconds:  {bound:.1f}")
    print(f"ratio:          {bound / wall:.3f}")
    requests = max(stats["requests"], 1)
    print(
        f"CPU ms/request: client {client_cpu / requests * 1000:.2f} (whole run), "
        f"server {server_cpu / requests * 1000:.2f}"
    )
    steps = step_seconds(instance, result.run_id)
    print(f"steps:          {sum(steps.values()):.1f} s in all; the rest is run start and end")
    print("stage seconds:  step (start to success), LLM calls inside it")
    for stage in LLM_STAGES:
        step, calls = steps.get(stage, float("nan")), stage_seconds.get(stage, float("nan"))
        print(f"  {stage:<13} {step:5.1f} {calls:5.1f}")


if __name__ == "__main__":
    main()
