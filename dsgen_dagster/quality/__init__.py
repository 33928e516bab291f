"""Data-quality machinery behind the asset checks: duplicate detection and text similarity."""

from dsgen_dagster.quality.duplicates import (
    DEFAULT_THRESHOLD,
    DuplicateConfig,
    DuplicatePair,
    DuplicateReport,
    find_duplicates,
    sign,
)
from dsgen_dagster.quality.minhash import SignedBatch
from dsgen_dagster.quality.text import jaccard, normalize_text, word_shingles

__all__ = [
    "DEFAULT_THRESHOLD",
    "DuplicateConfig",
    "DuplicatePair",
    "DuplicateReport",
    "SignedBatch",
    "find_duplicates",
    "jaccard",
    "normalize_text",
    "sign",
    "word_shingles",
]
