"""The `llm` resource: every LLM stage hands it a batch of typed requests, gets typed results.

Stages never know which provider answers. The resource renders prompts (so prompt hashes and cache
keys are the same for every provider), picks the model of the request's tier, runs the batch on the
provider, enforces the stage's failure budget and reports totals.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

import dagster as dg
from pydantic import Field

from dsgen_dagster.errors import ConfigError, LLMError, LLMStageError
from dsgen_dagster.llm.providers.offline.provider import OfflineProvider
from dsgen_dagster.llm.types import LLMRequest, LLMResult, PreparedRequest, StageReport, Tier
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


class LLMResource(dg.ConfigurableResource):
    """Structured generation for every LLM stage, from `offline` (default) or `openai`."""

    provider: str = Field(default="offline", description="`offline` or `openai`.")
    base_url: str = Field(default="", description="OpenAI-compatible endpoint; empty = OpenAI.")
    api_key: str = Field(default="", description="Set through dg.EnvVar; never stored or logged.")
    model_strong: str = Field(default="", description="Model for topics, emails, answers.")
    model_cheap: str = Field(default="", description="Model for tags, rephrasings, translations.")
    concurrency: int = Field(default=64, description="Requests in flight at once.")
    rpm: int = Field(default=0, description="Requests per minute allowed; 0 = no limit.")
    tpm: int = Field(default=0, description="Tokens per minute allowed; 0 = no limit.")
    temperature: float = Field(
        default=DEFAULT_TEMPERATURE, ge=0.0, le=2.0, description="Sampling temperature, 0-2."
    )
    seed: int | None = Field(default=None, description="Passed through to the provider.")
    max_reasks: int = Field(default=2, description="Validation re-asks per request.")
    max_failure_share: float = Field(
        default=0.0, description="Share of a stage's requests that may fail before it fails."
    )
    request_timeout_seconds: float = 60.0
    prices: str = Field(
        default="",
        description='USD per 1M tokens as JSON, e.g. {"gpt-4o": {"prompt": 2.5, "completion": 10}};'
        " overrides DSGEN_PRICES and the defaults.",
    )
    warehouse: Warehouse = Field(default_factory=Warehouse)

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
    ) -> tuple[list[LLMResult], StageReport]:
        """Results in the order of `requests`; raises LLMStageError past the failure budget."""
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
        self._enforce_failure_budget(report, results, log)
        return results, report

    def _enforce_failure_budget(
        self, report: StageReport, results: list[LLMResult], log: Any
    ) -> None:
        failed = [result for result in results if not result.ok]
        for result in failed[:20]:
            log.warning(f"{report.stage}: request {result.key} failed: {result.error}")
        if failed and len(failed) > self.max_failure_share * len(results):
            sample = ", ".join(f"{r.key} ({r.error})" for r in failed[:5])
            raise LLMStageError(
                f"{report.stage}: {len(failed)} of {len(results)} requests failed after retries "
                f"(allowed share {self.max_failure_share:.0%}); first: {sample}. Re-run the "
                "partition (cached responses are not requested again) or raise max_failure_share."
            )


def check_batch(requests: list[LLMRequest]) -> None:
    stages = {request.stage for request in requests}
    if len(stages) != 1:
        raise LLMError(f"one batch must be one stage, got {sorted(stages)}")
    keys = [(request.key, request.sample_index) for request in requests]
    if len(set(keys)) != len(keys):
        raise LLMError(f"{requests[0].stage}: request keys must be unique within a batch")
