"""The openai provider against a local OpenAI-compatible server: faults, cache, limits, secrets."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from pydantic import BaseModel, Field

from dsgen_dagster.defs.tags.assets import STAGE as TAGS
from dsgen_dagster.defs.tags.models import TicketTags
from dsgen_dagster.errors import ConfigError, LLMStageError
from dsgen_dagster.lib.contexts import allowed_labels
from dsgen_dagster.llm import cache
from dsgen_dagster.llm.providers.openai import ratelimit, transport
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest
from dsgen_dagster.resources import resources_from_env
from dsgen_dagster.storage.warehouse import Warehouse
from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer, Fault

API_KEY = "sk-test-SECRET-4f9a7c1e2b"
PARTITION = "2026-05-01"


class Label(BaseModel):
    text: str = Field(min_length=5)
    count: int = Field(ge=1)


def requests(count: int, model: type[BaseModel] = Label, stage: str = "tags") -> list[LLMRequest]:
    """Distinct prompts rendered from the real tags template."""
    return [
        LLMRequest(
            stage=stage,
            tier="cheap",
            template=TAGS.template,
            context={
                "email": {"subject": f"Order {number} arrived broken", "body": f"Body {number}."},
                "answer": {"body": "We will replace it."},
                "allowed": allowed_labels(),  # no tag taxonomy: any tags
            },
            response_model=model,
            key=f"tkt_{number:05d}",
        )
        for number in range(count)
    ]


def resource(server: FakeOpenAIServer, database: Path, **overrides: object) -> LLMResource:
    settings: dict[str, object] = {
        "provider": "openai",
        "base_url": server.url,
        "api_key": API_KEY,
        "concurrency": 16,
        "request_timeout_seconds": 2.0,
        "warehouse": Warehouse(database=str(database)),
    }
    settings.update(overrides)
    return LLMResource(**settings)  # type: ignore[arg-type]


def table_rows(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    fake = FakeOpenAIServer(api_key=API_KEY, retry_after_seconds=0.1, hang_seconds=3.0).start()
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    # Same policy, shorter clock: a test should not sleep through real backoff.
    monkeypatch.setattr(transport, "BACKOFF_BASE_SECONDS", 0.02)


def test_every_fault_still_yields_every_result_once(server: FakeOpenAIServer, tmp_path: Path):
    server.faults = tuple(Fault(kind, share=0.2) for kind in ("429", "500", "hang", "truncated"))
    server.faults += (Fault("invalid", share=0.2),)
    database = tmp_path / "x.duckdb"
    llm = resource(server, database, request_timeout_seconds=0.5)
    batch = requests(60)

    results, report = llm.generate(batch, partition_key=PARTITION)

    assert [r.key for r in results] == [r.key for r in batch]
    assert all(isinstance(r.response, Label) for r in results), [r.error for r in results]
    faulted = {r.fault for r in server.received if r.fault}
    assert faulted == {"429", "500", "hang", "truncated", "invalid"}
    # Every request the server saw beyond one per ticket is a counted retry.
    assert report.retries == sum(r.usage.retries for r in results) == server.count() - len(batch)
    assert len(server.identities()) == len(batch)
    # A re-ask carries the validation error back to the model.
    assert server.reasks and all("Validation Error" in m["content"] for m in server.reasks)
    assert {m["role"] for m in server.reasks} == {"tool"}
    keys = table_rows(database, "SELECT cache_key FROM llm_responses")
    assert len(keys) == len(set(keys)) == len(batch)
    calls = table_rows(database, "SELECT request_key, partition_key, attempts FROM llm_calls")
    assert sorted(key for key, _, _ in calls) == sorted(r.key for r in batch)
    assert {partition for _, partition, _ in calls} == {PARTITION}
    assert sum(attempts for _, _, attempts in calls) == server.count()


def test_a_second_run_is_answered_from_the_cache(server: FakeOpenAIServer, tmp_path: Path):
    llm = resource(server, tmp_path / "x.duckdb")
    first, first_report = llm.generate(requests(30, TicketTags), partition_key=PARTITION)
    sent = server.count()

    again, report = llm.generate(requests(30, TicketTags), partition_key=PARTITION)

    assert server.count() == sent == 30
    assert report.cached == 30 and report.cost_usd == 0 and first_report.cost_usd > 0
    assert [r.response for r in again] == [r.response for r in first]
    assert all(type(r.response) is TicketTags for r in again + first)
    assert report.prompt_tokens == first_report.prompt_tokens


def test_a_changed_prompt_parameter_or_schema_is_not_a_cache_hit(
    server: FakeOpenAIServer, tmp_path: Path
):
    database = tmp_path / "x.duckdb"
    resource(server, database).generate(requests(5), partition_key=PARTITION)
    resource(server, database, max_reasks=5).generate(requests(5), partition_key=PARTITION)
    assert server.count() == 5  # how we parse is not part of the key
    resource(server, database, temperature=0.1).generate(requests(5), partition_key=PARTITION)
    assert server.count() == 10
    resource(server, database).generate(requests(5, TicketTags), partition_key=PARTITION)
    assert server.count() == 15


CHILD = """
import sys
from pathlib import Path
from dsgen_dagster_tests import test_openai_provider as t
from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer
server = FakeOpenAIServer(url=sys.argv[1])
t.resource(server, Path(sys.argv[2]), concurrency=4).generate(
    t.requests(int(sys.argv[3])), partition_key="p"
)
"""
# Long enough that the cache's first flush (FLUSH_SECONDS) comes before the kill at 4/5 of it:
# 0.1 s a request, four at a time.
KILLED_STAGE_REQUESTS = int((cache.FLUSH_SECONDS + 2.0) / (0.1 / 4))


def test_a_killed_run_rerun_requests_only_what_is_missing(tmp_path: Path):
    server = FakeOpenAIServer(api_key=API_KEY, latency=0.1).start()
    database = tmp_path / "x.duckdb"
    total = KILLED_STAGE_REQUESTS
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, server.url, str(database), str(total)],
            cwd=Path(__file__).parents[1],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        )
        deadline = time.monotonic() + 60
        # Four fifths answered: past the cache's first flush, short of the end.
        kill_at = total * 4 // 5
        while server.count() < kill_at and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        sent_before = server.count()
        cached = table_rows(database, "SELECT count(*) FROM llm_responses")[0][0]
        assert 0 < cached < total, "the kill should land halfway through the stage"
        server.reset()

        results, report = resource(server, database).generate(requests(total), partition_key="p")

        assert all(r.ok for r in results)
        # The answers the killed run had not flushed yet come back from its journal too.
        assert cached <= report.cached <= sent_before
        assert server.count() == total - report.cached  # only what the killed run never got
    finally:
        server.stop()


def test_the_server_never_sees_more_than_rpm_requests_in_a_window(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # A one-second window stands for the minute, so the test checks the guarantee in seconds.
    monkeypatch.setattr(ratelimit, "RATE_WINDOW_SECONDS", 1.0)
    server.rpm, server.window_seconds = 10, 1.0  # the server enforces the same limit
    llm = resource(server, tmp_path / "x.duckdb", rpm=10, concurrency=64)

    results, _ = llm.generate(requests(35), partition_key=PARTITION)

    assert all(r.ok for r in results)
    assert server.count(429) == 0
    times = server.accepted_times()
    assert len(times) == 35
    assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[10:], strict=False))


def test_429s_slow_the_stage_down_without_losing_requests(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    server.rpm, server.window_seconds = 15, 0.5  # a limit the client was not told about
    results, report = resource(server, tmp_path / "x.duckdb", concurrency=32).generate(
        requests(60), partition_key=PARTITION
    )
    assert all(r.ok for r in results)
    assert server.count(429) > 0
    assert report.retries == server.count() - 60
    assert server.count(429) < 2 * 60  # paused on retry-after instead of hammering


def test_failures_name_stage_and_ticket_and_respect_the_failure_share(
    server: FakeOpenAIServer, tmp_path: Path
):
    server.faults = (Fault("500", share=0.3, times=100),)
    batch = requests(20)
    llm = resource(server, tmp_path / "x.duckdb", max_failure_share=1.0)
    results, report = llm.generate(batch, partition_key=PARTITION)
    failed = [r for r in results if not r.ok]
    assert failed and report.failed == len(failed) < len(batch)
    assert all(r.error == f"tags {r.key}: HTTP 500 after 6 transport attempts" for r in failed)
    assert all(r.usage.attempts == 6 for r in failed)

    strict = resource(server, tmp_path / "y.duckdb", max_failure_share=0.0)
    with pytest.raises(LLMStageError, match="tags: .* requests failed after retries"):
        strict.generate(batch, partition_key=PARTITION)


def test_reasks_are_bounded(server: FakeOpenAIServer, tmp_path: Path):
    server.faults = (Fault("invalid", share=1.0, times=10),)
    llm = resource(server, tmp_path / "x.duckdb", max_reasks=2, max_reject_share=1.0)
    results, report = llm.generate(requests(3), partition_key=PARTITION)
    assert server.count() == 3 * 3
    assert all("invalid response" in (r.error or "") for r in results)
    assert all(r.error and r.error.endswith("after 3 attempts") for r in results)
    # Still the wrong shape after every re-ask: set aside (rejected), not a transport failure.
    assert all(r.rejected and r.rejected_rules == ["schema"] for r in results)
    assert (report.rejected, report.failed, report.rejects_by_rule) == (3, 0, {"schema": 3})
    assert report.reasks_by_rule == {"schema": 6} and report.valid_rate == 0.0
    with pytest.raises(LLMStageError, match=r"tags: 3 of 3 rows \(100.0%\) .* top rules: schema"):
        resource(server, tmp_path / "x.duckdb", max_reasks=2).generate(requests(3))


def test_the_key_is_never_stored_or_logged(
    server: FakeOpenAIServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    server.faults = (Fault("500", 0.3), Fault("invalid", 0.3), Fault("500", 0.1, times=100))
    database = tmp_path / "x.duckdb"
    llm = resource(server, database, max_failure_share=1.0)
    results, report = llm.generate(requests(30), partition_key=PARTITION)
    llm.generate(requests(30), partition_key=PARTITION)

    assert report.failed > 0 and report.succeeded > 0
    assert any("done" in record.getMessage() for record in caplog.records)  # progress lines
    assert API_KEY not in caplog.text
    assert all(API_KEY not in (r.error or "") for r in results)
    assert API_KEY.encode() not in database.read_bytes()
    for wal in tmp_path.glob("*.wal"):
        assert API_KEY.encode() not in wal.read_bytes()


def test_it_runs_from_code_that_already_runs_an_event_loop(
    server: FakeOpenAIServer, tmp_path: Path
):
    import asyncio

    async def caller() -> list:
        results, _ = resource(server, tmp_path / "x.duckdb").generate(requests(5))
        return results

    assert all(r.ok for r in asyncio.run(caller()))


def test_a_key_is_required_for_openai_itself(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    llm = LLMResource(provider="openai", warehouse=Warehouse(database=str(tmp_path / "x.duckdb")))
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        llm.generate(requests(1), partition_key=PARTITION)


def test_default_models_and_prices():
    llm = LLMResource(provider="openai")
    assert (llm.model_for("strong"), llm.model_for("cheap")) == ("gpt-4o", "gpt-4o-mini")


# ---- the pieces, without a server


def test_rpm_reservations_keep_every_window_within_the_limit():
    limiter = ratelimit.RateLimiter(rpm=5, window_seconds=10.0)
    sends = [limiter.reserve(now=now) + now for now in [0.0] * 12 + [3.0] * 8]
    assert sends == sorted(sends)
    assert all(b - a >= 10.0 for a, b in zip(sends, sends[5:], strict=False))
    assert sends[:5] == [0.0] * 5  # a burst up to the limit goes at once


def test_tpm_reservations_keep_every_window_within_the_limit():
    limiter = ratelimit.RateLimiter(tpm=1000, window_seconds=10.0)
    sizes = [400, 300, 500, 200, 900, 100, 600]
    sends = [limiter.reserve(tokens, now=0.0) for tokens in sizes]
    booked = list(zip(sends, sizes, strict=True))
    for start in sends:
        in_window = sum(t for sent, t in booked if start <= sent < start + limiter.window)
        assert in_window <= 1000


def test_a_429_pauses_then_paces_at_half_the_rate_then_recovers():
    limiter = ratelimit.RateLimiter()
    for now in range(100):
        assert limiter.reserve(now=now / 10) == 0.0  # 10 requests/s, unpaced
    limiter.slow_down(retry_after=0.5, now=10.0)
    sends = [10.0 + limiter.reserve(now=10.0) for _ in range(4)]
    assert sends[0] == 10.5  # the server's retry-after first
    gaps = [b - a for a, b in zip(sends, sends[1:], strict=False)]
    assert gaps == pytest.approx([1 / 5] * 3, rel=0.2)  # then half the rate, one by one
    for _ in range(100):
        limiter.on_success()
    assert limiter.reserve(now=20.0) == 0.0  # recovered: unpaced once back at the old rate


def test_retry_after_headers_are_honoured():
    import httpx2
    import openai

    def error(headers: dict[str, str]) -> openai.RateLimitError:
        request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
        response = httpx2.Response(429, headers=headers, request=request)
        return openai.RateLimitError("slow down", response=response, body=None)

    assert transport.retry_after_seconds(error({"retry-after-ms": "1500"})) == 1.5
    assert transport.retry_after_seconds(error({"retry-after": "3"})) == 3.0
    assert transport.retry_after_seconds(error({})) is None
    assert transport.is_transient(error({})) and transport.is_rate_limited(error({}))


def test_prices_come_from_defaults_and_dsgen_prices():
    from dsgen_dagster.llm.pricing import price_table

    llm = resources_from_env({"DSGEN_PRICES": '{"gpt-4o": [5, 20], "local": [1, 2]}'})["llm"]
    table = price_table(llm.prices)
    assert table.cost("gpt-4o", 1_000_000, 0) == 5.0
    assert table.cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert table.cost("local", 0, 1_000_000) == 2.0
    with pytest.raises(ConfigError, match="USD per million tokens"):
        price_table('{"x": "cheap"}')
    with pytest.raises(ConfigError, match="DSGEN_PRICES=.*USD per million tokens"):
        resources_from_env({"DSGEN_PRICES": '{"x": "cheap"}'})


def test_requests_carry_the_clients_auth_and_identifying_headers(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("OPENAI_ORG_ID", "org-dsgen")  # read by openai.AsyncOpenAI itself
    results, _ = resource(server, tmp_path / "x.duckdb").generate(requests(1), partition_key="p")
    assert results[0].ok
    headers = server.last_headers
    assert headers["Authorization"] == f"Bearer {API_KEY}"
    assert headers["OpenAI-Organization"] == "org-dsgen"
    assert headers["User-Agent"].startswith("AsyncOpenAI/Python")
    assert headers["Content-Type"] == "application/json"


def test_a_custom_authorization_header_wins_over_the_key(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # A gateway in front of the model wants its own token; OPENAI_CUSTOM_HEADERS is the client's.
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", f"authorization: Bearer {API_KEY}")
    llm = resource(server, tmp_path / "x.duckdb", api_key="sk-not-the-gateway-token")
    results, _ = llm.generate(requests(1), partition_key="p")
    assert results[0].ok
    assert server.last_headers.getall("Authorization") == [f"Bearer {API_KEY}"]


def test_a_refused_connection_is_retried_then_reported(tmp_path: Path):
    with socket.socket() as bound:  # bound, never listening: every connect is refused
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        llm = LLMResource(
            provider="openai",
            base_url=f"http://127.0.0.1:{port}/v1",
            api_key=API_KEY,
            max_failure_share=1.0,
            warehouse=Warehouse(database=str(tmp_path / "x.duckdb")),
        )
        results, report = llm.generate(requests(2), partition_key=PARTITION)
    assert report.failed == 2
    expected = "connection failed after 6 transport attempts"
    assert all(r.error == f"tags {r.key}: {expected}" for r in results)


def test_a_rejected_key_fails_at_once_and_its_echo_is_not_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    server = FakeOpenAIServer(api_key="sk-the-right-key-123").start()
    database = tmp_path / "x.duckdb"
    try:
        llm = resource(server, database, max_failure_share=1.0)
        results, _ = llm.generate(requests(3), partition_key=PARTITION)
    finally:
        server.stop()
    assert server.count(401) == 3  # a 401 is not something a second try can fix
    assert all(r.error == f"tags {r.key}: HTTP 401 after 1 attempts" for r in results)
    # The server's 401 message repeats the key it was given; none of it is stored or logged.
    assert API_KEY not in caplog.text
    assert API_KEY.encode() not in database.read_bytes()


def test_a_request_that_keeps_hanging_is_reported_as_timed_out(
    server: FakeOpenAIServer, tmp_path: Path
):
    server.faults = (Fault("hang", share=1.0, times=100),)
    llm = resource(
        server, tmp_path / "x.duckdb", request_timeout_seconds=0.2, max_failure_share=1.0
    )
    results, _ = llm.generate(requests(1), partition_key=PARTITION)
    assert results[0].error == "tags tkt_00000: timed out after 6 transport attempts"
    assert server.count() == 6


def test_temperature_and_seed_from_the_environment_reach_the_server(
    server: FakeOpenAIServer, tmp_path: Path
):
    seen: list[tuple[object, object]] = []
    server.handler = lambda body: seen.append((body.get("temperature"), body.get("seed"))) or None
    env = {
        "DSGEN_DB": str(tmp_path / "x.duckdb"),
        "DSGEN_LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.url,
        "DSGEN_LLM_TEMPERATURE": "0.2",
        "DSGEN_LLM_SEED": "42",
    }
    llm = resources_from_env(env)["llm"].model_copy(update={"api_key": API_KEY})
    results, _ = llm.generate(requests(3), partition_key=PARTITION)
    assert all(r.ok for r in results)
    assert seen == [(0.2, 42)] * 3
