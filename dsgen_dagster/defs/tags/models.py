"""Tags and predicted routing for a ticket."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dsgen_dagster.lib.vocabulary import Priority, Queue, TicketType
from dsgen_dagster.quality.tables import Table

MAX_TAGS = 8


class TicketTags(BaseModel):
    """The LLM's response."""

    tags: list[str] = Field(min_length=1, max_length=MAX_TAGS)
    ticket_type: TicketType
    queue: Queue
    priority: Priority


class TagRow(BaseModel):
    ticket_id: str = Field(pattern=r"^tkt_\d{8}_\d{6}$")
    tags: list[str] = Field(min_length=1, max_length=MAX_TAGS)
    predicted_type: TicketType
    predicted_queue: Queue
    predicted_priority: Priority
    model: str


# The stage's output table(s): what the schema check, schemas/*.json and exports read.
TABLE = Table("tags", TagRow, "ticket_id")
TABLES = [TABLE]
