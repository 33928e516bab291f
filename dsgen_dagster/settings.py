"""Every setting in one place: the batch settings, the environment variables behind every resource,
and how a bad value is reported.

The environment supplies each resource's *defaults* (`from_env` makes a subclass whose field
defaults are the environment's values), so run config overrides field by field: a run that sets
only `resources.batch_settings.config.seed` keeps the environment's ticket count and policy, and
the Launchpad shows the effective values. Constraints live on the fields (`Field(ge=..., le=...)`)
and are checked whenever a resource is built, from the environment or from run config; a wrap
validator names the environment variable and the fix in the message.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import dagster as dg
from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo

from dsgen_dagster.errors import ConfigError
from dsgen_dagster.ids import ID_DIGITS, MAX_ID_INDEX
from dsgen_dagster.lib.domain import SHIPPED_POLICY_PATH, Domain, load_domain
from dsgen_dagster.lib.vocabulary import LANGUAGES

DEFAULT_DB_PATH = "data/dsgen.duckdb"
DEFAULT_SEED = 20260101
DEFAULT_TICKETS_PER_BATCH = 24
# Every ticket (and every customer and order, of which a batch makes fewer) needs an id number.
MAX_TICKETS_PER_BATCH = MAX_ID_INDEX

ResourceT = TypeVar("ResourceT", bound=dg.ConfigurableResource)


@dataclass(frozen=True)
class EnvSetting:
    """An environment variable that sets one field of a resource."""

    variable: str
    parse: Callable[[str], Any]
    hint: str  # what a valid value looks like, for the error message


def whole_number(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError("is not a whole number") from None


def number(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ValueError("is not a number") from None


def optional_whole_number(raw: str) -> int | None:
    return whole_number(raw) if raw else None


def comma_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def text(raw: str) -> str:
    return raw


class NamesItsVariables:
    """Mixin: a validation error of the resource names the environment variable and the fix."""

    ENV: ClassVar[Mapping[str, EnvSetting]] = {}

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_variable(cls, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise ValueError(describe(exc, cls.ENV)) from None


def describe(exc: ValidationError, env: Mapping[str, EnvSetting]) -> str:
    """`DSGEN_TICKETS_PER_BATCH=0: Input should be greater than or equal to 1; set it to ...`."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        message = str(error["msg"]).removeprefix("Value error, ")
        setting = env.get(field)
        if setting is None:
            problems.append(f"{field}={error.get('input')!r}: {message}")
        else:
            problems.append(
                f"{setting.variable}={error.get('input')!r} (run config `{field}`): {message}; "
                f"set {setting.variable} to {setting.hint}"
            )
    return "; ".join(problems)


class BatchSettings(NamesItsVariables, dg.ConfigurableResource):
    """What one batch (partition) is made of. Same settings + seed + partition => same rows."""

    # A validation error must not echo the input: it holds the API key.
    model_config = ConfigDict(hide_input_in_errors=True)

    ENV: ClassVar[Mapping[str, EnvSetting]] = {
        "tickets_per_batch": EnvSetting(
            "DSGEN_TICKETS_PER_BATCH",
            whole_number,
            f"a whole number from 1 to {MAX_TICKETS_PER_BATCH} "
            f"(ticket ids hold {ID_DIGITS} digits)",
        ),
        "seed": EnvSetting("DSGEN_SEED", whole_number, "a whole number"),
        "policy_path": EnvSetting(
            "DSGEN_POLICY_PATH", text, "a markdown file, or unset it for the shipped policy"
        ),
        "company": EnvSetting(
            "DSGEN_COMPANY", text, "the company's name, or unset it to read it from the policy"
        ),
        "catalogue_path": EnvSetting(
            "DSGEN_CATALOGUE",
            text,
            "a YAML or CSV catalogue (columns in README), or unset it for the default",
        ),
        "scenarios_path": EnvSetting(
            "DSGEN_SCENARIOS",
            text,
            "a YAML scenario table (keys in README), or unset it for the default",
        ),
        "rephrasings_per_ticket": EnvSetting(
            "DSGEN_REPHRASINGS_PER_TICKET", whole_number, "a whole number from 0 to 10"
        ),
        "translation_languages": EnvSetting(
            "DSGEN_TRANSLATION_LANGUAGES",
            comma_list,
            f"a comma-separated subset of {','.join(LANGUAGES)}",
        ),
        "relation_retyping": EnvSetting(
            "DSGEN_RELATION_RETYPING",
            text,
            "auto (the openai provider re-types unsure policy relations) or off",
        ),
    }

    tickets_per_batch: int = Field(
        default=DEFAULT_TICKETS_PER_BATCH,
        ge=1,
        le=MAX_TICKETS_PER_BATCH,
        description="Tickets per partition.",
    )
    seed: int = Field(default=DEFAULT_SEED, description="Global seed.")
    policy_path: str = Field(default="", description="Policy markdown; empty = the shipped policy.")
    company: str = Field(default="", description="Company name; empty = the policy's title.")
    catalogue_path: str = Field(
        default="", description="Catalogue YAML/CSV; empty = shipped, or derived from the policy."
    )
    scenarios_path: str = Field(
        default="", description="Scenario table YAML; empty = one ticket type per policy section."
    )
    rephrasings_per_ticket: int = Field(
        default=2, ge=0, le=10, description="Rephrased variants per email."
    )
    translation_languages: list[str] = Field(
        default_factory=lambda: ["de", "fr"],
        description="Languages every ticket is translated into (its own language is skipped).",
    )

    relation_retyping: str = Field(
        default="auto",
        description="auto: with the openai provider, unsure relations of the policy are re-typed "
        "by the model (validated against the text); off: the parser's typing only.",
    )

    @field_validator("relation_retyping")
    @classmethod
    def _known_retyping(cls, mode: str) -> str:
        if mode not in ("auto", "off"):
            raise ValueError(f"{mode!r} is not a mode; use auto or off")
        return mode

    @field_validator("translation_languages")
    @classmethod
    def _known_languages(cls, languages: list[str]) -> list[str]:
        unknown = sorted(set(languages) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"unsupported codes {unknown}")
        return languages

    @field_validator("policy_path")
    @classmethod
    def _policy_exists(cls, policy_path: str) -> str:
        if policy_path and not Path(policy_path).is_file():
            raise ValueError(f"policy document {policy_path!r} does not exist")
        return policy_path

    @field_validator("catalogue_path", "scenarios_path")
    @classmethod
    def _file_exists(cls, path: str) -> str:
        if path and not Path(path).is_file():
            raise ValueError(f"file {path!r} does not exist")
        return path

    @model_validator(mode="after")
    def _domain_files_fit(self) -> BatchSettings:
        """A user's catalogue or scenario table is read now, before any work: a ConfigError
        naming the file, the line and the fix."""
        if self.catalogue_path or self.scenarios_path:
            self.domain()
        return self

    def domain(self) -> Domain:
        """The company, catalogue and scenario table of the batch (cached per file contents)."""
        return load_domain(
            self.resolved_policy_path(), self.company, self.catalogue_path, self.scenarios_path
        )

    def validated(self) -> BatchSettings:
        """Kept for callers of the old API: the fields are checked when the resource is built."""
        return self

    def resolved_policy_path(self) -> Path:
        return Path(self.policy_path) if self.policy_path else SHIPPED_POLICY_PATH

    def as_manifest(self) -> dict[str, object]:
        return {
            "tickets_per_batch": self.tickets_per_batch,
            "seed": self.seed,
            "policy_path": str(self.resolved_policy_path()),
            "company": self.domain().company.name,
            "catalogue_path": self.catalogue_path,
            "scenarios_path": self.scenarios_path,
            "rephrasings_per_ticket": self.rephrasings_per_ticket,
            "translation_languages": list(self.translation_languages),
            "relation_retyping": self.relation_retyping,
        }


def with_defaults(cls: type[ResourceT], values: Mapping[str, Any]) -> type[ResourceT]:
    """A subclass of `cls` whose field defaults are `values` (constraints and descriptions kept):
    what the Launchpad shows, and what a run config that names other fields keeps."""
    annotations = {name: cls.model_fields[name].annotation for name in values}
    namespace: dict[str, Any] = {
        "__annotations__": annotations,
        "__module__": cls.__module__,
        "__doc__": cls.__doc__,
        "__qualname__": cls.__qualname__,
    }
    for name, value in values.items():
        namespace[name] = FieldInfo.merge_field_infos(
            cls.model_fields[name], default=value, default_factory=None
        )
    return type(cls.__name__, (cls,), namespace)


def from_env(cls: type[ResourceT], env: Mapping[str, str] | None = None, **fixed: Any) -> ResourceT:
    """`cls` with its defaults from the environment variables in `cls.ENV` (unset or empty
    variables keep the class defaults); `fixed` are values that are not environment settings
    (a nested resource, a secret as `dg.EnvVar`)."""
    env = os.environ if env is None else env
    settings: Mapping[str, EnvSetting] = getattr(cls, "ENV", {})
    values: dict[str, Any] = {}
    for field, setting in settings.items():
        raw = env.get(setting.variable, "").strip()
        # Unset or empty keeps the default, except for a list, where empty means "none"
        # (DSGEN_TRANSLATION_LANGUAGES= turns translations off).
        if not raw and not (setting.parse is comma_list and setting.variable in env):
            continue
        try:
            values[field] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError(
                f"{setting.variable}={raw!r} {exc}; set it to {setting.hint}"
            ) from None
    try:
        return with_defaults(cls, values)(
            **values, **fixed
        )  # passed too: defaults are not validated
    except ValidationError as exc:
        raise ConfigError(describe_plain(exc)) from None


def describe_plain(exc: ValidationError) -> str:
    """The message the wrap validator composed (it names the variable), without pydantic's
    framing."""
    messages = [str(error["msg"]).removeprefix("Value error, ") for error in exc.errors()]
    return "; ".join(messages)


def batch_settings_from_env(env: Mapping[str, str] | None = None) -> BatchSettings:
    return from_env(BatchSettings, env)


def database_path_from_env(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return env.get("DSGEN_DB", "").strip() or DEFAULT_DB_PATH
