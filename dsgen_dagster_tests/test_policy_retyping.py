"""The optional LLM re-typing of unsure policy relations, against the local fake OpenAI server.

A "reading model" answers each re-typing request from a table of answers (the parser's own typing
for the rest); some answers are wrong in ways a real model's are: a trigger that is not in the
clause, a kind that does not exist, a clause that is not the one asked about. Only valid answers
may change a relation; the others are counted and the parser's typing stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from dsgen_dagster.defs.policy_graph.assets import policy_graph
from dsgen_dagster.defs.policy_graph.evidence import check_policy_evidence
from dsgen_dagster.defs.policy_graph.parser import parse_policy_file
from dsgen_dagster.defs.policy_graph.retyping import retype_relations, unsure
from dsgen_dagster.errors import ConfigError
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.quality.checks import read_rows
from dsgen_dagster.resources import resources_from_env
from dsgen_dagster.storage.warehouse import Warehouse
from dsgen_dagster_tests.conftest import PARTITIONS, materialize_batch
from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer, Fault

API_KEY = "sk-test-RETYPING-7d1e"
COURIER = Path(__file__).parent / "fixtures" / "policies" / "tuned" / "courier.md"
ASKED = re.compile(
    r"^Clause (?P<source>\S+):$.*?mentions clause (?P<target>\S+)\. The parser typed it "
    r"`(?P<kind>\w+)` from the phrase \"(?P<trigger>[^\"]*)\"",
    re.MULTILINE | re.DOTALL,
)
# (source, target) -> what the model answers: kind, target, trigger.
ANSWERS = {
    ("3.3", "3.1"): ("requires", "3.1", "covered by"),  # valid: re-typed
    ("3.3", "3.2"): ("references", "Section 3.2", "covered by 3.1 or 3.2"),  # valid, same kind
    ("1.2", "2.3"): ("requires", "2.3", "returned at the sender's expense"),  # not in the text
    ("1.3", "1.1"): ("amends", "1.1", "in addition to"),  # no such kind
    ("1.3", "1.4"): ("requires", "9.9", "subject to"),  # no such clause
    ("4.1", "3.3"): ("modifies", "3.1", "instead of"),  # another clause
}


def reading_model(body: dict[str, Any]) -> dict[str, Any]:
    asked = ASKED.search(body["messages"][1]["content"])
    assert asked is not None, body["messages"][1]["content"]
    kind, target, trigger = ANSWERS.get(
        (asked["source"], asked["target"]), (asked["kind"], asked["target"], asked["trigger"])
    )
    return {"kind": kind, "target": target, "trigger": trigger}


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    fake = FakeOpenAIServer(api_key=API_KEY, handler=reading_model).start()
    yield fake
    fake.stop()


def resource(server: FakeOpenAIServer, database: Path) -> LLMResource:
    return LLMResource(
        provider="openai",
        base_url=server.url,
        api_key=API_KEY,
        warehouse=Warehouse(database=str(database)),
    )


def typing(policy: Any, source: str) -> dict[str, tuple[str, str, int]]:
    clause = next(c for c in policy.clauses if c.number == source)
    return {r.target: (r.kind, r.trigger, r.line) for r in clause.relations}


def test_valid_answers_retype_and_invalid_ones_keep_the_parser_typing(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    database = tmp_path / "retype.duckdb"
    policy = parse_policy_file(COURIER)
    before = {(c.number, r.target): r for c in policy.clauses for r in c.relations}
    assert len(unsure(policy)) == 11
    outcome = retype_relations(policy, resource(server, database), partition_key=PARTITIONS[0])
    assert (outcome.asked, outcome.accepted, outcome.changed, outcome.failed) == (11, 7, 1, 0)
    assert outcome.rejected == {
        "trigger_not_in_text": 1,
        "unknown_kind": 1,
        "unknown_target": 1,
        "other_target": 1,
    }
    # Re-typed, with the trigger read from the source (it is on line 37).
    assert typing(policy, "3.3")["3.1"] == ("requires", "covered by", 37)
    assert typing(policy, "3.3")["3.2"] == ("references", "covered by 3.1 or 3.2", 37)
    # Every rejected answer left the parser's relation as it was.
    for key in [("1.2", "2.3"), ("1.3", "1.1"), ("1.3", "1.4"), ("4.1", "3.3")]:
        relation = before[key]
        assert typing(policy, key[0])[key[1]] == (relation.kind, relation.trigger, relation.line)
    # Relations that were not unsure were not asked about and did not change.
    assert typing(policy, "2.2")["2.1"] == ("overrides", "Notwithstanding", 21)
    assert outcome.metadata()["retyping/rejected"] == 4

    # A second pass is answered from the cache: no new request reaches the server.
    sent = server.count()
    again = retype_relations(
        parse_policy_file(COURIER), resource(server, database), partition_key=PARTITIONS[0]
    )
    assert server.count() == sent
    assert (again.accepted, again.changed, again.report and again.report.cached) == (7, 1, 11)
    with duckdb.connect(str(database), read_only=True) as connection:
        calls = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE cached) FROM llm_calls "
            "WHERE stage = 'policy_graph'"
        ).fetchone()
    assert calls == (22, 11)


def openai_env(server: FakeOpenAIServer, database: Path, **extra: str) -> dict[str, str]:
    return {
        "DSGEN_DB": str(database),
        "DSGEN_POLICY_PATH": str(COURIER),
        "DSGEN_LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": API_KEY,
        "DSGEN_MODEL_CHEAP": "gpt-4o-mini",
        **extra,
    }


def test_policy_graph_asset_stores_retyped_relations_that_pass_the_evidence_check(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "asset.duckdb"
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    result = dg.materialize(
        [policy_graph],
        resources=resources_from_env(openai_env(server, database)),
        partition_key=PARTITIONS[0],
        raise_on_error=True,
    )
    (materialization,) = result.asset_materializations_for_node("policy_graph")
    metadata = {key: value.value for key, value in materialization.metadata.items()}
    assert (metadata["retyping/asked"], metadata["retyping/changed"]) == (11, 1)
    assert metadata["retyping/rejected_by_reason"]["trigger_not_in_text"] == 1
    frame = read_rows(Warehouse(database=str(database)), "policy_graph", PARTITIONS[0])
    relations = {
        (row["clause_number"], r["target_number"]): (r["kind"], r["trigger"], r["line"])
        for row in frame.iter_rows(named=True)
        for r in row["relations"]
    }
    assert relations[("3.3", "3.1")] == ("requires", "covered by", 37)
    assert relations[("1.2", "2.3")] == ("references", "2.3", 10)
    assert check_policy_evidence(frame).result().passed
    with duckdb.connect(str(database), read_only=True) as connection:
        (report,) = connection.execute(
            "SELECT report->>'requests' FROM stage_reports WHERE stage = 'policy_graph'"
        ).fetchone()
    assert report == "11"


def test_retyping_off_and_offline_ask_nothing(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    database = tmp_path / "off.duckdb"
    result = dg.materialize(
        [policy_graph],
        resources=resources_from_env(openai_env(server, database, DSGEN_RELATION_RETYPING="off")),
        partition_key=PARTITIONS[0],
        raise_on_error=True,
    )
    (materialization,) = result.asset_materializations_for_node("policy_graph")
    assert materialization.metadata["retyping/asked"].value == 0
    assert server.count() == 0  # not one chat request (the preflight is not a chat request)
    offline = materialize_batch(
        tmp_path / "offline.duckdb",
        PARTITIONS[0],
        selection=[policy_graph],
        DSGEN_POLICY_PATH=str(COURIER),
    )
    (materialization,) = offline.asset_materializations_for_node("policy_graph")
    assert materialization.metadata["retyping/mode"].value == "auto"
    assert materialization.metadata["retyping/asked"].value == 0


def test_an_unknown_retyping_mode_names_the_variable(tmp_path: Path) -> None:
    env = {"DSGEN_DB": str(tmp_path / "x.duckdb"), "DSGEN_RELATION_RETYPING": "on"}
    with pytest.raises(ConfigError, match="DSGEN_RELATION_RETYPING.*auto.*off"):
        resources_from_env(env)


def test_answers_that_never_parse_keep_the_parser_typing(tmp_path: Path) -> None:
    fake = FakeOpenAIServer(
        api_key=API_KEY, handler=reading_model, faults=[Fault("invalid", 1.0, times=10)]
    ).start()
    try:
        policy = parse_policy_file(COURIER)
        before = [list(c.relations) for c in policy.clauses]
        llm = resource(fake, tmp_path / "invalid.duckdb").model_copy(update={"max_reasks": 0})
        outcome = retype_relations(policy, llm, partition_key=PARTITIONS[0])
    finally:
        fake.stop()
    assert (outcome.asked, outcome.accepted, outcome.failed) == (11, 0, 11)
    assert [c.relations for c in policy.clauses] == before
