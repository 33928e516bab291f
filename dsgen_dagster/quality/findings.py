"""What a check found, and how it reads in the Dagster UI.

A check collects `Finding`s (which row, which rule, what exactly is wrong) into `Findings`; its
result carries the number of rows checked, the number of rows with a problem, a count per rule
and the first few offending rows, so a user sees what failed and where without opening a query.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

MAX_OFFENDING_ROWS = 5


@dataclass(frozen=True)
class Finding:
    rule: str
    row_id: Any  # the row's id; None when the id itself is missing
    detail: str = ""
    row: int | None = None  # position in the partition's rows, for rows without a usable id


@dataclass
class Findings:
    rows: int
    found: list[Finding] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # every rule checked, listed even at 0

    def add(self, rule: str, row_id: Any, detail: str = "", row: int | None = None) -> None:
        self.found.append(Finding(rule, row_id, detail, row))

    def extend(self, other: Findings) -> None:
        self.found.extend(other.found)
        self.rules.extend(rule for rule in other.rules if rule not in self.rules)

    @property
    def passed(self) -> bool:
        return not self.found

    def counts(self) -> dict[str, int]:
        counts = Counter(finding.rule for finding in self.found)
        return {rule: counts.get(rule, 0) for rule in [*self.rules, *sorted(counts)]}

    def failed_rows(self) -> int:
        return len({_row_identity(finding) for finding in self.found})

    def offending(self, limit: int = MAX_OFFENDING_ROWS) -> list[dict[str, Any]]:
        rows = []
        for finding in self.found[:limit]:
            entry: dict[str, Any] = {"id": _plain(finding.row_id), "rule": finding.rule}
            if finding.row is not None:
                entry["row"] = finding.row
            if finding.detail:
                entry["detail"] = finding.detail[:300]
            rows.append(entry)
        return rows

    def offending_ids(self) -> list[Any]:
        return list(dict.fromkeys(_plain(finding.row_id) for finding in self.found))

    def metadata(self) -> dict[str, Any]:
        counts = self.counts()
        metadata: dict[str, Any] = {"rows": self.rows, "failed_rows": self.failed_rows()}
        metadata.update({rule: count for rule, count in counts.items() if count})
        metadata["rule_counts"] = dg.MetadataValue.json(counts)
        metadata["offending_rows"] = dg.MetadataValue.json(self.offending())
        ids = self.offending_ids()
        metadata["offending_ids"] = dg.MetadataValue.text(
            ", ".join(str(i) for i in ids[:20])
            + (f" (+{len(ids) - 20} more)" if len(ids) > 20 else "")
        )
        return metadata

    def result(self, extra: dict[str, Any] | None = None, **kwargs: Any) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(
            passed=self.passed, metadata={**self.metadata(), **(extra or {})}, **kwargs
        )


def _row_identity(finding: Finding) -> Any:
    return ("row", finding.row) if finding.row is not None else ("id", finding.row_id)


def _plain(value: Any) -> Any:
    """JSON-safe: NaN -> None, numpy scalars -> Python values, anything odd -> str."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item"):
        return _plain(value.item())
    return str(value)
