"""Shared machinery of the offline composers: phrase pools per language, fact values, picking.

Everything the offline provider writes is honest template text: sentences from phrase pools, filled
with the ticket's facts and chosen by the request's seeded `random.Random`. The pools are data
files that ship inside the package: each stage keeps its own in `defs/<stage>/phrases/<lang>.json`
(the composer passes its package), and the words every language needs (months, amounts, payment
and shipping names, quotation marks) are in `words/<lang>.json` beside this module. Variety comes
from many small slots, each with its own pool, and from varied sentence order and length, not from
pretending to be a model.

A template is a `str.format` string over the names `fact_values` returns. A template that names a
fact the ticket does not have (no delivery date, a single item, ...) is never drawn.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from dsgen_dagster.errors import ConfigError
from dsgen_dagster.lib.vocabulary import LANGUAGES

FALLBACK_LANGUAGE = "en"
RETAIL = "retail"  # the offering whose pools are the phrase files' plain keys (lib/offering.py)
DEFAULT_OFFERING = "account"
ANY = "any."  # prefix of the pools a non-retail offering uses instead

# What must never appear in a text whose ticket carries no order reference.
ORDER_TOKEN_RE = re.compile(r"ord[_\s-]?\d", re.IGNORECASE)
LONG_DIGITS_RE = re.compile(r"\d{5,}")

Pool = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class LanguagePack:
    """A language's phrase pool of one stage and its way of writing dates, amounts and quotes."""

    code: str
    phrases: Pool
    words: Mapping[str, Any]


def pack_language(language: str) -> str:
    """The language a text is composed in: a language without phrases is written in English."""
    return language if language in LANGUAGES else FALLBACK_LANGUAGE


@lru_cache(maxsize=64)
def _data_file(package: str, name: str) -> Any:
    resource = resources.files(package).joinpath(name)
    try:
        return json.loads(resource.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"phrase file {name} is missing from package {package}; every language in "
            f"{LANGUAGES} needs one (reinstall the package, or add the file)"
        ) from None


def words(language: str) -> Mapping[str, Any]:
    return _data_file(__package__, f"words/{pack_language(language)}.json")


def language_pack(package: str, language: str, offering: str = RETAIL) -> LanguagePack:
    """The phrases of the stage whose package is `package`, in `language`, for what the company
    sells: a retailer's pools as they are; any other offering's with the `any.<key>` pools in
    place of `<key>` (no order, parcel or delivery), whose words come from `offerings.<kind>`
    in the language's words file."""
    code = pack_language(language)
    return LanguagePack(code=code, phrases=_phrases(package, code, offering), words=words(code))


@lru_cache(maxsize=64)
def _phrases(package: str, code: str, offering: str) -> Pool:
    pool: Pool = _data_file(package, f"phrases/{code}.json")
    if offering == RETAIL:
        return pool
    overlay = {key[len(ANY) :]: value for key, value in pool.items() if key.startswith(ANY)}
    return {**pool, **overlay}


def offering_words(offering: Any, language: str) -> Mapping[str, Any] | None:
    """The words of a non-retail offering (`ref_noun`, `item`, `started`, `state` ...)."""
    if not offering or offering == RETAIL:
        return None
    kinds = words(language).get("offerings") or {}
    return kinds.get(str(offering)) or kinds.get(DEFAULT_OFFERING)


# --- facts as words ---------------------------------------------------------------------------


def parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def format_date(value: Any, words: Mapping[str, Any]) -> str | None:
    date = parse_date(value)
    if date is None:
        return None
    day = words.get("first_day", "1") if date.day == 1 else str(date.day)
    month = words["months"][date.month - 1]
    return str(words["date"]).format(day=day, month=month, year=date.year)


def format_money(value: Any, words: Mapping[str, Any], currency: str = "EUR") -> str | None:
    if value is None:
        return None
    grouped = f"{float(value):,.2f}"  # 1,299.00
    thousands, decimal = words["separators"]
    number = grouped.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    return str(words["money"]).replace("EUR", currency).format(amount=number)


def localized(raw: Any, table: Mapping[str, str]) -> str | None:
    """A code such as `credit_card` in the pack's words; unknown codes are spelled out plainly."""
    if raw is None or raw == "":
        return None
    key = str(raw).strip().lower().replace(" ", "_").replace("-", "_")
    return table.get(key, str(raw).replace("_", " "))


def days_between(start: Any, end: Any) -> int | None:
    first, last = parse_date(start), parse_date(end)
    if first is None or last is None:
        return None
    return (last - first).days


def fact_values(facts: Mapping[str, Any], language: str) -> dict[str, Any]:
    """The names templates may use; None marks a fact this ticket does not have."""
    vocabulary = words(language)
    customer = facts.get("customer") or {}
    product = facts.get("product") or {}
    order = facts.get("order") or {}
    since_order = days_between(order.get("order_date"), facts.get("batch_date"))
    since_delivery = days_between(order.get("delivery_date"), facts.get("batch_date"))
    items = int(order.get("item_count") or 1)
    warranty = int(product.get("warranty_months") or 0)
    window = int(product.get("return_window_days") or 0)
    currency = str(facts.get("currency") or "EUR")
    return {
        "company": facts.get("company") or vocabulary.get("company_fallback", "your company"),
        "situation": facts.get("situation") or None,
        "clause_title": facts.get("clause_title") or None,
        "first": customer.get("first_name") or "",
        "last": customer.get("last_name") or "",
        "full": customer.get("full_name") or customer.get("first_name") or "",
        "product": product.get("name") or vocabulary["product_fallback"],
        "price": format_money(product.get("price_eur"), vocabulary, currency),
        "total": format_money(order.get("total_eur"), vocabulary, currency),
        "order_date": format_date(order.get("order_date"), vocabulary),
        "delivery_date": format_date(order.get("delivery_date"), vocabulary),
        "shipping": localized(order.get("shipping_method"), vocabulary["shipping"]),
        "payment": localized(order.get("payment_method"), vocabulary["payment"]),
        "ref": facts.get("order_reference") or None,
        "since_order": since_order if since_order is not None and since_order >= 2 else None,
        "since_delivery": (
            since_delivery if since_delivery is not None and since_delivery >= 2 else None
        ),
        "items": items if items > 1 else None,
        "warranty": warranty or None,
        "window": window or None,
        **_offering_values(facts, vocabulary, language),
    }


def _offering_values(
    facts: Mapping[str, Any], vocabulary: Mapping[str, Any], language: str
) -> dict[str, Any]:
    """The words a non-retail offering's pools name; none for a retailer."""
    lexicon = offering_words(facts.get("offering"), language)
    if lexicon is None:
        return {}
    order = facts.get("order") or {}
    status = str(order.get("status") or "")
    started_on = format_date(order.get("order_date"), vocabulary)
    started = str(lexicon["started"]).format(order_date=started_on) if started_on else None
    return {
        "ref_noun": lexicon["ref_noun"],
        "item": lexicon["item"],
        "started": started[:1].upper() + started[1:] if started else None,
        "state": lexicon["state"].get(status),
        "agent_state": lexicon["agent_state"].get(status),
        "state_word": (lexicon.get("state_word") or {}).get(status),
    }


# --- what the customer wants ------------------------------------------------------------------

# The kinds of outcome a customer asks for, each with the English words that give it away in a
# scenario's `desired_outcome`; checked in this order, the first match wins. Every language pack
# has a `want.<kind>` pool, so an email can ask for the scenario's outcome in its own language.
OUTCOME_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("store_credit", ("store credit",)),
    ("price_diff", ("price difference", "price drop", "lower price")),
    ("supervisor", ("supervisor", "escalat", "manager")),
    ("compensation", ("goodwill", "voucher", "compensation", "gesture")),
    ("deletion", ("delet", "erase", "close the account", "close their account")),
    ("data_copy", ("copy of", "data access", "personal data", "export")),
    ("access", ("access", "log in", "login", "password", "unlock")),
    ("reversal", ("revers", "duplicate charge", "charged twice", "overcharg", "correct")),
    ("instalment", ("instalment", "installment")),
    ("address", ("address", "redirect")),
    ("replacement", ("replacement", "replace", "new unit")),
    ("exchange", ("exchange", "swap")),
    ("repair", ("repair", "fix")),
    ("refund", ("refund", "money back", "reimburs")),
    ("cancel", ("cancel",)),
    ("delivery", ("deliver", "arriv", "tracking", "parcel", "shipment")),
    ("explanation", ("explain", "explanation", "clarif")),
)
OUTCOME_KINDS: tuple[str, ...] = tuple(kind for kind, _ in OUTCOME_KEYWORDS)

DEFAULT_OUTCOME_BY_TYPE: dict[str, str] = {
    "return_request": "refund",
    "refund_status": "refund",
    "shipping_delay": "delivery",
    "damaged_item": "replacement",
    "warranty_claim": "repair",
    "billing_dispute": "reversal",
    "account_access": "access",
    "privacy_request": "data_copy",
    "complaint": "compensation",
}


def outcome_kind(
    desired_outcome: str | None, ticket_type: str | None, product_name: str | None = None
) -> str:
    """The kind of outcome a scenario's English `desired_outcome` asks for.

    The product's name is left out of the match: a "Mesh Access Point" asks for no access.
    """
    text = (desired_outcome or "").lower()
    if product_name:
        text = text.replace(product_name.lower(), " ")
    for kind, keywords in OUTCOME_KEYWORDS:
        if any(keyword in text for keyword in keywords):
            return kind
    return DEFAULT_OUTCOME_BY_TYPE.get(ticket_type or "", "explanation")


# --- picking from pools -----------------------------------------------------------------------


@lru_cache(maxsize=8192)
def template_fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


@lru_cache(maxsize=8192)
def template_field_set(template: str) -> frozenset[str]:
    return frozenset(template_fields(template))


@lru_cache(maxsize=8192)
def longest_literal(template: str) -> str:
    """The template's longest fixed stretch of text: what survives any choice of facts."""
    pieces = [literal.strip().lower() for literal, _, _, _ in string.Formatter().parse(template)]
    return max(pieces, key=len, default="")


# Facts a text states once: a second template naming one of them is drawn only when nothing else
# is left (no email should give its total twice). Names, product and reference repeat freely.
STATED_ONCE = frozenset(
    {"total", "price", "payment", "shipping", "items", "since_order", "since_delivery", "window"}
    | {"warranty"}
)


class Picker:
    """Draws rendered phrases from a pool with a seeded rng.

    `avoid` is a text to stay away from (a rephrasing's source email): a template whose rendering,
    or whose longest fixed stretch of words, already appears in it is only drawn when nothing
    else is left. Likewise for templates restating a fact of STATED_ONCE already drawn.
    """

    def __init__(
        self,
        rng: random.Random,
        pool: Pool,
        values: Mapping[str, Any],
        *,
        avoid: str = "",
    ) -> None:
        self.rng = rng
        self.pool = pool
        self.values = dict(values)
        self.avoid = avoid.lower()
        self.stated: set[str] = set()

    def usable(self, key: str) -> list[str]:
        """The templates of `key` whose every field has a value (one set test a template: this
        runs for every phrase an offline batch draws)."""
        known = {name for name, value in self.values.items() if value is not None}
        return [
            template for template in self.pool.get(key, ()) if template_field_set(template) <= known
        ]

    def has(self, key: str) -> bool:
        return bool(self.usable(key))

    def render(self, template: str) -> str:
        return template.format_map(self.values)

    def _stale(self, template: str, rendered: str) -> bool:
        if not self.avoid:
            return False
        literal = longest_literal(template)
        return rendered.lower() in self.avoid or (len(literal) >= 12 and literal in self.avoid)

    def _restates(self, template: str) -> bool:
        return any(name in self.stated for name in template_fields(template))

    def pick(self, key: str, *, exclude: Iterable[str] = ()) -> str:
        """One rendered phrase of `key`, or "" when the pool has nothing usable."""
        taken = set(exclude)
        if not taken and not self.avoid:
            # No rendering to compare: the draw below from the same list, rendering only the
            # template drawn (rendering every option was ~1/8 of an offline batch's time).
            usable = self.usable(key)
            if not usable:
                return ""
            template = self.rng.choice([t for t in usable if not self._restates(t)] or usable)
            self.stated.update(name for name in template_fields(template) if name in STATED_ONCE)
            return self.render(template)
        options = [(template, self.render(template)) for template in self.usable(key)]
        if not options:
            return ""
        unused = [(t, text) for t, text in options if text not in taken]
        fresh = [(t, text) for t, text in unused if not self._stale(t, text)]
        new_facts = [(t, text) for t, text in fresh if not self._restates(t)]
        template, text = self.rng.choice(new_facts or fresh or unused or options)
        self.stated.update(name for name in template_fields(template) if name in STATED_ONCE)
        return text

    def pick_many(self, key: str, count: int) -> list[str]:
        chosen: list[str] = []
        for _ in range(count):
            text = self.pick(key, exclude=chosen)
            if text and text not in chosen:
                chosen.append(text)
        return chosen


# --- text helpers -----------------------------------------------------------------------------


def paragraphs(sentences: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """`sentences` split into at most `count` paragraphs at random cut points, in order."""
    sentences = [sentence for sentence in sentences if sentence]
    count = max(1, min(count, len(sentences)))
    cuts = sorted(rng.sample(range(1, len(sentences)), count - 1)) if count > 1 else []
    bounds = [0, *cuts, len(sentences)]
    return [" ".join(sentences[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def split_sentences(text: str) -> list[str]:
    """Sentences of a policy text, each a verbatim span of it."""
    return [piece for piece in re.split(r"(?<=[.!?;])\s+", text.strip()) if piece]


def shingles(text: str, size: int = 5) -> frozenset[tuple[str, ...]]:
    """Word `size`-grams of a text: lower case, punctuation stripped, split on whitespace."""
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    if len(words) < size:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(first: frozenset[Any], second: frozenset[Any]) -> float:
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def has_order_token(text: str) -> bool:
    return bool(ORDER_TOKEN_RE.search(text) or LONG_DIGITS_RE.search(text))
