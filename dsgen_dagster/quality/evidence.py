"""What evidence checks of any stage share: where two texts part, and how far two ids are.

The stage-specific evidence lives with its stage (`defs/<stage>/evidence.py`, `rules.py`).
"""

from __future__ import annotations


def first_difference(actual: str | None, expected: str | None) -> str:
    """Where two texts part, word by word: enough to see a one-word slip in the metadata."""
    got, want = (actual or "").split(), (expected or "").split()
    for index, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return f"word {index + 1}: {a!r} where the source has {b!r}"
    if len(got) != len(want):
        return f"{len(got)} words where the source has {len(want)}"
    return "whitespace differs"


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
