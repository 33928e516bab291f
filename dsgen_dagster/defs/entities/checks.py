"""customers, products and orders: schema checks."""

from dsgen_dagster.defs.entities.models import TABLES
from dsgen_dagster.quality.checks import schema_check

CHECKS = [schema_check(table) for table in TABLES]
