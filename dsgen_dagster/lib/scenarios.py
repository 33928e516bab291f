"""The scenario table: the weighted random tables a batch's tickets are drawn from.

A ticket type names the policy sections (or clauses) its cases hinge on, its queue, its priority
weights, and which products can have its problem (categories, terms that must be non-zero, order
statuses). The shipped policy has today's nine types; any other policy gets one type per section,
unless the user gives a table (`DSGEN_SCENARIOS`, YAML, the keys below; README has an example).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dsgen_dagster.errors import ConfigError
from dsgen_dagster.lib.catalogue import SKIPPED_SECTIONS, TERM_COLUMNS
from dsgen_dagster.lib.vocabulary import (
    COMPLEXITIES,
    COMPLEXITY_WEIGHTS,
    CUSTOMER_TIER_WEIGHTS,
    INFO_COMPLETENESS,
    INFO_COMPLETENESS_WEIGHTS,
    LANGUAGE_WEIGHTS,
    LANGUAGES,
    PRIORITIES,
    PRIORITY_WEIGHTS_BY_TYPE,
    QUEUE_BY_TYPE,
    SHIPPED_TYPE_SITUATIONS,
    TICKET_TYPE_WEIGHTS,
)
from dsgen_dagster.lib.yamlfile import Located, read_yaml

LABEL_PATTERN = r"^[a-z][a-z0-9_]*$"
DEFAULT_PRIORITY = {"low": 0.2, "medium": 0.45, "high": 0.25, "urgent": 0.1}
TIERS = tuple(CUSTOMER_TIER_WEIGHTS)
TYPE_KEYS = (
    "weight", "queue", "label", "sections", "clauses", "priority", "categories",
    "exclude_categories", "needs", "statuses",
)  # fmt: skip
TABLE_KEYS = ("ticket_types", "complexity", "completeness", "language", "tier")
STATUSES = ("processing", "shipped", "delivered", "returned", "cancelled")


@dataclass(frozen=True)
class TicketTypeSpec:
    name: str
    weight: float
    queue: str
    label: str  # the situation in words: "contracts and cancellation"
    sections: tuple[str, ...] = ()  # section titles or numbers the type's clauses come from
    clauses: tuple[str, ...] = ()  # clause numbers; when given, the primary clause is one of them
    priority: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PRIORITY))
    categories: tuple[str, ...] = ()  # product categories that can have this problem; () = any
    exclude_categories: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()  # product terms that must be above 0 (warranty_months, ...)
    statuses: tuple[str, ...] = ()  # order statuses the situation fits; () = any


@dataclass(frozen=True)
class ScenarioTable:
    types: Mapping[str, TicketTypeSpec]
    complexity: Mapping[str, float]
    completeness: Mapping[str, float]
    language: Mapping[str, float]
    tier: Mapping[str, float]
    source: str

    def type_weights(self) -> dict[str, float]:
        return {name: spec.weight for name, spec in self.types.items()}

    def queues(self) -> list[str]:
        return list(dict.fromkeys(spec.queue for spec in self.types.values()))

    def allowed_labels(self) -> dict[str, list[str]]:
        return {
            "ticket_types": list(self.types),
            "queues": self.queues(),
            "priorities": list(PRIORITIES),
        }


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "general"


def shipped_table() -> ScenarioTable:
    types = {
        name: TicketTypeSpec(
            name=name,
            weight=weight,
            queue=QUEUE_BY_TYPE[name],
            label=name.replace("_", " "),
            priority=PRIORITY_WEIGHTS_BY_TYPE[name],
            **SHIPPED_TYPE_SITUATIONS[name],  # type: ignore[arg-type]
        )
        for name, weight in TICKET_TYPE_WEIGHTS.items()
    }
    return _with_defaults(types, "shipped")


def per_section_table(
    sections: list[str], categories_by_section: Mapping[str, tuple[str, ...]]
) -> ScenarioTable:
    """One type per section of a policy (definitions left out), its queue named like it."""
    titles = [t for t in dict.fromkeys(sections) if t and t.lower() not in SKIPPED_SECTIONS]
    types = {}
    for title in titles or [s for s in sections if s][:1]:
        name = slug(title)
        categories = tuple(categories_by_section.get(title, ()))
        types[name] = TicketTypeSpec(
            name=name,
            weight=1.0,
            queue=name,
            label=title.lower(),
            sections=(title,),
            categories=categories,
        )
    return _with_defaults(types, "one type per section of the policy")


def _with_defaults(types: dict[str, TicketTypeSpec], source: str) -> ScenarioTable:
    return ScenarioTable(
        types=types,
        complexity=COMPLEXITY_WEIGHTS,
        completeness=INFO_COMPLETENESS_WEIGHTS,
        language=LANGUAGE_WEIGHTS,
        tier=CUSTOMER_TIER_WEIGHTS,
        source=source,
    )


# --- a user's table --------------------------------------------------------------------------


def load_scenario_file(path: Path) -> ScenarioTable:
    """The table in `path`; every error names the file, the line and the fix."""
    if not path.is_file():
        raise ConfigError(f"DSGEN_SCENARIOS={str(path)!r}: no such file; give a YAML file")
    document = read_yaml(path)
    top = _mapping(path, document, TABLE_KEYS, "the scenario table")
    if "ticket_types" not in top:
        raise ConfigError(
            f"{path}:{document.line}: no `ticket_types`; list at least one type with its "
            "weight, queue and sections"
        )
    types_node = top["ticket_types"]
    entries = _mapping(path, types_node, None, "ticket_types")
    if not entries:
        raise ConfigError(f"{path}:{types_node.line}: `ticket_types` is empty; give one type")
    types = {name: _type(path, name, node) for name, node in entries.items()}
    defaults = _with_defaults({}, "")
    return ScenarioTable(
        types=types,
        complexity=_weights(path, top.get("complexity"), COMPLEXITIES, defaults.complexity),
        completeness=_weights(
            path, top.get("completeness"), INFO_COMPLETENESS, defaults.completeness
        ),
        language=_weights(path, top.get("language"), LANGUAGES, defaults.language),
        tier=_weights(path, top.get("tier"), TIERS, defaults.tier),
        source=str(path),
    )


def _type(path: Path, name: str, node: Located) -> TicketTypeSpec:
    if not re.match(LABEL_PATTERN, name):
        raise ConfigError(
            f"{path}:{node.line}: ticket type {name!r} is not a label; use lower case letters, "
            f"digits and underscores ({slug(name)!r})"
        )
    keys = _mapping(path, node, TYPE_KEYS, f"ticket type {name!r}")
    if "sections" not in keys and "clauses" not in keys:
        raise ConfigError(
            f"{path}:{node.line}: ticket type {name!r} names no `sections` (or `clauses`); "
            "give the policy sections its cases hinge on"
        )
    queue = str(keys["queue"].value) if "queue" in keys else name
    if not re.match(LABEL_PATTERN, queue):
        raise ConfigError(
            f"{path}:{keys['queue'].line}: queue {queue!r} is not a label; use lower case "
            f"letters, digits and underscores ({slug(queue)!r})"
        )
    needs = _texts(path, keys.get("needs"))
    for term in needs:
        if term not in TERM_COLUMNS:
            raise ConfigError(
                f"{path}:{keys['needs'].line}: unknown term {term!r} in `needs`; "
                f"use {', '.join(TERM_COLUMNS)}"
            )
    statuses = _texts(path, keys.get("statuses"))
    for status in statuses:
        if status not in STATUSES:
            raise ConfigError(
                f"{path}:{keys['statuses'].line}: unknown order status {status!r}; "
                f"use {', '.join(STATUSES)}"
            )
    return TicketTypeSpec(
        name=name,
        weight=_weight(path, keys["weight"]) if "weight" in keys else 1.0,
        queue=queue,
        label=str(keys["label"].value) if "label" in keys else name.replace("_", " "),
        sections=_texts(path, keys.get("sections")),
        clauses=_texts(path, keys.get("clauses")),
        priority=_weights(path, keys.get("priority"), PRIORITIES, DEFAULT_PRIORITY),
        categories=tuple(c.lower() for c in _texts(path, keys.get("categories"))),
        exclude_categories=tuple(c.lower() for c in _texts(path, keys.get("exclude_categories"))),
        needs=needs,
        statuses=statuses,
    )


def _mapping(
    path: Path, node: Located, known: tuple[str, ...] | None, what: str
) -> dict[str, Located]:
    if not isinstance(node.value, dict):
        raise ConfigError(f"{path}:{node.line}: {what} must be a mapping of `key: value` lines")
    if known is not None:
        for key, value in node.value.items():
            if key not in known:
                raise ConfigError(
                    f"{path}:{value.line}: unknown key {key!r} in {what}; "
                    f"the keys are {', '.join(known)}"
                )
    return dict(node.value)


def _texts(path: Path, node: Located | None) -> tuple[str, ...]:
    if node is None:
        return ()
    items = node.value if isinstance(node.value, list) else [node]
    texts = []
    for item in items:
        if isinstance(item.value, dict | list) or str(item.value).strip() == "":
            raise ConfigError(f"{path}:{item.line}: expected a name, got {item.value!r}")
        texts.append(str(item.value).strip())
    return tuple(texts)


def _weight(path: Path, node: Located) -> float:
    value: Any = node.value
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(
            f"{path}:{node.line}: weight {value!r} is not a number of 0 or more; write e.g. 0.25"
        )
    return float(value)


def _weights(
    path: Path, node: Located | None, allowed: tuple[str, ...], default: Mapping[str, float]
) -> Mapping[str, float]:
    if node is None:
        return default
    entries = _mapping(path, node, allowed, f"the weights ({', '.join(allowed)})")
    weights = {key: _weight(path, value) for key, value in entries.items()}
    if not weights or sum(weights.values()) <= 0:
        raise ConfigError(f"{path}:{node.line}: the weights add up to 0; give one above 0")
    return weights
