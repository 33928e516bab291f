"""What a company sells, read from its policy: the offering's kind and a catalogue derived from it.

The kind decides the words of the offline texts: a retailer's customer has an *order* with an
order number that is delivered; a gym's member a *membership* with a membership number that is
active; an airline's passenger a *booking* with a booking reference; a telecom's or a SaaS's
customer a *contract*; a utility's household an *account*. It is the kind whose cue words the
policy's text uses most (the shipped policy is retail).

With no catalogue file, the catalogue is derived from the policy: the terms its definitions
section defines as things sold ("**Day Pass** means a single visit ... at £8"), then the noun
phrases its clauses name with an offering's head noun ("Off-Peak Membership", "Social Tariff"),
grouped in categories by that head noun; prices come from the amounts beside them, else a range
that fits the kind. Section titles ("Refunds and cancellations") never become products.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dsgen_dagster.lib.catalogue import Catalogue, CatalogueLine

OFFERING_KINDS = ("retail", "membership", "booking", "contract", "account")
RETAIL = "retail"
DEFAULT_KIND = "account"
KIND_CUES: dict[str, str] = {
    "retail": r"orders?|ordered|deliver(?:y|ies|ed)|parcels?|shipping|shipped|purchases?|"
    r"purchased|goods|warehouse|retailer",
    "membership": r"members?|memberships?|clubs?|gyms?|visits?",
    "booking": r"bookings?|booked|flights?|passengers?|fares?|reservations?|departures?|"
    r"journeys?|travel(?:l?ers?)?|boarding|itinerar(?:y|ies)",
    "contract": r"contracts?|plans?|subscriptions?|subscribers?|signup|sign-up|minimum term|"
    r"renew(?:al|s|ed)?|licen[cs]es?|seats?|policyholders?|insured|insurers?|premiums?",
    "account": r"supply|supplied|meters?|metered|households?|energy|electricity|gas|water|"
    r"premises|tariffs?|accounts?|banks?|banking|cards?|cardholders?|transactions?",
}
_CUE_RES = {kind: re.compile(rf"\b(?:{cues})\b", re.IGNORECASE) for kind, cues in KIND_CUES.items()}
# What a kind's catalogue is called ("the gym's memberships") and its default line when the
# policy names no offering at all.
CATALOGUE_NOUN = {
    "retail": "products",
    "membership": "memberships and passes",
    "booking": "fares and travel extras",
    "contract": "plans",
    "account": "tariffs and services",
}
DEFAULT_LINE: dict[str, tuple[str, tuple[str, ...]]] = {
    "retail": ("product", ("Basic", "Plus", "Premium")),
    "membership": ("membership", ("Standard Membership", "Premium Membership")),
    "booking": ("fare", ("Saver Fare", "Flex Fare", "Premium Fare")),
    "contract": ("plan", ("Basic Plan", "Plus Plan", "Premium Plan")),
    "account": ("tariff", ("Standard Tariff", "Fixed Tariff")),
}
# kind -> (price range when the policy gives none, warranty months, return/withdrawal days,
# contract months)
KIND_TERMS: dict[str, tuple[tuple[float, float], int, int, int]] = {
    "retail": ((9.0, 99.0), 12, 14, 0),
    "membership": ((15.0, 60.0), 0, 14, 12),
    "booking": ((39.0, 399.0), 0, 0, 0),
    "contract": ((9.0, 59.0), 0, 14, 12),
    "account": ((20.0, 120.0), 0, 14, 0),
}
# Head nouns of things a company sells, singular -> category. A phrase ending in one of them
# ("Off-Peak Membership", "promotional fare") is an offering.
OFFERING_HEADS: dict[str, str] = {
    **dict.fromkeys(("membership", "subscription"), "membership"),
    **dict.fromkeys(("pass", "card"), "pass"),
    **dict.fromkeys(("training", "session", "class", "course", "lesson", "coaching"), "training"),
    **dict.fromkeys(("plan", "bundle", "package", "licence", "license", "edition"), "plan"),
    **dict.fromkeys(("fare", "ticket", "seat", "upgrade", "allowance"), "fare"),
    **dict.fromkeys(("tariff", "rate"), "tariff"),
    **dict.fromkeys(("add-on", "addon", "extra", "option", "cover", "insurance"), "add-on"),
    **dict.fromkeys(("service", "repair", "installation"), "service"),
    **dict.fromkeys(("device", "product", "router", "phone", "handset"), "device"),
}
# Words that never start an offering's name: determiners, numbers, policy words.
NOT_MODIFIER_WORDS = (
    "a an the any each every this that these those your our their its his her one two three "
    "same other such new all no per of for and or to in on at by with under within only first "
    "second last next unused booked missed further whole current existing "
    "is are be was were may must can will shall not own customer customer's member member's "
    "monthly weekly annual yearly daily reduced charge fee fees from between after before "
    "during via than where when if unless as it they we you who which means includes covers under "
    "over up out off into onto about against"
)
NOT_MODIFIERS = frozenset(NOT_MODIFIER_WORDS.split())
PLURAL_END = re.compile(r"(?<=[a-z])(?:es|s)$")
AMOUNT_RE = re.compile(
    r"(?:[£$€]|\b(?:EUR|GBP|USD|CHF)\s?)(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?)\s?(?:€|\bEUR\b)"
)
# Evidence a name is sold: a defined term, a price beside it, or two mentions; one bare mention
# ("the Instalment Plan") counts only when the policy names nothing better.
DEFINED, PRICED, ENOUGH = 100, 10, 2
MAX_NAMES_PER_CATEGORY = 4
MAX_CATEGORIES = 6
MIN_NAMES = 3


@dataclass(frozen=True)
class PolicyClause:
    """What the derivation reads of a parsed clause."""

    kind: str  # "definition" or "clause"
    title: str
    section: str
    text: str


def offering_kind(text: str) -> str:
    """The kind whose cue words the text uses most; DEFAULT_KIND when it uses none."""
    counts = Counter({kind: len(pattern.findall(text)) for kind, pattern in _CUE_RES.items()})
    kind, count = max(counts.items(), key=lambda item: (item[1], -OFFERING_KINDS.index(item[0])))
    return kind if count else DEFAULT_KIND


def singular(word: str) -> str:
    lower = word.lower()
    if lower in OFFERING_HEADS or lower.endswith("ss"):
        return lower
    if lower.endswith("sses") or lower.endswith("ches"):
        return lower[:-2]
    return PLURAL_END.sub("", lower) if PLURAL_END.sub("", lower) in OFFERING_HEADS else lower


def head_category(phrase: str) -> str | None:
    words = phrase.split()
    return OFFERING_HEADS.get(singular(words[-1])) if words else None


def derived_offerings(clauses: Sequence[PolicyClause], kind: str, company: str = "") -> Catalogue:
    """Offerings the policy names, by category; the kind's default line when it names none."""
    company_words = {word.lower() for word in company.split()}
    names: dict[str, dict[str, int]] = defaultdict(dict)  # category -> name -> mentions
    prices: dict[str, list[float]] = defaultdict(list)
    for clause in clauses:
        if clause.kind == "definition" and (category := _defined_offering(clause)):
            names[category][_title_case(clause.title)] = DEFINED  # a defined term comes first
            prices[_title_case(clause.title)] += amounts(clause.text)
    for clause in clauses:
        if clause.kind == "definition":
            continue  # a definition's wording describes its term ("means a rolling membership")
        for phrase, sentence in _phrases(_plain(clause.text), company_words):
            category = head_category(phrase)
            if category is None:
                continue
            name = _title_case(phrase)
            known = _known_name(names[category], name)
            priced = amounts(sentence) if known == name else []
            names[category][known] = names[category].get(known, 0) + 1 + PRICED * bool(priced)
            prices[name] += priced
    lines = _lines(names, prices, kind)
    return Catalogue(tuple(lines), "derived from the policy")


def amounts(text: str) -> list[float]:
    found = []
    for match in AMOUNT_RE.finditer(text):
        value = float((match.group(1) or match.group(2)).replace(",", "."))
        if value > 0:
            found.append(value)
    return found


def _defined_offering(clause: PolicyClause) -> str | None:
    """The category of a defined term that names something sold, or None (a period, a fee)."""
    term = clause.title.strip()
    category = head_category(term)
    if category:
        return category
    meaning = re.split(r"\bmeans?\b", _plain(clause.text), maxsplit=1)
    if len(meaning) == 2 and amounts(meaning[1]):
        head = re.findall(r"[A-Za-z-]+", meaning[1])
        for word in head[:6]:
            if (found := OFFERING_HEADS.get(singular(word))) and "fee" not in term.lower():
                return found
    return None


def _plain(text: str) -> str:
    return re.sub(r"[*_`\"“”]", "", text)


def _phrases(text: str, company_words: set[str]) -> Iterable[tuple[str, str]]:
    """(noun phrase ending in an offering head, its sentence) for each mention in `text`."""
    for sentence in re.split(r"(?<=[.;!?])\s+", text):
        words = re.findall(r"[A-Za-z][\w'-]*", sentence)
        for index, word in enumerate(words):
            if singular(word) not in OFFERING_HEADS:
                continue
            start = index
            while (
                start > 0
                and index - start < 2
                and words[start - 1].lower() not in NOT_MODIFIERS
                and words[start - 1].lower() not in company_words
                and singular(words[start - 1]) not in OFFERING_HEADS
                and not words[start - 1].isupper()
                and not _verb_like(words[start - 1])
            ):
                start -= 1
            if start == index:
                continue  # a bare head noun ("a membership") names no offering
            phrase = " ".join([*words[start:index], singular(word)])
            yield phrase, sentence


def _verb_like(word: str) -> bool:
    """A participle or a one-letter word: "returned product", "B seat" name nothing sold."""
    lower = word.lower()
    return len(lower) < 2 or (lower.endswith("ed") and lower not in ("fixed", "unlimited"))


def _title_case(phrase: str) -> str:
    return " ".join(part[:1].upper() + part[1:] for part in phrase.split())


def _known_name(known: dict[str, int], name: str) -> str:
    """`name` as already collected (case- and plural-insensitive), else `name` itself."""
    for existing in known:
        if existing.lower() == name.lower() or existing.lower().rstrip("s") == name.lower():
            return existing
    return name


def _lines(
    names: dict[str, dict[str, int]], prices: dict[str, list[float]], kind: str
) -> list[CatalogueLine]:
    default_range, warranty, window, contract = KIND_TERMS.get(kind, KIND_TERMS[DEFAULT_KIND])
    if any(score >= ENOUGH for found in names.values() for score in found.values()):
        names = {
            category: {name: score for name, score in found.items() if score >= ENOUGH}
            for category, found in names.items()
        }
    ranked = sorted(
        ((category, found) for category, found in names.items() if found),
        key=lambda item: -sum(item[1].values()),
    )[:MAX_CATEGORIES]
    lines = []
    for category, found in ranked:
        chosen = sorted(found, key=lambda name: -found[name])[:MAX_NAMES_PER_CATEGORY]
        for name in chosen:
            priced = prices.get(name) or []
            low, high = (min(priced), max(priced)) if priced else default_range
            lines.append(
                CatalogueLine(
                    category=category,
                    names=(name,),
                    price_range=(low, high),
                    warranty_months=warranty if category == "device" or kind == RETAIL else 0,
                    return_window_days=window,
                    contract_months=contract if category in ("membership", "plan") else 0,
                    branded=True,
                )
            )
    category, default_names = DEFAULT_LINE.get(kind, DEFAULT_LINE[DEFAULT_KIND])
    taken = {name.lower() for line in lines for name in line.names}
    default_names = tuple(name for name in default_names if name.lower() not in taken)
    if len(lines) < MIN_NAMES and default_names:  # too few to vary: the kind's usual line too
        lines.append(
            CatalogueLine(
                category=category,
                names=default_names,
                price_range=default_range,
                warranty_months=warranty,
                return_window_days=window,
                contract_months=contract,
                branded=True,
            )
        )
    return lines


def categories_by_section(
    clauses: Sequence[PolicyClause], catalogue: Catalogue
) -> dict[str, tuple[str, ...]]:
    """Per section, the catalogue's categories its clauses name (by an offering's name or head
    noun): a section about memberships gets membership tickets; a section naming none, any."""
    words_of = {
        line.category: {singular(w) for name in line.names for w in name.split()} | {line.category}
        for line in catalogue.lines
    }
    texts: dict[str, set[str]] = defaultdict(set)
    for clause in clauses:
        if clause.kind != "definition":
            tokens = re.findall(r"[A-Za-z][\w-]*", clause.text)
            texts[clause.section] |= {singular(token) for token in tokens}
    found: dict[str, tuple[str, ...]] = {}
    for section, words in texts.items():
        named = tuple(
            sorted(c for c, names in words_of.items() if names & words & set(OFFERING_HEADS))
        )
        if named:
            found[section] = named
    return found
