"""What a stage sends to the `llm` resource and what it gets back. Provider-independent."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Tier = Literal["strong", "cheap"]


class LLMRequest(BaseModel):
    """One structured generation: render `template` with `context`, answer as `response_model`."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    stage: str
    tier: Tier
    template: str
    context: dict[str, Any]
    response_model: type[BaseModel]
    key: str = Field(description="The row this request serves, e.g. a ticket id; unique per stage.")
    sample_index: int = 0


class ChatMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


class PreparedRequest(BaseModel):
    """A request with its prompt rendered and its model chosen: all a provider needs."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    request: LLMRequest
    model: str
    messages: tuple[ChatMessage, ...]


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cached: bool = False
    attempts: int = 1
    retries: int = 0


class LLMResult(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    key: str
    model: str
    response: BaseModel | None = None
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)

    @property
    def ok(self) -> bool:
        return self.response is not None


class StageReport(BaseModel):
    """Totals of one stage's calls: what goes into asset metadata and the manifest."""

    stage: str
    provider: str
    model: str
    requests: int = 0
    succeeded: int = 0
    failed: int = 0
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
        return cls(
            stage=stage,
            provider=provider,
            model=model,
            requests=len(results),
            succeeded=sum(r.ok for r in results),
            failed=sum(not r.ok for r in results),
            cached=sum(r.usage.cached for r in results),
            retries=sum(r.usage.retries for r in results),
            prompt_tokens=sum(r.usage.prompt_tokens for r in results),
            completion_tokens=sum(r.usage.completion_tokens for r in results),
            cost_usd=round(sum(r.usage.cost_usd for r in results), 6),
            wall_seconds=round(wall_seconds, 3),
        )
