"""What a published export and its manifest say: nothing about the machine, honest timings, a
dataset card whose counts are the exported rows."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.exports import export_dataset
from dsgen_dagster.settings import SHIPPED_POLICY_PATH
from dsgen_dagster.storage.warehouse import Warehouse
from dsgen_dagster_tests.conftest import offline_resources

PARTITION = "2026-06-01"
REPO = Path(__file__).resolve().parents[1]
# A user name this short or common would match ordinary words; the path forms are grepped instead.
COMMON_NAMES = {"root", "user", "admin", "test", "dev", "app", "ubuntu", "runner", "ci"}


@dataclass
class Published:
    database: Path
    out: Path
    policy: Path
    instance: dg.DagsterInstance
    run_id: str
    manifest: dict


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    root = tmp_path_factory.mktemp("published")
    policy = root / "home" / "someone" / "policies" / "retail-policy.md"
    policy.parent.mkdir(parents=True)
    shutil.copy(SHIPPED_POLICY_PATH, policy)  # a policy under a home-like absolute path
    database = root / "dsgen.duckdb"
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [*all_assets(), *all_checks()],
        resources=offline_resources(
            database, DSGEN_TICKETS_PER_BATCH="3", DSGEN_POLICY_PATH=str(policy)
        ),
        partition_key=PARTITION,
        instance=instance,
    )
    assert result.success
    out = root / "export"
    export_dataset(Warehouse(database=str(database)), PARTITION, PARTITION, out, instance=instance)
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute("SELECT * FROM manifest")
        names = [column[0] for column in cursor.description]
        (values,) = cursor.fetchall()
    manifest = dict(zip(names, values, strict=True))
    return Published(database, out, policy, instance, result.run_id, manifest)


def machine_strings(published: Published) -> list[str]:
    strings = {
        str(published.out.parent),
        str(published.policy),
        str(published.policy.parent),
        tempfile.gettempdir() + os.sep,
        str(Path.home()) + os.sep,
        str(Path.cwd()),
        str(REPO),
        socket.gethostname(),
    }
    user = getpass.getuser()
    if len(user) > 3 and user.lower() not in COMMON_NAMES:
        strings.add(user)
    else:
        strings |= {f"/home/{user}", f"/Users/{user}", f"/{user}/"}
    return sorted(s for s in strings if s and s not in ("/", os.sep))


def exported_texts(out: Path) -> dict[str, str]:
    """Every file of the export as text; Parquet read back, every column rendered as text."""
    texts = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(out).as_posix()
        if path.suffix == ".parquet":
            frame = pl.read_parquet(path)
            texts[name] = "\n".join(" | ".join(map(str, row)) for row in frame.rows())
        else:
            texts[name] = path.read_text(encoding="utf-8")
    return texts


def test_the_export_names_nothing_of_the_machine(published: Published) -> None:
    texts = exported_texts(published.out)
    assert {"README.md", "manifest.json", "data/policy_graph.parquet"} <= set(texts)
    leaks = [
        (name, needle) for name, text in texts.items() for needle in machine_strings(published)
        if needle in text
    ]  # fmt: skip
    assert not leaks


def test_the_policy_is_named_by_file_name_and_sha256(published: Published) -> None:
    graph = pl.read_parquet(published.out / "data" / "policy_graph.parquet")
    assert graph["source_path"].unique().to_list() == ["retail-policy.md"]
    config = json.loads(published.manifest["config"])
    assert "policy_path" not in config
    assert config["policy"]["name"] == "retail-policy.md"
    assert config["policy"]["sha256"] == graph["source_sha256"][0]
    # the warehouse keeps the absolute path: the evidence check re-reads the document from it
    with duckdb.connect(str(published.database), read_only=True) as connection:
        row = connection.execute("SELECT any_value(source_path) FROM policy_graph").fetchone()
    assert row == (str(published.policy),)


def step_events(instance: dg.DagsterInstance, run_id: str) -> dict[str, dict[str, float]]:
    steps: dict[str, dict[str, float]] = {}
    kinds = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS}
    for entry in instance.all_logs(run_id, of_type=kinds):
        event = entry.dagster_event
        assert event is not None and event.step_key is not None
        times = steps.setdefault(event.step_key, {})
        if event.event_type == dg.DagsterEventType.STEP_START:
            times.setdefault("start", entry.timestamp)
        else:
            times["success"] = entry.timestamp
    return steps


def test_manifest_timings_are_the_runs_own_step_times(published: Published) -> None:
    steps = step_events(published.instance, published.run_id)
    recorded = json.loads(published.manifest["stage_wall_seconds"])
    before_publish = {step for step in steps if step != "manifest" and "success" in steps[step]}
    assert {"policy_graph", "topics", "emails"} <= set(recorded) <= before_publish
    for step, seconds in recorded.items():
        measured = steps[step]["success"] - steps[step]["start"]
        assert seconds == pytest.approx(measured, rel=0.1, abs=0.01), step
    first = min(times["start"] for times in steps.values())
    batch = steps["manifest"]["success"] - first  # publish ends the manifest step
    assert published.manifest["wall_seconds"] == pytest.approx(batch, rel=0.1)
    assert published.manifest["wall_seconds"] >= sum(recorded.values()) * 0.9
    assert 0 < published.manifest["llm_seconds"] < published.manifest["wall_seconds"]


def card_table(body: str, heading: str) -> list[list[str]]:
    """The rows of the first markdown table under `## heading`."""
    section = body.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip().strip("`") for cell in row.strip("|").split("|")] for row in rows[1:]]


def test_the_card_counts_are_the_exported_rows(published: Published) -> None:
    body = (published.out / "README.md").read_text(encoding="utf-8")
    assert "1 daily batch, 2026-06-01," in body and "batches" not in body.split("\n\n")[1]
    sizes = {config: int(rows) for config, rows, *_ in card_table(body, "Sizes")}
    heights = {
        path.stem: pl.read_parquet(path).height for path in (published.out / "data").iterdir()
    }
    assert sizes == heights
    tickets = pl.read_parquet(published.out / "data" / "tickets.parquet")
    originals = tickets.filter(~pl.col("is_translation"))
    columns = {"type": originals["type"], "language": tickets["language"],
               "completeness": originals["info_completeness"]}  # fmt: skip
    shown: dict[str, dict[str, int]] = {}
    for title, value, rows in card_table(body, "Distributions"):
        shown.setdefault(title, {})[value] = int(rows)
    assert shown == {
        title: dict(column.value_counts().iter_rows()) for title, column in columns.items()
    }
    assert "![distributions](distributions.svg)" in body
    svg = (published.out / "distributions.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.count("<rect") == 1 + sum(map(len, shown.values()))
    for code, count in tickets["language"].value_counts().iter_rows():
        assert f"`{code}`: {count} row" in body


def test_the_card_names_the_policy_its_relations_and_the_checks_that_passed(
    published: Published,
) -> None:
    body = (published.out / "README.md").read_text(encoding="utf-8")
    graph = pl.read_parquet(published.out / "data" / "policy_graph.parquet")
    kinds = graph["relations"].explode().struct.field("kind").drop_nulls().value_counts()
    policy = body.split("## Policy\n", 1)[1].split("\n## ", 1)[0]
    assert f"`retail-policy.md` (sha256 `{graph['source_sha256'][0][:12]}" in policy
    assert f"{graph.height} clauses" in policy
    for kind, count in kinds.iter_rows():
        assert f"{kind} {count}" in policy
    outcomes = json.loads((published.out / "manifest.json").read_text())["batches"][0]
    passed = [name for name, o in outcomes["check_outcomes"].items() if o["outcome"] == "PASSED"]
    assert passed and all(f"`{name}`" in body for name in passed)
