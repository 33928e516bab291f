"""Typed ids. The partition's date is part of every id, so ids never collide across batches."""

from __future__ import annotations

from dsgen_dagster.partitions import partition_code

POLICY_PREFIX = "pol"
CUSTOMER_PREFIX = "cus"
PRODUCT_PREFIX = "prd"
ORDER_PREFIX = "ord"
TICKET_PREFIX = "tkt"
REPHRASING_PREFIX = "rph"
TRANSLATION_PREFIX = "trn"
# Digits of the running number: fixed, so ids sort in creation order as text. The models'
# id patterns say `\d{6}`, and BatchSettings refuses batches whose ids would not fit.
ID_DIGITS = 6
MAX_ID_INDEX = 10**ID_DIGITS - 1


def make_id(prefix: str, partition_key: str, index: int) -> str:
    """`tkt_20261122_000007`: prefix, batch date, 1-based running number of ID_DIGITS digits."""
    if not 1 <= index <= MAX_ID_INDEX:
        raise ValueError(f"id index {index} does not fit {ID_DIGITS} digits (1..{MAX_ID_INDEX})")
    return f"{prefix}_{partition_code(partition_key)}_{index:0{ID_DIGITS}d}"


def clause_id(partition_key: str, clause_number: str) -> str:
    """`pol_20261122_3.2`: a clause keeps its document number, so ids read like the policy."""
    return f"{POLICY_PREFIX}_{partition_code(partition_key)}_{clause_number}"


def child_id(prefix: str, parent_id: str, suffix: str) -> str:
    """An id for a row derived from a ticket: `rph_20261122_000007_2` from `tkt_20261122_000007`."""
    _, rest = parent_id.split("_", 1)
    return f"{prefix}_{rest}_{suffix}"
