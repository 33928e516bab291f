"""Adding a stage is a folder and a spec: a stage that only this test knows, built with the same
factory as the shipped ones, materialises after the shipped stages with the offline provider."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from pydantic import BaseModel, Field

from dsgen_dagster.defs import all_assets
from dsgen_dagster.lib.contexts import email_context
from dsgen_dagster.lib.stage import WORLD_INPUTS, Ask, LLMStage, StageInputs, llm_stage_asset
from dsgen_dagster.quality.tables import Table
from dsgen_dagster_tests.conftest import offline_resources

PARTITION = "2026-04-02"
PROMPT = """{% block system %}You write one-line summaries of support emails.{% endblock %}
{% block user %}Summarise: {{ email.subject }}{% endblock %}
"""


class Gist(BaseModel):
    """The response: one line."""

    line: str = Field(min_length=3, max_length=200)


class GistRow(BaseModel):
    ticket_id: str
    line: str
    language: str
    model: str


def requests(inputs: StageInputs) -> list[Ask]:
    return [
        Ask(key=ticket_id, context={"email": email_context(email), "language": "en"})
        for ticket_id, email in inputs.rows("emails").items()
    ]


def compose(context: dict[str, Any], rng: random.Random) -> Gist:
    return Gist(line=f"About: {context['email']['subject']}")


def to_row(inputs: StageInputs, ask: Ask, gist: Gist, model: str) -> GistRow:
    return GistRow(
        ticket_id=ask.key,
        line=gist.line,
        language=inputs.world.topics[ask.key]["language"],
        model=model,
    )


@pytest.fixture
def stage_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The new stage's folder: a package holding its prompt, as a shipped stage's does."""
    folder = tmp_path / "gists_stage"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "prompt.jinja2").write_text(PROMPT)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "gists_stage"


def test_a_new_stage_from_a_spec_materialises_offline(stage_folder: str, tmp_path: Path) -> None:
    gists = LLMStage(
        name="gists",
        group="enrichment",
        tier="cheap",
        description="A one-line gist of each email.",
        package=stage_folder,
        response_model=Gist,
        table=Table("gists", GistRow, "ticket_id"),
        build_requests=requests,
        to_row=to_row,
        compose_offline=compose,
        inputs=(*WORLD_INPUTS, "emails"),
    )
    asset = llm_stage_asset(gists)
    assert asset.code_versions_by_key[dg.AssetKey("gists")] == f"gen1-prompt{gists.template.hash}"
    database = tmp_path / "db.duckdb"
    result = dg.materialize(
        [*all_assets(), asset],
        selection=["policy_graph", "customers", "products", "orders", "topics", "emails", "gists"],
        resources=offline_resources(database, DSGEN_TICKETS_PER_BATCH="5"),
        partition_key=PARTITION,
    )

    assert result.success
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "SELECT g.ticket_id, g.line, e.subject, g.model FROM staging.gists g "
            "JOIN staging.emails e USING (partition_date, ticket_id) ORDER BY 1"
        ).fetchall()
        (reports,) = connection.execute(
            "SELECT count(*) FROM stage_reports WHERE stage = 'gists'"
        ).fetchone()  # type: ignore[misc]
    assert len(rows) == 5
    assert all(line == f"About: {subject}" for _, line, subject, _ in rows)
    assert {model for *_, model in rows} == {"offline-composer"}
    assert reports == 1
    metadata = result.asset_materializations_for_node("gists")[0].metadata
    assert metadata["llm/requests"].value == 5
