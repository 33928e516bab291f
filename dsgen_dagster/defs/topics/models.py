"""A ticket's scenario: the row of the topics table, and the LLM's part of it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from dsgen_dagster.lib.vocabulary import (
    Complexity,
    CustomerTier,
    InfoCompleteness,
    Language,
    Priority,
    Queue,
    TicketType,
)
from dsgen_dagster.quality.tables import Table


class TopicScenario(BaseModel):
    """What the LLM adds to a sampled scenario."""

    summary: str = Field(
        min_length=20, max_length=600, description="What happened, in 1-3 sentences."
    )
    desired_outcome: str = Field(
        min_length=5, max_length=300, description="What the customer wants."
    )


class Topic(BaseModel):
    ticket_id: str = Field(pattern=r"^tkt_\d{8}_\d{6}$")
    customer_id: str
    order_id: str
    product_id: str
    ticket_type: TicketType
    queue: Queue
    priority: Priority
    complexity: Complexity
    info_completeness: InfoCompleteness
    order_reference: str | None = Field(
        description="The order reference the email carries: the order id, a misspelling, or none."
    )
    language: Language
    customer_tier: CustomerTier
    clause_ids: list[str] = Field(min_length=1, max_length=3)
    relation: Literal["overrides", "modifies", "requires", "exception_of", "none"] = Field(
        default="none",
        description="The policy relation the case exercises: the first clause and the second "
        "are a rule and its exception, an override and what it overrides, ...; none: no relation.",
    )
    named_product: str | None = Field(
        default=None,
        description="wrong_product: the product the email names instead of the one ordered.",
    )
    summary: str
    desired_outcome: str
    model: str


# The stage's output table(s): what the schema check, schemas/*.json and exports read.
TABLE = Table("topics", Topic, "ticket_id", TopicScenario)
TABLES = [TABLE]
