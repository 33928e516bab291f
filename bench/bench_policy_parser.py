"""How long the policy parser takes on a generated 5,000-clause policy, next to a reference loop
that says how fast this machine is (so the figure can be compared across machines).

    .venv/bin/python bench/bench_policy_parser.py [clauses]
"""

import sys
import time

from dsgen_dagster.defs.policy_graph.parser import parse_policy_text
from dsgen_dagster_tests.policy_goldens import generated_policy


def reference_loop() -> float:
    """Seconds for 10 million additions in a Python loop: the machine-speed yardstick."""
    started = time.perf_counter()
    total = 0
    for value in range(10_000_000):
        total += value
    return time.perf_counter() - started


def main() -> None:
    clause_count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    text = generated_policy(clause_count)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        policy = parse_policy_text(text)
        timings.append(time.perf_counter() - started)
    relations = sum(len(clause.relations) for clause in policy.clauses)
    print(
        f"{len(policy.clauses)} clauses, {relations} relations, {len(text.splitlines())} lines: "
        f"best {min(timings):.2f} s of 3 (runs {', '.join(f'{t:.2f}' for t in timings)})"
    )
    print(f"reference loop (10M additions in Python): {reference_loop():.2f} s")


if __name__ == "__main__":
    main()
