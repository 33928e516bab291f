"""Candidate pairs from LSH band keys, and their exact Jaccard similarity, without all-pairs work.

Texts that share a band key land in one bucket. A bucket's members are paired with at most
`fanout` neighbours each (in text order), so even a pathological bucket (thousands of near-copies)
costs O(size x fanout), not O(size^2); every member of such a bucket still gets partners checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dsgen_dagster.quality.minhash import SignedBatch, _segment_positions

_VERIFY_CHUNK = 2_000_000  # shingles gathered per verification step (~50 MB of work arrays)


@dataclass
class BandIndex:
    """Per band, the chosen texts ordered by their band key: sort once, search many times."""

    texts: np.ndarray  # indices into the batch
    orders: list[np.ndarray]  # per band: positions into `texts`, by ascending key
    sorted_keys: list[np.ndarray]  # per band: the keys in that order

    @classmethod
    def of(cls, batch: SignedBatch, texts: np.ndarray) -> BandIndex:
        orders, sorted_keys = [], []
        for band in range(batch.band_keys.shape[1]):
            keys = batch.band_keys[texts, band]
            order = np.argsort(keys, kind="stable")
            orders.append(order)
            sorted_keys.append(keys[order])
        return cls(texts=texts, orders=orders, sorted_keys=sorted_keys)


def within_candidates(batch_size: int, index: BandIndex, fanout: int) -> np.ndarray:
    """Candidate pairs among the indexed texts: (k, 2) batch indices, left < right."""
    found = []
    for order, sorted_keys in zip(index.orders, index.sorted_keys, strict=True):
        if sorted_keys.size < 2:
            break
        new_run = np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))
        run_starts = np.flatnonzero(new_run)
        run_lengths = np.diff(np.append(run_starts, sorted_keys.size))
        run_end_of = np.repeat(run_starts + run_lengths, run_lengths)
        positions = np.arange(sorted_keys.size, dtype=np.int64)
        partners = np.minimum(run_end_of - positions - 1, fanout)
        left = np.repeat(positions, partners)
        right = _segment_positions(positions + 1, partners)
        a, b = index.texts[order[left]], index.texts[order[right]]
        found.append(np.minimum(a, b) * batch_size + np.maximum(a, b))
    return _decode(found, batch_size)


def cross_candidates(
    current: BandIndex, earlier: BandIndex, earlier_size: int, fanout: int
) -> np.ndarray:
    """Candidate pairs (current index, earlier index) sharing at least one band key."""
    found = []
    for band, current_keys in enumerate(current.sorted_keys):
        earlier_keys = earlier.sorted_keys[band]
        # Sorted queries into a sorted array: a merge-like, cache-friendly search.
        low = np.searchsorted(earlier_keys, current_keys, side="left")
        high = np.searchsorted(earlier_keys, current_keys, side="right")
        partners = np.minimum(high - low, fanout)
        a = np.repeat(current.texts[current.orders[band]], partners)
        b = earlier.texts[earlier.orders[band][_segment_positions(low, partners)]]
        found.append(a * earlier_size + b)
    return _decode(found, earlier_size)


def _decode(encoded: list[np.ndarray], width: int) -> np.ndarray:
    if not encoded:
        return np.zeros((0, 2), dtype=np.int64)
    unique = np.unique(np.concatenate(encoded))
    return np.stack((unique // max(width, 1), unique % max(width, 1)), axis=1)


def jaccard_of_pairs(
    batch_a: SignedBatch, texts_a: np.ndarray, batch_b: SignedBatch, texts_b: np.ndarray
) -> np.ndarray:
    """Exact Jaccard similarity of the shingle sets of texts_a[k] (in batch_a) and texts_b[k]."""
    similarities = np.zeros(texts_a.size, dtype=np.float64)
    work = np.cumsum(batch_a.shingle_counts[texts_a] + batch_b.shingle_counts[texts_b])
    begin = 0
    while begin < texts_a.size:
        done = int(work[begin - 1]) if begin else 0
        stop = int(np.searchsorted(work, done + _VERIFY_CHUNK, side="right"))
        stop = max(stop, begin + 1)
        similarities[begin:stop] = _jaccard_chunk(
            batch_a, texts_a[begin:stop], batch_b, texts_b[begin:stop]
        )
        begin = stop
    return similarities


def _unique_per_pair(batch: SignedBatch, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pair index, shingle hash) of every distinct shingle of each text, sorted."""
    counts = batch.shingle_counts[texts]
    hashes = batch.shingles[_segment_positions(batch.offsets[texts], counts)]
    pairs = np.repeat(np.arange(texts.size, dtype=np.int64), counts)
    order = np.lexsort((hashes, pairs))
    pairs, hashes = pairs[order], hashes[order]
    distinct = np.concatenate(([True], (pairs[1:] != pairs[:-1]) | (hashes[1:] != hashes[:-1])))
    return pairs[distinct], hashes[distinct]


def _jaccard_chunk(
    batch_a: SignedBatch, texts_a: np.ndarray, batch_b: SignedBatch, texts_b: np.ndarray
) -> np.ndarray:
    pairs_a, hashes_a = _unique_per_pair(batch_a, texts_a)
    pairs_b, hashes_b = _unique_per_pair(batch_b, texts_b)
    size_a = np.bincount(pairs_a, minlength=texts_a.size)
    size_b = np.bincount(pairs_b, minlength=texts_a.size)
    pairs = np.concatenate((pairs_a, pairs_b))
    hashes = np.concatenate((hashes_a, hashes_b))
    order = np.lexsort((hashes, pairs))
    pairs, hashes = pairs[order], hashes[order]
    shared = (pairs[1:] == pairs[:-1]) & (hashes[1:] == hashes[:-1])
    intersection = np.bincount(pairs[1:][shared], minlength=texts_a.size)
    union = size_a + size_b - intersection
    return np.divide(
        intersection, union, out=np.zeros(texts_a.size, dtype=np.float64), where=union > 0
    )
