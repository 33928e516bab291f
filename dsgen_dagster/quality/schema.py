"""Schema checks: rows against their pydantic model, the table against a Great Expectations suite.

The pydantic pass catches what one row can get wrong (types, enum values, patterns, lengths); the
suite adds what only the whole table shows (unique keys) and states the table's contract in
Great Expectations terms: not-null required columns, unique key, id prefixes, enum values, text
lengths and language codes. Great Expectations is imported on first use: it takes seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import polars as pl
from pydantic import ValidationError

from dsgen_dagster.quality.findings import Findings
from dsgen_dagster.quality.tables import Table

ROW_COLUMN = "_row"
# Rows handed to Great Expectations at a time (as a pandas frame, texts as Python strings).
EXPECTATION_CHUNK_ROWS = 20_000
# Expectations that need every row at once; the others hold row by row, so chunks can check them.
WHOLE_TABLE_EXPECTATIONS = frozenset({"ExpectColumnValuesToBeUnique"})
WARM_UP_POLL_SECONDS = 0.05
WARM_UP_PATIENCE_SECONDS = 15.0
logger = logging.getLogger(__name__)


def check_schema(table: Table, frame: pl.DataFrame) -> Findings:
    """A whole frame's rows (a stored partition is checked a slice at a time:
    `check_schema_slices`)."""
    slices = (frame.slice(start, EXPECTATION_CHUNK_ROWS) for start in _starts(frame.height))
    return check_schema_slices(table, slices, frame.height, frame.select)


def check_schema_slices(
    table: Table,
    slices: Iterable[pl.DataFrame],
    height: int,
    read_columns: Callable[[list[str]], pl.DataFrame],
) -> Findings:
    """The schema check of a table handed in consecutive slices of its rows (in stored order,
    `height` rows in all; an empty table is one empty slice): the pydantic pass and the
    per-row expectations see one slice at a time, so at most one slice's rows (and their
    pandas copy) are in memory. `read_columns(names)` reads those columns of every row, for
    the expectations only the whole table can answer (a unique key). At 100,000 tickets the
    translations check read its 170,000 rows at once: +337 MB (bench/bench_batch.py)."""
    columns = Findings(rows=height, rules=["columns"])
    rows = Findings(rows=height, rules=["pydantic"])
    expectations = Findings(rows=height)
    offset = 0
    for number, chunk in enumerate(slices):
        if number == 0:
            columns.extend(check_columns(table, chunk))
            scalar = [c for c, t in chunk.schema.items() if not isinstance(t, pl.List | pl.Struct)]
            rules = expectation_rules(table, scalar)
            expectations.rules = [name for name, _, _ in rules]
            whole = [rule for rule in rules if rule[1] in WHOLE_TABLE_EXPECTATIONS]
            per_row = [rule for rule in rules if rule[1] not in WHOLE_TABLE_EXPECTATIONS]
            if chunk.height == height:  # the whole table: one validation of every rule
                whole, per_row = [], rules
            elif whole:
                names = list(dict.fromkeys(kwargs["column"] for _, _, kwargs in whole))
                _validate(table, read_columns(names), whole, 0, expectations)
        rows.extend(check_rows(table, chunk, offset))
        if per_row and chunk.height:
            _validate(table, chunk.select(scalar), per_row, offset, expectations)
        offset += chunk.height
    for found in (rows, expectations):
        columns.extend(found)
    return columns


def _starts(height: int) -> range:
    """Where each slice of `height` rows starts; an empty table is one (empty) slice."""
    return range(0, max(height, 1), EXPECTATION_CHUNK_ROWS)


def check_columns(table: Table, frame: pl.DataFrame) -> Findings:
    """The table's columns are exactly the model's fields (the partition column aside)."""
    findings = Findings(rows=frame.height, rules=["columns"])
    expected = list(table.model.model_fields)
    missing = [c for c in expected if c not in frame.columns]
    extra = [c for c in frame.columns if c not in expected and c != "partition_date"]
    if missing or extra:
        findings.add("columns", None, f"missing columns {missing}, unexpected columns {extra}")
    return findings


def check_rows(table: Table, frame: pl.DataFrame, offset: int = 0) -> Findings:
    """Each row against the table's model; `offset`: the first row's position in the table."""
    findings = Findings(rows=frame.height, rules=["pydantic"])
    fields = [c for c in table.model.model_fields if c in frame.columns]
    for position, row in enumerate(frame.select(fields).iter_rows(named=True), start=offset):
        try:
            table.model.model_validate(row)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
                for error in exc.errors()[:3]
            )
            findings.add("pydantic", row.get(table.key), problems, row=position)
    return findings


def expectation_rules(table: Table, columns: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(rule name, Great Expectations class name, kwargs) of the table's suite."""
    rules: list[tuple[str, str, dict[str, Any]]] = []
    for column in table.required_columns():
        if column in columns:
            rules.append(
                (f"not_null:{column}", "ExpectColumnValuesToNotBeNull", {"column": column})
            )
    if table.key in columns:
        rules.append((f"unique:{table.key}", "ExpectColumnValuesToBeUnique", {"column": table.key}))
    for column, prefix in table.id_prefixes().items():
        if column in columns:
            regex = f"^{prefix}"
            rules.append(
                (
                    f"prefix:{column}",
                    "ExpectColumnValuesToMatchRegex",
                    {"column": column, "regex": regex},
                )
            )
    for column, values in table.allowed_values().items():
        if column in columns:
            kind = "language" if column in ("language", "source_language") else "in_set"
            rules.append(
                (
                    f"{kind}:{column}",
                    "ExpectColumnValuesToBeInSet",
                    {"column": column, "value_set": values},
                )
            )
    for column, (low, high) in table.length_bounds().items():
        if column in columns:
            rules.append(
                (
                    f"length:{column}",
                    "ExpectColumnValueLengthsToBeBetween",
                    {"column": column, "min_value": low, "max_value": high},
                )
            )
    return rules


def _validate(
    table: Table,
    rows: pl.DataFrame,
    rules: list[tuple[str, str, dict[str, Any]]],
    offset: int,
    findings: Findings,
) -> None:
    """Validate `rows` (the partition's rows from `offset` on) and add what fails to findings,
    each offending row by its key (from `rows`, when it holds the key column) and position.

    Two passes: pass or fail only, then the offending rows of the expectations that failed.
    Great Expectations spends most of a validation building each expectation's metric graph,
    not reading rows, and the unexpected-index metrics double it (emails at 2,000 rows:
    0.22 s in one complete pass, 0.08 s pass/fail; measured): a batch that holds pays once,
    cheaply, and on the run's critical path, since the next stage waits for this check."""
    keys = rows.get_column(table.key) if table.key in rows.columns else None
    data = rows.with_row_index(ROW_COLUMN, offset=offset).to_pandas()
    verdicts = _results(table, data, rules, {"result_format": "BOOLEAN_ONLY"})
    failed = [rule for rule, outcome in zip(rules, verdicts, strict=True) if not outcome.success]
    if not failed:
        return
    complete = {"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_COLUMN]}
    outcomes = _results(table, data, failed, complete)
    del data
    for (name, _, kwargs), outcome in zip(failed, outcomes, strict=True):
        if outcome.success:  # cannot happen on the same rows; nothing to report if it does
            continue
        column = kwargs["column"]
        unexpected = (outcome.result or {}).get("unexpected_index_list") or []
        if not unexpected:
            message = (outcome.exception_info or {}).get("exception_message") or "failed"
            findings.add(name, None, f"{column}: {message}")
        for entry in unexpected:
            position = int(entry[ROW_COLUMN])
            findings.add(
                name,
                keys[position - offset] if keys is not None else None,
                f"{column}={_shown(entry.get(column))}"[:200],
                row=position,
            )


def _results(
    table: Table, data: Any, rules: list[tuple[str, str, dict[str, Any]]], result_format: dict
) -> list[Any]:
    """Each rule's validation result, in the order of `rules`."""
    gx, gxe = _great_expectations()
    context = _context()  # a suite needs an active context
    suite = gx.ExpectationSuite(name=table.name)
    position: dict[tuple[str, str], int] = {}
    for index, (_, class_name, kwargs) in enumerate(rules):
        expectation = suite.add_expectation(getattr(gxe, class_name)(**kwargs))
        position[(expectation.expectation_type, kwargs["column"])] = index
    result = _batch(context, table.name, data).validate(suite, result_format=result_format)
    # Results come back in Great Expectations' order, not the suite's: put them in ours.
    ordered: list[Any] = [None] * len(rules)
    for outcome in result.results:
        config = outcome.expectation_config
        ordered[position[(config.type, config.kwargs["column"])]] = outcome
    return ordered


def _shown(value: Any) -> str:
    try:
        missing = value is None or bool(value != value)  # NaN != NaN
    except TypeError:  # pandas.NA refuses to be a bool
        missing = True
    return "null" if missing else repr(value)


def warm_up_in_background(
    when: Callable[[], bool] = lambda: True, patience_seconds: float = WARM_UP_PATIENCE_SECONDS
) -> None:
    """Import Great Expectations in a daemon thread, once `when()` holds (polled; at the latest
    after `patience_seconds`). The first schema check of a process pays ~3.5 s for the import,
    and the next stage waits for that check: a run whose first stage waits on a model imports
    it meanwhile (dsgen_dagster/threaded.py), but only once that stage's requests are out. Its
    inputs, requests and prompts are CPU work the import would otherwise slow down by half, with
    nothing in flight yet (bench/bench_llm.py: topics took 1.7 s to its first request)."""

    def wait_then_import() -> None:
        deadline = time.monotonic() + patience_seconds
        while not when() and time.monotonic() < deadline:
            time.sleep(WARM_UP_POLL_SECONDS)
        _great_expectations()

    threading.Thread(target=wait_then_import, name="dsgen-import-gx", daemon=True).start()


@cache
def _great_expectations() -> tuple[Any, Any]:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx, gxe


@cache
def _context() -> Any:
    gx, _ = _great_expectations()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    # Progress bars would interleave with the run's log output.
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


_DEFINING = threading.Lock()


def _batch(context: Any, name: str, data: Any) -> Any:
    with _DEFINING:  # checks of several tables run side by side (dsgen_dagster/threaded.py)
        definition = _batch_definition(context, name)
    return definition.get_batch(batch_parameters={"dataframe": data})


@cache
def _batch_definition(context: Any, name: str) -> Any:
    """The table's data source, asset and batch definition, made once per process: making them
    took ~40 ms a validation (measured), and only the dataframe differs between validations."""
    source = context.data_sources.add_or_update_pandas(f"dsgen_{name}")
    asset = source.add_dataframe_asset(name)
    return asset.add_batch_definition_whole_dataframe("partition")
