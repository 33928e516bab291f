"""One folder per stage. Each has `assets.py` exporting `ASSETS`; a stage with asset checks
has `checks.py` exporting `CHECKS`. The Definitions collect both from the stages listed
here, in pipeline order."""

from __future__ import annotations

import importlib
from types import ModuleType

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


def stage_modules(kind: str) -> list[ModuleType]:
    modules = []
    for stage in STAGES:
        try:
            modules.append(importlib.import_module(f"dsgen_dagster.defs.{stage}.{kind}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"dsgen_dagster.defs.{stage}.{kind}":
                raise
    return modules


def all_assets() -> list:
    return [asset for module in stage_modules("assets") for asset in module.ASSETS]


def all_checks() -> list:
    return [check for module in stage_modules("checks") for check in getattr(module, "CHECKS", [])]
