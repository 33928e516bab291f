"""Exact and near-duplicate texts within a partition and against every earlier partition.

`find_duplicates(current, earlier)` is what a Dagster check calls. `current` is the partition's
items (id, text); `earlier` is an iterable of earlier partitions, each (partition_key, items) or an
already signed batch. Earlier partitions are consumed one at a time and dropped, so memory is
linear in the size of one partition whatever the number of earlier ones (pass a generator).

Exact duplicates compare normalised texts (see `text.normalize_text`). Near-duplicates are pairs
whose word n-gram shingle sets have Jaccard similarity >= threshold: MinHash/LSH proposes
candidates in sub-quadratic time and each candidate's exact Jaccard decides, so every reported
pair is real; a pair at the threshold is proposed with probability >= `target_recall`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from dsgen_dagster.quality.lsh import (
    BandIndex,
    cross_candidates,
    jaccard_of_pairs,
    within_candidates,
)
from dsgen_dagster.quality.minhash import LshParams, SignedBatch, choose_bands, sign_texts
from dsgen_dagster.quality.text import DEFAULT_SHINGLE_SIZE

Item = tuple[str, str]
# A partition's items: (id, text) pairs, or a DataFrame whose first two columns are id and text.
Items = Sequence[Item] | pl.DataFrame
EarlierPartition = SignedBatch | tuple[str, Items]

DEFAULT_THRESHOLD = 0.8


@dataclass(frozen=True)
class DuplicateConfig:
    threshold: float = DEFAULT_THRESHOLD
    shingle_size: int = DEFAULT_SHINGLE_SIZE
    permutations: int = 128
    target_recall: float = 0.99
    max_bucket_fanout: int = 50
    max_examples: int = 5

    def lsh_params(self) -> LshParams:
        if self.shingle_size < 1:
            raise ValueError(f"shingle_size must be at least 1, got {self.shingle_size}")
        bands, rows = choose_bands(self.threshold, self.permutations, self.target_recall)
        return LshParams(shingle_size=self.shingle_size, bands=bands, rows=rows)


@dataclass(frozen=True)
class DuplicatePair:
    kind: str  # "exact" or "near"
    id: str  # the current partition's item
    other_id: str
    other_partition: str
    similarity: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "other_id": self.other_id,
            "other_partition": self.other_partition,
            "similarity": round(float(self.similarity), 4),
        }


@dataclass
class DuplicateReport:
    """Counts are of the current partition's items; one item can count in several kinds.

    exact_within: items whose normalised text equals another item's in this partition.
    near_within: items with a near-duplicate (not an exact one) in this partition.
    exact_earlier / near_earlier: the same against any other partition (the stored-signature
        check compares with earlier and later partitions alike; "earlier" is the historic name).
    duplicated: items in at least one of the four; rate = duplicated / items.
    """

    partition_key: str
    items: int
    threshold: float
    shingle_size: int
    bands: int
    rows: int
    exact_within: int = 0
    near_within: int = 0
    exact_earlier: int = 0
    near_earlier: int = 0
    duplicated: int = 0
    earlier_partitions: int = 0
    earlier_items: int = 0
    candidate_pairs: int = 0
    examples: dict[str, list[DuplicatePair]] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.duplicated / self.items if self.items else 0.0

    def rates(self) -> dict[str, float]:
        kinds = ("exact_within", "near_within", "exact_earlier", "near_earlier")
        return {kind: getattr(self, kind) / self.items if self.items else 0.0 for kind in kinds}

    def offending_ids(self) -> list[str]:
        return [pair.id for pairs in self.examples.values() for pair in pairs]

    def to_metadata(self) -> dict[str, Any]:
        """Plain values (ints, floats, strings, lists of dicts) for dg.AssetCheckResult.metadata."""
        metadata: dict[str, Any] = {
            "items": self.items,
            "duplicated": self.duplicated,
            "duplicate_rate": round(self.rate, 6),
            "exact_within": self.exact_within,
            "near_within": self.near_within,
            "exact_earlier": self.exact_earlier,
            "near_earlier": self.near_earlier,
            "earlier_partitions": self.earlier_partitions,
            "earlier_items": self.earlier_items,
            "candidate_pairs": self.candidate_pairs,
            "threshold": self.threshold,
            "shingle_size": self.shingle_size,
            "lsh": f"{self.bands} bands x {self.rows} rows",
        }
        for kind, rate in self.rates().items():
            metadata[f"{kind}_rate"] = round(rate, 6)
        metadata["examples"] = [
            pair.as_dict() for pairs in self.examples.values() for pair in pairs
        ]
        return metadata


def sign(
    items: Items, partition_key: str = "", config: DuplicateConfig | None = None
) -> SignedBatch:
    """Sign one partition's items once; the result can be passed as `current` or `earlier`."""
    config = config or DuplicateConfig()
    if isinstance(items, pl.DataFrame):
        id_column, text_column = items.columns[:2]
        ids = items.get_column(id_column).cast(pl.String).to_list()
        return sign_texts(ids, items.get_column(text_column), config.lsh_params(), partition_key)
    ids = [item_id for item_id, _ in items]
    texts = [text for _, text in items]
    return sign_texts(ids, texts, config.lsh_params(), partition_key)


@dataclass
class _Groups:
    """Exact-duplicate groups of one batch: one representative text per distinct normalised text."""

    label: np.ndarray  # (n,) group of each text
    size: np.ndarray  # (groups,) members per group
    representative: np.ndarray  # (groups,) first member, in text order
    sorted_hashes: np.ndarray  # (groups,) the group's text hash, ascending

    @classmethod
    def of(cls, batch: SignedBatch) -> _Groups:
        hashes, first, label, size = np.unique(
            batch.exact, return_index=True, return_inverse=True, return_counts=True
        )
        return cls(label=label, size=size, representative=first, sorted_hashes=hashes)

    def with_shingles(self, batch: SignedBatch) -> np.ndarray:
        """Representatives that have shingles, ascending: the texts near-duplicate search uses."""
        representatives = np.sort(self.representative)
        return representatives[batch.shingle_counts[representatives] > 0]


class DuplicateSearch:
    """The running search of one signed partition: within it, then against other partitions.

    `against` takes another signed partition (in memory); `mark_exact_other` / `mark_near_other`
    take matches found elsewhere (the stored signatures, see `quality.signatures`). `report()`
    sums the masks up.
    """

    def __init__(self, batch: SignedBatch, config: DuplicateConfig) -> None:
        params = config.lsh_params()
        self.batch, self.config = batch, config
        self.report = DuplicateReport(
            partition_key=batch.partition_key,
            items=len(batch),
            threshold=config.threshold,
            shingle_size=config.shingle_size,
            bands=params.bands,
            rows=params.rows,
        )
        self.groups = _Groups.of(batch)
        self.masks = {kind: np.zeros(len(batch), dtype=bool) for kind in _KINDS}
        self.examples: dict[str, list[DuplicatePair]] = {kind: [] for kind in _KINDS}
        self._searchable: BandIndex | None = None

    @property
    def searchable(self) -> BandIndex:
        if self._searchable is None:
            self._searchable = BandIndex.of(self.batch, self.groups.with_shingles(self.batch))
        return self._searchable

    def within(self, *, near: bool = True) -> None:
        batch, groups, config, examples = self.batch, self.groups, self.config, self.examples
        self.masks["exact_within"] = groups.size[groups.label] > 1
        for text in np.flatnonzero(self.masks["exact_within"]):
            if len(examples["exact_within"]) >= config.max_examples:
                break
            first = groups.representative[groups.label[text]]
            if first != text:
                examples["exact_within"].append(
                    DuplicatePair(
                        "exact", batch.ids[text], batch.ids[first], batch.partition_key, 1.0
                    )
                )
        if not near:
            return
        pairs = within_candidates(len(batch), self.searchable, config.max_bucket_fanout)
        self.report.candidate_pairs += len(pairs)
        found, similarity = _verified(batch, pairs[:, 0], batch, pairs[:, 1], config.threshold)
        self.masks["near_within"] = np.isin(groups.label, groups.label[pairs[found].ravel()])
        for (left, right), value in zip(
            pairs[found][: config.max_examples], similarity, strict=False
        ):
            examples["near_within"].append(
                DuplicatePair(
                    "near", batch.ids[right], batch.ids[left], batch.partition_key, float(value)
                )
            )

    def against(self, other: SignedBatch) -> None:
        """Mark the current items duplicating the texts of another signed partition."""
        self.report.earlier_partitions += 1
        self.report.earlier_items += len(other)
        self.report.candidate_pairs += _against_earlier(
            self.batch,
            self.groups,
            self.searchable,
            other,
            self.config,
            self.masks,
            self.examples,
        )

    def mark_exact_other(self, texts: np.ndarray, partitions: list[str], ids: list[str]) -> None:
        """texts[k] (current index) equals the text `ids[k]` of partition `partitions[k]`."""
        hit = np.isin(self.groups.label, self.groups.label[texts])
        self.masks["exact_earlier"] |= hit
        match = {int(self.groups.label[t]): k for k, t in enumerate(texts)}
        for text in np.flatnonzero(hit):
            if len(self.examples["exact_earlier"]) >= self.config.max_examples:
                break
            k = match[int(self.groups.label[text])]
            self.examples["exact_earlier"].append(
                DuplicatePair("exact", self.batch.ids[text], ids[k], partitions[k], 1.0)
            )

    def mark_near_other(
        self,
        texts: np.ndarray,
        similarity: np.ndarray,
        partitions: list[str],
        ids: list[str],
    ) -> None:
        """Verified near pairs: texts[k] (current) ~ `ids[k]` of `partitions[k]`."""
        self.masks["near_earlier"] |= np.isin(self.groups.label, self.groups.label[texts])
        for k, text in enumerate(texts):
            if len(self.examples["near_earlier"]) >= self.config.max_examples:
                break
            self.examples["near_earlier"].append(
                DuplicatePair(
                    "near", self.batch.ids[text], ids[k], partitions[k], float(similarity[k])
                )
            )

    def finish(self) -> DuplicateReport:
        report = self.report
        for kind in _KINDS:
            setattr(report, kind, int(self.masks[kind].sum()))
        report.duplicated = int(np.logical_or.reduce([self.masks[k] for k in _KINDS]).sum())
        report.examples = {kind: pairs for kind, pairs in self.examples.items() if pairs}
        return report


def find_duplicates(
    current: Items | SignedBatch,
    earlier: Iterable[EarlierPartition] = (),
    *,
    partition_key: str = "",
    config: DuplicateConfig | None = None,
) -> DuplicateReport:
    """Duplicates of the current partition's items, within it and against each earlier partition."""
    config = config or DuplicateConfig()
    params = config.lsh_params()
    search = DuplicateSearch(_signed(current, partition_key, config, params), config)
    search.within()
    for other in earlier:
        other_batch = _signed(other, "", config, params)
        del other  # one earlier partition in memory at a time, even while the next is read
        search.against(other_batch)
        del other_batch
    return search.finish()


_KINDS = ("exact_within", "near_within", "exact_earlier", "near_earlier")


def _against_earlier(
    batch: SignedBatch,
    groups: _Groups,
    searchable: BandIndex,
    other: SignedBatch,
    config: DuplicateConfig,
    masks: dict[str, np.ndarray],
    examples: dict[str, list[DuplicatePair]],
) -> int:
    """Mark the current items duplicating `other`; returns the number of candidate pairs."""
    other_groups = _Groups.of(other)
    if other_groups.sorted_hashes.size:
        slot = np.searchsorted(other_groups.sorted_hashes, batch.exact)
        slot = np.minimum(slot, other_groups.sorted_hashes.size - 1)
        exact = other_groups.sorted_hashes[slot] == batch.exact
        masks["exact_earlier"] |= exact
        for text in np.flatnonzero(exact):
            if len(examples["exact_earlier"]) >= config.max_examples:
                break
            match = other.ids[other_groups.representative[slot[text]]]
            examples["exact_earlier"].append(
                DuplicatePair("exact", batch.ids[text], match, other.partition_key, 1.0)
            )

    other_index = BandIndex.of(other, other_groups.with_shingles(other))
    pairs = cross_candidates(searchable, other_index, len(other), config.max_bucket_fanout)
    pairs = pairs[batch.exact[pairs[:, 0]] != other.exact[pairs[:, 1]]]
    near, similarity = _verified(batch, pairs[:, 0], other, pairs[:, 1], config.threshold)
    masks["near_earlier"] |= np.isin(groups.label, groups.label[pairs[near][:, 0]])
    room = config.max_examples - len(examples["near_earlier"])
    for (text, match), value in zip(pairs[near][:room], similarity, strict=False):
        examples["near_earlier"].append(
            DuplicatePair(
                "near", batch.ids[text], other.ids[match], other.partition_key, float(value)
            )
        )
    return len(pairs)


def _verified(
    batch_a: SignedBatch,
    texts_a: np.ndarray,
    batch_b: SignedBatch,
    texts_b: np.ndarray,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(mask of candidate pairs at or above threshold, their similarities)."""
    similarity = jaccard_of_pairs(batch_a, texts_a, batch_b, texts_b)
    near = similarity >= threshold - 1e-12
    return near, similarity[near]


def _signed(
    partition: Items | EarlierPartition,
    partition_key: str,
    config: DuplicateConfig,
    params: LshParams,
) -> SignedBatch:
    if isinstance(partition, SignedBatch):
        if partition.params != params:
            raise ValueError(
                f"batch {partition.partition_key!r} was signed with {partition.params}, but this "
                f"search uses {params}; sign every batch with the same DuplicateConfig"
            )
        return partition
    if isinstance(partition, tuple) and len(partition) == 2 and isinstance(partition[0], str):
        key, items = partition
        return sign(items, key, config)
    return sign(partition, partition_key, config)
