"""Batch settings: read from DSGEN_* environment variables, overridable per run as config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import dagster as dg
from pydantic import Field

from dsgen_dagster.errors import ConfigError
from dsgen_dagster.ids import ID_DIGITS, MAX_ID_INDEX

SHIPPED_POLICY_PATH = Path(__file__).parent / "data" / "policy.md"
DEFAULT_DB_PATH = "data/dsgen.duckdb"
DEFAULT_SEED = 20260101
DEFAULT_TICKETS_PER_BATCH = 24
SUPPORTED_LANGUAGES = ("en", "de", "fr", "es")
# Every ticket (and every customer and order, of which a batch makes fewer) needs an id number.
MAX_TICKETS_PER_BATCH = MAX_ID_INDEX


class BatchSettings(dg.ConfigurableResource):
    """What one batch (partition) is made of. Same settings + seed + partition => same rows."""

    tickets_per_batch: int = Field(
        default=DEFAULT_TICKETS_PER_BATCH, description="Tickets per partition."
    )
    seed: int = Field(default=DEFAULT_SEED, description="Global seed.")
    policy_path: str = Field(default="", description="Policy markdown; empty = the shipped policy.")
    rephrasings_per_ticket: int = Field(default=2, description="Rephrased variants per email.")
    translation_languages: list[str] = Field(
        default_factory=lambda: ["de", "fr"],
        description="Languages every ticket is translated into (its own language is skipped).",
    )

    def validated(self) -> BatchSettings:
        """Raise ConfigError naming the setting and the fix; return self when all is well."""
        if not 1 <= self.tickets_per_batch <= MAX_TICKETS_PER_BATCH:
            raise ConfigError(
                f"tickets_per_batch={self.tickets_per_batch} is out of range; set "
                f"DSGEN_TICKETS_PER_BATCH to a whole number from 1 to {MAX_TICKETS_PER_BATCH} "
                f"(ticket ids hold {ID_DIGITS} digits)"
            )
        if not 0 <= self.rephrasings_per_ticket <= 10:
            raise ConfigError(
                f"rephrasings_per_ticket={self.rephrasings_per_ticket} is out of range; "
                "set DSGEN_REPHRASINGS_PER_TICKET to a whole number from 0 to 10"
            )
        unknown = sorted(set(self.translation_languages) - set(SUPPORTED_LANGUAGES))
        if unknown:
            raise ConfigError(
                f"translation_languages has unsupported codes {unknown}; "
                f"use a comma-separated subset of {','.join(SUPPORTED_LANGUAGES)} "
                "in DSGEN_TRANSLATION_LANGUAGES"
            )
        path = self.resolved_policy_path()
        if not path.is_file():
            raise ConfigError(
                f"policy document {str(path)!r} does not exist; point DSGEN_POLICY_PATH at a "
                "markdown file, or unset it to use the shipped policy"
            )
        return self

    def resolved_policy_path(self) -> Path:
        return Path(self.policy_path) if self.policy_path else SHIPPED_POLICY_PATH

    def as_manifest(self) -> dict[str, object]:
        return {
            "tickets_per_batch": self.tickets_per_batch,
            "seed": self.seed,
            "policy_path": str(self.resolved_policy_path()),
            "rephrasings_per_ticket": self.rephrasings_per_ticket,
            "translation_languages": list(self.translation_languages),
        }


def env_int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not a whole number; set it to e.g. {default}"
        ) from None
    if value < minimum:
        raise ConfigError(f"{name}={value} must be at least {minimum}")
    return value


def env_float(
    env: Mapping[str, str],
    name: str,
    default: float,
    *,
    minimum: float = 0.0,
    maximum: float | None = None,
) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; set it to e.g. {default}") from None
    if not value >= minimum:  # also refuses nan
        raise ConfigError(f"{name}={value} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={value} must be at most {maximum}")
    return value


def batch_settings_from_env(env: Mapping[str, str] | None = None) -> BatchSettings:
    env = os.environ if env is None else env
    languages = env.get("DSGEN_TRANSLATION_LANGUAGES")
    settings = BatchSettings(
        tickets_per_batch=env_int(
            env, "DSGEN_TICKETS_PER_BATCH", DEFAULT_TICKETS_PER_BATCH, minimum=1
        ),
        seed=env_int(env, "DSGEN_SEED", DEFAULT_SEED),
        policy_path=env.get("DSGEN_POLICY_PATH", ""),
        rephrasings_per_ticket=env_int(env, "DSGEN_REPHRASINGS_PER_TICKET", 2),
        translation_languages=(
            [code.strip() for code in languages.split(",") if code.strip()]
            if languages is not None
            else ["de", "fr"]
        ),
    )
    return settings.validated()


def database_path_from_env(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return env.get("DSGEN_DB", "").strip() or DEFAULT_DB_PATH
