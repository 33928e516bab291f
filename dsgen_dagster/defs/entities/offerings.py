"""The LLM-made catalogue: with the openai provider and no DSGEN_CATALOGUE, one request asks the
model for the company's offerings, in the categories derived from the policy (lib/offering.py).

The request goes through the `llm` resource like a stage's (cached, in the `llm_calls` ledger,
re-asked when it breaks a rule). Its rules: names unique, categories among the derived ones,
prices above 0 in the company's currency, every term given. An answer that still breaks one after
its re-asks, or a failed request, leaves the derived catalogue in place, and the products
asset's metadata says why (`catalogue_fallback`).
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, Field

from dsgen_dagster.lib.catalogue import Catalogue, CatalogueLine
from dsgen_dagster.lib.domain import Domain
from dsgen_dagster.lib.offering import CATALOGUE_NOUN
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest, PromptTemplate
from dsgen_dagster.quality.rules import ContentChecked, Violation

STAGE = "catalogue"
DERIVED_SOURCE = "derived from the policy"
LLM_SOURCE = "made by the model"
MIN_OFFERINGS, MAX_OFFERINGS = 4, 16
TEMPLATE = PromptTemplate.from_package(__package__, STAGE)


class Offering(BaseModel):
    name: str = Field(min_length=2, max_length=80)
    category: str = Field(min_length=1)
    price: float
    # Required, no defaults: an offering without its terms is a schema slip, re-asked.
    warranty_months: int = Field(ge=0, le=120)
    return_window_days: int = Field(ge=0, le=365)
    contract_months: int = Field(ge=0, le=120)


class CatalogueDraft(ContentChecked):
    currency: str = Field(description="The currency of every price, as a code such as EUR.")
    offerings: list[Offering] = Field(min_length=1, max_length=MAX_OFFERINGS)

    def violations(self, context: dict[str, Any]) -> list[Violation]:
        found = []
        names = [offer.name.strip().lower() for offer in self.offerings]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            found.append(
                Violation("catalogue_unique_names", f"names {twice} appear twice; rename one")
            )
        allowed = list(context.get("categories") or [])
        unknown = sorted({o.category for o in self.offerings if o.category.lower() not in allowed})
        if unknown:
            found.append(
                Violation(
                    "catalogue_categories",
                    f"categories {unknown} are not among {allowed}; use one of those",
                )
            )
        unpriced = [offer.name for offer in self.offerings if not offer.price > 0]
        if unpriced:
            found.append(
                Violation("catalogue_prices", f"{unpriced} have no price above 0; give one")
            )
        currency = str(context.get("currency") or "")
        if self.currency.strip().upper() != currency:
            found.append(
                Violation(
                    "catalogue_currency",
                    f"prices are in {self.currency!r}; give them in {currency}",
                )
            )
        if len(self.offerings) < MIN_OFFERINGS:
            found.append(
                Violation(
                    "catalogue_size",
                    f"{len(self.offerings)} offerings; write at least {MIN_OFFERINGS}",
                )
            )
        return found


def catalogue_request(domain: Domain) -> LLMRequest:
    derived = domain.catalogue
    examples = [
        f"{name} ({line.category}, {_price(line)} {domain.company.currency})"
        for line in derived.lines
        for name in line.names
    ]
    context = {
        "company": domain.company.name,
        "currency": domain.company.currency,
        "offering_noun": CATALOGUE_NOUN.get(domain.company.offering, "products"),
        "categories": derived.categories,
        "examples": examples,
        "sections": list(domain.sections),
        "min_offerings": MIN_OFFERINGS,
        "max_offerings": MAX_OFFERINGS,
    }
    return LLMRequest(
        stage=STAGE,
        tier="strong",
        template=TEMPLATE,
        context=context,
        response_model=CatalogueDraft,
        key=domain.company.name or "catalogue",
    )


def world_catalogue(
    domain: Domain, llm: LLMResource, partition_key: str, log: Any = None
) -> tuple[Catalogue, dict[str, Any]]:
    """The catalogue the batch's products are drawn from, and what the products metadata says."""
    log = log or logging.getLogger(__name__)
    if llm.provider != "openai" or domain.catalogue.source != DERIVED_SOURCE:
        return domain.catalogue, {"catalogue_source": domain.catalogue.source}
    (result,), report = llm.generate(
        [catalogue_request(domain)], partition_key=partition_key, log=log, enforce=False
    )
    meta: dict[str, Any] = {"catalogue_model": result.model, "catalogue_cached": report.cached}
    if not isinstance(result.response, CatalogueDraft):
        reason = result.rejection or result.error or "no answer"
        log.warning(f"catalogue: the model's catalogue was not used ({reason}); derived kept")
        return domain.catalogue, {
            **meta,
            "catalogue_source": DERIVED_SOURCE,
            "catalogue_fallback": reason[:500],
        }
    lines = tuple(
        CatalogueLine(
            category=offer.category.lower(),
            names=(offer.name.strip(),),
            price_range=(offer.price, offer.price),
            warranty_months=offer.warranty_months,
            return_window_days=offer.return_window_days,
            contract_months=offer.contract_months,
        )
        for offer in result.response.offerings
    )
    return Catalogue(lines, LLM_SOURCE), {**meta, "catalogue_source": LLM_SOURCE}


def _price(line: CatalogueLine) -> str:
    low, high = line.price_range
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"
