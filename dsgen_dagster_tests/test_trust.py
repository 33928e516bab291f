"""Batches a team can trust, end to end against local OpenAI-compatible servers: the manifest's
cost is the ledger's after a kill and after a step retry, and planted duplicates across four
concurrent batches are all reported."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.instance import DEFAULT_DAGSTER_YAML
from dsgen_dagster.llm.journal import journal_directory
from dsgen_dagster.llm.providers.openai import transport
from dsgen_dagster.resources import resources_from_env
from dsgen_dagster_tests.fake_model import answer_like_a_model, found, text_in
from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer, Fault
from dsgen_dagster_tests.test_cli import dsgen, start_dsgen, wait_for

pytestmark = pytest.mark.slow

API_KEY = "sk-test-TRUST-SECRET-4d1f07"
TICKETS = 6
PRICES = json.dumps({"fake-strong": [300.0, 900.0], "fake-cheap": [30.0, 90.0]})


def openai_env(server: FakeOpenAIServer) -> dict[str, str]:
    return {
        "DSGEN_LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": API_KEY,
        "DSGEN_MODEL_STRONG": "fake-strong",
        "DSGEN_MODEL_CHEAP": "fake-cheap",
        "DSGEN_PRICES": PRICES,  # per-request costs large enough to see every call in the sum
        "DSGEN_TICKETS_PER_BATCH": str(TICKETS),
    }


def rows(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, params or []).fetchall()


def manifest_against_ledger(database: Path, partition_key: str) -> tuple[tuple, tuple]:
    """((manifest cost, prompt, completion tokens), the same summed over the ledger)."""
    (manifest,) = rows(
        database,
        "SELECT total_cost_usd, total_prompt_tokens, total_completion_tokens FROM manifest "
        "WHERE partition_key = ?",
        [partition_key],
    )
    (ledger,) = rows(
        database,
        "SELECT round(sum(cost_usd), 6), sum(prompt_tokens) FILTER (WHERE NOT cached), "
        "sum(completion_tokens) FILTER (WHERE NOT cached) FROM llm_calls WHERE partition_key = ?",
        [partition_key],
    )
    return manifest, ledger


def journaled_calls(database: Path, stage: str) -> int:
    directory = journal_directory(str(database))
    assert directory is not None
    needle = b'"table": "llm_calls", "row": {"called_at"'
    return sum(
        1
        for segment in directory.glob("*.jsonl")
        for line in segment.read_bytes().splitlines()
        if line.count(needle) and f'"stage": "{stage}"'.encode() in line
    )


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    fake = FakeOpenAIServer(api_key=API_KEY, handler=answer_like_a_model).start()
    yield fake
    fake.stop()


def test_after_a_kill_mid_stage_the_manifest_costs_what_the_ledger_says(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    key = "2026-08-01"
    database = tmp_path / "dsgen.duckdb"
    emails_answered = TICKETS // 2  # then the server stops answering emails

    def hold(body: dict[str, Any]) -> bool:
        asked = body["tools"][0]["function"]["name"]
        return asked == "EmailDraft" and server.count(200, tool=asked) >= emails_answered

    server.hold = hold
    killed = start_dsgen(tmp_path, "batch", key, "--no-show", **openai_env(server))
    wait_for(lambda: server.count(200, tool="EmailDraft") >= emails_answered, timeout=180)
    # Killed as soon as the stage has handled the answers it got (its first email validation
    # loads the language model, ~1 s), well before the cache's next write to the database.
    wait_for(lambda: journaled_calls(database, "emails") == emails_answered, timeout=60)
    killed.kill()
    killed.communicate(timeout=30)
    segments = list(journal_directory(str(database)).glob("*.jsonl"))  # type: ignore[union-attr]
    assert segments, "the killed run left its journal"
    assert not any(API_KEY.encode() in segment.read_bytes() for segment in segments)
    assert server.count(tool="EmailDraft") == emails_answered

    server.hold = None
    resumed = dsgen(tmp_path, "batch", key, "--no-show", **openai_env(server))
    assert resumed.returncode == 0, resumed.stderr[-3000:]

    # A ledger row for every request the server answered, in either run: none lost to the kill.
    ((attempts, paid_rows),) = rows(
        database,
        "SELECT sum(attempts), count(*) FROM llm_calls WHERE NOT cached AND partition_key = ?",
        [key],
    )
    assert attempts == paid_rows == server.count() == server.count(200)
    # ... and the resumed run asked again for nothing the killed run had been answered.
    assert max(server.identities().values()) == 1
    manifest, ledger = manifest_against_ledger(database, key)
    assert manifest[0] > 0 and manifest == pytest.approx(ledger, abs=1e-6)
    assert list(journal_directory(str(database)).iterdir()) == []  # type: ignore[union-attr]
    assert API_KEY.encode() not in database.read_bytes()


def test_after_a_step_retry_every_attempts_calls_are_in_the_manifests_cost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half the tags requests fail (HTTP 500) on their first try: the stage fails, Dagster's
    RetryPolicy runs the step again, the cached half costs nothing and the rest are paid then."""
    monkeypatch.setattr(transport, "MAX_TRANSPORT_ATTEMPTS", 1)  # fail the stage at once
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    fake = FakeOpenAIServer(
        api_key=API_KEY, handler=answer_like_a_model, faults=[Fault("500", 0.5, tool="TicketTags")]
    ).start()
    key, database = "2026-08-02", tmp_path / "dsgen.duckdb"
    try:
        env = {**openai_env(fake), "DSGEN_DB": str(database)}
        result = dg.materialize(
            [*all_assets(), *all_checks()],
            resources=resources_from_env(env),
            partition_key=key,
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=True,
        )
    finally:
        fake.stop()

    assert result.success
    restarted = [
        event.step_key
        for event in result.all_events
        if event.event_type == dg.DagsterEventType.STEP_RESTARTED
    ]
    assert restarted == ["tags"]
    failed_first = fake.count(500, tool="TicketTags")
    assert 0 < failed_first < TICKETS  # some tags were paid for in the failed attempt
    ((tags_cost, paid, errors),) = rows(
        database,
        "SELECT sum(cost_usd), count(*) FILTER (WHERE NOT cached AND error IS NULL), "
        "count(*) FILTER (WHERE error IS NOT NULL) FROM llm_calls WHERE stage = 'tags'",
    )
    assert paid == fake.count(200, tool="TicketTags") == TICKETS  # each paid once, over both
    assert errors == failed_first
    manifest, ledger = manifest_against_ledger(database, key)
    assert manifest == pytest.approx(ledger, abs=1e-6)
    (stages,) = rows(database, "SELECT stages FROM manifest")[0]
    tags = json.loads(stages)["tags"]
    assert tags["cached"] == TICKETS - failed_first  # the retry's own report ...
    assert tags["cost_usd"] < tags["spending"]["cost_usd"] == pytest.approx(tags_cost, abs=1e-6)


# ---- four concurrent partitions, a planted near-duplicate email (and subject) for every pair

CONCURRENT = ("2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04")
PAIRS = list(itertools.combinations(range(len(CONCURRENT)), 2))
PLANTED_WORDS = 400  # against ~10 words of reference and signature: Jaccard ~0.95


def planted_body(pair: int) -> str:
    return text_in("en", f"planted pair {pair}", PLANTED_WORDS)


class PlantingModel:
    """A cooperative model for one partition that writes its first English emails, one for each
    pair the partition is in, around the pair's long planted text (with the order reference and
    signature the prompt asks for, so every rule still holds)."""

    def __init__(self, partition: int) -> None:
        self.pairs = [number for number, pair in enumerate(PAIRS) if partition in pair]
        self.planted: dict[str, int] = {}

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = answer_like_a_model(body)
        prompt = body["messages"][1]["content"]
        if body["tools"][0]["function"]["name"] != "EmailDraft" or "Language: en" not in prompt:
            return answer
        identity = json.dumps(body["messages"][:2])
        if identity not in self.planted and len(self.planted) < len(self.pairs):
            self.planted[identity] = self.pairs[len(self.planted)]
        if identity not in self.planted:
            return answer
        pair = self.planted[identity]
        reference = found(r"character for character: (\S+)", prompt)
        first_name = found(r"Customer: (\S+)", prompt, "Alex")
        text = planted_body(pair) + (f" {reference}." if reference else "")
        return {"subject": f"Planted subject {pair}", "body": f"{text}\n\n{first_name}"}


def emails_duplicates_metadata(home: Path, partition_key: str) -> dict[str, Any]:
    from dagster._core.event_api import PartitionKeyFilter

    check = dg.AssetCheckKey(dg.AssetKey("emails"), "emails_duplicates")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [check], partition_filter=PartitionKeyFilter(key=partition_key)
        )
        evaluation = latest[check].evaluation
    assert evaluation is not None
    return {key: value.value for key, value in evaluation.metadata.items()}


def test_four_concurrent_batches_report_every_planted_cross_batch_pair(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"  # made once, before the four processes race to make it
    home.mkdir()
    (home / "dagster.yaml").write_text(DEFAULT_DAGSTER_YAML)
    dg.DagsterInstance.from_config(str(home)).dispose()
    servers = [
        FakeOpenAIServer(api_key=API_KEY, handler=PlantingModel(number)).start()
        for number in range(len(CONCURRENT))
    ]
    try:
        batches = [
            start_dsgen(
                tmp_path,
                "batch",
                key,
                "--no-show",
                DAGSTER_HOME=str(home),
                # enough tickets that each batch has an English email for each of its pairs
                **{**openai_env(server), "DSGEN_TICKETS_PER_BATCH": "12"},
            )
            for key, server in zip(CONCURRENT, servers, strict=True)
        ]
        outputs = [batch.communicate(timeout=600)[0] for batch in batches]
    finally:
        for server in servers:
            server.stop()
    for batch, output in zip(batches, outputs, strict=True):
        assert batch.returncode in (0, 1), output[-3000:]  # a failed duplicates check is fine

    database = tmp_path / "dsgen.duckdb"
    planted: dict[int, set[tuple[str, str]]] = {}
    for number in range(len(PAIRS)):
        found_rows = rows(
            database,
            "SELECT strftime(partition_date, '%Y-%m-%d'), ticket_id FROM staging.emails "
            "WHERE starts_with(body, ?)",
            [planted_body(number)],
        )
        planted[number] = set(found_rows)
        where = {CONCURRENT.index(p) for p, _ in found_rows}
        assert where == set(PAIRS[number]), f"pair {number} planted in {where} (too few en?)"

    reported: set[frozenset[tuple[str, str]]] = set()
    subjects_repeated = 0
    for key in CONCURRENT:
        found_metadata = emails_duplicates_metadata(home, key)
        subjects_repeated += found_metadata["subject_exact_other"]
        for example in found_metadata["examples"]:
            other = (example["other_partition"], example["other_id"])
            reported.add(frozenset({(key, example["id"]), other}))
    for number, members in planted.items():
        assert frozenset(members) in reported, f"planted pair {PAIRS[number]} not reported"
    # Subjects repeat exactly across each pair: each pair counted by its later check at least.
    assert subjects_repeated >= len(PAIRS)
