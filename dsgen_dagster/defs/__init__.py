"""The stage list, once. One folder per stage, `defs/<stage>/`, holding everything the stage is:

- `assets.py` exports `ASSETS` (an LLM stage also exports `STAGE`, its `LLMStage` spec);
- `models.py` exports `TABLES`, the stage's output tables (row model, key, rules);
- `checks.py`, when the stage has asset checks, exports `CHECKS`;
- `prompt.jinja2`, `offline.py` and `phrases/` for an LLM stage.

Adding a stage is its folder and one entry below. The Definitions, the manifest, the schema files
and the exports all derive from this list; nothing outside `defs/` imports a stage by name.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

STAGES = (
    "policy_graph",
    "entities",
    "topics",
    "emails",
    "answers",
    "tags",
    "rephrasings",
    "translations",
    "manifest",
)


def stage_modules(kind: str, stages: tuple[str, ...] = STAGES) -> list[ModuleType]:
    """Each stage's `<kind>` module (assets, models, checks), for the stages that have one."""
    modules = []
    for stage in stages:
        try:
            modules.append(importlib.import_module(f"dsgen_dagster.defs.{stage}.{kind}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"dsgen_dagster.defs.{stage}.{kind}":
                raise
    return modules


def all_assets() -> list[Any]:
    return [asset for module in stage_modules("assets") for asset in module.ASSETS]


def all_checks() -> list[Any]:
    return [check for module in stage_modules("checks") for check in getattr(module, "CHECKS", [])]


def tables() -> dict[str, Any]:
    """Every output table (name -> `quality.tables.Table`), in pipeline order."""
    return {
        table.name: table
        for module in stage_modules("models")
        for table in getattr(module, "TABLES", [])
    }


def llm_stages() -> list[Any]:
    """The `LLMStage` spec of every LLM stage, in pipeline order."""
    return [module.STAGE for module in stage_modules("assets") if hasattr(module, "STAGE")]
