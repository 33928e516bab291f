"""What an export may say about the machine that made it: nothing.

The warehouse keeps the policy's absolute path (the evidence check re-reads the document from it);
a published dataset names the document by file name and sha256 instead, and names its source
database by file name. Older manifest rows that still carry `policy_path` are rewritten so.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import polars as pl

POLICY_TABLE = "policy_graph"


def public_frame(config: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The policy graph's `source_path` as the document's file name (`source_sha256` beside it
    says which document it was)."""
    if config != POLICY_TABLE or "source_path" not in frame.columns:
        return frame
    return frame.with_columns(
        pl.col("source_path").map_elements(lambda path: PurePath(path).name, pl.Utf8)
    )


def public_batch(batch: dict[str, Any], policy_sha256: dict[str, str]) -> dict[str, Any]:
    """A manifest row whose config names the policy, not the path it was read from."""
    config = batch.get("config")
    if isinstance(config, dict) and "policy_path" in config:
        path = config.pop("policy_path")
        config.setdefault(
            "policy",
            {"name": PurePath(str(path)).name, "sha256": policy_sha256.get(batch["partition_key"])},
        )
    return batch


def policy_hashes(policy_graph: pl.DataFrame) -> dict[str, str]:
    """Partition key -> the sha256 of the policy document that batch was grounded in."""
    if policy_graph.is_empty() or "source_sha256" not in policy_graph.columns:
        return {}
    rows = policy_graph.select(pl.col("partition_date").cast(pl.Utf8), "source_sha256").unique(
        maintain_order=True
    )
    return dict(rows.iter_rows())
