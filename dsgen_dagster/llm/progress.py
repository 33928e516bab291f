"""Progress of a running LLM stage, in the run's log: every few seconds and every tenth done."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from dsgen_dagster.llm.types import Usage

PROGRESS_SECONDS = 5.0
PROGRESS_STEPS = 10


class Progress:
    def __init__(
        self, stage: str, total: int, log: Any, redact: Callable[[str], str] = str
    ) -> None:
        self.stage = stage
        self.total = total
        self.log = log or logging.getLogger(__name__)
        self.redact = redact
        self.started = time.perf_counter()
        self.done = self.failed = self.cached = self.retries = 0
        self.rate_limited = self.transient_errors = 0
        self.cost_usd = 0.0
        self._step = max(total // PROGRESS_STEPS, 1)
        self._next_count = self._step
        self._next_time = self.started + PROGRESS_SECONDS

    def restart_clock(self) -> None:
        """Count the rate from the first request, not from the imports and the cache lookup."""
        self.started = time.perf_counter()
        self._next_time = self.started + PROGRESS_SECONDS

    def add(self, usage: Usage, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        self.cached += usage.cached
        self.retries += usage.retries
        self.cost_usd += usage.cost_usd
        # Cheap enough for every request: two comparisons, a log line only when one is due.
        due = self.done >= self._next_count or time.perf_counter() >= self._next_time
        if due and self.done < self.total:
            self.report()

    def report(self) -> None:
        now = time.perf_counter()
        elapsed = max(now - self.started, 1e-9)
        self._next_count = (self.done // self._step + 1) * self._step
        self._next_time = now + PROGRESS_SECONDS
        self.log.info(self.redact(self.line(elapsed)))

    def line(self, elapsed: float) -> str:
        fresh = self.done - self.cached
        percent = self.done * 100 // max(self.total, 1)
        return (
            f"{self.stage}: {self.done}/{self.total} done ({percent}%)"
            f" in {elapsed:.1f}s, {fresh / elapsed:.1f} requests/s, {self.cached} cached, "
            f"{self.retries} retries, {self.rate_limited} answered 429, "
            f"{self.transient_errors} other transient errors, {self.failed} failed, "
            f"${self.cost_usd:.4f} so far"
        )

    def finish(self) -> None:
        self.report()
