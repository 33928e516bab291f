"""An output table and its pydantic row model: what schema checks and schemas/*.json read.

Each stage declares its tables (`Table(...)` in its spec); the stage list in `dsgen_dagster.defs`
collects them, so this module knows no stage.

A table's rules follow from its models: required fields must not be null, Literal fields take
their listed values, `pattern` / `min_length` / `max_length` constraints hold, and text columns
keep the length bounds of the LLM response model they come from. On top of that: the key column
is unique and every id column carries its type prefix, and language columns hold known codes.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from dsgen_dagster import ids
from dsgen_dagster.lib.vocabulary import LANGUAGES

ID_PREFIXES = {
    "clause_id": ids.POLICY_PREFIX,
    "customer_id": ids.CUSTOMER_PREFIX,
    "product_id": ids.PRODUCT_PREFIX,
    "order_id": ids.ORDER_PREFIX,
    "ticket_id": ids.TICKET_PREFIX,
    "rephrasing_id": ids.REPHRASING_PREFIX,
    "translation_id": ids.TRANSLATION_PREFIX,
}
LANGUAGE_COLUMNS = ("language", "source_language")


@dataclass(frozen=True)
class Table:
    name: str
    model: type[BaseModel]
    key: str
    response_model: type[BaseModel] | None = None  # where its text columns' bounds come from
    exported: bool = False  # a config of its own in exports (tickets, the view, always is one)

    def required_columns(self) -> list[str]:
        return [name for name, field in self.model.model_fields.items() if not _optional(field)]

    def allowed_values(self) -> dict[str, list[Any]]:
        values = {
            name: list(get_args(_inner(field.annotation)))
            for name, field in self.model.model_fields.items()
            if get_origin(_inner(field.annotation)) is Literal
        }
        for column in LANGUAGE_COLUMNS:
            if column in self.model.model_fields:
                values.setdefault(column, list(LANGUAGES))
        return values

    def id_prefixes(self) -> dict[str, str]:
        return {
            name: f"{ID_PREFIXES[name]}_"
            for name in self.model.model_fields
            if name in ID_PREFIXES and _inner(self.model.model_fields[name].annotation) is str
        }

    def length_bounds(self) -> dict[str, tuple[int | None, int | None]]:
        """Text columns' (min, max) lengths: the row model's own, else the response model's."""
        bounds = {}
        for name, field in self.model.model_fields.items():
            if _inner(field.annotation) is not str:
                continue
            own = _length(field)
            source = self.response_model.model_fields.get(name) if self.response_model else None
            inherited = _length(source) if source is not None else (None, None)
            chosen = own if own != (None, None) else inherited
            if chosen != (None, None):
                bounds[name] = chosen
        return bounds


def _optional(field: FieldInfo) -> bool:
    origin = get_origin(field.annotation)
    return origin in (Union, types.UnionType) and type(None) in get_args(field.annotation)


def _inner(annotation: Any) -> Any:
    """`X | None` -> X; anything else unchanged."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _length(field: FieldInfo) -> tuple[int | None, int | None]:
    low = high = None
    for constraint in field.metadata:
        low = getattr(constraint, "min_length", None) if low is None else low
        high = getattr(constraint, "max_length", None) if high is None else high
    return low, high
