"""tags checks: schema, and the tags rules (taxonomy, allowed labels) over the stored rows."""

from typing import Any

from dsgen_dagster.defs.tags.assets import STAGE
from dsgen_dagster.defs.tags.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.defs.tags.rules import RULES, tag_violations
from dsgen_dagster.lib.evidence import rules_check
from dsgen_dagster.quality.checks import schema_check
from dsgen_dagster.quality.rules import Violation


def tag_row_rules(row: dict[str, Any], context: dict[str, Any]) -> list[Violation]:
    labels = {
        "ticket_type": row["predicted_type"],
        "queue": row["predicted_queue"],
        "priority": row["predicted_priority"],
    }
    return tag_violations(row["tags"] or [], labels, context)


tags_evidence = rules_check(
    STAGE,
    tag_row_rules,
    RULES,
    "Every tag is from the taxonomy the prompt offers; the predicted type, queue and priority "
    "are among the allowed labels.",
)

CHECKS = [schema_check(OUTPUT_TABLE), tags_evidence]
