"""translations checks: schema, and the translations rules over the stored rows."""

from typing import Any

from dsgen_dagster.defs.translations.assets import STAGE
from dsgen_dagster.defs.translations.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.defs.translations.rules import RULES, translation_violations
from dsgen_dagster.lib.evidence import rules_check
from dsgen_dagster.quality.checks import schema_check
from dsgen_dagster.quality.rules import Violation


def translation_row_rules(row: dict[str, Any], context: dict[str, Any]) -> list[Violation]:
    return translation_violations(
        row["subject"] or "", row["body"] or "", row["answer"] or "", context
    )


translations_evidence = rules_check(
    STAGE,
    translation_row_rules,
    RULES,
    "The translated email and answer are in the target language; the order reference the "
    "source email carries and every policy quote of the source answer are kept verbatim.",
)

CHECKS = [schema_check(OUTPUT_TABLE), translations_evidence]
