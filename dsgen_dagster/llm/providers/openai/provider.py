"""The `openai` provider: any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, ...).

One stage run = one chat endpoint (an AsyncOpenAI client's URL, auth and headers, see
transport.ChatEndpoint) and 2 x `concurrency` worker coroutines pulling requests off a shared
iterator (cheaper than a task per request when a stage has thousands). Each request is
  cache lookup (re-validated against the request's context) -> instructor (TOOLS mode; the
  response model checks shape and content rules against the request's context; a violation is
  re-asked with its message, up to max_reasks; re-asks are counted per rule)
  -> our send function: a slot of the process's concurrency budget (budget.py, shared with the
  stages running beside this one) held for one HTTP attempt, the limiter's send time, tenacity
  retries of transport errors.
The client's own retries are off, so every HTTP attempt passes the limiter and is counted
exactly once. A 429 pauses the limiter for its retry-after and halves the send rate and the
concurrency budget, which then grow back. A request that still fails becomes an LLMResult with an
error; one still breaking a rule after its re-asks is *rejected* (its rules, message and last raw
answer go with the result, for the stage's rejects table). The resource decides whether the stage
fails.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

from dagster._core.errors import DagsterExecutionInterruptedError

from dsgen_dagster.errors import ConfigError
from dsgen_dagster.llm.cache import ResponseCache, cache_key, now_utc, response_schema_json
from dsgen_dagster.llm.pricing import price_table
from dsgen_dagster.llm.progress import Progress
from dsgen_dagster.llm.providers.openai import transport
from dsgen_dagster.llm.providers.openai.budget import shared_budget
from dsgen_dagster.llm.providers.openai.ratelimit import shared_limiter
from dsgen_dagster.llm.providers.openai.structured import (
    PARSE_ERRORS,
    ReasksExhausted,
    Structured,
    completion_from,
)
from dsgen_dagster.llm.types import LLMResult, PreparedRequest, Tier, Usage
from dsgen_dagster.quality.rules import describe, violations_of
from dsgen_dagster.threaded import STOP

DEFAULT_MODELS: dict[Tier, str] = {"strong": "gpt-4o", "cheap": "gpt-4o-mini"}
OPENAI_BASE_URL = "https://api.openai.com/v1"
EXPECTED_COMPLETION_TOKENS = 256  # TPM estimate before the first response says otherwise
WORKERS_PER_SLOT = 2
STOP_POLL_SECONDS = 0.2

T = TypeVar("T")


class _Calls:
    """What one request's HTTP attempts amounted to."""

    __slots__ = ("attempts", "rate_limited", "prompt_tokens", "completion_tokens", "body", "tokens")

    def __init__(self, tokens: int) -> None:
        self.attempts = self.rate_limited = self.prompt_tokens = self.completion_tokens = 0
        self.body = ""
        self.tokens = tokens


class OpenAIProvider:
    name = "openai"
    samples = True  # temperature and seed go with every request

    def __init__(self, resource: Any) -> None:
        self.resource = resource

    def model_for(self, tier: Tier, configured: str = "") -> str:
        return configured or DEFAULT_MODELS[tier]

    def endpoint(self) -> tuple[str, str]:
        """(base_url, api_key), from the resource, else OPENAI_BASE_URL / OPENAI_API_KEY."""
        base_url = (
            self.resource.base_url or os.environ.get("OPENAI_BASE_URL", "") or OPENAI_BASE_URL
        )
        api_key = self.resource.api_key or os.environ.get("OPENAI_API_KEY", "")
        if not api_key and base_url.rstrip("/") == OPENAI_BASE_URL:
            raise ConfigError(
                "the openai provider needs an API key for api.openai.com; set OPENAI_API_KEY "
                "(or point OPENAI_BASE_URL at a server that needs none)"
            )
        # Local servers (vLLM, Ollama) accept any key, but the client insists on one.
        return base_url.rstrip("/"), api_key or "no-key"

    def run(
        self, prepared: list[PreparedRequest], log: Any = None, partition_key: str = ""
    ) -> list[LLMResult]:
        base_url, api_key = self.endpoint()
        stage = _StageRun(self.resource, base_url, api_key, prepared, log, partition_key)
        return run_sync(stage.run)


async def _cancel_when_stopped(requests: asyncio.Future[Any]) -> None:
    """The run was stopped (dsgen_dagster/threaded.py): cancel the requests in flight too, so
    the stage ends within a poll instead of after its slowest answer."""
    while not requests.done():
        if STOP.is_set():
            requests.cancel()
            return
        await asyncio.sleep(STOP_POLL_SECONDS)


def run_sync(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine from sync code, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())  # type: ignore[arg-type]
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="dsgen-llm") as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()  # type: ignore[arg-type]


class _StageRun:
    def __init__(
        self,
        resource: Any,
        base_url: str,
        api_key: str,
        prepared: list[PreparedRequest],
        log: Any,
        partition_key: str,
    ) -> None:
        self.resource = resource
        self.base_url = base_url
        self._api_key = api_key
        self.prepared = prepared
        self.stage = prepared[0].request.stage if prepared else ""
        self.partition_key = partition_key
        self.prices = price_table(getattr(resource, "prices", ""))
        self.redact = transport.Redactor(api_key)
        self.results: list[LLMResult | None] = [None] * len(prepared)
        self.keys: list[str] = []
        self.cache = ResponseCache(resource.warehouse)
        self.progress = Progress(self.stage, len(prepared), log, self.redact)
        self.limiter = shared_limiter(base_url, resource.rpm, resource.tpm)
        self.expected_completion = EXPECTED_COMPLETION_TOKENS
        params: dict[str, Any] = {"temperature": resource.temperature}
        if resource.seed is not None:
            params["seed"] = resource.seed
        self.params = params

    async def run(self) -> list[LLMResult]:
        temperature, seed = self.resource.temperature, self.resource.seed
        self.keys = [
            cache_key(item, response_schema_json(item.request.response_model), temperature, seed)
            for item in self.prepared
        ]
        hits = self.cache.lookup(self.keys)
        self.structured = Structured()
        # Shared with the stages running beside this one (dsgen_dagster/threaded.py).
        self.budget = shared_budget(self.base_url, self.resource.concurrency)
        self.cache.start()
        try:
            misses = [i for i in range(len(self.prepared)) if not self._answer_from_cache(i, hits)]
            if misses:
                await self._request_all(misses)
        finally:
            self.cache.close()
        self.progress.finish()
        return [result for result in self.results if result is not None]

    def _answer_from_cache(self, index: int, hits: dict[str, Any]) -> bool:
        hit = hits.get(self.keys[index])
        if hit is None:
            return False
        try:
            completion = completion_from(hit.body)
            response = self.structured.parse(completion, self.prepared[index].request)
        except Exception:
            return False  # unreadable, or the model's validators changed since: ask again
        usage = Usage(
            prompt_tokens=hit.prompt_tokens,
            completion_tokens=hit.completion_tokens,
            cached=True,
            attempts=0,
        )
        self._finish(index, response, None, usage, 0, latency=0.0)
        return True

    async def _request_all(self, indexes: list[int]) -> None:
        self.endpoint = transport.make_endpoint(
            self.base_url, self._api_key, self.resource.request_timeout_seconds, self.budget.limit
        )
        self.progress.restart_clock()
        todo = iter(indexes)
        # More workers than slots: a slot is held only while a request is at the endpoint, so
        # some workers can read their answers while others keep every slot busy.
        workers = min(WORKERS_PER_SLOT * self.budget.limit, len(indexes))
        gathered = asyncio.gather(*(self._worker(todo) for _ in range(workers)))
        watcher = asyncio.ensure_future(_cancel_when_stopped(gathered))
        try:
            await gathered
        except asyncio.CancelledError:
            if not STOP.is_set():
                raise
            raise DagsterExecutionInterruptedError(
                f"{self.stage}: the run was stopped; the answers received so far are cached"
            ) from None
        finally:
            watcher.cancel()
            await self.endpoint.close()

    async def _worker(self, todo: Iterator[int]) -> None:
        while True:
            index = next(todo, None)
            if index is None:
                return
            await self._one(index)

    async def _one(self, index: int) -> None:
        item = self.prepared[index]
        request = item.request
        prompt_chars = sum(len(m.content) for m in item.messages)
        calls = _Calls(prompt_chars // 4 + self.expected_completion)
        kwargs = self.structured.request_kwargs(item, self.params)
        started = time.perf_counter()
        response, error = None, None
        reasks: Counter[str] = Counter()
        rejected: list[str] = []
        rejection = ""
        try:
            for reask in range(self.resource.max_reasks + 1):
                completion = await self._send(kwargs, calls)
                try:
                    response = self.structured.parse(completion, request)
                    break
                except PARSE_ERRORS as exc:
                    broken = violations_of(exc)
                    if reask == self.resource.max_reasks:
                        rejected = list(dict.fromkeys(v.rule for v in broken))
                        rejection = self.redact(describe(broken))
                        raise ReasksExhausted() from exc
                    reasks.update(set(v.rule for v in broken))
                    # instructor's re-ask: the answer and its validation error go back in.
                    kwargs = self.structured.reask(kwargs, completion, exc)
        except Exception as exc:  # one request's failure is a result, never the stage's crash
            reason = transport.reason(exc, calls.attempts)
            error = f"{self.stage} {request.key}: {self.redact(reason)}"
        cost = self.prices.cost(item.model, calls.prompt_tokens, calls.completion_tokens)
        usage = Usage(
            prompt_tokens=calls.prompt_tokens,
            completion_tokens=calls.completion_tokens,
            cost_usd=cost,
            attempts=calls.attempts,
            retries=max(calls.attempts - 1, 0),
            reasks_by_rule=dict(reasks),
        )
        if response is not None:
            self.cache.add_response(
                {
                    "cache_key": self.keys[index],
                    "stage": self.stage,
                    "model": item.model,
                    "response_json": calls.body,
                    "prompt_tokens": calls.prompt_tokens,
                    "completion_tokens": calls.completion_tokens,
                    "created_at": now_utc(),
                }
            )
        latency = time.perf_counter() - started
        raw = self.redact(calls.body) if rejected else None
        self._finish(
            index, response, error, usage, calls.rate_limited, latency, rejected, rejection, raw
        )

    async def _send(self, kwargs: dict[str, Any], calls: _Calls) -> Any:
        """One chat completion, retried on transport errors; every attempt passes the limiter."""
        body = transport.body_bytes(kwargs)
        async for attempt in transport.retrying():
            with attempt:
                # The slot first, then the limiter's send time: a request sends at the moment
                # the limiter booked for it, which is what keeps every window within the RPM.
                await self.budget.acquire()
                try:
                    await self.limiter.wait(calls.tokens)
                    calls.attempts += 1
                    content = await self.endpoint.post(body)
                except Exception as exc:
                    if transport.is_rate_limited(exc):
                        calls.rate_limited += 1
                        self.progress.rate_limited += 1
                        self.limiter.slow_down(transport.retry_after_seconds(exc))
                        self.budget.on_rate_limited()
                    elif transport.is_transient(exc):
                        self.progress.transient_errors += 1
                    raise
                finally:
                    self.budget.release()
        calls.body = content.decode()
        completion = completion_from(content)
        if completion.usage is not None:
            calls.prompt_tokens += completion.usage.prompt_tokens
            calls.completion_tokens += completion.usage.completion_tokens
            # a running estimate for the TPM limiter's next reservations
            self.expected_completion = (
                self.expected_completion * 15 + completion.usage.completion_tokens
            ) // 16
        self.limiter.on_success()
        self.budget.on_success()
        return completion

    def _finish(
        self,
        index: int,
        response: Any,
        error: str | None,
        usage: Usage,
        rate_limited: int,
        latency: float,
        rejected: list[str] | None = None,
        rejection: str = "",
        raw: str | None = None,
    ) -> None:
        item = self.prepared[index]
        # Ledgered (in the journal, on disk) before the result exists for the stage to use.
        self.cache.add_call(
            {
                "called_at": now_utc(),
                "stage": self.stage,
                "partition_key": self.partition_key,
                "request_key": item.request.key,
                "sample_index": item.request.sample_index,
                "model": item.model,
                "cache_key": self.keys[index],
                "prompt_tokens": usage.prompt_tokens,
                "completion_tokens": usage.completion_tokens,
                "cost_usd": usage.cost_usd,
                "cached": usage.cached,
                "attempts": 0 if usage.cached else usage.attempts,
                "retries": usage.retries,
                "rate_limited": rate_limited,
                "error": error,
                "latency_seconds": round(latency, 4),
                "reasks_by_rule": json.dumps(usage.reasks_by_rule, sort_keys=True),
                "rejected_rule": rejected[0] if rejected else None,
            }
        )
        self.results[index] = LLMResult(
            key=item.request.key,
            model=item.model,
            response=response,
            error=error,
            usage=usage,
            rejected_rules=rejected or [],
            rejection=rejection or None,
            raw_response=raw,
        )
        self.progress.add(usage, ok=response is not None)
