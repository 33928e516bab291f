"""tags: schema check."""

from dsgen_dagster.quality.checks import schema_check

CHECKS = [schema_check("tags")]
