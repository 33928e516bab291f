"""A small OpenAI-compatible chat-completions server on 127.0.0.1, for tests and the benchmark.

It answers `POST /v1/chat/completions` in instructor's TOOLS mode with arguments that are valid
for the requested tool's JSON schema (a tiny schema-driven faker, or a handler the test supplies),
after a configurable latency. It can enforce a sliding-window RPM limit (429 with retry-after) and
inject faults per request identity, so a test knows exactly which requests were hit and how often.
asyncio-based (aiohttp), so thousands of slow requests in flight cost almost nothing.

Run standalone for the benchmark: `python -m dsgen_dagster_tests.fake_openai_server --latency 0.5`.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import hashlib
import importlib
import json
import math
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

FAULT_KINDS = ("429", "500", "hang", "truncated", "invalid")
FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "

Handler = Callable[[dict[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True)
class Fault:
    """Requests whose identity hashes into `share` get `kind` on their first `times` attempts."""

    kind: str
    share: float
    times: int = 1
    tool: str = ""  # only requests for this response model (tool name), e.g. "TicketTags"

    def hits(self, identity: str, tool: str = "") -> bool:
        if self.tool and tool != self.tool:
            return False
        digest = hashlib.sha256(f"{self.kind}|{identity}".encode()).digest()
        return int.from_bytes(digest[:4], "big") / 2**32 < self.share


@dataclass
class Received:
    at: float  # seconds since the server started (monotonic clock)
    identity: str
    status: int
    fault: str | None
    messages: int = 2  # more than two: a re-ask, carrying the rejected answer and its error
    tool: str = ""  # the response model asked for


@dataclass
class FakeOpenAIServer:
    latency: float = 0.0
    # Spread of the latency as a coefficient of variation: 0.3 = "500 ms +- 30%", drawn from a
    # lognormal of mean `latency` (a few slow answers, like a real endpoint), seeded per request
    # identity and attempt so a run is repeatable.
    jitter: float = 0.0
    rpm: int = 0
    window_seconds: float = 60.0
    faults: Iterable[Fault] = ()
    handler: Handler | None = None
    api_key: str | None = None  # when set, requests must carry it as a bearer token
    retry_after_seconds: float = 0.2
    hang_seconds: float = 5.0
    # A request `hold` is true for is never answered nor counted: a server that stopped
    # answering mid-stage (set it to None to answer again).
    hold: Callable[[dict[str, Any]], bool] | None = None
    received: list[Received] = field(default_factory=list)
    reasks: list[dict[str, Any]] = field(default_factory=list)  # the last message of each re-ask
    last_headers: Any = None  # the request headers of the last chat request (case-insensitive)
    url: str = ""

    def __post_init__(self) -> None:
        self.faults = tuple(self.faults)
        self._attempts: collections.Counter[str] = collections.Counter()
        self._accepted_window: collections.deque[float] = collections.deque()
        self._started = time.monotonic()
        self.served_seconds = 0.0  # latency the answered requests waited, for a bench's bound
        self.in_flight = 0
        self.max_in_flight = 0  # the most chat requests this server held at once
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None

    # ---- what tests assert on
    def count(self, status: int | None = None, tool: str = "") -> int:
        return sum(
            1
            for r in self.received
            if (status is None or r.status == status) and (not tool or r.tool == tool)
        )

    def accepted_times(self) -> list[float]:
        """Arrival times of requests that passed the RPM limit (what a provider would count)."""
        return sorted(r.at for r in self.received if r.status != 429 or r.fault == "429")

    def identities(self) -> collections.Counter[str]:
        return collections.Counter(r.identity for r in self.received)

    def reset(self) -> None:
        self.received.clear()
        self.reasks.clear()
        self._attempts.clear()
        self._accepted_window.clear()
        self.served_seconds = 0.0
        self.max_in_flight = self.in_flight

    # ---- lifecycle: a background thread with its own loop, on a free port
    def start(self, port: int = 0) -> FakeOpenAIServer:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(port, ready), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake OpenAI server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            asyncio.run_coroutine_threadsafe(_cancel_other_tasks(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def _serve(self, port: int, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self.start_async(port))
        ready.set()
        self._loop.run_forever()

    async def start_async(self, port: int = 0) -> str:
        app = web.Application(client_max_size=16 * 2**20)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/stats", self._stats)
        app.router.add_post("/reset", self._reset)
        # Hanging requests must not hold a test's teardown for their full hang.
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=0.2
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, backlog=1024)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{bound}/v1"
        return self.url

    # ---- handlers
    async def _stats(self, request: web.Request) -> web.Response:
        statuses = collections.Counter(r.status for r in self.received)
        return web.json_response(
            {
                "requests": len(self.received),
                "by_status": {str(k): v for k, v in statuses.items()},
                "accepted_times": self.accepted_times(),
                "served_seconds": self.served_seconds,
                "max_in_flight": self.max_in_flight,
            }
        )

    async def _reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})

    async def _chat(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer(request)
        finally:
            self.in_flight -= 1

    async def _answer(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        now = arrived - self._started
        body = await request.json()
        identity = request_identity(body)
        self.last_headers = request.headers.copy()
        presented = request.headers.get("Authorization", "")
        if self.api_key is not None and presented != f"Bearer {self.api_key}":
            self._record(now, identity, 401, None)
            # Like OpenAI's, the message names the key it was given: it must not reach our logs.
            message = f"Incorrect API key provided: {presented.removeprefix('Bearer ')}"
            return web.json_response({"error": {"message": message}}, status=401)
        if self.hold is not None and self.hold(body):
            await asyncio.sleep(3600)  # cancelled when the server stops
        tool = body["tools"][0]["function"]["name"] if body.get("tools") else ""
        if self.rpm and not self._admit(now):
            wait = self._accepted_window[0] + self.window_seconds - now
            self._record(now, identity, 429, None, tool=tool)
            return _rate_limited(wait)
        attempt = self._attempts[identity]
        self._attempts[identity] += 1
        fault = self._fault_for(identity, attempt, tool)
        if fault == "429":
            self._record(now, identity, 429, fault, tool=tool)
            return _rate_limited(self.retry_after_seconds)
        if fault == "500":
            self._record(now, identity, 500, fault, tool=tool)
            return web.json_response({"error": {"message": "injected"}}, status=500)
        self._record(now, identity, 200, fault, len(body["messages"]), tool)
        if len(body["messages"]) > 2:
            self.reasks.append(body["messages"][-1])
        # The answer is made first and the wait is what is left of the latency, so a burst of
        # requests is not also served one after another by this process's own CPU.
        text = json.dumps(self._completion(body, fault))
        wait = self.hang_seconds if fault == "hang" else self.latency_for(identity, attempt)
        self.served_seconds += wait
        await asyncio.sleep(max(wait - (time.monotonic() - arrived), 0.0))
        return web.Response(text=text, content_type="application/json")

    def latency_for(self, identity: str, attempt: int) -> float:
        if not self.jitter or not self.latency:
            return self.latency
        sigma = math.sqrt(math.log(1 + self.jitter**2))
        digest = hashlib.sha256(f"latency|{identity}|{attempt}".encode()).digest()
        normal = random.Random(digest).gauss(0.0, 1.0)
        return self.latency * math.exp(sigma * normal - sigma**2 / 2)

    def _admit(self, now: float) -> bool:
        window = self._accepted_window
        while window and window[0] <= now - self.window_seconds:
            window.popleft()
        if len(window) >= self.rpm:
            return False
        window.append(now)
        return True

    def _fault_for(self, identity: str, attempt: int, tool: str = "") -> str | None:
        schedule = [f.kind for f in self.faults if f.hits(identity, tool) for _ in range(f.times)]
        return schedule[attempt] if attempt < len(schedule) else None

    def _record(
        self,
        now: float,
        identity: str,
        status: int,
        fault: str | None,
        messages: int = 2,
        tool: str = "",
    ) -> None:
        self.received.append(Received(now, identity, status, fault, messages, tool))

    def _completion(self, body: dict[str, Any], fault: str | None) -> dict[str, Any]:
        function = body["tools"][0]["function"]
        arguments = (self.handler(body) if self.handler else None) or fake_value(
            function["parameters"], function["parameters"].get("$defs", {})
        )
        text = json.dumps({} if fault == "invalid" else arguments)
        if fault == "truncated":
            text = text[: len(text) // 2]
        prompt_chars = sum(len(str(m.get("content") or "")) for m in body["messages"])
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "call_1",
                                "type": "function",
                                "function": {"name": function["name"], "arguments": text},
                            }
                        ],
                    },
                }
            ],
            "usage": {
                "prompt_tokens": prompt_chars // 4 + 1,
                "completion_tokens": len(text) // 4 + 1,
                "total_tokens": prompt_chars // 4 + len(text) // 4 + 2,
            },
        }


async def _cancel_other_tasks() -> None:
    """Requests still hanging when the server stops end here, not as 'destroyed' warnings."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


def _rate_limited(wait_seconds: float) -> web.Response:
    wait_seconds = max(wait_seconds, 0.001)
    headers = {
        "retry-after": str(max(1, round(wait_seconds))),
        "retry-after-ms": str(int(wait_seconds * 1000)),
    }
    return web.json_response({"error": {"message": "rate limited"}}, status=429, headers=headers)


def request_identity(body: dict[str, Any]) -> str:
    """The first two messages (system, user): stable across re-asks, which append messages."""
    first = json.dumps(body.get("messages", [])[:2], sort_keys=True)
    return hashlib.sha256(first.encode()).hexdigest()[:16]


def fake_value(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The smallest value valid for `schema`: minimum lengths, first enum member, minItems items."""
    if "$ref" in schema:
        return fake_value(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "examples" in schema:  # a pattern-constrained label (ticket type, queue) gives examples
        return schema["examples"][0]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            options = [s for s in schema[combinator] if s.get("type") != "null"]
            return fake_value((options or schema[combinator])[0], defs)
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: fake_value(sub, defs) for name, sub in properties.items()}
    if kind == "array":
        count = max(schema.get("minItems", 1), 1)
        return [fake_value(schema.get("items", {}), defs) for _ in range(count)]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
        return int(low) if kind == "integer" else float(low)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if schema.get("format") == "date":
        return "2026-01-01"
    if schema.get("format") == "date-time":
        return "2026-01-01T00:00:00Z"
    length = min(max(schema.get("minLength", 0), 12), schema.get("maxLength", 10**6))
    return (FILLER * (length // len(FILLER) + 1))[:length].strip().ljust(length, "x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--jitter", type=float, default=0.0, help="lognormal spread, e.g. 0.3")
    parser.add_argument("--rpm", type=int, default=0)
    parser.add_argument("--window-seconds", type=float, default=60.0)
    parser.add_argument("--handler", default="", help="module:function answering each request")
    args = parser.parse_args()
    handler = None
    if args.handler:
        module, function = args.handler.split(":")
        handler = getattr(importlib.import_module(module), function)
    server = FakeOpenAIServer(
        latency=args.latency,
        jitter=args.jitter,
        rpm=args.rpm,
        window_seconds=args.window_seconds,
        handler=handler,
    )

    async def serve() -> None:
        url = await server.start_async(args.port)
        print(url, flush=True)  # the benchmark reads the address from the first line
        await asyncio.Event().wait()

    try:
        import uvloop  # a faster loop when present; the server must not be the bottleneck

        uvloop.run(serve())
    except ImportError:
        asyncio.run(serve())


if __name__ == "__main__":
    main()
