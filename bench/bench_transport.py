"""Benchmark: client CPU per chat-completion request of the openai provider's transport against
the alternatives, on a local OpenAI-compatible server (a separate process, so its CPU is not the
client's).

    uv run python bench/bench_transport.py           # 1000 requests, 64 in flight, 0.2 s and 0.5 s
    uv run python bench/bench_transport.py --latency 0.3 --runs 5 --variants A,B,D
    uv run python bench/bench_transport.py --check   # errors, timeouts, headers: A vs B vs C

Variants (each a fresh process; every run does the same per-request work around the transport:
the body as bytes out, the response body kept as text, a ChatCompletion in):
  A     transport.ChatEndpoint.post, as the provider calls it (today's path)
  B     AsyncOpenAI(http_client=DefaultAioHttpClient()).chat.completions.create(...)
  Braw  the same client, .with_raw_response.create(...), body bytes -> completion_from
  Bpost the same client's generic client.post("/chat/completions", content=<body bytes>,
        cast_to=httpx2.Response): the SDK's request path and typed errors without its params
        transform (which walks every message and tool schema per request)
  C     plain AsyncOpenAI() (httpx2) .chat.completions.create(...)
  Craw  plain AsyncOpenAI() .with_raw_response.create(...)
  Cpost plain AsyncOpenAI() client.post(...) with bytes, as Bpost
  D     a bare aiohttp session: post bytes, read bytes (the floor for any aiohttp transport)

Runs are interleaved (A B Braw Bpost C Craw Cpost D, then the same rotated by one, ...) because
the host is shared; before each run the parent times a fixed pure-Python loop
(sum(range(10_000_000))) as the machine-speed reference. Client CPU is the worker's
process_time() over the timed requests only (after one warm-up wave that opens the
connections), divided by the requests.
The bound is ceil(requests / concurrency) x latency: 64 workers in lock-step waves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VARIANTS = ("A", "B", "Braw", "Bpost", "C", "Craw", "Cpost", "D")
BENCH_KEY = "sk-bench-not-a-real-key"
SYSTEM = (
    "You write realistic customer-support emails for an online shop. Write in the customer's "
    "voice, plain text, no greeting boilerplate beyond one line. Mention the order number "
    "exactly as given. Keep to the facts in the scenario; do not invent refunds or policies. "
) * 3


# ---------------------------------------------------------------- the request bodies


def request_bodies(count: int) -> list[dict[str, Any]]:
    """`count` distinct chat bodies as the provider builds them (instructor TOOLS mode, forced
    tool call, temperature and seed), for the emails stage's response model."""
    from dsgen_dagster.defs.emails.models import EmailDraft
    from dsgen_dagster.llm.providers.openai.structured import Structured

    _, tool_kwargs = Structured()._tool(EmailDraft)
    bodies = []
    for number in range(count):
        user = (
            f"Scenario {number}: the customer ordered a kettle (order ORD-{number:08d}) that "
            "arrived with a cracked lid. They want a replacement before the weekend. "
        ) * 6
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
        bodies.append(
            {
                "model": "gpt-4o-mini",
                "messages": messages,
                **tool_kwargs,
                "temperature": 0.9,
                "seed": 7,
            }
        )
    return bodies


# ---------------------------------------------------------------- the variants (worker side)


def make_sender(variant: str, url: str, concurrency: int, timeout: float = 30.0) -> tuple[Any, Any]:
    """(send(kwargs) -> (completion, body text), close()) for one variant."""
    import openai

    from dsgen_dagster.llm.providers.openai import transport
    from dsgen_dagster.llm.providers.openai.structured import completion_from

    if variant == "A":
        endpoint = transport.make_endpoint(url, BENCH_KEY, timeout, concurrency)

        async def send_a(kwargs: dict[str, Any]) -> tuple[Any, str]:
            content = await endpoint.post(transport.body_bytes(kwargs))
            return completion_from(content), content.decode()

        return send_a, endpoint.close

    if variant in ("B", "Braw", "Bpost", "C", "Craw", "Cpost"):
        http_client = openai.DefaultAioHttpClient() if variant.startswith("B") else None
        client = openai.AsyncOpenAI(
            api_key=BENCH_KEY,
            base_url=url,
            max_retries=0,
            timeout=timeout,
            http_client=http_client,
        )
        if variant.endswith("post"):
            import httpx2

            post = client.post
            options: Any = {"headers": {"Content-Type": "application/json"}}

            async def send_post(kwargs: dict[str, Any]) -> tuple[Any, str]:
                response = await post(
                    "/chat/completions",
                    cast_to=httpx2.Response,
                    content=transport.body_bytes(kwargs),
                    options=options,
                )
                content = response.content
                return completion_from(content), content.decode()

            return send_post, client.close

        if variant.endswith("raw"):
            raw_create = client.chat.completions.with_raw_response.create

            async def send_raw(kwargs: dict[str, Any]) -> tuple[Any, str]:
                raw = await raw_create(**kwargs)
                content = raw.http_response.content
                return completion_from(content), content.decode()

            return send_raw, client.close

        create = client.chat.completions.create

        async def send_create(kwargs: dict[str, Any]) -> tuple[Any, str]:
            # The SDK parses the body itself; no body text (the provider's cache would need
            # completion.to_json() on top of this).
            return await create(**kwargs), ""

        return send_create, client.close

    if variant == "D":
        import aiohttp

        session: aiohttp.ClientSession | None = None
        headers = {"Authorization": f"Bearer {BENCH_KEY}", "Content-Type": "application/json"}
        endpoint_url = url.rstrip("/") + "/chat/completions"

        async def send_d(kwargs: dict[str, Any]) -> tuple[Any, str]:
            nonlocal session
            if session is None:
                session = aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=concurrency + 8)
                )
            async with session.post(
                endpoint_url, data=transport.body_bytes(kwargs), headers=headers
            ) as response:
                content = await response.read()
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status}")
            return completion_from(content), content.decode()

        async def close_d() -> None:
            if session is not None:
                await session.close()

        return send_d, close_d

    raise SystemExit(f"unknown variant {variant}")


async def drive(send: Any, bodies: list[dict[str, Any]], concurrency: int) -> int:
    """`concurrency` workers pulling bodies off one iterator, as the provider's stage run does.
    Returns the number of responses that came back with a tool call."""
    todo = iter(bodies)
    ok = 0

    async def worker() -> None:
        nonlocal ok
        for kwargs in todo:
            completion, _ = await send(kwargs)
            if completion.choices[0].message.tool_calls:
                ok += 1

    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(bodies)))))
    return ok


async def worker_main(args: argparse.Namespace) -> dict[str, Any]:
    bodies = request_bodies(args.requests + args.concurrency)
    warmup, timed = bodies[: args.concurrency], bodies[args.concurrency :]
    send, close = make_sender(args.variant, args.url, args.concurrency)
    try:
        await drive(send, warmup, args.concurrency)  # opens the connections, loads lazy imports
        cpu, wall = time.process_time(), time.perf_counter()
        ok = await drive(send, timed, args.concurrency)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        await close()
    return {"variant": args.variant, "requests": len(timed), "ok": ok, "cpu_s": cpu, "wall_s": wall}


# ---------------------------------------------------------------- the runs (parent side)


def reference_seconds() -> float:
    """A fixed pure-Python loop: how fast this (shared) machine is right now."""
    started = time.perf_counter()
    sum(range(10_000_000))
    return time.perf_counter() - started


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "dsgen_dagster_tests.fake_openai_server"]
    command += ["--latency", str(latency)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def run_one(variant: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", "--variant", variant, "--url", url]
    command += ["--requests", str(args.requests), "--concurrency", str(args.concurrency)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(args: argparse.Namespace) -> None:
    rows: list[dict[str, Any]] = []
    variants = [v for v in args.variants.split(",") if v]
    for latency in args.latency:
        server, url = start_server(latency)
        bound = math.ceil(args.requests / args.concurrency) * latency
        print(
            f"# latency {latency} s, {args.requests} requests, {args.concurrency} in flight, "
            f"bound {bound:.2f} s, server {url}",
            flush=True,
        )
        try:
            for round_number in range(args.runs):
                shift = round_number % len(variants)
                for variant in variants[shift:] + variants[:shift]:
                    reference = reference_seconds()
                    server_cpu = process_cpu_seconds(server.pid)
                    row = run_one(variant, url, args)
                    server_cpu = process_cpu_seconds(server.pid) - server_cpu
                    row.update(
                        latency=latency,
                        bound_s=bound,
                        reference_s=reference,
                        server_cpu_s=server_cpu,
                        round=round_number,
                    )
                    rows.append(row)
                    print(
                        f"ref {reference:.3f} s | {variant:5} lat {latency} round {round_number}: "
                        f"cpu {1000 * row['cpu_s'] / row['requests']:.3f} ms/req, "
                        f"wall {row['wall_s']:.2f} s (bound/wall {bound / row['wall_s']:.2f}), "
                        f"server {1000 * server_cpu / row['requests']:.3f} ms/req, "
                        f"ok {row['ok']}/{row['requests']}",
                        flush=True,
                    )
        finally:
            server.terminate()
            server.wait(10)
    summarise(rows, variants)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


def summarise(rows: list[dict[str, Any]], variants: list[str]) -> None:
    print(
        "\n| latency | variant | CPU ms/req (median) | runs | min-max | wall s (median) | "
        "bound/wall | CPU vs A |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for latency in sorted({r["latency"] for r in rows}):
        here = [r for r in rows if r["latency"] == latency]

        def cpu_ms(variant: str, here: list[dict[str, Any]] = here) -> list[float]:
            return [1000 * r["cpu_s"] / r["requests"] for r in here if r["variant"] == variant]

        base = statistics.median(cpu_ms("A")) if cpu_ms("A") else float("nan")
        for variant in variants:
            cpus = cpu_ms(variant)
            walls = [r["wall_s"] for r in here if r["variant"] == variant]
            bound = here[0]["bound_s"]
            wall = statistics.median(walls)
            print(
                f"| {latency} | {variant} | {statistics.median(cpus):.3f} | {len(cpus)} | "
                f"{min(cpus):.3f}-{max(cpus):.3f} | {wall:.2f} | {bound / wall:.2f} | "
                f"{statistics.median(cpus) / base:.2f} |"
            )
    references = [r["reference_s"] for r in rows]
    print(
        f"\nreference sum(range(10_000_000)): median {statistics.median(references):.3f} s, "
        f"min {min(references):.3f}, max {max(references):.3f} over {len(references)} runs"
    )


# ---------------------------------------------------------------- correctness (A vs B)


def check() -> None:
    """What each variant raises for 429 / 500 / 401 / a hang / a refused or dropped connection,
    and which headers reach the server."""
    import socket
    import threading

    import openai

    from dsgen_dagster.llm.providers.openai import transport
    from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer, Fault

    os.environ.setdefault("OPENAI_ORG_ID", "org-bench")
    os.environ.setdefault("OPENAI_PROJECT_ID", "proj_bench")
    body = request_bodies(1)[0]

    def describe(exc: BaseException | None) -> str:
        if exc is None:
            return "ok"
        text = type(exc).__name__
        if isinstance(exc, openai.APIStatusError):
            text += (
                f" status={exc.status_code} retry_after_s={transport.retry_after_seconds(exc)}"
                f" retry-after-ms={exc.response.headers.get('retry-after-ms')!r}"
            )
        cause = exc.__cause__
        chain = []
        while cause is not None:
            chain.append(type(cause).__name__)
            cause = cause.__cause__
        if chain:
            text += " <- " + " <- ".join(chain)
        text += f" | transient={transport.is_transient(exc)} reason={transport.reason(exc, 1)!r}"
        return text

    async def attempt(variant: str, url: str, timeout: float = 30.0) -> tuple[str, float]:
        send, close = make_sender(variant, url, 4, timeout=timeout)
        started = time.perf_counter()
        try:
            await send(body)
            error = None
        except Exception as exc:  # noqa: BLE001 - we report what was raised
            error = exc
        finally:
            await close()
        return describe(error), time.perf_counter() - started

    def run(name: str, url: str, timeout: float = 30.0, variants: tuple[str, ...] = ("A", "B")):
        for variant in variants:
            text, seconds = asyncio.run(attempt(variant, url, timeout))
            print(f"{name:28} {variant:4} {seconds:6.2f} s  {text}")

    servers = {
        "429 retry-after": FakeOpenAIServer(
            faults=[Fault("429", 1.0, 10)], retry_after_seconds=1.5
        ),
        "500": FakeOpenAIServer(faults=[Fault("500", 1.0, 10)]),
        "401 (wrong key)": FakeOpenAIServer(api_key="sk-the-right-one"),
        "hang 3 s, timeout 0.5 s": FakeOpenAIServer(
            faults=[Fault("hang", 1.0, 10)], hang_seconds=3
        ),
    }
    for name, server in servers.items():
        server.start()
        try:
            timeout = 0.5 if name.startswith("hang") else 30.0
            run(name, server.url, timeout, ("A", "B", "Bpost", "C"))
        finally:
            server.stop()

    # Nothing listens: connection refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    run("connection refused", f"http://127.0.0.1:{free_port}/v1", 30.0, ("A", "B", "Bpost", "C"))

    # A server that reads the request and closes the connection without answering.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)

    def drop() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            connection.close()

    threading.Thread(target=drop, daemon=True).start()
    port = listener.getsockname()[1]
    run(
        "server drops the connection", f"http://127.0.0.1:{port}/v1", 30.0, ("A", "B", "Bpost", "C")
    )
    listener.close()

    # Headers and base_url: what the server received from each variant.
    server = FakeOpenAIServer().start()
    try:
        seen = {}
        for variant in ("A", "B", "Bpost", "C"):
            text, _ = asyncio.run(attempt(variant, server.url + "/"))  # trailing slash too
            seen[variant] = dict(server.last_headers)
            print(f"{'base_url with a trailing /':28} {variant:4} {text}")
        names = sorted({k.lower() for h in seen.values() for k in h})
        print("\nheader" + "".join(f" | {v}" for v in seen))
        for name in names:
            values = [
                next((val for k, val in h.items() if k.lower() == name), "-") for h in seen.values()
            ]
            if name == "authorization":
                values = [v.replace(BENCH_KEY, "<key>") for v in values]
            print(f"{name}" + "".join(f" | {v}" for v in values))
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--latency", type=float, nargs="+", default=[0.2, 0.5])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--json", default="", help="write every run's row here")
    parser.add_argument("--check", action="store_true", help="errors and headers, A vs B vs C")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--variant", default="A", help=argparse.SUPPRESS)
    parser.add_argument("--url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(asyncio.run(worker_main(args))))
    elif args.check:
        check()
    else:
        bench(args)


if __name__ == "__main__":
    main()
