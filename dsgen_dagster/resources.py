"""Resources built from the public environment variables (DESIGN.md, "Public configuration").

The environment gives every field its default; run config may override any field per run
(Launchpad: `resources.<name>.config`) and keeps the environment's value for the rest.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg

from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.settings import BatchSettings, from_env
from dsgen_dagster.storage import DuckDBPartitionIOManager, Warehouse


def resources_from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if env is None else env
    warehouse = from_env(Warehouse, env)
    # The key stays an EnvVar: Dagster resolves it at run time and never shows its value; when a
    # run config rebuilds the resource, the provider reads OPENAI_API_KEY itself.
    api_key: Any = dg.EnvVar("OPENAI_API_KEY") if env.get("OPENAI_API_KEY") else ""
    return {
        "warehouse": warehouse,
        "io_manager": DuckDBPartitionIOManager(warehouse=warehouse),
        "llm": from_env(LLMResource, env, api_key=api_key, warehouse=warehouse),
        "batch_settings": from_env(BatchSettings, env),
    }
