"""Rephrased variants of a customer's email."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dsgen_dagster.defs.rephrasings.rules import rephrasing_violations
from dsgen_dagster.quality.rules import ContentChecked, Violation
from dsgen_dagster.quality.tables import Table

REPHRASING_STYLES = ("formal", "casual", "terse", "detailed")


class RephrasedEmail(ContentChecked):
    """The LLM's response; validated with its request's context, it keeps the rephrasings rules."""

    subject: str = Field(min_length=3, max_length=200)
    body: str = Field(min_length=40, max_length=6000)

    def violations(self, context: dict[str, Any]) -> list[Violation]:
        return rephrasing_violations(self.subject, self.body, context)


class Rephrasing(BaseModel):
    rephrasing_id: str = Field(pattern=r"^rph_\d{8}_\d{6}_\d+$")
    ticket_id: str
    variant: int = Field(ge=1)
    style: str
    subject: str
    body: str
    language: str
    model: str


# The stage's output table(s): what the schema check, schemas/*.json and exports read.
TABLE = Table("rephrasings", Rephrasing, "rephrasing_id", RephrasedEmail, exported=True)
TABLES = [TABLE]
