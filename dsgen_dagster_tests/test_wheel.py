"""The package works installed: a wheel, in a virtual environment outside the checkout, run from
another working directory, finds its prompts, phrases and policy, and makes a batch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
PARTITION = "2026-03-05"


def uv() -> list[str]:
    """The uv that scripts/bootstrap.sh installs (a module of the system python), or one on PATH."""
    for python in ("python3", sys.executable):
        if subprocess.run([python, "-m", "uv", "--version"], capture_output=True).returncode == 0:
            return [python, "-m", "uv"]
    found = shutil.which("uv")
    if found is None:
        pytest.skip("uv is not installed; scripts/bootstrap.sh installs it")
    return [found]


def clean_copy(destination: Path) -> Path:
    """The checkout's files as git sees them, without build/ or egg-info leftovers, which
    setuptools would otherwise package whatever the configuration says."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, destination / name)
    return destination


def test_an_installed_wheel_makes_a_batch_from_another_directory(tmp_path: Path) -> None:
    source = clean_copy(tmp_path / "source")
    wheels = tmp_path / "wheels"
    subprocess.run(
        [*uv(), "build", "--wheel", "--out-dir", str(wheels), "--quiet", str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("dsgen_dagster-*.whl")

    # A fresh environment that has the locked dependencies (from this environment's
    # site-packages, as a plain path: its .pth files, among them the editable checkout, are not
    # processed) and dsgen only from the wheel.
    venv = tmp_path / "venv"
    subprocess.run([*uv(), "venv", "--quiet", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [*uv(), "pip", "install", "--quiet", "--no-deps", "--python", str(python), str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "locked_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DSGEN_", "DAGSTER_", "PYTHON", "VIRTUAL_ENV"))
    }
    env |= {"DSGEN_TICKETS_PER_BATCH": "3", "HOME": str(tmp_path)}
    where = subprocess.run(
        [str(python), "-c", "import dsgen_dagster; print(dsgen_dagster.__file__)"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert where.startswith(site) and not where.startswith(str(REPO))

    run = subprocess.run(
        [str(venv / "bin" / "dsgen"), "batch", PARTITION],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    database = elsewhere / "data" / "dsgen.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        counts = dict(
            connection.execute(
                "SELECT 'topics', count(*) FROM topics UNION ALL "
                "SELECT 'answers', count(*) FROM answers UNION ALL "
                "SELECT 'policy_graph', count(*) FROM policy_graph"
            ).fetchall()
        )
        (hashes,) = connection.execute("SELECT prompt_hashes FROM manifest").fetchone()  # type: ignore[misc]
    assert counts["topics"] == counts["answers"] == 3
    assert counts["policy_graph"] >= 30
    assert '"emails"' in hashes and '"translations"' in hashes
    assert (elsewhere / "data" / "dagster_home" / "dagster.yaml").is_file()
