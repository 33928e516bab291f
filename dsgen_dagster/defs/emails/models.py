"""The customer's email."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from dsgen_dagster.quality.tables import Table


class EmailDraft(BaseModel):
    """The LLM's response."""

    subject: str = Field(min_length=3, max_length=200)
    body: str = Field(min_length=40, max_length=6000)


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
