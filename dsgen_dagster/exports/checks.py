"""Check outcomes as the Dagster instance knows them at export time."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import dagster as dg

from dsgen_dagster.lib.provenance import check_outcomes


def defined_check_keys() -> list[dg.AssetCheckKey]:
    from dsgen_dagster.definitions import defs  # the code location: imported only when needed

    return sorted(
        defs.get_repository_def().asset_graph.asset_check_keys,
        key=lambda key: key.to_user_string(),
    )


def current_check_outcomes(
    instance: dg.DagsterInstance,
    partition_key: str,
    check_keys: Sequence[dg.AssetCheckKey] | None = None,
) -> dict[str, dict[str, Any]]:
    keys = defined_check_keys() if check_keys is None else check_keys
    return check_outcomes(instance, keys, partition_key)


def instance_from_environment() -> dg.DagsterInstance | None:
    """The instance the runs were recorded in, when DAGSTER_HOME says where it is."""
    home = os.environ.get("DAGSTER_HOME", "")
    if not home or not os.path.isdir(home):
        return None
    return dg.DagsterInstance.get()
