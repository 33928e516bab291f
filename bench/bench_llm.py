"""Benchmark: the LLM stages of one partition, their checks and the publishing manifest as one
Dagster run (the code location's executor, as `dsgen batch` runs it) against a local
OpenAI-compatible server with a fixed or lognormal latency, optionally rate-limited per minute.

    uv run python bench/bench_llm.py --tickets 2000 --latency 0.5 --jitter 0.3 --concurrency 64
    uv run python bench/bench_llm.py --tickets 2000 --latency 0.5 --jitter 0.3 --server-rpm 6000
    uv run python bench/bench_llm.py --tickets 2000 --step-threads 1   # one step at a time

Prints requests, 429s, wall seconds, tickets/s, the ratio of the bound to the wall time, the
requests in flight on average (the shared budget, sampled) and each step's span in the run. The
bound is what no client can beat: max(latency x calls in one ticket's chain, the seconds the
server spent on the answered requests / concurrency) and, with a limit, the time the per-minute
window imposes (request j cannot be sent before minute j // rpm; the last minute's requests still
need their turns at the concurrency). The entities, the policy graph and the policy's clause
texts are materialised first, untimed (the server's counts are reset after them): the first make
no LLM calls, and the clause translations are a constant of the policy (clauses x served
languages, once per batch), not of the tickets.

Measured December 2026 on the shared 2-core machine, 500 ms +- 30% lognormal, concurrency 64
(another job used about one core throughout; reference loop 0.10-0.16 s):
    2,000 tickets, one step at a time (before)      138.5-144.0 s, ratio 0.838 (fixed latency)
    2,000 tickets, steps in threads, one budget      138.8-140.3 s, ratio 0.860-0.870
    2,000 tickets, the same with --server-rpm 6000   165.5 s against 147.0 s, ratio 0.888, 0.10% 429
    10,000 tickets, steps in threads, one budget     680.3 s, ratio 0.888; with two chunks in hand
                                                     677.6 s, ratio 0.892 (62 of 64 in flight)
Issue #13, next pass (same machine; the 100k memory bench of another job ran niced beside most
of these; reference loop 0.10-0.15 s). Found with py-spy --gil and gc.callbacks: 17 full garbage
collections of ~0.41 s in one 2,000-ticket run, every thread stopped with 64 answers waiting to
be read (gc_tuning.py), and the LLM cache writer woken per row (llm/cache.py). Also cut: the
Great Expectations import waits for the first request in flight, a stage's first chunk is 8
requests per slot (its first request after ~0.3 s, not ~1.7 s), squash without str.translate.
    2,000 tickets, before (this session's start)     135.3 s against 120.7 s, ratio 0.892
    2,000 tickets, after                             131.5-132.8 s, ratio 0.909-0.918
    2,000 tickets, after, --server-rpm 6000          154.9 s against 147.0 s, ratio 0.949, no 429
    10,000 tickets, after                            627.5 s against 604.2 s, ratio 0.963 (62.8
                                                     of 64 in flight on average)
    10,000 tickets, after, --server-rpm 6000         802.2 s against 760.4 s, ratio 0.948, 8 of
                                                     77,161 answered 429 (0.01%)
Next pass (same machine; a helper's niced memory benches ran beside the last two). Schema checks
validate pass/fail first, checks that block nothing wait for the blocking ones and for requests
in flight (threaded.py), the LLM cache writer flushes every 3 s, chunks grow from 2 requests a
slot by x4, the evidence checks' hot loops are leaner. `--timeline` shows the rest.
    2,000 tickets                                    130.2 s against 120.7 s, ratio 0.927 (ref
                                                     0.10/0.09 s; 129.9 s, 0.929 before)
    2,000 tickets, --server-rpm 6000                 154.4 s against 146.9 s, ratio 0.952, no 429
    10,000 tickets, --server-rpm 6000                782.8 s against 760.4 s, ratio 0.971, 12 of
                                                     77,165 answered 429 (0.02%)
At 2,000 tickets without a limit 9.5 s are over the bound: 6.6 s of idle slots at the stage
boundaries (topics' start, drain and post 1.7 s, emails' 1.2 s, the gates 0.5 + 0.5 s, the
start of answers and rephrasings 0.6 s, translations' drain, checks and manifest 1.7 s) and
~2.8 s of slots held past the serving (~11 ms a request waiting for the GIL). A 0.2 ms switch
interval instead of 1 ms changed nothing (130.2 s).
Left before this pass at 2,000 tickets (~12 s): the blocking checks between stages (~0.6 s
after topics, ~0.9 s after emails, ~1.5 s of checks and manifest at the end), each stage's
drain of its last requests on the critical path (topics, emails), and requests ~1% longer at
the client than at the server while three stages compute beside each other (post 505-507 ms
mean, 500 served).
At 10,000 tickets the same fixed costs weigh a fifth as much.
After the ninth offline pass of bench_batch.py (connections held across a chunk's reads, the
numpy language walk; reference loop 0.07/0.12 s):
    2,000 tickets, --server-rpm 6000                 152.6 s against 146.9 s, ratio 0.963, no 429
                                                     (61.6 of 64 in flight; client 2.79 CPU ms a
                                                     request)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dagster as dg  # noqa: E402

from dsgen_dagster.defs import all_assets, all_checks  # noqa: E402
from dsgen_dagster.llm.providers.openai.budget import SharedBudget, shared_budget  # noqa: E402
from dsgen_dagster.resources import resources_from_env  # noqa: E402
from dsgen_dagster.threaded import threaded_executor  # noqa: E402
from dsgen_dagster.uncaptured import execute_uncaptured  # noqa: E402

UPSTREAM = ("policy_graph", "policy_clause_texts", "customers", "products", "orders")
LLM_STAGES = ("topics", "emails", "answers", "tags", "rephrasings", "translations")
CHAIN_CALLS = 4  # topics -> emails -> answers -> tags or translations, one ticket's longest path
HANDLER = "dsgen_dagster_tests.fake_model:answer_like_a_model"
BENCH_KEY = "sk-bench-not-a-real-key"


def start_server(
    latency: float, rpm: int, jitter: float = 0.0
) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "dsgen_dagster_tests.fake_openai_server"]
    command += ["--latency", str(latency), "--rpm", str(rpm), "--handler", HANDLER]
    command += ["--jitter", str(jitter)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def server_stats(url: str) -> dict:
    with urllib.request.urlopen(url.removesuffix("/v1") + "/stats") as response:
        return json.load(response)


def reset_server(url: str) -> None:
    """Forget the untimed part's requests (the policy's clause translations)."""
    request = urllib.request.Request(url.removesuffix("/v1") + "/reset", data=b"", method="POST")
    with urllib.request.urlopen(request) as response:
        response.read()


def step_spans(
    instance: dg.DagsterInstance, run_id: str
) -> tuple[float, dict[str, tuple[float, float]]]:
    """The run's first step start (time.time()) and each step's (start, end) in seconds from it,
    from the event log."""
    spans: dict[str, list[float]] = {}
    for record in instance.all_logs(run_id):
        event, step = record.dagster_event, record.step_key
        if event is None or step is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            spans[step] = [record.timestamp, record.timestamp]
        elif event.event_type == dg.DagsterEventType.STEP_SUCCESS and step in spans:
            spans[step][1] = record.timestamp
    first = min((start for start, _ in spans.values()), default=0.0)
    return first, {step: (start - first, end - first) for step, (start, end) in spans.items()}


class InFlightSampler(threading.Thread):
    """Requests in flight (the shared budget's count), sampled every 0.1 s during the run."""

    def __init__(self, budget: SharedBudget) -> None:
        super().__init__(daemon=True)
        self.budget = budget
        self.samples: list[tuple[float, int]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.1):
            self.samples.append((time.time(), self.budget.in_flight))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def mean(self, start: float = 0.0, end: float = float("inf")) -> float:
        """Mean count between two wall-clock times (time.time())."""
        inside = [count for at, count in self.samples if start <= at < end]
        return sum(inside) / len(inside) if inside else float("nan")


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


def bound_seconds(
    calls: int, latency: float, concurrency: int, rpm: int, served: float | None = None
) -> float:
    """`served`: the seconds the answered requests waited in all (with a jittered latency, the
    bound is their sum over the concurrency); else calls x latency."""
    served = calls * latency if served is None else served
    mean = served / calls if calls else latency
    bound = max(CHAIN_CALLS * latency, served / concurrency)
    if rpm and calls > rpm:
        full_minutes = (calls - 1) // rpm
        last_minute_calls = calls - full_minutes * rpm
        bound = max(bound, full_minutes * 60 + last_minute_calls * mean / concurrency)
    return bound


def timed_job(assets: list, checks: list, resources: dict) -> dg.JobDefinition:
    """The LLM stages, the manifest that publishes them and every check of theirs, as one job
    with the code location's executor (the rest of the batch is materialised before, untimed)."""
    selection = dg.AssetSelection.assets(*LLM_STAGES, "manifest")
    job = dg.define_asset_job("bench_llm_stages", selection=selection)
    defs = dg.Definitions(
        assets=assets,
        asset_checks=checks,
        jobs=[job],
        resources=resources,
        executor=threaded_executor,
    )
    return defs.resolve_job_def("bench_llm_stages")


def main() -> None:
    parser = argparse.ArgumentParser(description="Throughput of the openai provider, end to end.")
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.5, help="server seconds per request")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument(
        "--jitter", type=float, default=0.0, help="lognormal latency spread (0.3 = +-30%%)"
    )
    parser.add_argument(
        "--step-threads", type=int, default=0, help="DSGEN_STEP_THREADS; 1 = one step at a time"
    )
    parser.add_argument("--server-rpm", type=int, default=0, help="server-side limit; 0 = none")
    parser.add_argument(
        "--client-rpm", type=int, default=None, help="DSGEN_LLM_RPM; default: the server's limit"
    )
    parser.add_argument("--partition", default="2026-07-01")
    parser.add_argument("--keep", action="store_true", help="keep the database to inspect")
    parser.add_argument("--timeline", help="write the in-flight samples to this CSV file")
    args = parser.parse_args()
    client_rpm = args.server_rpm if args.client_rpm is None else args.client_rpm

    probe_before = reference_loop_seconds()
    server, url = start_server(args.latency, args.server_rpm, args.jitter)
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
    if args.step_threads:
        env["DSGEN_STEP_THREADS"] = str(args.step_threads)
    os.environ.update(env)  # the executor reads the provider (and DSGEN_STEP_THREADS) from it
    try:
        resources = resources_from_env(env)
        assets = all_assets()
        upstream = [dg.AssetKey(name) for name in UPSTREAM]
        dg.materialize(
            assets, selection=upstream, resources=resources, partition_key=args.partition
        )
        reset_server(url)
        sampler = InFlightSampler(shared_budget(url.rstrip("/"), args.concurrency))
        sampler.start()
        started, client_cpu = time.perf_counter(), time.process_time()
        server_cpu = process_cpu_seconds(server.pid)
        instance = dg.DagsterInstance.ephemeral()
        job = timed_job(assets, all_checks(), resources)
        result = execute_uncaptured(job, instance=instance, partition_key=args.partition)
        wall = time.perf_counter() - started
        sampler.stop()
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
        m.asset_key.path[-1]: m.metadata["wall_seconds"].value
        for m in materializations
        if "wall_seconds" in m.metadata
    }
    answered = stats["by_status"].get("200", 0)
    rate_limited = stats["by_status"].get("429", 0)
    bound = bound_seconds(
        answered, args.latency, args.concurrency, args.server_rpm, stats["served_seconds"]
    )
    print(
        f"tickets={args.tickets} latency={args.latency}s jitter={args.jitter} "
        f"concurrency={args.concurrency} step_threads={args.step_threads or 'default'} "
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
    print(
        f"in flight:      {sampler.mean():.1f} on average of {args.concurrency} "
        "(sampled every 0.1 s)"
    )
    first, spans = step_spans(instance, result.run_id)
    print(f"steps:          {len(spans)}; each from its start to its success, in run seconds")
    print("  step                                   start    end  (LLM calls inside, s)")
    for step, (start, end) in sorted(spans.items(), key=lambda item: item[1]):
        calls = stage_seconds.get(step)
        inside = f"  ({calls:.1f})" if calls is not None else ""
        if calls is not None:
            inside += f", {sampler.mean(first + start, first + end):.0f} in flight"
        print(f"  {step:<38} {start:6.1f} {end:6.1f}{inside}")
    if args.timeline:
        with open(args.timeline, "w") as out:
            out.write("run_seconds,in_flight\n")
            for at, count in sampler.samples:
                out.write(f"{at - first:.2f},{count}\n")
        print(f"timeline:       {args.timeline} (requests in flight every 0.1 s, run seconds)")


if __name__ == "__main__":
    main()
