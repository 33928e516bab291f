"""The duplicate-detection engine: pure functions, no Dagster."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import polars as pl
import pytest

from dsgen_dagster.quality import (
    DuplicateConfig,
    find_duplicates,
    jaccard,
    normalize_text,
    sign,
    word_shingles,
)
from dsgen_dagster.quality.lsh import jaccard_of_pairs
from dsgen_dagster.quality.minhash import candidate_probability, choose_bands

VOCABULARY = [
    f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "re", "su", "ti", "vo") for b in range(50)
]


def random_text(rng: np.random.Generator, words: int = 60) -> str:
    return " ".join(rng.choice(VOCABULARY, words)).capitalize() + "."


def one_word_changed(text: str, position: int = 30) -> str:
    words = text.split()
    words[position] = "replacement"
    return " ".join(words)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(42)


def test_normalisation_ignores_case_punctuation_and_whitespace() -> None:
    assert normalize_text("  Hello,\tWORLD!!  My e-mail\u00a0is\n\nbroken… ") == (
        "hello world my email is broken"
    )
    assert normalize_text("ＦＵＬＬ width") == "full width"  # NFKC
    assert normalize_text("") == ""


def test_exact_duplicate_differing_in_case_punctuation_and_whitespace_is_found(rng) -> None:
    text = random_text(rng)
    noisy = text.upper().replace(" ", " ,  ") + "!!!"
    items = [("tkt_1", text), ("tkt_2", random_text(rng)), ("tkt_3", noisy)]

    report = find_duplicates(items, partition_key="2026-03-01")

    assert report.exact_within == 2
    assert report.duplicated == 2
    assert report.rate == pytest.approx(2 / 3)
    [pair] = report.examples["exact_within"]
    assert (pair.id, pair.other_id, pair.other_partition) == ("tkt_3", "tkt_1", "2026-03-01")
    assert pair.similarity == 1.0


def test_one_word_changed_in_60_words_is_a_near_duplicate_within_a_partition(rng) -> None:
    text = random_text(rng, 60)
    edited = one_word_changed(text)
    items = [
        ("tkt_1", text),
        *((f"tkt_x{i}", random_text(rng)) for i in range(50)),
        ("tkt_2", edited),
    ]

    report = find_duplicates(items, partition_key="2026-03-01")

    assert report.exact_within == 0
    assert report.near_within == 2
    assert report.duplicated == 2
    [pair] = report.examples["near_within"]
    assert {pair.id, pair.other_id} == {"tkt_1", "tkt_2"}
    assert pair.similarity >= 0.8
    assert pair.similarity == pytest.approx(jaccard(text, edited))


def test_near_and_exact_duplicates_against_earlier_partitions(rng) -> None:
    old_text, old_other = random_text(rng, 60), random_text(rng, 80)
    earlier = [
        ("2026-03-01", [("tkt_a1", old_text), ("tkt_a2", random_text(rng))]),
        ("2026-03-02", [("tkt_b1", old_other), ("tkt_b2", random_text(rng))]),
    ]
    current = [
        ("tkt_c1", one_word_changed(old_text)),
        ("tkt_c2", random_text(rng)),
        ("tkt_c3", old_other.lower()),
    ]

    report = find_duplicates(current, earlier, partition_key="2026-03-03")

    assert (report.exact_within, report.near_within) == (0, 0)
    assert (report.exact_earlier, report.near_earlier) == (1, 1)
    assert report.earlier_partitions == 2 and report.earlier_items == 4
    [near] = report.examples["near_earlier"]
    assert (near.id, near.other_id, near.other_partition) == ("tkt_c1", "tkt_a1", "2026-03-01")
    assert near.similarity >= 0.8
    [exact] = report.examples["exact_earlier"]
    assert (exact.id, exact.other_id, exact.other_partition) == ("tkt_c3", "tkt_b1", "2026-03-02")


def test_unrelated_texts_are_not_flagged(rng) -> None:
    current = [(f"tkt_{i}", random_text(rng, int(rng.integers(20, 120)))) for i in range(300)]
    earlier = [("2026-03-01", [(f"old_{i}", random_text(rng)) for i in range(300)])]

    report = find_duplicates(current, earlier)

    assert report.duplicated == 0
    assert report.examples == {}


def test_results_are_deterministic_across_calls_and_processes(rng) -> None:
    items = [(f"tkt_{i}", random_text(rng)) for i in range(20)]
    items.append(("tkt_dup", one_word_changed(items[3][1])))

    first, second = find_duplicates(items), find_duplicates(items)
    assert first.to_metadata() == second.to_metadata()
    assert np.array_equal(sign(items).band_keys, sign(items).band_keys)

    # Python's str hash is salted per process; the engine must not depend on it.
    script = (
        "from dsgen_dagster.quality import sign;"
        "b = sign([('a', 'Where is my order? It was due last Tuesday, order ord_1.')]);"
        "print(int(b.band_keys.sum(dtype='uint64')), int(b.exact[0]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_threshold_is_configurable(rng) -> None:
    text = random_text(rng, 60)
    words = text.split()
    for position in (10, 25, 40):
        words[position] = "changed"
    edited = " ".join(words)
    similarity = jaccard(text, edited)
    assert 0.5 < similarity < 0.8
    items = [("tkt_1", text), ("tkt_2", edited)]

    assert find_duplicates(items).near_within == 0
    loose = find_duplicates(items, config=DuplicateConfig(threshold=0.5))
    assert loose.near_within == 2
    assert loose.examples["near_within"][0].similarity == pytest.approx(similarity)


def test_shingle_size_is_configurable_and_short_texts_are_one_shingle() -> None:
    assert word_shingles("Refund please!", n=5) == {"refund please"}
    assert word_shingles("a b c d", n=2) == {"a b", "b c", "c d"}
    assert word_shingles("...", n=5) == set()
    assert jaccard("Refund please", "refund, PLEASE") == 1.0
    assert jaccard("Refund please", "Refund now please") == 0.0

    items = [("tkt_1", "where is my parcel"), ("tkt_2", "where is my parcel now")]
    assert find_duplicates(items).duplicated == 0
    bigrams = find_duplicates(items, config=DuplicateConfig(shingle_size=2, threshold=0.7))
    assert bigrams.near_within == 2


def test_jaccard_helper_for_rephrasings() -> None:
    source = "I would like to return the blue kettle I ordered last week because it leaks."
    assert jaccard(source, source) == 1.0
    assert jaccard(source, source.upper()) == 1.0
    assert jaccard(source, "Please cancel my subscription.") == 0.0
    rephrased = "The blue kettle I ordered last week leaks, so I want to send it back."
    assert jaccard(source, rephrased) == jaccard(rephrased, source) < 0.3


def test_jaccard_is_that_of_the_word_shingle_sets(rng) -> None:
    # jaccard shingles with word tuples; word_shingles, the one definition, joins the words.
    words = ["order", "Refund", "e-mail", "Müller,", "déjà", "vu", "¿qué?", "the", "a"]
    for _ in range(500):
        n = int(rng.integers(1, 7))
        a, b = (
            " ".join(rng.choice(words, int(rng.integers(0, 12)))) for _ in range(2)
        )  # fmt: skip
        set_a, set_b = word_shingles(a, n), word_shingles(b, n)
        union = set_a | set_b
        expected = len(set_a & set_b) / len(union) if union else 1.0
        assert jaccard(a, b, n) == pytest.approx(expected), (a, b, n)
    with pytest.raises(ValueError, match="shingle size"):
        jaccard("a b", "a b", n=0)


def test_engine_similarity_equals_the_string_jaccard(rng) -> None:
    texts = [random_text(rng, int(rng.integers(3, 40))) for _ in range(40)]
    # Variants sharing most words, so similarities spread over (0, 1).
    texts += [
        one_word_changed(t, position=len(t.split()) // 2) for t in texts if len(t.split()) > 2
    ]
    batch = sign([(str(i), t) for i, t in enumerate(texts)], config=DuplicateConfig(shingle_size=3))
    left = rng.integers(0, len(texts), 300)
    right = rng.integers(0, len(texts), 300)

    engine = jaccard_of_pairs(batch, left, batch, right)

    expected = [jaccard(texts[a], texts[b], n=3) for a, b in zip(left, right, strict=True)]
    assert engine == pytest.approx(expected)


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9, 0.95])
def test_bands_find_pairs_at_the_threshold_with_high_probability(threshold: float) -> None:
    bands, rows = choose_bands(threshold, 128)
    assert bands * rows <= 128
    assert candidate_probability(threshold, bands, rows) >= 0.99
    assert candidate_probability(threshold / 3, bands, rows) < 0.2


def test_signed_batches_and_dataframes_are_accepted(rng) -> None:
    old = [(f"old_{i}", random_text(rng)) for i in range(10)]
    signed = sign(old, "2026-03-01")
    current = pl.DataFrame({"ticket_id": ["new_1", "new_2"], "body": [old[4][1], None]})

    report = find_duplicates(current, [signed], partition_key="2026-03-02")

    assert report.exact_earlier == 1
    assert report.examples["exact_earlier"][0].other_id == "old_4"
    with pytest.raises(ValueError, match="same DuplicateConfig"):
        find_duplicates(current, [signed], config=DuplicateConfig(threshold=0.5))


def test_empty_partition_reports_zero() -> None:
    report = find_duplicates([], [("2026-03-01", [("a", "some text here")])])
    assert (report.items, report.duplicated, report.rate) == (0, 0, 0.0)


def test_a_crowd_of_near_copies_is_bounded_and_fully_flagged(rng) -> None:
    base = random_text(rng, 80)
    copies = [(f"tkt_{i}", one_word_changed(base, position=i % 80)) for i in range(400)]

    report = find_duplicates(copies, config=DuplicateConfig(max_bucket_fanout=10))

    assert report.near_within + report.exact_within >= 400
    assert report.duplicated == 400
    assert report.candidate_pairs <= 400 * 10


def test_metadata_is_plain_values(rng) -> None:
    text = random_text(rng)
    metadata = find_duplicates([("a", text), ("b", text + "!")]).to_metadata()
    assert metadata["exact_within"] == 2
    assert metadata["duplicate_rate"] == 1.0
    assert metadata["examples"] == [
        {"kind": "exact", "id": "b", "other_id": "a", "other_partition": "", "similarity": 1.0}
    ]
    assert all(isinstance(v, int | float | str | list) for v in metadata.values())
