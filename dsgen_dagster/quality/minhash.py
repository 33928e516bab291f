"""Signing a batch of texts: exact-text hashes, word-shingle hashes and MinHash/LSH band keys.

Everything after the per-text normalisation is numpy over whole chunks of texts: the normalised
texts are joined into one UTF-8 buffer, words are found and hashed from its bytes (tabulation
hashing), shingles are combinations of consecutive word hashes, and all MinHash permutations are
one broadcast multiply-add over a (permutations x shingles) block. No per-word Python objects are
made, so a 100k-text batch signs in seconds and memory stays linear in the number of shingles.

Hashes are seeded by constants here, never by Python's per-process `hash`, so signatures are the
same in every process and every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from dsgen_dagster.quality.text import normalize_loose

if TYPE_CHECKING:
    import polars as pl

_SEED = 0x5EED_D5_6E4
_MAX_WORD_POSITION = 64  # tabulation table rows: byte position within a word, modulo this (2^k)
_DOC_CHUNK = 1024  # texts tokenised at once: keeps the per-byte work arrays at a few MB
_SHINGLE_CHUNK = 8192  # shingles per MinHash block: (permutations x 8192) uint64 = 8 MB

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijection on uint64 that spreads every input bit."""
    x = values.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


def _random_uint64(count: int, stream: int) -> np.ndarray:
    rng = np.random.default_rng([_SEED, stream])
    return rng.integers(0, np.iinfo(np.uint64).max, size=count, dtype=np.uint64, endpoint=True)


_BYTE_TABLE = _random_uint64(_MAX_WORD_POSITION * 256, stream=1)
_SHINGLE_WEIGHTS = _random_uint64(1024, stream=2) | np.uint64(1)
_TEXT_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_LENGTH_SALT = np.uint64(0xD6E8FEB86659FD93)


@dataclass(frozen=True)
class LshParams:
    shingle_size: int
    bands: int
    rows: int

    @property
    def permutations(self) -> int:
        return self.bands * self.rows


@dataclass
class SignedBatch:
    """What the duplicate search needs of one partition's texts; linear in their size.

    `shingles[offsets[i]:offsets[i + 1]]` are text i's shingle hashes (64-bit, possibly repeated);
    `band_keys[i]` its LSH band keys (meaningless for a text without shingles).
    """

    partition_key: str
    ids: list[str]
    exact: np.ndarray  # (n,) uint64 hash of the normalised text
    offsets: np.ndarray  # (n + 1,) int64
    shingles: np.ndarray  # (offsets[-1],) uint64
    band_keys: np.ndarray  # (n, bands) uint64
    params: LshParams

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def shingle_counts(self) -> np.ndarray:
        return np.diff(self.offsets)

    @property
    def nbytes(self) -> int:
        arrays = (self.exact, self.offsets, self.shingles, self.band_keys)
        return sum(array.nbytes for array in arrays)


def choose_bands(
    threshold: float, permutations: int, target_recall: float = 0.99
) -> tuple[int, int]:
    """(bands, rows) so that a pair at exactly `threshold` becomes a candidate with probability

    at least `target_recall` (1 - (1 - t^rows)^bands), with as many rows per band as possible so
    that dissimilar pairs rarely collide. 0.8 with 128 permutations -> 21 bands of 6 rows
    (a pair at 0.8 is found with probability 0.998, one at 0.5 with 0.28, at 0.3 with 0.015).
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    for rows in range(permutations, 0, -1):
        bands = permutations // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= target_recall:
            return bands, rows
    return permutations, 1


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - similarity**rows) ** bands


def _segment_positions(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ranges [start, start + length) for every segment, as one index array."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.cumsum(lengths) - lengths
    return np.arange(total, dtype=np.int64) + np.repeat(starts - first, lengths)


def _hash_words(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(word hashes of all texts in order, words per text), from the normalised UTF-8 bytes."""
    buffer = np.frombuffer("\n".join(normalize_loose(t) for t in texts).encode("utf-8"), np.uint8)
    if buffer.size == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(len(texts), dtype=np.int64)
    separator = (buffer == 32) | (buffer == 10)
    is_char = ~separator
    before = np.concatenate(([True], separator[:-1]))
    after = np.concatenate((separator[1:], [True]))
    word_starts = np.flatnonzero(is_char & before)
    word_lengths = np.flatnonzero(is_char & after) + 1 - word_starts
    text_ends = np.append(np.flatnonzero(buffer == 10), buffer.size)
    words_per_text = np.diff(np.searchsorted(word_starts, text_ends), prepend=0)

    chars = buffer[is_char]
    if chars.size == 0:
        return np.zeros(0, dtype=np.uint64), words_per_text
    index_type = np.int32 if chars.size < 2**31 else np.int64
    first = (np.cumsum(word_lengths) - word_lengths).astype(index_type)
    position = np.arange(chars.size, dtype=index_type)
    position -= np.repeat(first, word_lengths)
    position &= _MAX_WORD_POSITION - 1
    position <<= 8
    position |= chars
    sums = np.add.reduceat(_BYTE_TABLE[position], first)
    return mix64(sums + word_lengths.astype(np.uint64) * _LENGTH_SALT), words_per_text


def _text_hashes(word_hashes: np.ndarray, words_per_text: np.ndarray) -> np.ndarray:
    """Hash of each text's word sequence: equal exactly when the normalised texts are equal."""
    word_starts = np.cumsum(words_per_text) - words_per_text
    position = np.arange(word_hashes.size, dtype=np.int64) - np.repeat(word_starts, words_per_text)
    weights = mix64(position.astype(np.uint64) + _TEXT_MULTIPLIER)
    sums = np.zeros(words_per_text.size, dtype=np.uint64)
    nonempty = words_per_text > 0
    if word_hashes.size:
        sums[nonempty] = np.add.reduceat(word_hashes * weights, word_starts[nonempty])
    return mix64(sums ^ mix64(words_per_text.astype(np.uint64)))


def _shingle_hashes(
    word_hashes: np.ndarray, words_per_text: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """(shingle hashes of all texts in order, shingles per text).

    A shingle is a weighted sum of its words' hashes (weights differ by position, so order
    matters), salted with its length and finalised; texts shorter than n words give one shingle.
    """
    word_starts = np.cumsum(words_per_text) - words_per_text
    long_texts = words_per_text >= n
    windows = np.where(long_texts, words_per_text - n + 1, np.minimum(words_per_text, 1))
    window_starts = _segment_positions(word_starts, windows)
    width = np.repeat(np.where(long_texts, n, words_per_text), windows)
    sums = np.zeros(window_starts.size, dtype=np.uint64)
    for offset in range(n):
        inside = width > offset
        weight = _SHINGLE_WEIGHTS[offset % _SHINGLE_WEIGHTS.size]
        sums[inside] += word_hashes[window_starts[inside] + offset] * weight
    return mix64(sums + width.astype(np.uint64) * _LENGTH_SALT), windows


def _permutations(count: int) -> tuple[np.ndarray, np.ndarray]:
    # Multiply-add-shift (Dietzfelbinger): (a*x + b) >> 32 over 32-bit keys x is 2-universal.
    multipliers = _random_uint64(count, stream=3) | np.uint64(1)
    increments = _random_uint64(count, stream=4)
    return multipliers[:, None], increments[:, None]


def _band_keys(
    shingles: np.ndarray, shingles_per_text: np.ndarray, params: LshParams
) -> np.ndarray:
    """(texts, bands) band keys: a hash of each band's `rows` MinHash values."""
    multipliers, increments = _permutations(params.permutations)
    band_weights = _random_uint64(params.rows, stream=5)[None, :, None] | np.uint64(1)
    keys = np.zeros((shingles_per_text.size, params.bands), dtype=np.uint64)
    texts = np.flatnonzero(shingles_per_text)
    ends = np.cumsum(shingles_per_text)
    starts = ends - shingles_per_text
    text_ends = ends[texts]
    keys_32 = shingles >> np.uint64(32)
    # One work buffer reused for every block: fresh multi-MB arrays would page-fault each time.
    work = np.empty(params.permutations * _SHINGLE_CHUNK, dtype=np.uint64)
    begin = 0
    while begin < texts.size:
        # Whole texts per block; one huge text gets a block of its own.
        stop = np.searchsorted(text_ends, starts[texts[begin]] + _SHINGLE_CHUNK, side="right")
        block = texts[begin : max(int(stop), begin + 1)]
        low, high = starts[block[0]], ends[block[-1]]
        if work.size < params.permutations * (high - low):
            work = np.empty(params.permutations * (high - low), dtype=np.uint64)
        products = work[: params.permutations * (high - low)].reshape(params.permutations, -1)
        np.multiply(multipliers, keys_32[None, low:high], out=products)
        products += increments
        minima = np.minimum.reduceat(products, starts[block] - low, axis=1) >> np.uint64(32)
        rows = minima.reshape(params.bands, params.rows, block.size)
        keys[block] = mix64((rows * band_weights).sum(axis=1, dtype=np.uint64)).T
        begin += block.size
    return keys


def sign_texts(
    ids: Sequence[str],
    texts: Sequence[str | None] | pl.Series,
    params: LshParams,
    partition_key: str = "",
) -> SignedBatch:
    """Hash and MinHash-sign a batch of texts, a chunk of texts at a time.

    `texts` may be a list or a column (a polars Series): a column is turned into Python strings
    one chunk at a time, so a large partition never exists as a list of Python strings.
    """
    if len(ids) != len(texts):
        raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
    exact_parts, shingle_parts, count_parts, key_parts = [], [], [], []
    for begin in range(0, len(texts), _DOC_CHUNK):
        rows = texts[begin : begin + _DOC_CHUNK]
        chunk = [text or "" for text in (rows.to_list() if hasattr(rows, "to_list") else rows)]
        word_hashes, words_per_text = _hash_words(chunk)
        exact_parts.append(_text_hashes(word_hashes, words_per_text))
        shingles, shingles_per_text = _shingle_hashes(
            word_hashes, words_per_text, params.shingle_size
        )
        shingle_parts.append(shingles)
        count_parts.append(shingles_per_text)
        key_parts.append(_band_keys(shingles, shingles_per_text, params))
    counts = np.concatenate(count_parts) if count_parts else np.zeros(0, dtype=np.int64)
    return SignedBatch(
        partition_key=partition_key,
        ids=list(ids),
        exact=np.concatenate(exact_parts) if exact_parts else np.zeros(0, dtype=np.uint64),
        offsets=np.concatenate(([0], np.cumsum(counts))).astype(np.int64),
        shingles=np.concatenate(shingle_parts) if shingle_parts else np.zeros(0, dtype=np.uint64),
        band_keys=(
            np.concatenate(key_parts) if key_parts else np.zeros((0, params.bands), dtype=np.uint64)
        ),
        params=params,
    )
