"""The `llm` resource: every LLM stage hands it a batch of typed requests, gets typed results.

Stages never know which provider answers. The resource renders prompts (so prompt hashes and cache
keys are the same for every provider), picks the model of the request's tier, runs the batch on the
provider, enforces the stage's failure and reject budgets and reports totals.

A *failed* request got no answer (transport errors after retries); a *rejected* one got answers
that still broke a content rule after every re-ask. Rejected rows are set aside (the stage writes
them to its rejects table) and the stage goes on, unless their share passes `max_reject_share`.

"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

import dagster as dg
from pydantic import ConfigDict, Field, field_validator

from dsgen_dagster.errors import ConfigError, LLMError, LLMRejectsError, LLMStageError
from dsgen_dagster.llm.pricing import price_table
from dsgen_dagster.llm.providers.offline.provider import OfflineProvider
from dsgen_dagster.llm.types import LLMRequest, LLMResult, PreparedRequest, StageReport, Tier
from dsgen_dagster.settings import (
    EnvSetting,
    NamesItsVariables,
    number,
    optional_whole_number,
    text,
    whole_number,
)
from dsgen_dagster.storage.warehouse import Warehouse

PROVIDERS = ("offline", "openai")
DEFAULT_TEMPERATURE = 0.7


class Provider(Protocol):
    name: str
    samples: bool

    def model_for(self, tier: Tier, configured: str = "") -> str: ...

    def run(
        self, prepared: list[PreparedRequest], log: Any = None, partition_key: str = ""
    ) -> list[LLMResult]: ...


class LLMResource(NamesItsVariables, dg.ConfigurableResource):
    """Structured generation for every LLM stage, from `offline` (default) or `openai`."""

    # A validation error must not echo the input: it holds the API key.
    model_config = ConfigDict(hide_input_in_errors=True)

    ENV: ClassVar[Mapping[str, EnvSetting]] = {
        "provider": EnvSetting("DSGEN_LLM_PROVIDER", text, f"one of {', '.join(PROVIDERS)}"),
        "base_url": EnvSetting("OPENAI_BASE_URL", text, "an http(s) URL ending in /v1"),
        "model_strong": EnvSetting("DSGEN_MODEL_STRONG", text, "a model name"),
        "model_cheap": EnvSetting("DSGEN_MODEL_CHEAP", text, "a model name"),
        "concurrency": EnvSetting(
            "DSGEN_LLM_CONCURRENCY", whole_number, "a whole number from 1 to 4096"
        ),
        "rpm": EnvSetting("DSGEN_LLM_RPM", whole_number, "a whole number, 0 for no limit"),
        "tpm": EnvSetting("DSGEN_LLM_TPM", whole_number, "a whole number, 0 for no limit"),
        "temperature": EnvSetting("DSGEN_LLM_TEMPERATURE", number, "a number from 0 to 2"),
        "seed": EnvSetting("DSGEN_LLM_SEED", optional_whole_number, "a whole number"),
        "max_reasks": EnvSetting(
            "DSGEN_LLM_MAX_REASKS", whole_number, "a whole number from 0 to 10"
        ),
        "max_failure_share": EnvSetting(
            "DSGEN_LLM_MAX_FAILURE_SHARE", number, "a share from 0 to 1, e.g. 0.02"
        ),
        "max_reject_share": EnvSetting(
            "DSGEN_MAX_REJECT_SHARE", number, "a share from 0 to 1, e.g. 0.05"
        ),
        "prices": EnvSetting(
            "DSGEN_PRICES", text, 'JSON, e.g. {"my-model": {"prompt": 0.2, "completion": 0.6}}'
        ),
    }

    provider: str = Field(default="offline", description="`offline` or `openai`.")
    base_url: str = Field(default="", description="OpenAI-compatible endpoint; empty = OpenAI.")
    api_key: str = Field(
        default="",
        description="Empty: OPENAI_API_KEY from the environment when the provider starts. "
        "Never stored or logged.",
    )
    model_strong: str = Field(default="", description="Model for topics, emails, answers.")
    model_cheap: str = Field(default="", description="Model for tags, rephrasings, translations.")
    concurrency: int = Field(default=64, ge=1, le=4096, description="Requests in flight at once.")
    rpm: int = Field(default=0, ge=0, description="Requests per minute allowed; 0 = no limit.")
    tpm: int = Field(default=0, ge=0, description="Tokens per minute allowed; 0 = no limit.")
    temperature: float = Field(
        default=DEFAULT_TEMPERATURE, ge=0.0, le=2.0, description="Sampling temperature, 0-2."
    )
    seed: int | None = Field(default=None, description="Passed through to the provider.")
    max_reasks: int = Field(default=2, ge=0, le=10, description="Validation re-asks per request.")
    max_failure_share: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Share of a stage's requests that may fail before it fails.",
    )
    max_reject_share: float = Field(
        default=0.05,
        ge=0.0,
        le=1.0,
        description="Share of a stage's rows that may still break a content rule after their "
        "re-asks (set aside in the rejects table) before the stage fails.",
    )
    request_timeout_seconds: float = Field(default=60.0, gt=0.0, le=3600.0)
    prices: str = Field(
        default="",
        description='USD per 1M tokens as JSON, e.g. {"gpt-4o": {"prompt": 2.5, "completion": 10}};'
        " over the built-in table.",
    )
    warehouse: Warehouse = Field(default_factory=Warehouse)

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, provider: str) -> str:
        if provider not in PROVIDERS:
            raise ValueError(f"{provider!r} is not a provider; use one of {', '.join(PROVIDERS)}")
        return provider

    @field_validator("prices")
    @classmethod
    def _price_table(cls, prices: str) -> str:
        try:
            price_table(prices)
        except ConfigError as exc:  # a ValueError is what pydantic reports as a field's error
            raise ValueError(str(exc)) from None
        return prices

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Fail the run before its first step when the endpoint cannot serve it."""
        if self.provider == "openai":
            from dsgen_dagster.llm.providers.openai import preflight
            from dsgen_dagster.llm.providers.openai.provider import OpenAIProvider

            base_url, api_key = OpenAIProvider(self).endpoint()
            preflight.check_base_url(base_url)
            preflight.check_reachable(base_url, api_key)

    def build_provider(self) -> Provider:
        if self.provider == "offline":
            return OfflineProvider()
        if self.provider == "openai":
            from dsgen_dagster.llm.providers.openai.provider import (
                OpenAIProvider,  # heavy import: lazily
            )

            return OpenAIProvider(self)
        raise ConfigError(
            f"unknown LLM provider {self.provider!r}; set DSGEN_LLM_PROVIDER to one of {PROVIDERS}"
        )

    def generation_parameters(self) -> dict[str, object]:
        """How requests are made, for the manifest (temperature and seed are in each stage's
        report: they are what a stage was sampled with). No secrets."""
        return {
            "max_reasks": self.max_reasks,
            "concurrency": self.concurrency,
            "rpm": self.rpm,
            "tpm": self.tpm,
            "max_failure_share": self.max_failure_share,
            "max_reject_share": self.max_reject_share,
        }

    def model_for(self, tier: Tier, provider: Provider | None = None) -> str:
        configured = self.model_strong if tier == "strong" else self.model_cheap
        return (provider or self.build_provider()).model_for(tier, configured)

    def generate(
        self,
        requests: list[LLMRequest],
        *,
        partition_key: str = "",
        log: logging.Logger | Any | None = None,
        enforce: bool = True,
    ) -> tuple[list[LLMResult], StageReport]:
        """Results in the order of `requests`; raises LLMStageError / LLMRejectsError past the
        failure / reject budget (`enforce=False`: the caller enforces over a whole stage run in
        chunks, with `enforce_budgets`)."""
        log = log or logging.getLogger(__name__)
        if not requests:
            raise LLMError("a stage asked the llm resource for nothing; it needs upstream rows")
        stage = requests[0].stage
        check_batch(requests)
        provider = self.build_provider()
        models = {tier: self.model_for(tier, provider) for tier in {r.tier for r in requests}}
        prepared = [
            PreparedRequest(
                request=request,
                model=models[request.tier],
                messages=request.template.render(request.context),
            )
            for request in requests
        ]
        started = time.perf_counter()
        results = provider.run(prepared, log=log, partition_key=partition_key)
        report = StageReport.from_results(
            stage, provider.name, prepared[0].model, results, time.perf_counter() - started
        )
        if provider.samples:
            report.temperature, report.seed = self.temperature, self.seed
        if enforce:
            self.enforce_budgets(stage, unserved(results), len(results), log)
        return results, report

    def enforce_budgets(
        self, stage: str, unserved: list[LLMResult], total: int, log: Any = None
    ) -> None:
        """Fail the stage when more of its `total` requests failed, or were set aside, than the
        budgets allow; `unserved` are the results without a response."""
        log = log or logging.getLogger(__name__)
        self._enforce_failure_budget(stage, [r for r in unserved if not r.rejected], total, log)
        self._enforce_reject_budget(stage, [r for r in unserved if r.rejected], total, log)

    def _enforce_failure_budget(
        self, stage: str, failed: list[LLMResult], total: int, log: Any
    ) -> None:
        for result in failed[:20]:
            log.warning(f"{stage}: request {result.key} failed: {result.error}")
        if failed and len(failed) > self.max_failure_share * total:
            sample = ", ".join(f"{r.key} ({r.error})" for r in failed[:5])
            raise LLMStageError(
                f"{stage}: {len(failed)} of {total} requests failed after retries "
                f"(allowed share {self.max_failure_share:.0%}); first: {sample}. Re-run the "
                "partition (cached responses are not requested again) or raise max_failure_share."
            )

    def _enforce_reject_budget(
        self, stage: str, rejected: list[LLMResult], total: int, log: Any
    ) -> None:
        for result in rejected[:20]:
            log.warning(f"{stage}: set aside {result.key}: {result.rejection}")
        share = len(rejected) / total if total else 0.0
        if rejected and share > self.max_reject_share:
            rules = Counter(result.rejected_rules[0] for result in rejected).most_common(3)
            top = ", ".join(f"{rule} ({count})" for rule, count in rules)
            first = rejected[0]
            raise LLMRejectsError(
                f"{stage}: {len(rejected)} of {total} rows ({share:.1%}) still broke "
                f"a content rule after {self.max_reasks} re-asks, more than the allowed "
                f"{self.max_reject_share:.1%}; top rules: {top}; first: {first.key}: "
                f"{(first.rejection or '')[:300]}. The partition's previous rows are kept. Fix the "
                "prompt or the model, or raise DSGEN_MAX_REJECT_SHARE."
            )


def unserved(results: list[LLMResult]) -> list[LLMResult]:
    """The results without a response: failed in transport, or set aside by a content rule."""
    return [result for result in results if not result.ok]


def check_batch(requests: list[LLMRequest]) -> None:
    stages = {request.stage for request in requests}
    if len(stages) != 1:
        raise LLMError(f"one batch must be one stage, got {sorted(stages)}")
    keys = [(request.key, request.sample_index) for request in requests]
    if len(set(keys)) != len(keys):
        raise LLMError(f"{requests[0].stage}: request keys must be unique within a batch")
