"""What a stage sends to the `llm` resource and what it gets back. Provider-independent."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from dsgen_dagster.llm.prompts import ChatMessage, PromptTemplate

__all__ = ["ChatMessage", "PromptTemplate"]

Tier = Literal["strong", "cheap"]
ResponseT = TypeVar("ResponseT", bound=BaseModel)
# How the offline provider answers a request: from its context and a seeded random source.
Composer = Callable[[dict[str, Any], random.Random], BaseModel]


class LLMRequest(BaseModel, Generic[ResponseT]):
    """One structured generation: render `template` with `context`, answer as `response_model`."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    stage: str
    tier: Tier
    template: PromptTemplate
    context: dict[str, Any]
    response_model: type[ResponseT]
    key: str = Field(description="The row this request serves, e.g. a ticket id; unique per stage.")
    sample_index: int = 0
    # The stage's offline composer; not part of what a model is sent (nor of the cache key).
    offline: Composer | None = Field(default=None, exclude=True, repr=False)


class PreparedRequest(BaseModel):
    """A request with its prompt rendered and its model chosen: all a provider needs."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    request: LLMRequest[BaseModel]
    model: str
    messages: tuple[ChatMessage, ...]


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cached: bool = False
    attempts: int = 1
    retries: int = 0
    # Re-asks for content, per rule the rejected answer broke (a re-ask may count for several).
    reasks_by_rule: dict[str, int] = Field(default_factory=dict)


class LLMResult(BaseModel, Generic[ResponseT]):
    """What a request came back as: its typed response, or the reason there is none."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    key: str
    model: str
    response: ResponseT | None = None
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)
    # Set aside: still breaking these rules (first = the main one) after every re-ask.
    rejected_rules: list[str] = Field(default_factory=list)
    rejection: str | None = None  # what the rules said about the last answer
    raw_response: str | None = None  # the last answer, as the model sent it

    @property
    def ok(self) -> bool:
        return self.response is not None

    @property
    def rejected(self) -> bool:
        return self.response is None and bool(self.rejected_rules)


class StageReport(BaseModel):
    """Totals of one stage's calls: what goes into asset metadata and the manifest."""

    stage: str
    provider: str
    model: str
    requests: int = 0
    succeeded: int = 0  # = kept: rows the stage writes
    failed: int = 0  # transport failures after retries
    kept: int = 0
    rejected: int = 0  # still broke a rule after every re-ask: in the rejects table
    rejects_by_rule: dict[str, int] = Field(default_factory=dict)
    reasks: int = 0  # content re-asks in all
    reasks_by_rule: dict[str, int] = Field(default_factory=dict)
    valid_rate: float = 1.0  # kept / requests
    cached: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    wall_seconds: float = 0.0
    # What the requests were sampled with; None for a provider that does not sample (offline).
    temperature: float | None = None
    seed: int | None = None

    @classmethod
    def from_results(
        cls, stage: str, provider: str, model: str, results: list[LLMResult], wall_seconds: float
    ) -> StageReport:
        rejects = Counter(r.rejected_rules[0] for r in results if r.rejected)
        reasks: Counter[str] = Counter()
        for result in results:
            reasks.update(result.usage.reasks_by_rule)
        kept = sum(r.ok for r in results)
        return cls(
            stage=stage,
            provider=provider,
            model=model,
            requests=len(results),
            succeeded=kept,
            failed=sum(not r.ok and not r.rejected for r in results),
            kept=kept,
            rejected=sum(rejects.values()),
            rejects_by_rule=dict(rejects.most_common()),
            reasks=sum(reasks.values()),
            reasks_by_rule=dict(reasks.most_common()),
            valid_rate=round(kept / len(results), 4) if results else 1.0,
            cached=sum(r.usage.cached for r in results),
            retries=sum(r.usage.retries for r in results),
            prompt_tokens=sum(r.usage.prompt_tokens for r in results),
            completion_tokens=sum(r.usage.completion_tokens for r in results),
            cost_usd=round(sum(r.usage.cost_usd for r in results), 6),
            wall_seconds=round(wall_seconds, 3),
        )
