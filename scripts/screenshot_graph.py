"""Screenshot the asset graph for the README (run by hand, not by CI):

    .venv/bin/python scripts/screenshot_graph.py [--out docs/asset-graph.png]

Starts `dsgen ui` on a free port against a temporary DAGSTER_HOME, waits for `/server_info`,
takes a screenshot of the global asset lineage with headless Chromium (Debian's `chromium`
package: `apt-get install -y chromium`), and stops the UI with SIGINT.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from dsgen_dagster.instance import DEFAULT_DAGSTER_YAML  # noqa: E402

PAGE = "/asset-groups"  # the global asset lineage: every group, left to right


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"the UI did not answer {url} within {timeout:.0f}s")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no chromium: apt-get install -y chromium")


def screenshot(url: str, out: Path, profile: Path, size: str, budget_ms: int) -> None:
    subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--hide-scrollbars",
            f"--window-size={size}",
            f"--virtual-time-budget={budget_ms}",
            f"--screenshot={out}",
            url,
        ],  # fmt: skip
        check=True,
        timeout=300,
        capture_output=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "asset-graph.png")
    parser.add_argument("--size", default="1600,900", help="window WIDTH,HEIGHT")
    parser.add_argument("--wait", type=float, default=20.0, help="seconds to let the graph draw")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="dsgen-ui-") as tmp:
        home = Path(tmp) / "dagster_home"
        home.mkdir()
        # No "join the community" dialog over the graph, no telemetry from a throwaway instance.
        (home / "dagster.yaml").write_text(
            DEFAULT_DAGSTER_YAML + "nux:\n  enabled: false\ntelemetry:\n  enabled: false\n",
            encoding="utf-8",
        )
        env = {**os.environ, "DAGSTER_HOME": str(home)}
        env.setdefault("DSGEN_DB", str(Path(tmp) / "dsgen.duckdb"))
        dsgen = Path(sys.executable).parent / "dsgen"
        ui = subprocess.Popen(
            [str(dsgen), "ui", "-h", "127.0.0.1", "-p", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/server_info", timeout=180)
            time.sleep(5)  # the code location loads after the server answers
            args.out.parent.mkdir(parents=True, exist_ok=True)
            screenshot(
                f"http://127.0.0.1:{port}{PAGE}",
                args.out.resolve(),
                Path(tmp) / "chromium",
                args.size,
                int(args.wait * 1000),
            )
        finally:
            ui.send_signal(signal.SIGINT)
            try:
                ui.wait(timeout=60)
            except subprocess.TimeoutExpired:
                ui.kill()
    sys.stdout.write(f"wrote {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
