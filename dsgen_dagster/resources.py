"""Resources built from the public environment variables (DESIGN.md, "Public configuration").

Run config may override any field per run (Launchpad: `resources.<name>.config`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg

from dsgen_dagster.errors import ConfigError
from dsgen_dagster.llm.resource import DEFAULT_TEMPERATURE, PROVIDERS, LLMResource
from dsgen_dagster.settings import (
    batch_settings_from_env,
    database_path_from_env,
    env_float,
    env_int,
)
from dsgen_dagster.storage import DuckDBPartitionIOManager, Warehouse


def llm_from_env(warehouse: Warehouse, env: Mapping[str, str]) -> LLMResource:
    provider = env.get("DSGEN_LLM_PROVIDER", "").strip() or "offline"
    if provider not in PROVIDERS:
        raise ConfigError(
            f"DSGEN_LLM_PROVIDER={provider!r} is not a provider; use one of {', '.join(PROVIDERS)}"
        )
    # The key stays an EnvVar: Dagster resolves it at run time and never shows its value.
    api_key: Any = dg.EnvVar("OPENAI_API_KEY") if env.get("OPENAI_API_KEY") else ""
    return LLMResource(
        provider=provider,
        base_url=env.get("OPENAI_BASE_URL", ""),
        api_key=api_key,
        model_strong=env.get("DSGEN_MODEL_STRONG", ""),
        model_cheap=env.get("DSGEN_MODEL_CHEAP", ""),
        concurrency=env_int(env, "DSGEN_LLM_CONCURRENCY", 64, minimum=1),
        rpm=env_int(env, "DSGEN_LLM_RPM", 0),
        tpm=env_int(env, "DSGEN_LLM_TPM", 0),
        max_failure_share=env_float(env, "DSGEN_LLM_MAX_FAILURE_SHARE", 0.0),
        temperature=env_float(env, "DSGEN_LLM_TEMPERATURE", DEFAULT_TEMPERATURE, maximum=2.0),
        seed=llm_seed_from_env(env),
        warehouse=warehouse,
    )


def llm_seed_from_env(env: Mapping[str, str]) -> int | None:
    """DSGEN_LLM_SEED, any whole number; unset = no seed sent."""
    if not env.get("DSGEN_LLM_SEED", "").strip():
        return None
    return env_int(env, "DSGEN_LLM_SEED", 0, minimum=-(2**63))


def resources_from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if env is None else env
    warehouse = Warehouse(database=database_path_from_env(env))
    return {
        "warehouse": warehouse,
        "io_manager": DuckDBPartitionIOManager(warehouse=warehouse),
        "llm": llm_from_env(warehouse, env),
        "batch_settings": batch_settings_from_env(env),
    }
