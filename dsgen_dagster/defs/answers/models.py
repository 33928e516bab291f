"""The agent's answer, grounded in cited policy clauses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dsgen_dagster.defs.answers.rules import answer_violations
from dsgen_dagster.lib.vocabulary import Language
from dsgen_dagster.quality.rules import ContentChecked, Violation
from dsgen_dagster.quality.tables import Table


class Citation(BaseModel):
    clause_id: str = Field(description="Id of a clause given in the context.")
    quote: str = Field(min_length=10, description="A verbatim span of that clause's text.")


class AgentAnswer(ContentChecked):
    """The LLM's response; validated with its request's context, it keeps the answers rules."""

    body: str = Field(min_length=40, max_length=8000)
    citations: list[Citation] = Field(min_length=1, max_length=3)

    def violations(self, context: dict[str, Any]) -> list[Violation]:
        cited = [(c.clause_id, c.quote) for c in self.citations]
        return answer_violations(self.body, cited, context)


class Answer(BaseModel):
    ticket_id: str = Field(pattern=r"^tkt_\d{8}_\d{6}$")
    body: str
    cited_clause_ids: list[str] = Field(min_length=1)
    cited_quotes: list[str] = Field(min_length=1)
    language: str
    quote_language: Language = Field(
        default="en",
        description="The language of the cited quotes: the answer's own when the policy's text "
        "exists in it (policy_clause_texts: the user's translation or a model's), else the "
        "policy's own. Quotes are verbatim clause text in that language, never translated ad hoc.",
    )
    model: str


# The stage's output table(s): what the schema check, schemas/*.json and exports read.
TABLE = Table("answers", Answer, "ticket_id", AgentAnswer)
TABLES = [TABLE]
