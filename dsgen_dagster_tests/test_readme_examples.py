"""The README's examples run as written right after command 1 (`dsgen batch`), in a fresh folder.

The test makes today's batch the way command 1 does (`dsgen batch`, a small one), then runs the
README's blocks in the order a reader meets them: the `dsgen ...` lines that read what exists
(export, show), every ```python block and every query of the ```sql block. Each must succeed,
print rows, and show every column it selects (DuckDB drops columns that do not fit: "(n shown)").
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DSGEN = Path(sys.executable).parent / "dsgen"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.DOTALL | re.MULTILINE)
# dsgen lines that make batches (command 1 itself, or more of it: covered by test_cli and
# test_backfill) or start a server are not re-run here.
NOT_RERUN = {"batch", "backfill", "ui"}
HIDDEN_COLUMNS = re.compile(r"\d+ columns \(\d+ shown\)")


def readme_blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(README.read_text(encoding="utf-8"))]


def dsgen_lines(script: str) -> list[list[str]]:
    commands = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] in (".venv/bin/dsgen", "dsgen"):
            commands.append(words[1:])
    return commands


def sql_queries(block: str) -> list[str]:
    return [query.strip() for query in block.split(";") if query.strip()]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("readme")
    env = {
        name: value for name, value in os.environ.items()
        if not name.startswith(("DSGEN_", "DAGSTER_", "OPENAI_"))
    }  # fmt: skip
    env.update(DAGSTER_HOME=str(folder / "data" / "dagster_home"), DSGEN_TICKETS_PER_BATCH="4")
    made = run([str(DSGEN), "batch"], folder, env)  # command 1: today's batch, then `dsgen show`
    assert "succeeded" in made and not HIDDEN_COLUMNS.search(made), made
    return folder, env


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    process = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    output = process.stdout + process.stderr
    assert process.returncode == 0, f"{shlex.join(argv)} failed:\n{output}"
    return process.stdout


def test_every_readme_example_runs_as_written_after_command_1(
    fresh: tuple[Path, dict[str, str]],
) -> None:
    folder, env = fresh
    ran = {"dsgen": 0, "python": 0, "sql": 0}
    for language, block in readme_blocks():
        if language == "bash":
            for words in dsgen_lines(block):
                if words[0] in NOT_RERUN:
                    continue
                output = run([str(DSGEN), *words], folder, env)
                assert output.strip() and not HIDDEN_COLUMNS.search(output), (words, output)
                ran["dsgen"] += 1
        elif language == "python":
            output = run([sys.executable, "-c", block], folder, env)
            assert output.strip() and not HIDDEN_COLUMNS.search(output), (block, output)
            ran["python"] += 1
        elif language == "sql":
            with duckdb.connect(str(folder / "data" / "dsgen.duckdb"), read_only=True) as con:
                for query in sql_queries(block):
                    relation = con.sql(query)
                    printed = str(relation)
                    assert relation.fetchall(), f"no rows:\n{query}"
                    assert not HIDDEN_COLUMNS.search(printed), printed
                    ran["sql"] += 1
    assert ran["dsgen"] >= 3 and ran["python"] >= 2 and ran["sql"] >= 5, ran
