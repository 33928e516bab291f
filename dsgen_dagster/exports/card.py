"""The dataset card (README.md) of an export: Hugging Face YAML front matter, then what's inside."""

from __future__ import annotations

from collections import Counter
from typing import Any

import polars as pl
import yaml

from dsgen_dagster.exports.policy import policy_lines

DEFAULT_CONFIG = "tickets"
CONFIG_DESCRIPTIONS = {
    "tickets": "one row per ticket and language (originals and translations): the customer's "
    "email, the agent's policy-grounded answer, labels, tags and grounding columns",
    "policy_graph": "the policy clauses each batch is grounded in, with relations and source lines",
    "policy_clause_texts": "each clause's text per served language: the document's, the user's "
    "translation or a machine translation (its source says which)",
    "customers": "the customers of each batch's world",
    "products": "the products of each batch's world",
    "orders": "the orders of each batch's world",
    "rephrasings": "rephrased variants of each customer email",
}
OFFLINE_NOTE = (
    "The **offline provider** wrote these texts: deterministic template text composed from the "
    "same structured context a model is given. It is good for pipelines and tests; it is not "
    "model output."
)


def size_category(rows: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if rows < limit:
            return label
    return "100K<n<1M" if rows < 1_000_000 else "1M<n<10M"


def front_matter(frames: dict[str, pl.DataFrame], files: dict[str, dict[str, Any]]) -> str:
    languages = sorted(set(frames[DEFAULT_CONFIG]["language"].drop_nulls().to_list()))
    header = {
        "pretty_name": "dsgen synthetic customer-support tickets",
        "language": languages,
        "tags": ["synthetic", "customer-support", "dsgen"],
        "task_categories": ["text-classification", "text-generation"],
        "size_categories": [size_category(frames[DEFAULT_CONFIG].height)],
        "configs": [
            {
                "config_name": config,
                **({"default": True} if config == DEFAULT_CONFIG else {}),
                "data_files": [{"split": "train", "path": files[config]["parquet"]["path"]}],
            }
            for config in frames
        ],
    }
    return "---\n" + yaml.safe_dump(header, sort_keys=False, allow_unicode=True) + "---\n"


CHART_FILE = "distributions.svg"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def distributions(tickets: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Ticket type and information completeness over the original tickets, language over every
    row (originals and translations): what the chart and its table show."""
    originals = (
        tickets.filter(~pl.col("is_translation"))
        if "is_translation" in tickets.columns
        else tickets
    )
    shown = {
        "type": (originals, "type"),
        "language": (tickets, "language"),
        "completeness": (originals, "info_completeness"),
    }
    return {
        title: dict(Counter(str(value) for value in frame[column].to_list()))
        for title, (frame, column) in shown.items()
        if column in frame.columns
    }


def distribution_lines(counts: dict[str, dict[str, int]]) -> list[str]:
    lines = [
        f"![distributions]({CHART_FILE})",
        "",
        "| distribution | value | rows |",
        "|---|---|---|",
    ]
    for title, values in counts.items():
        for value, count in sorted(values.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"| {title} | `{value}` | {count} |")
    return lines


def check_lines(batches: list[dict[str, Any]]) -> list[str]:
    totals: Counter[str] = Counter()
    problems = []
    passed: Counter[str] = Counter()
    for batch in batches:
        for name, outcome in sorted((batch.get("check_outcomes") or {}).items()):
            totals[outcome["outcome"]] += 1
            if outcome["outcome"] == "PASSED":
                passed[name] += 1
            if outcome["outcome"] != "PASSED":
                detail = f" ({outcome['severity']})" if outcome.get("severity") else ""
                problems.append(
                    f"- {batch['partition_key']} `{name}`: {outcome['outcome']}{detail}"
                )
    if not totals:
        return ["No asset checks had run on these batches when they were exported."]
    summary = (
        f"**{totals['PASSED']} of {sum(totals.values())} check results passed** "
        f"({totals['FAILED']} failed, {totals['PENDING'] + totals['NOT_RUN']} not evaluated)."
    )
    every = len(batches)
    names = [f"`{name}`" + ("" if count == every else f" ({count} of {every})")
             for name, count in sorted(passed.items())]  # fmt: skip
    passed_lines = ["", "Passed: " + ", ".join(names) + "."] if names else []
    return [summary, *passed_lines, *(["", *problems] if problems else [])]


def provider_lines(batches: list[dict[str, Any]]) -> list[str]:
    providers = sorted({batch["provider"] for batch in batches})
    lines = []
    for provider in providers:
        names = sorted(
            {
                batch[key]
                for batch in batches
                if batch["provider"] == provider
                for key in ("model_strong", "model_cheap")
            }
        )
        lines.append(f"- provider `{provider}`, models: {', '.join(f'`{m}`' for m in names)}")
    if "offline" in providers:
        lines += ["", OFFLINE_NOTE]
    return lines


def fields_lines(config: str, files: dict[str, dict[str, Any]]) -> list[str]:
    rows = [f"| `{name}` | {dtype} |" for name, dtype in files[config]["columns"].items()]
    return [f"### {config}", "", CONFIG_DESCRIPTIONS.get(config, ""), "",
            "| field | type |", "|---|---|", *rows, ""]  # fmt: skip


def render_card(
    frames: dict[str, pl.DataFrame],
    files: dict[str, dict[str, Any]],
    batches: list[dict[str, Any]],
) -> str:
    partitions = [batch["partition_key"] for batch in batches]
    tickets = frames[DEFAULT_CONFIG]
    languages = Counter(tickets["language"].drop_nulls().to_list())
    seeds = sorted({str(batch["seed"]) for batch in batches})
    span = partitions[0] if len(partitions) == 1 else f"{partitions[0]} to {partitions[-1]}"
    lines = [
        "# dsgen synthetic customer-support dataset",
        "",
        f"{plural(len(partitions), 'daily batch', 'daily batches')}, {span}, generated by "
        "dsgen (a Dagster code location) from a policy document: every answer cites the policy "
        "clauses it relies on. Each batch is self-contained (its own policy snapshot, world and "
        f"tickets) and reproducible from its seed ({', '.join(seeds)}), date and config "
        "(`manifest.json`).",
        "",
        "```python",
        "from datasets import load_dataset",
        'tickets = load_dataset("path/to/this/folder", "tickets", split="train")',
        "```",
        "",
        "## Sizes",
        "",
        "| config | rows | parquet bytes | jsonl |",
        "|---|---|---|---|",
        *(
            f"| {config} | {entry['rows']} | {entry['parquet']['bytes']} | "
            f"`{entry['jsonl']['path']}` |"
            for config, entry in files.items()
        ),
        "",
        "## Languages",
        "",
        ", ".join(f"`{code}`: {plural(count, 'row')}" for code, count in sorted(languages.items())),
        "",
        "## Distributions",
        "",
        *distribution_lines(distributions(tickets)),
        "",
        "## Policy",
        "",
        *policy_lines(frames.get("policy_graph")),
        "",
        "## Provider",
        "",
        *provider_lines(batches),
        "",
        "## Checks",
        "",
        *check_lines(batches),
        "",
        "## Fields",
        "",
    ]
    for config in files:
        lines += fields_lines(config, files)
    return front_matter(frames, files) + "\n" + "\n".join(lines).rstrip() + "\n"
