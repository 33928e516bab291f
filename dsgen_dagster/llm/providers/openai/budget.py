"""How many requests may be in flight at the endpoint: one budget for every stage of this process
that calls it, adapted to the endpoint's 429s.

DSGEN_LLM_CONCURRENCY is what the endpoint is asked to bear at once. A run's independent stages
execute side by side (dsgen_dagster/threaded.py), each in its own thread with its own event loop,
so the budget is a slot count guarded by a lock, and a request waiting for a slot waits on a
future of its own loop that the releasing thread resolves with `call_soon_threadsafe`. Waiters
are served in arrival order, so stages running together share the slots in proportion to what
they ask.

A slot is held for one HTTP attempt only: a request's parsing, validation and bookkeeping happen
outside it, so the client's own CPU time (and a thread waiting for the GIL) does not eat into
what the endpoint could serve, and a retry's back-off does not hold a slot either.

The cap halves on a 429 (once per burst) and grows back by one per `cap` successes, up to the
configured limit: additive increase, multiplicative decrease.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time


class SharedBudget:
    """At most `cap` (<= `limit`) requests in flight across threads and event loops."""

    def __init__(self, limit: int, cooldown_seconds: float = 1.0) -> None:
        self.limit = max(limit, 1)
        self.cap = float(self.limit)
        self.cooldown = cooldown_seconds
        self.in_flight = 0
        self._last_decrease = -1e9
        self._lock = threading.Lock()
        self._waiters: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]
        self._waiters = collections.deque()

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self.in_flight < int(self.cap) and not self._waiters:
                self.in_flight += 1
                return
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append((loop, waiter))
        try:
            await waiter
        except asyncio.CancelledError:
            with self._lock:
                try:
                    self._waiters.remove((loop, waiter))
                    return_slot = False  # still waiting: it never had a slot
                except ValueError:
                    # Handed a slot: `_grant` gives it back if it finds the wait cancelled,
                    # so give it back here only when `_grant` had already run.
                    return_slot = waiter.done() and not waiter.cancelled()
            if return_slot:
                self.release()
            raise

    def release(self) -> None:
        with self._lock:
            self.in_flight -= 1
            self._hand_out()

    def _hand_out(self) -> None:
        """Give free slots to the longest waiters, each on its own loop (lock held)."""
        while self._waiters and self.in_flight < int(self.cap):
            loop, waiter = self._waiters.popleft()
            if loop.is_closed():
                continue
            self.in_flight += 1
            loop.call_soon_threadsafe(_grant, self, waiter)

    def on_rate_limited(self) -> None:
        now = time.monotonic()
        with self._lock:
            # A burst of 429s from one overload is one signal, not one per request in flight.
            if now - self._last_decrease < self.cooldown:
                return
            self._last_decrease = now
            self.cap = max(1.0, self.cap / 2)

    def on_success(self) -> None:
        if self.cap >= self.limit:
            return
        with self._lock:
            self.cap = min(float(self.limit), self.cap + 1 / self.cap)
            self._hand_out()


def _grant(budget: SharedBudget, waiter: asyncio.Future[None]) -> None:
    if waiter.cancelled():  # cancelled after it was handed the slot: pass the slot on
        budget.release()
    else:
        waiter.set_result(None)


_SHARED: dict[tuple[str, int], SharedBudget] = {}
_SHARED_LOCK = threading.Lock()


def shared_budget(endpoint: str, limit: int) -> SharedBudget:
    """The process's budget for `endpoint` at `limit` requests in flight."""
    with _SHARED_LOCK:
        budget = _SHARED.get((endpoint, limit))
        if budget is None:
            budget = _SHARED[endpoint, limit] = SharedBudget(limit)
        return budget


def requests_in_flight() -> bool:
    """Whether any stage of this process has a request at an endpoint now."""
    with _SHARED_LOCK:
        budgets = list(_SHARED.values())
    return any(budget.in_flight > 0 for budget in budgets)
