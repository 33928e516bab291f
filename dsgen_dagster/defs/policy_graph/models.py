"""A policy clause: the row of the policy_graph table."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dsgen_dagster.quality.tables import Table

RELATION_KINDS = ("overrides", "modifies", "requires", "exception_of")


class PolicyClause(BaseModel):
    clause_id: str = Field(pattern=r"^pol_\d{8}_[0-9.]+$")
    clause_number: str = Field(description="Number as written in the document, e.g. 3.2.")
    section_number: str
    section: str
    title: str
    text: str = Field(min_length=1, description="The clause's lines joined by single spaces.")
    line_start: int = Field(ge=1, description="First source line of the clause text (1-based).")
    line_end: int = Field(ge=1, description="Last source line of the clause text.")
    quote: str = Field(description="The source lines line_start..line_end, verbatim.")
    overrides: list[str] = Field(default_factory=list)
    modifies: list[str] = Field(default_factory=list)
    requires: list[str] = Field(default_factory=list)
    exception_of: list[str] = Field(default_factory=list)
    source_path: str
    source_sha256: str

    def related_ids(self) -> list[str]:
        return [*self.overrides, *self.modifies, *self.requires, *self.exception_of]


# The stage's output table(s): what the schema check, schemas/*.json and exports read.
TABLE = Table("policy_graph", PolicyClause, "clause_id", exported=True)
TABLES = [TABLE]
