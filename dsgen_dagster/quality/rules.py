"""Content rules: what a generated row must say, checked against the request it answers.

A stage's rules (`defs/<stage>/rules.py`) are pure functions over a response's fields and the
request's context that return `Violation`s: the rule's name and a message that tells the model what
to fix. The same functions run in two places:

- at generation time, in the response model's `model_validator(mode="after")` (`ContentChecked`):
  instructor hands the request's context to pydantic as `ValidationInfo.context`, a violation is a
  `ValueError`, and the re-ask puts its message in front of the model;
- in the stage's evidence check, over the stored rows and the contexts rebuilt from upstream rows.

Validating without a context (an offline composer building its model, a row read back for a
schema check) checks shapes only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError, ValidationInfo, model_validator

SCHEMA_RULE = "schema"  # the response did not have the response model's shape
MAX_MESSAGE_CHARS = 600


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str  # what is wrong and what to do instead, addressed to whoever wrote the text


class RuleViolations(ValueError):
    """A response broke content rules; its text is what a re-ask shows the model."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations = tuple(violations)
        super().__init__(" ".join(f"[{v.rule}] {v.message}" for v in self.violations))


class ContentChecked(BaseModel):
    """A response model whose content rules run when it is validated with a request context."""

    def violations(self, context: dict[str, Any]) -> list[Violation]:
        return []

    @model_validator(mode="after")
    def _content_rules(self, info: ValidationInfo) -> Any:
        if isinstance(info.context, dict) and info.context:
            found = self.violations(info.context)
            if found:
                raise RuleViolations(found)
        return self


def violations_of(error: BaseException) -> list[Violation]:
    """The rules a failed validation broke; shape and JSON errors are the `schema` rule."""
    if isinstance(error, RuleViolations):
        return list(error.violations)
    if isinstance(error, ValidationError):
        found: list[Violation] = []
        for detail in error.errors():
            cause = (detail.get("ctx") or {}).get("error")
            if isinstance(cause, RuleViolations):
                found.extend(cause.violations)
            else:
                where = ".".join(str(part) for part in detail["loc"]) or "response"
                found.append(Violation(SCHEMA_RULE, f"{where}: {detail['msg']}"))
        return found or [Violation(SCHEMA_RULE, str(error)[:MAX_MESSAGE_CHARS])]
    cause = error.__cause__ or error.__context__
    if cause is not None and cause is not error and isinstance(cause, ValidationError):
        return violations_of(cause)
    return [Violation(SCHEMA_RULE, f"{type(error).__name__}: {str(error)[:MAX_MESSAGE_CHARS]}")]


def describe(violations: Iterable[Violation]) -> str:
    return "; ".join(f"{v.rule}: {v.message}" for v in violations)[:2000]


def validate_in_context(model: type[BaseModel], response: BaseModel, context: dict) -> BaseModel:
    """`response` validated again as `model`, with the request's context (raises on violations).
    From its JSON, as a model's answer arrives, parsed by pydantic-core in one step."""
    return model.model_validate_json(response.model_dump_json(), context=context)


# ---- text helpers the stages' rules share

# Typographic quotes and the no-break space, as the ASCII a quote may have been typed with.
_TYPOGRAPHIC = (
    *((mark, '"') for mark in "“”„«»‟"),
    *((mark, "'") for mark in "‘’‚‹›"),
    ("\u00a0", " "),
)


def squash(text: str | None) -> str:
    """Whitespace runs as one space and typographic quotes as ASCII ones, nothing else: the
    forms in which a verbatim quote may differ from its source.

    Replaced one mark at a time, not with str.translate: translate looks every character of a
    text with any non-ASCII one up in its table, 136 us for a 1.3 KB German answer against
    ~15 us (measured), and the evidence checks squash every answer."""
    text = text or ""
    if not text.isascii():
        for mark, ascii_mark in _TYPOGRAPHIC:
            if mark in text:
                text = text.replace(mark, ascii_mark)
    return " ".join(text.split())


def short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def last_lines(text: str, count: int = 3) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[-count:])


WORD = re.compile(r"\w+")
