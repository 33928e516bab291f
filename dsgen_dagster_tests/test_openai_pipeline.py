"""The whole pipeline with the openai provider, against a local OpenAI-compatible server.

The server answers each stage like a cooperative model would (`fake_model.answer_like_a_model`):
emails carry the order reference their prompt asks for, in its language, signed; answers quote the
clauses their prompt gives; tags come from the offered list; every text is distinct, so the
schema, evidence and duplicate checks see a realistic batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.resources import resources_from_env
from dsgen_dagster_tests.fake_model import answer_like_a_model
from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer

API_KEY = "sk-test-PIPELINE-SECRET-9c2e51"
PARTITION = "2026-06-01"
LLM_STAGES = (
    "policy_clause_texts", "topics", "emails", "answers", "tags", "rephrasings", "translations"
)  # fmt: skip


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    fake = FakeOpenAIServer(api_key=API_KEY, handler=answer_like_a_model).start()
    yield fake
    fake.stop()


def openai_resources(server: FakeOpenAIServer, database: Path) -> dict[str, Any]:
    return resources_from_env(
        {
            "DSGEN_DB": str(database),
            "DSGEN_TICKETS_PER_BATCH": "12",
            "DSGEN_LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": API_KEY,  # becomes dg.EnvVar: resolved from os.environ at run time
            "DSGEN_MODEL_STRONG": "gpt-4o",
            "DSGEN_MODEL_CHEAP": "gpt-4o-mini",
        }
    )


def materialize(
    server: FakeOpenAIServer, database: Path, instance: dg.DagsterInstance
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [*all_assets(), *all_checks()],
        resources=openai_resources(server, database),
        partition_key=PARTITION,
        instance=instance,
        raise_on_error=True,
    )


def rows(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_a_partition_through_the_openai_provider(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    database = tmp_path / "dsgen.duckdb"
    with dg.instance_for_test() as instance:
        first = materialize(server, database, instance)
        requested = server.count()
        second = materialize(server, database, instance)

        assert first.success and second.success
        evaluations = first.get_asset_check_evaluations()
        assert evaluations and all(check.passed for check in evaluations)
        assert requested > 0 and server.count() == requested  # the re-run is all cache hits
        # The model translated the policy into every served language: each answer quotes the
        # clause text in its own language, machine-translated where it is not English.
        assert rows(database, "SELECT DISTINCT source FROM policy_clause_texts ORDER BY 1") == [
            ("document",),
            ("machine_translation",),
        ]
        quoted = rows(database, "SELECT language, quote_language FROM answers")
        assert quoted and all(language == quote for language, quote in quoted)
        assert {language for language, _ in quoted} - {"en"}
        calls = dict(rows(database, "SELECT stage, count(*) FROM llm_calls GROUP BY 1"))
        assert set(calls) == set(LLM_STAGES)
        cached = rows(database, "SELECT count(*) FILTER (WHERE cached), count(*) FROM llm_calls")
        assert cached == [(requested, 2 * requested)]

        materializations = [
            event.step_materialization_data.materialization
            for event in first.get_asset_materialization_events()
        ]
        costs = {
            m.asset_key.path[-1]: float(m.metadata["llm/cost_usd"].value)  # type: ignore[arg-type]
            for m in materializations
            if "llm/cost_usd" in m.metadata
        }
        assert set(costs) == set(LLM_STAGES) and all(cost > 0 for cost in costs.values())
        manifest = json.dumps(rows(database, "SELECT * FROM manifest"), default=str)
        assert "gpt-4o-mini" in manifest
        stages = json.loads(rows(database, "SELECT stages FROM manifest")[0][0])
        assert {(stages[s]["temperature"], stages[s]["seed"]) for s in LLM_STAGES} == {(0.7, None)}

        event_log = "".join(
            dg.serialize_value(entry)
            for run in (first, second)
            for entry in instance.all_logs(run.run_id)
        )
        runs = "".join(
            json.dumps(instance.get_run_by_id(run.run_id).run_config, default=str)  # type: ignore[union-attr]
            for run in (first, second)
        )
    assert "llm/cost_usd" in event_log  # the log holds the metadata it is searched for
    assert API_KEY not in event_log
    assert API_KEY not in runs
    assert API_KEY not in manifest
    assert API_KEY.encode() not in database.read_bytes()


def test_the_manifest_cost_is_the_ledgers_sum_after_a_stopped_run(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that stopped after emails (killed, or failed further on) has already paid for topics
    and emails; the run that completes the batch answers those from the cache. The batch's cost
    is what the ledger says every call cost, not what the last run's stage reports saw."""
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    database = tmp_path / "db.duckdb"
    instance = dg.DagsterInstance.ephemeral()
    assert dg.materialize(
        all_assets(),
        selection=["policy_graph", "customers", "products", "orders", "topics", "emails"],
        resources=openai_resources(server, database),
        partition_key=PARTITION,
        instance=instance,
    ).success
    assert materialize(server, database, instance).success

    ((ledger_cost, ledger_prompt),) = rows(
        database,
        "SELECT round(sum(cost_usd), 6), sum(prompt_tokens) FILTER (WHERE NOT cached) "
        f"FROM llm_calls WHERE partition_key = '{PARTITION}'",
    )
    ((total_cost, total_prompt, stages),) = rows(
        database, "SELECT total_cost_usd, total_prompt_tokens, stages FROM manifest"
    )
    reports = json.loads(stages)
    assert ledger_cost > 0
    # Each stage's cost is rounded to 6 places before they are added: 7 roundings apart at most.
    assert total_cost == pytest.approx(ledger_cost, abs=4e-6)
    assert total_prompt == ledger_prompt
    # The completing run answered topics from the cache: its report alone says it cost nothing.
    assert reports["topics"]["cached"] == reports["topics"]["requests"] == 12
    assert reports["topics"]["cost_usd"] == 0
    assert reports["topics"]["spending"]["cost_usd"] > 0
