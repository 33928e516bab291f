"""An email and its answer in another language."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dsgen_dagster.defs.translations.rules import translation_violations
from dsgen_dagster.lib.vocabulary import Language
from dsgen_dagster.quality.rules import ContentChecked, Violation
from dsgen_dagster.quality.tables import Table


class TranslatedTicket(ContentChecked):
    """The LLM's response; validated with its request's context, it keeps the translations
    rules."""

    subject: str = Field(min_length=3, max_length=200)
    body: str = Field(min_length=40, max_length=6000)
    answer: str = Field(min_length=40, max_length=8000)

    def violations(self, context: dict[str, Any]) -> list[Violation]:
        return translation_violations(self.subject, self.body, self.answer, context)


class Translation(BaseModel):
    translation_id: str = Field(pattern=r"^trn_\d{8}_\d{6}_[a-z]{2}$")
    ticket_id: str
    source_language: str
    language: str
    subject: str
    body: str
    answer: str
    quote_language: Language = Field(
        default="en",
        description="The language of the policy quotes in the translated answer: the target "
        "language when the policy exists in it (policy_clause_texts), else the source answer's "
        "quotes, kept verbatim.",
    )
    model: str


# The stage's output table(s): what the schema check, schemas/*.json and exports read.
TABLE = Table("translations", Translation, "translation_id", TranslatedTicket)
TABLES = [TABLE]
