"""A model that slips: the pipeline against a fake server that now and then ignores an
instruction. Slips are re-asked with the rule's message; rows still wrong are set aside in the
rejects table instead of blocking the partition; a rule broken on every answer fails its stage.
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
from dsgen_dagster_tests.fake_model import SlippingModel, answer_like_a_model
from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer

API_KEY = "sk-test-SLIPS-0b7d"
PARTITION = "2026-06-02"
# stage -> (the upstream table whose rows it serves, how a served row's key is written)
SERVED = {
    "emails": ("topics", "ticket_id"),
    "answers": ("emails", "ticket_id"),
    "tags": ("answers", "ticket_id"),
    "rephrasings": ("emails", "rephrasing_id"),
    "translations": ("answers", "translation_id"),
}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    fake = FakeOpenAIServer(api_key=API_KEY, handler=answer_like_a_model).start()
    yield fake
    fake.stop()


def materialize(
    server: FakeOpenAIServer,
    database: Path,
    tickets: int,
    selection: list[str] | None = None,
    **env: str,
) -> dg.ExecuteInProcessResult:
    resources = resources_from_env(
        {
            "DSGEN_DB": str(database),
            "DSGEN_TICKETS_PER_BATCH": str(tickets),
            "DSGEN_LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": API_KEY,
            **env,
        }
    )
    return dg.materialize(
        [*all_assets(), *all_checks()],
        selection=[dg.AssetKey(name) for name in selection] if selection else None,
        resources=resources,
        partition_key=PARTITION,
        raise_on_error=False,
    )


def rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_a_model_slipping_on_5_percent_loses_no_ticket_and_blocks_nothing(
    server: FakeOpenAIServer, tmp_path: Path
):
    server.handler = SlippingModel(0.05)
    database = tmp_path / "dsgen.duckdb"

    result = materialize(server, database, tickets=60)

    assert result.success
    evaluations = result.get_asset_check_evaluations()
    blocking = [e for e in evaluations if e.severity == dg.AssetCheckSeverity.ERROR]
    assert blocking and all(e.passed for e in blocking), [
        e.check_name for e in blocking if not e.passed
    ]
    reasks = rows(
        database,
        "SELECT stage, reasks_by_rule FROM llm_calls WHERE reasks_by_rule <> '{}' ORDER BY 1",
    )
    assert reasks, "a 5% slip rate over ~500 requests re-asks some"
    assert server.reasks and all("Validation Error" in m["content"] for m in server.reasks)
    rejects = rows(database, "SELECT stage, row_key, rule, attempts, raw_response FROM rejects")
    assert rejects, "stubborn slips end up set aside"
    assert all(attempts == 3 and raw for _, _, _, attempts, raw in rejects)
    for stage, (upstream, key) in SERVED.items():
        kept = {k for (k,) in rows(database, f"SELECT {key} FROM {stage}")}
        rejected = {k for s, k, *_ in rejects if s == stage}
        served = {t for (t,) in rows(database, f"SELECT ticket_id FROM {upstream}")}
        assert not kept & rejected, stage
        assert {k.split("_")[0] for k in kept | rejected} <= {"tkt", "rph", "trn"}
        tickets_of = {"_".join(["tkt", *k.split("_")[1:3]]) for k in kept | rejected}
        assert tickets_of == served, stage  # every ticket served: kept or rejected
    reports = {
        stage: json.loads(report)
        for stage, report in rows(database, "SELECT stage, report FROM stage_reports")
    }
    # The policy's clause texts are translated by the model too, and may slip as well.
    ledgered = [*SERVED, "policy_clause_texts"]
    assert sum(reports[s]["reasks"] for s in ledgered) == sum(
        sum(json.loads(r).values()) for _, r in reasks
    )
    assert sum(reports[s]["rejected"] for s in ledgered) == len(rejects)
    materialized = {
        event.asset_key.path[-1]: event.step_materialization_data.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    for stage in SERVED:
        valid_rate = materialized[stage]["dsgen/valid_rate"].value
        assert isinstance(valid_rate, float) and 0.9 <= valid_rate <= 1.0, stage
    stages = json.loads(rows(database, "SELECT stages FROM manifest")[0][0])
    assert {"rejected", "rejects_by_rule", "reasks_by_rule", "valid_rate"} <= set(stages["emails"])


def test_a_rejected_ticket_is_asked_again_on_the_next_run(server: FakeOpenAIServer, tmp_path):
    server.handler = SlippingModel(0.3, rules=("signature",), stubborn=1.0)
    database = tmp_path / "dsgen.duckdb"
    first = materialize(server, database, 12, DSGEN_MAX_REJECT_SHARE="1")
    rejected = {k for (k,) in rows(database, "SELECT row_key FROM rejects WHERE stage='emails'")}
    assert first.success and rejected

    server.handler = answer_like_a_model  # the model behaves now
    server.reset()
    again = materialize(server, database, 12, ["emails"], DSGEN_MAX_REJECT_SHARE="1")

    assert again.success
    assert len(server.identities()) == len(rejected)  # only the rejected ones are asked again
    assert rows(database, "SELECT count(*) FROM rejects WHERE stage = 'emails'") == [(0,)]
    # A run of emails alone stages them; the published batch changes when the batch is published.
    assert rows(database, "SELECT count(*) FROM staging.emails") == [(12,)]


def test_a_rule_broken_on_every_answer_fails_the_stage_and_keeps_its_rows(
    server: FakeOpenAIServer, tmp_path: Path
):
    database = tmp_path / "dsgen.duckdb"
    assert materialize(server, database, tickets=12).success
    before = rows(database, "SELECT * FROM answers ORDER BY ticket_id")

    server.handler = SlippingModel(1.0, rules=("quote",), stubborn=1.0)
    # Another temperature is another cache key: the answers are really asked again.
    result = materialize(server, database, 12, ["answers"], DSGEN_LLM_TEMPERATURE="0.3")

    assert not result.success
    [failure] = [event for event in result.all_events if event.is_step_failure]
    message = dg.serialize_value(failure)
    assert "answers: 12 of 12 rows (100.0%)" in message
    assert "top rules: quote_not_in_clause (12)" in message
    assert "DSGEN_MAX_REJECT_SHARE" in message
    assert rows(database, "SELECT * FROM answers ORDER BY ticket_id") == before
    assert len([r for r in server.received if r.messages > 2]) == 12 * 2  # bounded re-asks
