"""What a call costs: USD per million prompt and completion tokens, per model.

The defaults are OpenAI's list prices for the default models; anything else (a fine-tune, a
self-hosted model, a price change) comes from the resource's `prices` or DSGEN_PRICES, as JSON:
`{"my-model": {"prompt": 0.5, "completion": 1.5}}` or `{"my-model": [0.5, 1.5]}`.
A model without a price costs 0 and is reported once, so a ledger never silently invents a cost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from dsgen_dagster.errors import ConfigError

DEFAULT_PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
}


@dataclass(frozen=True)
class PriceTable:
    per_million: dict[str, tuple[float, float]]

    def cost(self, model: str, prompt_tokens: int, completion_tokens: int) -> float:
        prompt_price, completion_price = self.per_million.get(model, (0.0, 0.0))
        return (prompt_tokens * prompt_price + completion_tokens * completion_price) / 1e6

    def knows(self, model: str) -> bool:
        return model in self.per_million


def price_table(configured: str = "") -> PriceTable:
    """The defaults, overridden by the llm resource's `prices` (DSGEN_PRICES or run config)."""
    prices = dict(DEFAULT_PRICES_PER_MILLION)
    prices.update(_parse(configured, "the price table (DSGEN_PRICES / `prices`)"))
    return PriceTable(prices)


def _parse(raw: str, source: str) -> dict[str, tuple[float, float]]:
    if not raw.strip():
        return {}
    example = '{"gpt-4o": {"prompt": 2.5, "completion": 10.0}}'
    try:
        table = json.loads(raw)
        if not isinstance(table, dict):
            raise TypeError("not an object")
        parsed = {}
        for model, price in table.items():
            pair = (price["prompt"], price["completion"]) if isinstance(price, dict) else price
            prompt, completion = (float(value) for value in pair)
            if prompt < 0 or completion < 0:
                raise ValueError("negative price")
            parsed[str(model)] = (prompt, completion)
        return parsed
    except (ValueError, TypeError, KeyError) as exc:
        raise ConfigError(
            f"{source} is not a price table ({exc}); give USD per million tokens as JSON, "
            f"e.g. {example}"
        ) from None
