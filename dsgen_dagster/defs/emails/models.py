"""The customer's email."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from dsgen_dagster.defs.emails.rules import email_violations
from dsgen_dagster.quality.rules import ContentChecked, Violation
from dsgen_dagster.quality.tables import Table


class EmailDraft(ContentChecked):
    """The LLM's response; validated with its request's context, it keeps the emails rules."""

    subject: str = Field(min_length=3, max_length=200)
    body: str = Field(min_length=40, max_length=6000)

    def violations(self, context: dict[str, Any]) -> list[Violation]:
        return email_violations(self.subject, self.body, context)


class Email(BaseModel):
    ticket_id: str = Field(pattern=r"^tkt_\d{8}_\d{6}$")
    subject: str
    body: str
    from_address: str
    sent_at: dt.datetime
    language: str
    model: str


# The stage's output table(s): what the schema check, schemas/*.json and exports read.
TABLE = Table("emails", Email, "ticket_id", EmailDraft)
TABLES = [TABLE]
