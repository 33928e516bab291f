"""The content rules of a ticket's labels, over the response's fields and the request's context.

- every tag is from the taxonomy the prompt offered (`context["allowed"]["tags"]`), compared as
  the row stores it (trimmed, lower case);
- the predicted ticket type, queue and priority are among the offered values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dsgen_dagster.quality.rules import Violation, short

TAG_NOT_IN_TAXONOMY = "tag_not_in_taxonomy"
LABEL_NOT_ALLOWED = "label_not_allowed"
RULES = [TAG_NOT_IN_TAXONOMY, LABEL_NOT_ALLOWED]
LABELS = (("ticket_type", "ticket_types"), ("queue", "queues"), ("priority", "priorities"))


def tag_violations(
    tags: Sequence[str], labels: Mapping[str, str], context: dict[str, Any]
) -> list[Violation]:
    """`labels`: ticket_type, queue and priority as predicted."""
    allowed = context.get("allowed") or {}
    found: list[Violation] = []
    taxonomy = allowed.get("tags")
    if taxonomy:
        outside = [tag for tag in tags if tag.strip().lower() not in taxonomy]
        if outside:
            found.append(
                Violation(
                    TAG_NOT_IN_TAXONOMY,
                    f"the tags {', '.join(repr(short(t, 40)) for t in outside[:3])} are not in "
                    "the taxonomy; use only tags from the list given "
                    f"({short(', '.join(taxonomy), 200)}).",
                )
            )
    for field, offered in LABELS:
        values = allowed.get(offered)
        if values and labels.get(field) not in values:
            found.append(
                Violation(
                    LABEL_NOT_ALLOWED,
                    f"{field} {labels.get(field)!r} is not allowed; pick one of "
                    f"{', '.join(values)}.",
                )
            )
    return found
