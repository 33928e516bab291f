"""Benchmark: the email duplicates check of one partition against 10 earlier partitions.

    .venv/bin/python bench/bench_duplicates.py                  # N = 10k and 100k per partition
    .venv/bin/python bench/bench_duplicates.py --sizes 2000 --earlier 3

For each N it writes (N x (earlier + 1)) synthetic emails into a DuckDB file laid out like the
warehouse (`emails(ticket_id, body, partition_date)`), with a few planted duplicates in the current
partition, then measures the check in a fresh subprocess so that peak RSS is the check's alone:
read the current partition, stream the earlier ones one partition at a time (as the Dagster check
does), and `find_duplicates`. It prints wall seconds, peak RSS, the counts found vs planted, and the
100k/10k growth ratios.

Emails are random sentences over a Zipf-weighted vocabulary of 4,000 made-up words, with a
greeting, an order number and a sign-off; 60-160 words each. Planted in the current partition
(0.1% of N each): exact copies of another current email differing in case/punctuation/spacing,
one-word edits of another current email, exact copies of an earlier email, one-word edits of one.

Measured November 2026 on the 2-core dev machine, shared with other jobs (load 3-5), 3 runs:
N=10k: 6.4-14.7 s, peak RSS 251-300 MB; N=100k: 47-56 s, peak RSS 722-724 MB (94 MB of it the
interpreter and imports). Every planted duplicate found, 0 false candidates. 10x the items:
time x3.2-7.5, memory above the interpreter x4.0 (DuckDB's read buffers are a fixed ~150 MB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
GREETINGS = [
    "Hello,",
    "Hi team,",
    "Dear support,",
    "Good morning,",
    "Hi there,",
    "To whom it may concern,",
]
SIGN_OFFS = ["Thanks,", "Best regards,", "Kind regards,", "Cheers,", "Thank you,"]
FIRST_DATE = dt.date(2026, 3, 1)
PLANT_SHARE = 0.001
KINDS = ("exact_within", "near_within", "exact_earlier", "near_earlier")


def vocabulary(rng: np.random.Generator, size: int = 4000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES, rng.integers(1, 4))))
    return sorted(words)


def emails(
    rng: np.random.Generator, vocab: list[str], weights: np.ndarray, count: int
) -> list[str]:
    lengths = rng.integers(60, 161, count)
    picks = rng.choice(len(vocab), size=int(lengths.sum()), p=weights)
    ends = np.cumsum(lengths)
    texts = []
    for index, (end, length) in enumerate(zip(ends, lengths, strict=True)):
        body = [vocab[i] for i in picks[end - length : end]]
        for cut in range(12, len(body), 14):  # sentences of 14 words
            body[cut] += "."
        texts.append(
            f"{GREETINGS[index % len(GREETINGS)]}\n\n{' '.join(body)} My order is "
            f"ord_{rng.integers(10**7, 10**8)}.\n\n{SIGN_OFFS[index % len(SIGN_OFFS)]}\nCustomer"
        )
    return texts


def edit_one_word(rng: np.random.Generator, text: str) -> str:
    words = text.split(" ")
    middle = len(words) // 2 + int(rng.integers(-5, 6))
    words[middle] = "zzedited"
    return " ".join(words)


def reformat(text: str) -> str:
    return text.upper().replace(" ", "   ").replace(".", "!") + " ..."


def partition_key(index: int) -> str:
    return (FIRST_DATE + dt.timedelta(days=index)).isoformat()


def write_dataset(path: Path, per_partition: int, earlier: int, seed: int = 7) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    vocab = vocabulary(rng)
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    weights /= weights.sum()
    plants = max(1, int(per_partition * PLANT_SHARE))
    donors: list[str] = []
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "CREATE TABLE emails (ticket_id VARCHAR, body VARCHAR, partition_date DATE)"
        )
        for index in range(earlier + 1):
            texts = emails(rng, vocab, weights, per_partition)
            if index == earlier:  # the current partition: plant the duplicates
                slots = rng.choice(per_partition, size=6 * plants, replace=False)
                parts = np.split(slots, 6)
                exact_sources, exact_within, near_sources, near_within = parts[:4]
                exact_earlier, near_earlier = parts[4:]
                for source, target in zip(exact_sources, exact_within, strict=True):
                    texts[target] = reformat(texts[source])
                for source, target in zip(near_sources, near_within, strict=True):
                    texts[target] = edit_one_word(rng, texts[source])
                for donor, target in zip(donors, exact_earlier, strict=False):
                    texts[target] = reformat(donor)
                for donor, target in zip(donors[plants:], near_earlier, strict=False):
                    texts[target] = edit_one_word(rng, donor)
            else:
                donors.extend(
                    texts[i] for i in rng.choice(per_partition, 2 * plants // earlier + 2)
                )
            key = partition_key(index)
            frame = pl.DataFrame(
                {
                    "ticket_id": [
                        f"tkt_{key.replace('-', '')}_{i:06d}" for i in range(per_partition)
                    ],
                    "body": texts,
                    "partition_date": [dt.date.fromisoformat(key)] * per_partition,
                }
            )
            connection.register("incoming", frame.to_arrow())
            connection.execute("INSERT INTO emails SELECT * FROM incoming")
            connection.unregister("incoming")
    return {"plants_per_kind": plants}


def rss_mb() -> float:
    """Peak resident memory of this process in MB.

    VmHWM rather than ru_maxrss: on Linux ru_maxrss survives exec, so a child started by a big
    parent would report the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, earlier: int) -> dict[str, object]:
    """Runs in its own process: the check as the Dagster asset check will run it."""
    from dsgen_dagster.quality import DuplicateConfig, find_duplicates

    baseline = rss_mb()
    start = time.perf_counter()

    def read(key: str) -> pl.DataFrame:
        # A connection per partition, closed after the read, as the warehouse resource does:
        # DuckDB's buffer pool is released with it.
        with duckdb.connect(str(path), read_only=True) as connection:
            return connection.execute(
                "SELECT ticket_id, body FROM emails WHERE partition_date = ? ORDER BY ticket_id",
                [dt.date.fromisoformat(key)],
            ).pl()

    current_key = partition_key(earlier)
    earlier_partitions = ((partition_key(i), read(partition_key(i))) for i in range(earlier))
    report = find_duplicates(
        read(current_key), earlier_partitions, partition_key=current_key, config=DuplicateConfig()
    )
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(rss_mb(), 1),
        "baseline_rss_mb": round(baseline, 1),
        "report": {k: v for k, v in report.to_metadata().items() if k != "examples"},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--earlier", type=int, default=10)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.earlier)))
        return

    results = {}
    with tempfile.TemporaryDirectory(prefix="bench_duplicates_") as workdir:
        for size in args.sizes:
            path = Path(workdir) / f"emails_{size}.duckdb"
            started = time.perf_counter()
            planted = write_dataset(path, size, args.earlier)
            generated = time.perf_counter() - started
            output = subprocess.run(
                [sys.executable, __file__, "--measure", str(path), "--earlier", str(args.earlier)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(output.strip().splitlines()[-1])
            results[size] = result
            report = result["report"]
            found = " ".join(f"{kind}={report[kind]}" for kind in KINDS)
            print(
                f"N={size:>7,} current vs {args.earlier} earlier partitions "
                f"({size * (args.earlier + 1):,} emails; data generated in {generated:.0f}s)\n"
                f"  wall {result['seconds']:.2f} s, peak RSS {result['peak_rss_mb']:.0f} MB "
                f"(interpreter + imports {result['baseline_rss_mb']:.0f} MB)\n"
                f"  found {found} (planted {planted['plants_per_kind']} of each kind; a "
                f"within-partition plant involves 2 items)\n"
                f"  candidate pairs {report['candidate_pairs']:,}, LSH {report['lsh']}",
                flush=True,
            )
            path.unlink()
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:], strict=False):
        a, b = results[small], results[large]
        growth = large / small
        time_ratio = b["seconds"] / a["seconds"]
        memory_ratio = (b["peak_rss_mb"] - b["baseline_rss_mb"]) / max(
            a["peak_rss_mb"] - a["baseline_rss_mb"], 1.0
        )
        verdict = (
            "roughly linear"
            if time_ratio < growth * 1.5 and memory_ratio < growth * 1.5
            else "SUPER-LINEAR"
        )
        print(
            f"{small:,} -> {large:,} ({growth:.0f}x items): time x{time_ratio:.1f}, "
            f"memory above baseline x{memory_ratio:.1f}: {verdict}"
        )


if __name__ == "__main__":
    main()
