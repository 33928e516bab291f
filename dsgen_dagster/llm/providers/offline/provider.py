"""The offline provider: no key, no network. Each LLM stage's spec names a composer (its
`offline.py`) that builds the response deterministically from the same structured context the
prompt is rendered from; every request carries its stage's composer.

Every composed response is validated against its request's context, as a model's answer is: a
composer that breaks a stage's content rules is caught the same way (the row is rejected; there
is no one to re-ask).

Its text is honest template text: composed from phrase pools and the scenario's facts, varied by a
seeded draw, never pretending to be model output. It lets a newcomer, the tests and CI run the
whole pipeline; point DSGEN_LLM_PROVIDER at `openai` for real model text.
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

from dsgen_dagster.errors import LLMError
from dsgen_dagster.llm.types import LLMResult, PreparedRequest, Tier, Usage
from dsgen_dagster.quality.rules import describe, validate_in_context, violations_of

OFFLINE_MODELS: dict[Tier, str] = {"strong": "offline-composer", "cheap": "offline-composer"}


def request_rng(prepared: PreparedRequest) -> random.Random:
    request = prepared.request
    context_json = json.dumps(request.context, sort_keys=True, default=str)
    digest = hashlib.sha256(
        f"{request.stage}|{request.key}|{request.sample_index}|{context_json}".encode()
    ).hexdigest()
    return random.Random(digest)


def estimated_tokens(text: str) -> int:
    """About four characters a token: enough for a ledger of what a real model would be sent."""
    return max(1, len(text) // 4)


class OfflineProvider:
    name = "offline"
    samples = False  # deterministic: temperature and seed do not apply

    def model_for(self, tier: Tier, configured: str = "") -> str:
        return configured or OFFLINE_MODELS[tier]

    def run(
        self, prepared: list[PreparedRequest], log: Any = None, partition_key: str = ""
    ) -> list[LLMResult]:
        return [self._compose(item) for item in prepared]

    def _compose(self, prepared: PreparedRequest) -> LLMResult:
        request = prepared.request
        composer = request.offline
        if composer is None:
            raise LLMError(
                f"the offline provider has no composer for stage {request.stage!r}; give its spec "
                "a compose_offline function, or use DSGEN_LLM_PROVIDER=openai"
            )
        response = composer(request.context, request_rng(prepared))
        if not isinstance(response, request.response_model):
            raise LLMError(
                f"offline composer for {request.stage!r} returned {type(response).__name__}, "
                f"expected {request.response_model.__name__}"
            )
        prompt_text = "\n".join(message.content for message in prepared.messages)
        raw = response.model_dump_json()
        usage = Usage(
            prompt_tokens=estimated_tokens(prompt_text), completion_tokens=estimated_tokens(raw)
        )
        try:
            validate_in_context(request.response_model, response, request.context)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            broken = violations_of(exc)
            return LLMResult(
                key=request.key,
                model=prepared.model,
                error=f"{request.stage} {request.key}: the offline composer broke "
                f"{', '.join(dict.fromkeys(v.rule for v in broken))}",
                usage=usage,
                rejected_rules=list(dict.fromkeys(v.rule for v in broken)),
                rejection=describe(broken),
                raw_response=raw,
            )
        return LLMResult(key=request.key, model=prepared.model, response=response, usage=usage)
