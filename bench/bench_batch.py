"""Benchmark: one offline partition end to end, at several batch sizes, and the cross-batch
duplicates check against a long history.

    .venv/bin/python bench/bench_batch.py                         # 1k and 10k tickets
    .venv/bin/python bench/bench_batch.py --sizes 1000 10000 100000
    .venv/bin/python bench/bench_batch.py --history 1 30 365      # 2,000 emails a partition

Batch mode runs every asset and check of one partition with the offline provider, in a fresh
child process per size (so peak RSS is the batch's alone), and prints wall seconds, ms per
ticket, peak RSS, the marginal tickets/s between consecutive sizes and the slowest steps (from
the Dagster event log; stage wall seconds from the stage_reports table).

History mode writes N earlier partitions of emails straight into DuckDB (synthetic bodies and
subjects, signatures stored as the duplicates check stores them) and times the check of one new
partition against all of them, again in a child process.

Targets (2 cores): ms/ticket at 100k within 1.2x of 10k; peak RSS <= 1.5 GiB at 100k; >= 1,000
tickets/s marginal; a new batch against 365 earlier partitions of 2,000 emails in under 10 s.

Measured December 2026 on the shared 2-core machine (reference loop 0.08-0.13 s; other jobs ran):
before this branch's changes, 1k 11.2 s / 498 MB, 10k 47.0 s / 877 MB (marginal 251 tickets/s),
100k failed on its ids. After: 10k 48.9 s / 901 MB, 100k 457 s / 3.7 GB (ms/ticket x0.93 of
10k, marginal 220 tickets/s) before the request generators, 100k 635 s / 3.25 GB after them (load
4-7 from other jobs; ms/ticket x0.86 of 10k). Still over the 1.5 GiB target: each stage holds
its whole batch of row models, its frame and the upstream rows indexed as dicts. History: 365
earlier partitions checked in 7.3 s, peak 423 MB (setup 157 s); the old re-signing path took
5.2 s against 30 (bench_duplicates.py --sizes 2000 --earlier 30), linear in the history.

Issue #13, second pass (December 2026, same shared machine; `cpu s` is this child's user+sys
time, printed because wall time on a machine shared with four other jobs moved 2-4x between
runs: reference loop 0.10-0.50 s). py-spy on one 10k batch (182 s wall under py-spy): language
identification 68 s (py3langid's byte-by-byte DFA walk, 38%), half of it in the evidence checks
re-judging texts generation had just judged; offline composition ~45 s (the phrase picker
rendered every option to draw one); rules and pydantic ~10 s; prompt rendering 8 s; the offline
seed digest 7 s; schema checks 8 s (3.5 s importing Great Expectations); DuckDB writes 3 s;
duplicates 3 s. Cut: guesses remembered by input digest (checks reuse them), the picker renders
only the phrase it draws, responses re-validated from JSON in one step. Memory: rows become a
frame per 4,096-request chunk, upstream rows are column lists (long texts stay in the frame),
evidence checks and the emails/answers/tags requests stream their contexts.
    main:   1k 43.8 s / 591 MB; 10k 355.3 s / 1,050 MB; marginal 29 tickets/s (ref 0.15/0.13 s)
    branch: 1k 49.0 s wall, 23.6 s cpu / 583 MB; 10k 260.4 s wall, 136.5 s cpu / 1,001 MB;
            marginal 43 tickets/s wall, 80 per cpu second (ref 0.18/0.25 s);
            100k 1,196.6 s wall, 1,012.5 s cpu / 3,157 MB (ref 0.17/0.10 s): cpu per ticket
            10.1 ms against 13.7 ms at 10k, 103 tickets per cpu second from 10k to 100k.
Still far from >= 1,000 tickets/s (generation's own language checks and composition are most of
what is left) and from 1.5 GiB: RSS grows step by step to 2.9 GB in translations, then the
publish transaction adds ~650 MB. Two holders this branch did not touch: `execute_in_process`
(what `dg.materialize` and `dsgen batch` call) keeps every step's output frame for the whole run
(output capture), and DuckDB's buffer and the one publish transaction have no memory_limit.

Third pass: `dsgen batch` and this bench run without output capture (dsgen_dagster/uncaptured.py;
`--captured` for the old dg.materialize path). Same session, reference loop 0.08-0.15 s:
    10k captured    122.9 s wall, 123.5 s cpu /   984 MB
    10k uncaptured  112.4 s wall, 112.7 s cpu /   911 MB
    100k uncaptured 1,075.3 s wall, 984.1 s cpu / 2,450 MB (was 3,157 MB captured): peak in
                    translations 2,445 MB and manifest (publish) 2,434 MB; 9.8 ms cpu/ticket.
Still over 1.5 GiB; what holds it inside translations is not yet found.

Fourth pass (profile at 20k, offline, same shared machine). Main at e60040d, 20k: 204.8 s wall,
204.3 s cpu / 1,136 MB; translations 819 -> 1,087 MB, manifest 905 -> 1,135 MB. Translations'
body alone (tracemalloc at its last chunk) holds ~190 MB of Python objects: column lists 53 MB,
the py3langid model 70 MB, the guess memo 12 MB; +10 MB per 4,096-request chunk (its frame),
and its RSS falls back once the frames go: no leak. glibc fragmentation is small: malloc_trim(0)
after every step left the 20k peak at 1,140 MB. The holder is DuckDB's one-transaction writes:
uncommitted appends stay in memory until COMMIT (122,880-row groups, five buffered), so staging
a partition and publishing the batch each held their rows uncompressed. Writes now go through
`Warehouse.connect_bulk` (16,384-row groups flushed one at a time, 128 MB buffer pool, one
thread; still one transaction). Publish alone on the 20k batch: RSS rise 402 -> 207 MB, 2.6 ->
2.0 s; staging 170,535 translation rows (the 20k rows x5, a 100k batch's size): +733 -> +425 MB.
Same rows at 2k (counts and hashes of every ticket table equal).
    10k, publish cut only      125.3 s wall, 118.7 s cpu /   911 MB (ref 0.11/0.09 s)
    100k, publish cut only   1,161.5 s wall, 1,137.3 s cpu / 2,453 MB (ref 0.10/0.16 s): manifest
                             2,434 -> 2,182 MB, but the peak stayed at the end of translations
                             (2,452 MB; 1,825 MB before its staging write): the staging cut
                             (the next commit) is not yet measured at 100k.
After the staging cut too (main, December 2026; a clean-clone test run shared the machine):
    100k                     1,286.0 s wall, 1,175.8 s cpu / 2,310 MB (ref 0.12/0.13 s): peak in
                             manifest 2,302 MB and translations 2,266 MB.
What is left: a floor that grows ~14 KB a ticket from step to step (700 MB at translations'
start at 10k, 840 MB at 20k; not yet found: not the frames, the memo or glibc), and
translations' own rise (its upstream frames, 1.4 KB a row of output).

Fifth pass (the floor; offline, same shared machine). A probe sampled, after each step's output
was stored (and malloc_trim'd), RSS, /proc/self/smaps by mapping, pymalloc arenas
(sys._debugmallocstats), glibc mallinfo2, DuckDB's jemalloc (`duckdb_je_mallctl` stats.resident),
pyarrow's pool and tracemalloc. End of translations on main, 10k (three runs) -> 20k: RSS
773-817 -> 1,020 MB. The floor is no one holder: Python's traced memory is flat (tracemalloc at 6k:
236 MB at the end of emails, 245 MB at the publish; no traceback grew > 1 MB), DuckDB's jemalloc
holds <= 9 MB at every step end, LazyFree (MADV_FREE) <= 6 MB. What grows from 10k to 20k is each
allocator's retained high-water: pymalloc arenas 252 -> 294 MB (live blocks 163 -> 173 MB),
[heap] 156 -> 226 MB, pyarrow's mimalloc region 27-65 -> 86 MB (111 MB after the publish, with
~1 MB live in the pool and a 42 MB peak), other anonymous maps ~128 -> ~199 MB. Ruled out:
glibc thread arenas (MALLOC_ARENA_MAX=1: 796 MB, no change), PYTHONMALLOC=malloc (880 MB and
186 s against ~120 s: worse). Cut: `release_memory` also calls pyarrow's `release_unused()`,
and polars' jemalloc decays at once (`_RJEM_MALLOC_CONF=dirty_decay_ms:0,muzzy_decay_ms:0`, set
in dsgen_dagster/__init__.py before polars loads; polars' own default is 0.5 s / 1 s, purged
only on its next allocation): 10k end of translations 743 MB, after the publish 685 MB (was
743-757), same wall. Rows at 2k identical (counts and hashes of every ticket table; only the
policy source path and the dedup run id differ, as between any two runs).
    10k   125.8 s wall, 123.9 s cpu / 906 MB (ref 0.12/0.11 s): the peak is inside the publish
          (manifest 906, translations 836 MB), a transient these cuts do not touch (main: 911).
    100k  1,202.9 s wall, 1,173.5 s cpu / 2,240 MB (ref 0.19/0.15 s): translations 2,228 MB and
          manifest 2,228 MB (main: 2,310 MB; manifest 2,302, translations 2,266).
Still over 1.5 GiB by ~700 MB. What is left is the working set itself, spread over the allocators:
the whole-batch upstream frames translations loads (plus their Python column lists) and the
publish transaction; pymalloc keeps an arena while any object in it lives, so bounding it means
bounding what a step holds at once (load inputs by chunk), not more trimming.

Sixth pass (December 2026; the same shared machine; `cpu s` of these runs is ~1.65x the fifth
pass's on every stage, code the pass did not touch included, so compare within the pass only).
Two cuts at the end of a stage were tried:
- kept: staging writes hand DuckDB Arrow string views (polars' own buffers) instead of
  large_string copies: staging 170,535 rows of translation-sized texts (399 MB) in one
  transaction rose RSS +707-729 -> +310-313 MB (a micro-benchmark, two runs each);
- reverted: LLM stages writing each chunk's rows to a spool table in staging as they were made,
  moved into the staged partition in one transaction at the step's end (commit f57eead; in
  isolation that copy of 170,535 rows rose +192 MB, 4.4 s), so that no stage held its batch's
  rows as one frame.
    100k, views          2,099.3 s wall, 1,927.5 s cpu / 2,147 MB (ref 0.20/0.18 s; tests ran
                         beside it): manifest 2,093, translations_evidence 2,090, translations
                         1,979 MB
    100k, views + spool  2,001.0 s wall, 1,941.3 s cpu / 2,202 MB (ref 0.12/0.20 s): translations
                         2,196, translations_evidence 2,191, manifest 2,121 MB
    20k, views           391.9 s wall, 359.4 s cpu / 1,069 MB (ref 0.21/0.52 s; the test suite
                         ran beside it): translations 1,050, translations_evidence 1,036 MB
    20k, views + spool   435.2 s wall, 374.1 s cpu / 1,082 MB (ref 0.35/0.16 s, the same):
                         translations 1,083, translations_evidence 1,018, manifest 992 MB
The string views take ~100 MB off the 100k peak (2,240 -> 2,147 MB). The spool takes nothing
off it, and raises translations' own step: the peak is not a stage's output frame and its
staging copy but what the step holds while it generates (its whole-batch upstream frames and
their Python column lists, on top of the floor the earlier steps left); translations_evidence,
which re-reads the same inputs, sits at the same height. The spool's extra was not measured
apart; the likely holder is the DuckDB instance each chunk's append attached (jemalloc keeps
freed pages a while).
Next: a stage and its evidence check reading their upstream rows a chunk of tickets at a time
instead of as whole-batch frames.

Seventh pass (December 2026, a faster hour of the same machines: reference loop 0.06-0.07 s, so
compare within the pass). `--timeline` prints each step's RSS at its start, peak and end.
    100k, main (08c18df)     513.2 s wall, 516.4 s cpu / 2,251 MB: translations_evidence 2,228,
                             manifest 2,154, translations 1,989 MB
    100k, stage chunks       548.6 s, 554.6 s cpu / 1,963 MB; again with --timeline 509.2 s /
                             1,982 MB: translations_evidence 928 -> 1,975 MB, the run's peak
    100k, + evidence chunks  531.6 s wall, 537.2 s cpu / 1,868 MB: manifest 1,252 -> 1,860,
                             translations 1,310 -> 1,707, translations_evidence 924 -> 1,463 MB
    20k, main / stage chunks 105.7 s / 1,093 MB; 109.7 s / 1,059 MB
- stage chunks: the LLM stages read their upstream rows 4,096 tickets at a time
  (StageInputs.ticket_chunks), so the Python column lists exist for one chunk; the translations
  stage alone on a 20k batch took 27.8-29.0 s either way (two runs each).
- evidence chunks: an evidence check reads the checked table's rows a chunk of tickets at a
  time (its read of 170k translation rows at once was the +1 GB).
- tried, reverted: the publish connection's buffer pool at 48 MB instead of 128 MB. Publishing a
  100k batch's staged tables alone rose +193 -> +110 MB, but in the batch the manifest step still
  rose +604 MB (536.2 s / 1,906 MB).
- bulk row groups at DuckDB's 122,880 rows instead of 16,384: the +604 MB was the next plain
  connection's checkpoint merging the small groups (docs/stack-notes.md). With --timeline:
    100k, + row groups       607.8 s wall, 611.2 s cpu / 1,765 MB (every stage ~15% slower than
                             the run before, code this change does not touch included): manifest
                             1,232 -> 1,173 (was -> 1,860), translations 1,297 -> 1,752,
                             translations_schema 1,359 -> 1,696, tags_evidence 1,731 -> 1,625 MB
    100k, the same again     629.3 s wall, 583.3 s cpu / 1,767 MB (reference loop 0.10 s, the test
                             suite beside it): translations 1,754, tags_evidence 1,589 MB
  The wall time is not settled: 537 -> 583-611 cpu s over runs the machine's reference also
  slowed in. The translations stage alone is the next thing to time (the 20k A/B of the stage
  chunks was flat).
Still over 1.5 GiB by ~230 MB: translations' own rise (its whole-batch input frames from the IO
manager and its 170k-row output frame), the schema check's whole-table read, and the floor the
steps before leave.

Eighth pass (December 2026, the same machines; reference loop 0.06-0.08 s). Three cuts:
- stored inputs: a stage's upstream tables come from the IO manager as `StoredTable` handles
  (storage/stored.py), and each chunk of tickets reads its rows from DuckDB (the evidence checks
  read the same way); the tickets' extra reads cost ~0.3 s a table at 100k;
- schema checks read 20,000 rows at a time by rowid range (the unique key alone whole);
- RowChunks: a stage hands its chunks' frames to the IO manager, which writes one at a time and
  lets each go.
    100k, + stored inputs    592.0 s wall, 595.6 cpu s / 1,589 MB (--timeline): translations
                             993 -> 1,585, translations_schema 1,136 -> 1,492 (was 1,696),
                             translations_evidence 889 -> 1,179 MB (was 1,407)
    100k, + schema slices    670.1 s wall, 628.5 cpu s / 1,487 MB (--timeline, the test suite
      and RowChunks          beside it): translations 998 -> 1,487, translations_schema 964 ->
                             1,149 MB, every other step under 1,215 MB
    the table, alone         1k 14.4 s / 576 MB; 10k 69.3 s, 70.4 cpu s / 888 MB; 100k 641.5 s,
                             647.9 cpu s / 1,532 MB (translations 1,531 MB); ms/ticket x0.93,
                             marginal 157 tickets/s (156 per CPU second)
- tried, reverted: RowChunks holding each frame zstd-compressed in Arrow IPC (translations' rows
  at 100k: 30 MB instead of 235 MB, 0.45 s to compress, 0.30 s to read back): 608.0 s / 1,587
  MB, translations 1,020 -> 1,562 MB. The translations peak is not the rows it holds.
- tried, dropped: malloc_trim and pyarrow's release at every step start (584.1 s / 1,749 MB
  against 1,765), and a gc.collect() per step (20k: 40-1,193 objects freed, 0.14-0.35 s each).
At the 1.5 GiB (1,536 MB) line, not under it with a margin: 1,487 and 1,532 MB in the two runs of
this code (the compressed variant's 1,587 MB shows how far runs move). What stays is
translations' own rise of ~500 MB over a ~1,000 MB floor; the duplicates checks (+290-370 MB)
come next.

Ninth pass (December 2026, the same machines; reference loop 0.06-0.08 s, but a 10k run's CPU
time moved 78-108 s from run to run of one code, so only the peaks and the micro-benchmarks
below compare across runs). The base at 207184c, once more: 100k 825.2 s / 1,651 MB
(translations 1,021 -> 1,650 MB; probes ran beside it). Found by running translations alone on
that 100k database with RSS marks per chunk (a probe, not kept): generation rose 608 -> 1,014
MB (its 49 chunks' rows, 235 MB, and the guess memo), then the staging write +252 MB. The write
held every chunk's Arrow table until COMMIT: each chunk was read through a view registered and
dropped inside the write's transaction, and DuckDB keeps a dropped view, and the Python object
behind it, in the transaction's catalog until it ends (weakrefs confirm it; a test now does).
Three cuts, and one held-off:
- staging writes read each chunk after the first without a view (by replacement scan first,
  then, after a review, through a relation: a same-named table took a replacement scan over):
  staging those 170,551 rows alone rose +312 -> +122-130 MB, 3.6 -> 1.8-2.4 s; translations
  alone, peak 1,163 -> 960 MB;
- `Warehouse.held()` keeps the database open across one chunk's upstream reads (py-spy at 10k:
  opening and closing the file was ~9 s of ~110 s; 14 ms a connection, 0.17 ms against an open
  instance);
- language identification walks the bytes through py3langid's automaton in numpy
  (quality/language.py ByteWalker): 165 -> 81 us a text of ~520 characters, the same guesses to
  the bit on 18,004 texts (it was 20% of the 10k profile, the largest single cost);
- held off: the zstd-compressed RowChunks again, on top of the write fix: translations alone
  907 against 960 MB (generation 945 -> 752 MB, but the write then rose +271 instead of +70 MB:
  drained frames no longer offset DuckDB's own buffer). 53 MB is not worth the code.
    those three          1k 23.7 s / 580 MB; 10k 107.9 s, 107.9 cpu s / 886 MB; 100k 695.1 s,
                         701.4 cpu s / 1,349 MB (translations 940 -> 1,344, answers_duplicates
                         1,175, manifest 1,162 MB); ms/ticket x0.64 (the 10k run was a slow one)
    10k, those vs base   77.7 and 98.7 s against 107.7 and 98.6 s, alternated: the machine's own
                         swing is as large as the change
Then four smaller cuts from a second py-spy profile at 10k: letters counted only up to the 20
the language check needs, words with digits found with a lookbehind (48 -> 23 us a text, the
same matches), Picker.usable one frozenset test a template (offline composition 3.3 -> 3.0 ms a
ticket, the same texts), StoredTable.opened LIMIT 1.
    the table, final     1k 17.1 s, 17.4 cpu s / 579 MB; 10k 77.2 s, 78.0 cpu s / 884 MB; 100k
                         604.6 s, 609.9 cpu s / 1,396 MB (translations 987 -> 1,390, then
                         translations_schema 1,195 MB); ms/ticket x0.78, marginal 171 tickets/s
                         (169 per CPU second); reference loop 0.08 / 0.07 s
    100k, final + relation 570.8 s, 575.8 cpu s / 1,409 MB (translations 960 -> 1,404 MB); the
                         write through a relation instead of a replacement scan (after review)
The peak is 127-187 MB under 1.5 GiB (1,536 MB) in the three runs of this pass's memory cuts;
runs of one code have moved by ~120 MB. Throughput is ~170 tickets/s marginal against 1,000:
per-request Python (composition, rules, pydantic, prompt rendering, the offline seed's JSON,
rows) is spread over many functions, none now above ~12% of the profile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dsgen_dagster  # noqa: F401  (first: it sets polars' allocator before polars loads)

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_duplicates import edit_one_word, emails, reformat, rss_mb, vocabulary  # noqa: E402
from bench_llm import reference_loop_seconds, step_seconds  # noqa: E402

PARTITION = "2026-07-01"
SLOWEST_STEPS = 6
HISTORY_START = dt.date(2025, 1, 1)
PLANTED = 5  # copies (reformatted) and one-word edits of the first partition's emails


class RssSampler:
    """Resident memory of this process every 0.2 s, to tell which step made the peak."""

    def __init__(self) -> None:
        import threading

        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    self.samples.append((time.time(), int(line.split()[1]) / 1024))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak_between(self, start: float, end: float) -> float:
        return max((mb for at, mb in self.samples if start <= at <= end), default=0.0)

    def at(self, when: float) -> float:
        """The last sample taken by `when` (0 before the first)."""
        return max(((at, mb) for at, mb in self.samples if at <= when), default=(0.0, 0.0))[1]


def step_windows(instance, run_id: str) -> dict[str, tuple[float, float]]:
    import dagster as dg

    windows: dict[str, tuple[float, float]] = {}
    for record in instance.all_logs(run_id):
        event, step = record.dagster_event, record.step_key
        if event is None or step is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            windows[step] = (record.timestamp, record.timestamp)
        elif event.event_type == dg.DagsterEventType.STEP_SUCCESS and step in windows:
            windows[step] = (windows[step][0], record.timestamp)
    return windows


def run_batch(database: Path, tickets: int, captured: bool = False) -> dict[str, object]:
    """In the child: materialise every asset and check of one partition, as `dsgen batch` does
    (no output capture, dsgen_dagster/uncaptured.py), or with `dg.materialize` (`--captured`,
    which keeps every step's output frame until the run ends)."""
    import dagster as dg
    import duckdb

    from dsgen_dagster.defs import all_assets, all_checks
    from dsgen_dagster.resources import resources_from_env

    baseline = rss_mb()
    resources = resources_from_env(
        {"DSGEN_DB": str(database), "DSGEN_TICKETS_PER_BATCH": str(tickets)}
    )
    instance = dg.DagsterInstance.ephemeral()
    sampler = RssSampler()
    started, cpu_started = time.perf_counter(), cpu_seconds()
    if captured:
        result = dg.materialize(
            [*all_assets(), *all_checks()],
            resources=resources,
            partition_key=PARTITION,
            instance=instance,
            raise_on_error=False,
        )
    else:
        from dsgen_dagster.uncaptured import execute_uncaptured

        job = dg.Definitions(
            assets=all_assets(), asset_checks=all_checks(), resources=resources
        ).get_implicit_global_asset_job_def()
        result = execute_uncaptured(job, instance=instance, partition_key=PARTITION)
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    sampler.stop()
    with duckdb.connect(str(database), read_only=True) as connection:
        stages = dict(
            connection.execute(
                "SELECT stage, CAST(report->>'wall_seconds' AS DOUBLE) FROM stage_reports"
            ).fetchall()
        )
    return {
        "success": result.success,
        "wall": wall,
        "cpu": cpu,
        "peak_rss_mb": rss_mb(),
        "baseline_rss_mb": baseline,
        "steps": step_seconds(instance, result.run_id),
        "step_peak_rss_mb": {
            step: sampler.peak_between(start, end)
            for step, (start, end) in step_windows(instance, result.run_id).items()
        },
        # Every step in the order it started: RSS when it started, its peak, when it ended.
        "step_rss_timeline": [
            (step, sampler.at(start), sampler.peak_between(start, end), sampler.at(end))
            for step, (start, end) in sorted(
                step_windows(instance, result.run_id).items(), key=lambda item: item[1]
            )
        ],
        "stages": stages,
    }


def cpu_seconds() -> float:
    """CPU time of this process (all its threads): on a machine shared with other jobs, a cost
    that their load does not inflate the way it inflates wall time."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"child {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def batch_mode(sizes: list[int], captured: bool = False, timeline: bool = False) -> None:
    results: dict[int, dict] = {}
    print(
        f"{'tickets':>8} {'ok':>3} {'wall s':>8} {'cpu s':>8} {'ms/ticket':>10} "
        f"{'peak RSS MB':>12}  slowest"
    )
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as workdir:
        for size in sizes:
            database = Path(workdir) / f"batch_{size}.duckdb"
            result = child(
                ["--run-batch", str(size), "--db", str(database)]
                + (["--captured"] if captured else [])
            )
            results[size] = result
            slowest = sorted(result["steps"].items(), key=lambda item: -item[1])[:SLOWEST_STEPS]
            print(
                f"{size:>8,} {'yes' if result['success'] else 'NO':>3} {result['wall']:>8.1f} "
                f"{result['cpu']:>8.1f} {result['wall'] / size * 1000:>10.3f} "
                f"{result['peak_rss_mb']:>12.0f}  "
                + ", ".join(f"{step} {seconds:.1f}" for step, seconds in slowest),
                flush=True,
            )
            memory = sorted(result["step_peak_rss_mb"].items(), key=lambda item: -item[1])
            print(
                f"{'':>8} RSS MB by step: "
                + ", ".join(f"{step} {mb:.0f}" for step, mb in memory[:SLOWEST_STEPS]),
                flush=True,
            )
            if timeline:
                for step, start, peak, end in result["step_rss_timeline"]:
                    print(f"{'':>8} {step:<44} RSS MB {start:>6.0f} -> {peak:>6.0f} -> {end:>6.0f}")
            database.unlink(missing_ok=True)
    ordered = sorted(results)
    for small, large in zip(ordered, ordered[1:], strict=False):
        a, b = results[small], results[large]
        per_ticket = (b["wall"] / large) / (a["wall"] / small)
        marginal = (large - small) / max(b["wall"] - a["wall"], 1e-9)
        marginal_cpu = (large - small) / max(b["cpu"] - a["cpu"], 1e-9)
        print(
            f"{small:,} -> {large:,}: ms/ticket x{per_ticket:.2f}, "
            f"marginal {marginal:,.0f} tickets/s (per CPU second: {marginal_cpu:,.0f})"
        )


def write_history(database: Path, partitions: int, per_partition: int) -> str:
    """`partitions` earlier partitions plus the new one; returns the new one's key."""
    import duckdb
    import numpy as np
    import polars as pl

    from dsgen_dagster.quality.checks import DuplicatesCheckConfig
    from dsgen_dagster.quality.signatures import store_partition_signatures

    rng = np.random.default_rng(11)
    vocab = vocabulary(rng)
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    weights /= weights.sum()
    config = DuplicatesCheckConfig().duplicate_config()
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "CREATE TABLE emails (ticket_id VARCHAR, subject VARCHAR, body VARCHAR, "
            "partition_date DATE)"
        )
        for index in range(partitions + 1):
            day = HISTORY_START + dt.timedelta(days=index)
            key = day.isoformat()
            bodies = emails(rng, vocab, weights, per_partition)
            if index == 0:
                donors = bodies[:PLANTED]
            if index == partitions:  # the new partition: plant exact and near copies of donors
                for slot, donor in enumerate(donors):
                    bodies[slot] = reformat(donor)
                    bodies[PLANTED + slot] = edit_one_word(rng, donor)
            frame = pl.DataFrame(
                {
                    "ticket_id": [
                        f"tkt_{key.replace('-', '')}_{i:06d}" for i in range(1, per_partition + 1)
                    ],
                    "subject": [f"Question about order {i % 97}" for i in range(per_partition)],
                    "body": bodies,
                    "partition_date": [day] * per_partition,
                }
            )
            connection.register("incoming", frame.to_arrow())
            connection.execute("INSERT INTO emails SELECT * FROM incoming")
            connection.unregister("incoming")
            if index < partitions:  # the new partition is signed by the timed check
                for column in ("body", "subject"):
                    store_partition_signatures(
                        connection,
                        "emails",
                        "ticket_id",
                        column,
                        key,
                        config,
                        near=column == "body",
                    )
    return (HISTORY_START + dt.timedelta(days=partitions)).isoformat()


def run_history_check(database: Path, partition_key: str) -> dict[str, object]:
    """In the child: the emails duplicates check's work for one partition."""
    from dsgen_dagster.quality.checks import DuplicatesCheckConfig
    from dsgen_dagster.quality.signatures import find_duplicates_stored
    from dsgen_dagster.storage.warehouse import Warehouse

    baseline = rss_mb()
    warehouse = Warehouse(database=str(database))
    config = DuplicatesCheckConfig().duplicate_config()
    started = time.perf_counter()
    # What the emails duplicates check does: bodies (exact and near), subjects (exact).
    body = find_duplicates_stored(warehouse, "emails", "ticket_id", "body", partition_key, config)
    subject = find_duplicates_stored(
        warehouse, "emails", "ticket_id", "subject", partition_key, config, near=False
    )
    return {
        "wall": time.perf_counter() - started,
        "peak_rss_mb": rss_mb(),
        "baseline_rss_mb": baseline,
        "body": {k: v for k, v in body.to_metadata().items() if k != "examples"},
        "subject": {k: v for k, v in subject.to_metadata().items() if k != "examples"},
    }


def history_mode(histories: list[int], per_partition: int) -> None:
    print(f"{'earlier':>8} {'emails':>9} {'setup s':>8} {'check s':>8} {'peak RSS MB':>12}  found")
    with tempfile.TemporaryDirectory(prefix="bench_history_") as workdir:
        for partitions in histories:
            database = Path(workdir) / f"history_{partitions}.duckdb"
            started = time.perf_counter()
            key = write_history(database, partitions, per_partition)
            setup = time.perf_counter() - started
            result = child(["--run-history", key, "--db", str(database)])
            body = result["body"]
            print(
                f"{partitions:>8} {per_partition * (partitions + 1):>9,} {setup:>8.0f} "
                f"{result['wall']:>8.2f} {result['peak_rss_mb']:>12.0f}  "
                f"body exact {body['exact_earlier']} near {body['near_earlier']} (planted "
                f"{PLANTED} each) vs {body['earlier_partitions']} partitions "
                f"({body['candidate_pairs']} candidates); subject exact other "
                f"{result['subject']['exact_earlier']}",
                flush=True,
            )
            database.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--history", type=int, nargs="+", help="earlier partition counts")
    parser.add_argument("--per-partition", type=int, default=2_000)
    parser.add_argument("--run-batch", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--run-history", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--captured", action="store_true", help="run through dg.materialize (output capture on)"
    )
    parser.add_argument(
        "--timeline", action="store_true", help="each step's RSS at its start, peak and end"
    )
    args = parser.parse_args()
    if args.run_batch:
        print(json.dumps(run_batch(args.db, args.run_batch, args.captured)))
        return
    if args.run_history:
        print(json.dumps(run_history_check(args.db, args.run_history)))
        return
    print(f"machine speed: reference loop {reference_loop_seconds():.2f} s (lower is faster)")
    if args.history:
        history_mode(args.history, args.per_partition)
    else:
        batch_mode(args.sizes, args.captured, args.timeline)
    print(f"machine speed: reference loop {reference_loop_seconds():.2f} s at the end")


if __name__ == "__main__":
    main()
