"""Deterministic randomness: every draw is a function of (global seed, partition, purpose)."""

from __future__ import annotations

import random


def rng_for(seed: int, partition_key: str, *purpose: object) -> random.Random:
    # A str seed is hashed with SHA-512 by `random`, so it does not depend on PYTHONHASHSEED.
    return random.Random("|".join([str(seed), partition_key, *map(str, purpose)]))


def weighted_choice(rng: random.Random, table: dict[str, float]) -> str:
    """One key of `table`, drawn with its weight."""
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys], k=1)[0]
