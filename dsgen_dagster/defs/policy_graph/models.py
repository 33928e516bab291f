"""A policy clause: the row of the policy_graph table."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from dsgen_dagster.defs.policy_graph.texts import translation_violations
from dsgen_dagster.lib.vocabulary import Language
from dsgen_dagster.quality.rules import ContentChecked, Violation
from dsgen_dagster.quality.tables import Table

RELATION_KINDS = ("overrides", "modifies", "requires", "exception_of", "references")
# A clause id keeps the written number with anything outside [A-Za-z0-9.()-] turned into `-`:
# pol_20260301_3.2, pol_20260301_3(b), pol_20260301_POL-RET-001, pol_20260301_Billing-Period.
CLAUSE_ID_PATTERN = r"^pol_\d{8}_[A-Za-z0-9.()-]+$"


class ClauseRelation(BaseModel):
    """One relation of a clause, with the phrase that states it and the line it starts on."""

    kind: Literal["overrides", "modifies", "requires", "exception_of", "references"]
    target_id: str = Field(pattern=CLAUSE_ID_PATTERN)
    target_number: str = Field(description="The target clause's number as written.")
    trigger: str = Field(
        min_length=1,
        description="The phrase as written (`subject to`, `Requires`, `§ 4.2`); a phrase wrapped "
        "over lines keeps its line break and equals the stripped source lines from `line` on.",
    )
    line: int = Field(ge=1, description="The source line the trigger phrase starts on.")
    scope: Literal["clause", "section"] = Field(
        default="clause",
        description="section: the text named a section or group heading (`see section 4`); the "
        "relation points at that section's first clause.",
    )


class PolicyClause(BaseModel):
    clause_id: str = Field(pattern=CLAUSE_ID_PATTERN)
    clause_number: str = Field(
        description="Number as written in the document: 3.2, 3(b), POL-RET-001, or the term "
        "of a definition."
    )
    kind: Literal["clause", "definition"] = "clause"
    section_number: str = Field(description="Empty for a section without a number.")
    section: str
    title: str = Field(description="The clause's title when it has one, else empty.")
    text: str = Field(min_length=1, description="The clause's lines joined by single spaces.")
    line_start: int = Field(ge=1, description="First source line of the clause text (1-based).")
    line_end: int = Field(ge=1, description="Last source line of the clause text.")
    quote: str = Field(description="The source lines line_start..line_end, verbatim.")
    overrides: list[str] = Field(default_factory=list)
    modifies: list[str] = Field(default_factory=list)
    requires: list[str] = Field(default_factory=list)
    exception_of: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    relations: list[ClauseRelation] = Field(default_factory=list)
    source_path: str
    source_sha256: str
    company: str = Field(default="", description="The company the policy is of (its title).")
    currency: str = Field(default="EUR", description="The currency its amounts are written in.")

    def related_ids(self) -> list[str]:
        return [*self.overrides, *self.modifies, *self.requires, *self.exception_of]


# The stage's output table(s): what the schema check, schemas/*.json and exports read.
TABLE = Table("policy_graph", PolicyClause, "clause_id", exported=True)
TABLES = [TABLE]


TEXT_SOURCES = ("document", "user_translation", "machine_translation")


class TranslatedClause(ContentChecked):
    """The LLM's translation of one clause; validated with its request's context."""

    text: str = Field(min_length=1, max_length=8000)

    def violations(self, context: dict[str, Any]) -> list[Violation]:
        return translation_violations(self.text, context)


class ClauseText(BaseModel):
    """A clause's text in one language: what an answer in that language quotes."""

    text_id: str = Field(
        pattern=r"^pol_\d{8}_[A-Za-z0-9.()-]+@[a-z]{2}$",
        description="The clause id and the language: pol_20260301_3.2@de.",
    )
    clause_id: str = Field(pattern=CLAUSE_ID_PATTERN)
    clause_number: str
    language: Language
    title: str = Field(description="The title in this language; empty when it has none.")
    text: str = Field(min_length=1)
    source: Literal["document", "user_translation", "machine_translation"] = Field(
        description="document: the policy's own text; user_translation: the user's translation "
        "file (policy.<language>.md); machine_translation: translated by the model of the batch."
    )
    source_path: str = Field(
        description="The file name the text was read from (beside the policy; a name, never a "
        "machine's path); empty for a model's."
    )
    model: str = Field(default="", description="The model that translated it, else empty.")


TEXTS_TABLE = Table("policy_clause_texts", ClauseText, "text_id", TranslatedClause, exported=True)
TABLES.append(TEXTS_TABLE)
