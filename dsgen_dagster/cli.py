"""`dsgen`: make batches, backfill, export, query and open the UI on the project's instance.

Every command works on one Dagster instance, DAGSTER_HOME (default `<cwd>/data/dagster_home`),
so scripted runs show in the UI and exports read their check outcomes from it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from dsgen_dagster.errors import ConfigError
from dsgen_dagster.instance import ensure_home, reap_dead_runs

log = logging.getLogger("dsgen")


def valid_partition_key(key: str) -> str:
    """`key` if it is a batch that exists, else an error naming the range that does."""
    from dsgen_dagster.partitions import daily_partitions

    keys = daily_partitions.get_partition_keys()
    if key not in keys:
        raise ConfigError(
            f"no batch {key!r}: batches are daily partitions YYYY-MM-DD from {keys[0]} "
            f"to {keys[-1]} (today, UTC)"
        )
    return key


def partition_range(first: str, last: str) -> list[str]:
    from dsgen_dagster.partitions import daily_partitions

    valid_partition_key(first)
    valid_partition_key(last)
    if first > last:
        raise ConfigError(f"the range {first} … {last} is empty: FROM must not be after TO")
    return [key for key in daily_partitions.get_partition_keys() if first <= key <= last]


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def start_instance() -> None:
    """Point DAGSTER_HOME at the project's instance and clean up runs whose process died."""
    import dagster as dg

    ensure_home()
    with dg.DagsterInstance.get() as instance:
        reap_dead_runs(instance)


def command_batch(args: argparse.Namespace) -> int:
    from dsgen_dagster.batch import print_summary, run_batch

    key = valid_partition_key(args.key or today())
    start_instance()
    result = run_batch(key, verbose=args.verbose)
    print_summary(result)
    if args.show and result.success:
        return command_show(args)
    return 0 if result.success else 1


def batch_command(key: str, verbose: bool) -> list[str]:
    return [sys.executable, "-m", "dsgen_dagster.cli", "batch", key, "--no-show"] + (
        ["--verbose"] if verbose else []
    )


def run_partition(key: str, verbose: bool) -> tuple[str, int, float, str]:
    started = time.monotonic()
    process = subprocess.run(batch_command(key, verbose), capture_output=True, text=True)
    output = process.stdout + process.stderr
    return key, process.returncode, time.monotonic() - started, output


def command_backfill(args: argparse.Namespace) -> int:
    keys = partition_range(args.first, args.last)
    if args.parallel < 1:
        raise ConfigError("--parallel must be at least 1")
    start_instance()  # also creates the instance's storage once, before the processes race
    failed = []
    with ThreadPoolExecutor(max_workers=args.parallel) as pool:
        futures = [pool.submit(run_partition, key, args.verbose) for key in keys]
        for done, future in enumerate(as_completed(futures), start=1):
            key, code, seconds, output = future.result()
            state = "ok" if code == 0 else f"FAILED (exit {code})"
            sys.stdout.write(f"[{done}/{len(keys)}] {key} {state} in {seconds:.1f}s\n")
            if code != 0:
                failed.append(key)
                sys.stdout.write(_indent(output[-3000:]))
            sys.stdout.flush()
    if failed:
        sys.stdout.write(f"failed partitions: {' '.join(sorted(failed))}\n")
        return 1
    sys.stdout.write(f"backfill {keys[0]} … {keys[-1]}: {len(keys)} batches ok\n")
    return 0


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in text.splitlines())


def command_export(args: argparse.Namespace, rest: Sequence[str]) -> int:
    from dsgen_dagster.exports.__main__ import main as export_main

    ensure_home()  # check outcomes then come from the instance the runs were recorded in
    return export_main(list(rest), prog="dsgen export")


def command_show(args: argparse.Namespace) -> int:
    from dsgen_dagster.show import main as show_main

    return show_main([])


LOCATION_NAME = "dsgen"
PROJECT_WORKSPACE = Path(__file__).resolve().parents[1] / "workspace.yaml"


def workspace_file(home: Path) -> Path:
    """The project's workspace.yaml (location `dsgen`) in a checkout; for an installed package,
    the same workspace written into DAGSTER_HOME: `dagster dev -m` would name the location after
    the module."""
    if PROJECT_WORKSPACE.is_file():
        return PROJECT_WORKSPACE
    generated = home / "workspace.yaml"
    generated.write_text(
        "load_from:\n  - python_module:\n      module_name: dsgen_dagster.definitions\n"
        f"      location_name: {LOCATION_NAME}\n      working_directory: {Path.cwd()}\n",
        encoding="utf-8",
    )
    return generated


def command_ui(args: argparse.Namespace, rest: Sequence[str]) -> int:
    start_instance()
    home = Path(os.environ["DAGSTER_HOME"])
    beside = Path(sys.executable).parent / "dagster"
    dagster = str(beside) if beside.is_file() else shutil.which("dagster") or "dagster"
    # A process started in the background inherits SIGINT ignored, and `dagster dev` routes
    # SIGTERM to its SIGINT handler (docs/stack-notes.md): reset it so Ctrl-C and `kill` both
    # stop it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    chosen = {"-w", "--workspace", "-m", "--module-name", "-f", "--python-file"} & set(rest)
    target = [] if chosen else ["-w", str(workspace_file(home))]
    argv = [dagster, "dev", *target, *rest]
    os.execv(dagster, argv)
    return 1  # not reached


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="dsgen", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument("-v", "--verbose", action="store_true", help="show the event stream")

    batch = commands.add_parser("batch", parents=[verbose], help="make one batch (partition)")
    batch.add_argument("key", nargs="?", help="partition YYYY-MM-DD (default: today, UTC)")
    batch.add_argument("--no-show", dest="show", action="store_false", help="skip the SQL results")
    batch.set_defaults(handler=command_batch)

    backfill = commands.add_parser("backfill", parents=[verbose], help="make a range of batches")
    backfill.add_argument("first", metavar="FROM", help="first partition, YYYY-MM-DD")
    backfill.add_argument("last", metavar="TO", help="last partition (inclusive)")
    backfill.add_argument("--parallel", type=int, default=2, help="processes at once (2)")
    backfill.set_defaults(handler=command_backfill)

    # These two hand their arguments on: `dsgen export --help` is the exporter's own help.
    export = commands.add_parser("export", add_help=False, help="export batches (--help)")
    export.set_defaults(passthrough=command_export)
    ui = commands.add_parser("ui", add_help=False, help="`dagster dev` on the instance")
    ui.set_defaults(passthrough=command_ui)

    show = commands.add_parser("show", help="print the example SQL queries and their results")
    show.set_defaults(handler=command_show)
    return top


def setup_logging(verbose: bool) -> None:
    """dsgen's own lines at INFO; libraries (alembic, GX, ...) only from WARNING up, and GX's
    chatter about its temporary docs site not at all unless --verbose."""
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    for name in ("dsgen", "dsgen_dagster"):
        logging.getLogger(name).setLevel(logging.INFO)
    if not verbose:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_quiet_great_expectations)


def _quiet_great_expectations(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR or not record.name.startswith("great_expectations")


def main(argv: Sequence[str] | None = None) -> int:
    args, rest = parser().parse_known_args(argv)
    setup_logging(getattr(args, "verbose", False))
    passthrough: Callable[..., int] | None = getattr(args, "passthrough", None)
    try:
        if passthrough is not None:
            return passthrough(args, rest)
        if rest:
            parser().error(f"unrecognized arguments: {' '.join(rest)}")
        return args.handler(args)
    except ConfigError as exc:
        sys.stderr.write(f"dsgen {args.command}: {exc}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
