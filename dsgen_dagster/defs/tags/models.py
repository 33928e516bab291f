"""Tags and predicted routing for a ticket."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dsgen_dagster.defs.tags.rules import tag_violations
from dsgen_dagster.lib.vocabulary import Priority, Queue, TicketType
from dsgen_dagster.quality.rules import ContentChecked, Violation
from dsgen_dagster.quality.tables import Table

MAX_TAGS = 8


class TicketTags(ContentChecked):
    """The LLM's response; validated with its request's context, it keeps the tags rules."""

    tags: list[str] = Field(min_length=1, max_length=MAX_TAGS)
    ticket_type: TicketType
    queue: Queue
    priority: Priority

    def violations(self, context: dict[str, Any]) -> list[Violation]:
        labels = {"ticket_type": self.ticket_type, "queue": self.queue, "priority": self.priority}
        return tag_violations(self.tags, labels, context)


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
