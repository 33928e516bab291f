"""A batch's domain: the company, its catalogue and its scenario table, read from the user's files.

The company is the policy document's title up to its first dash or colon ("# Northwind Mobile —
Customer Care Policy" -> "Northwind Mobile"), or `DSGEN_COMPANY`; its currency is the one the
document's amounts are written in (EUR when it names none); its language the one its text is in.
`load_domain` validates everything together (sections the scenario table names exist in the
policy, categories in the catalogue) and is cached per file contents, so each stage re-derives
the same domain cheaply and a bad file fails when the settings are built, before any work.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The parser is a pure function of the document: the one piece of a stage the domain reads.
from dsgen_dagster.defs.policy_graph.parser import ParsedPolicy, parse_policy_file
from dsgen_dagster.errors import ConfigError
from dsgen_dagster.lib.catalogue import Catalogue, load_catalogue_file, shipped_catalogue
from dsgen_dagster.lib.offering import (
    RETAIL,
    PolicyClause,
    categories_by_section,
    derived_offerings,
    offering_kind,
)
from dsgen_dagster.lib.scenarios import (
    ScenarioTable,
    load_scenario_file,
    per_section_table,
    shipped_table,
)

SHIPPED_POLICY_PATH = Path(__file__).parent.parent / "data" / "policy.md"
DEFAULT_CURRENCY = "EUR"
CURRENCY_MARKS: dict[str, str] = {
    "EUR": r"€|\bEUR\b|\beuros?\b",
    "GBP": r"£|\bGBP\b|\bpounds?\b",
    "USD": r"\$|\bUSD\b|\bdollars?\b",
    "CHF": r"\bCHF\b|\bfrancs?\b",
}
TITLE_SPLIT = re.compile(r"\s+[—–-]\s+|:\s+|\s+\|\s+")
# Trailing words of a title that name the document, not the company ("CloudDesk Subscription
# Terms" -> "CloudDesk").
DOCUMENT_WORDS = frozenset(
    {"terms", "policy", "conditions", "general", "customer", "service", "care", "subscription"}
    | {"of", "and", "supply", "carriage", "rules", "agreement", "handbook"}
)
STOPWORDS: dict[str, tuple[str, ...]] = {
    "en": ("the", "and", "of", "within", "is", "are", "customer"),
    "de": ("der", "die", "und", "das", "ist", "innerhalb", "kunden"),
    "fr": ("le", "la", "les", "et", "est", "dans", "client"),
    "es": ("el", "la", "los", "y", "es", "dentro", "cliente"),
}


@dataclass(frozen=True)
class CompanyProfile:
    name: str
    currency: str
    policy_language: str  # the language the policy's clauses (and so every quote) are in
    shipped: bool  # the shipped Voltora policy is in use
    offering: str = RETAIL  # what is sold (lib/offering.py): the offline texts' words follow it


@dataclass(frozen=True)
class Domain:
    company: CompanyProfile
    catalogue: Catalogue
    scenarios: ScenarioTable
    sections: tuple[str, ...]  # the policy's section titles, in document order


def company_name(text: str, fallback: str) -> str:
    """The document's first title, up to a dash or colon; `fallback` when it has none."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# "):
            title = line[2:].strip().strip("#").strip()
        elif line.strip() and index + 1 < len(lines) and re.match(r"^=+\s*$", lines[index + 1]):
            title = line.strip()
        else:
            continue
        words = TITLE_SPLIT.split(title, maxsplit=1)[0].split()
        while len(words) > 1 and words[-1].lower() in DOCUMENT_WORDS:
            words.pop()
        return " ".join(words) or fallback
    return fallback


def currency_of(text: str) -> str:
    counts = Counter(
        {
            code: len(re.findall(pattern, text, re.IGNORECASE))
            for code, pattern in CURRENCY_MARKS.items()
        }
    )
    code, count = counts.most_common(1)[0]
    return code if count else DEFAULT_CURRENCY


def language_of(text: str) -> str:
    words = Counter(re.findall(r"[a-zäöüéèàñ]+", text.lower()))
    scores = {lang: sum(words[w] for w in stop) for lang, stop in STOPWORDS.items()}
    return max(scores, key=lambda lang: scores[lang])


def load_domain(
    policy_path: Path, company: str = "", catalogue_path: str = "", scenarios_path: str = ""
) -> Domain:
    """The batch's domain; a ConfigError names the file, the line and the fix."""
    stamps = tuple(
        _stamp(Path(p)) if p else "" for p in (policy_path, catalogue_path, scenarios_path)
    )
    return _load(str(policy_path), company, catalogue_path, scenarios_path, stamps)


def _stamp(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@lru_cache(maxsize=16)
def _load(
    policy_path: str, company: str, catalogue_path: str, scenarios_path: str, _stamps: tuple
) -> Domain:
    policy = parse_policy_file(Path(policy_path))
    text = "\n".join(policy.lines)
    shipped = _stamps[0] == _stamp(SHIPPED_POLICY_PATH)
    profile = CompanyProfile(
        name=company.strip()
        or company_name(text, Path(policy_path).stem.replace("_", " ").title()),
        currency=currency_of(text),
        policy_language=language_of(text),
        shipped=shipped,
        offering=RETAIL if shipped else offering_kind(text),
    )
    sections = tuple(dict.fromkeys(clause.section for clause in policy.clauses))
    clauses = [PolicyClause(c.kind, c.title, c.section, c.text) for c in policy.clauses]
    if catalogue_path:
        catalogue = load_catalogue_file(Path(catalogue_path))
    elif shipped:
        catalogue = shipped_catalogue()
    else:
        catalogue = derived_offerings(clauses, profile.offering, profile.name)
    if scenarios_path:
        scenarios = load_scenario_file(Path(scenarios_path))
    elif shipped:
        scenarios = shipped_table()
    else:
        scenarios = per_section_table(list(sections), categories_by_section(clauses, catalogue))
    _check_fits(scenarios, catalogue, policy, scenarios_path or "the scenario table")
    return Domain(profile, catalogue, scenarios, sections)


def _check_fits(
    table: ScenarioTable, catalogue: Catalogue, policy: ParsedPolicy, where: str
) -> None:
    """Every section, clause and category the table names exists: a typo fails here, by name."""
    clauses = policy.clauses
    titles = {clause.section.lower() for clause in clauses}
    numbers = {clause.section_number for clause in clauses if clause.section_number}
    clause_numbers = {clause.number for clause in clauses}
    categories = set(catalogue.categories)
    for spec in table.types.values():
        for section in spec.sections:
            if section.lower() not in titles and section not in numbers:
                raise ConfigError(
                    f"{where}: ticket type {spec.name!r} names section {section!r}, which the "
                    f"policy does not have; use one of {sorted({c.section for c in clauses})}"
                )
        for number in spec.clauses:
            if number not in clause_numbers:
                raise ConfigError(
                    f"{where}: ticket type {spec.name!r} names clause {number!r}, which the "
                    "policy does not have; use a clause number as written in the policy"
                )
        for category in (*spec.categories, *spec.exclude_categories):
            if category not in categories:
                raise ConfigError(
                    f"{where}: ticket type {spec.name!r} names product category {category!r}, "
                    f"which the catalogue ({catalogue.source}) does not have; use one of "
                    f"{catalogue.categories}"
                )
