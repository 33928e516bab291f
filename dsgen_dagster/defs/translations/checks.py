"""translations: schema check."""

from dsgen_dagster.defs.translations.models import TABLE as OUTPUT_TABLE
from dsgen_dagster.quality.checks import schema_check

CHECKS = [schema_check(OUTPUT_TABLE)]
