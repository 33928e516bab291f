"""Pacing for an LLM endpoint: requests- and tokens-per-minute limits and a send rate learned from
429s (how many requests are in flight at once is budget.py's).

The limiter hands out send times instead of making callers poll: each request reserves the earliest
moment at which sending it keeps every window within the limits, then sleeps until then. Requests
are served in arrival order, no caller ever wakes up just to find the window still full, and the
cost per request is O(1) — it matters when a stage sends thousands of requests from one core.

The RPM guarantee is exact for the send times it hands out: the i-th and (i+rpm)-th reservations
are at least one window apart, so no window holds more than `rpm` requests. A small margin keeps
that true at the server too, whose clock sees each request a little later.

The window is per process: runs in parallel (a backfill) each get the full DSGEN_LLM_RPM, so give
each its share; past that, the server's 429s slow each of them down.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time

# Providers count per minute. Tests shorten the window (monkeypatch) to check the guarantee fast.
RATE_WINDOW_SECONDS = 60.0
# Added to the window between the i-th and the (i+rpm)-th send: the server stamps a request when
# it arrives, and a first request that had to open a connection (TLS, a busy loop) arrives later
# than one sent a window after it on a warm connection.
WINDOW_MARGIN_SHARE = 0.01
WINDOW_MARGIN_SECONDS = 0.25
# Without a retry-after header, a 429 pauses new requests this long.
DEFAULT_PAUSE_SECONDS = 1.0
# After a 429 the send rate halves (once per cooldown), then grows back by this many requests
# per second, every second, until it is back where it was and pacing is dropped.
SLOWDOWN_COOLDOWN_SECONDS = 1.0
RECOVERY_PER_SECOND = 2.0
MIN_RATE = 0.2


def effective_window(window: float) -> float:
    return window + max(window * WINDOW_MARGIN_SHARE, WINDOW_MARGIN_SECONDS)


class RateLimiter:
    """Sliding-window limits on requests and (estimated) tokens per window, and a send rate
    learned from the server's 429s for limits nobody told us about; thread-safe."""

    def __init__(self, rpm: int = 0, tpm: int = 0, window_seconds: float | None = None) -> None:
        self.rpm = max(rpm, 0)
        self.tpm = max(tpm, 0)
        window = RATE_WINDOW_SECONDS if window_seconds is None else window_seconds
        self.window = effective_window(window)
        self._lock = threading.Lock()
        self._sent: collections.deque[float] = collections.deque(maxlen=self.rpm or 1)
        self._tokens: collections.deque[tuple[float, int]] = collections.deque()
        self._tokens_in_window = 0
        self._last = 0.0
        self._paused_until = 0.0
        self._spacing = 0.0  # seconds between sends while slowed down by 429s; 0 = unpaced
        self._release_rate = 0.0  # the rate at which pacing ends again
        self._last_slowdown = -1e9
        self._sends = 0
        self._samples: collections.deque[tuple[float, int]] = collections.deque(maxlen=12)

    def reserve(self, tokens: int = 0, now: float | None = None) -> float:
        """Book the earliest allowed send time; return how many seconds to wait for it."""
        now = time.monotonic() if now is None else now
        self._sends += 1
        if not self._samples or now - self._samples[-1][0] >= 0.5:
            self._samples.append((now, self._sends))  # for the send rate a 429 halves
        if not (self.rpm or self.tpm or self._spacing) and self._paused_until <= now:
            return 0.0
        with self._lock:
            at = max(now, self._last, self._paused_until)
            if self._spacing:
                at = max(at, self._last + self._spacing)
            if self.rpm and len(self._sent) == self.rpm:
                at = max(at, self._sent[0] + self.window)
            if self.tpm:
                at = self._reserve_tokens(min(tokens, self.tpm), at)
            if self.rpm:
                self._sent.append(at)  # maxlen drops the entry that just left the window
            self._last = at
            return at - now

    def _reserve_tokens(self, tokens: int, at: float) -> float:
        # Reservations are handed out in increasing time order, so an entry that is out of the
        # window for this one is out of it for every later one too and can be dropped.
        window = self._tokens
        while window and window[0][0] <= at - self.window:
            self._tokens_in_window -= window.popleft()[1]
        while window and self._tokens_in_window + tokens > self.tpm:
            sent_at, spent = window.popleft()
            self._tokens_in_window -= spent
            at = max(at, sent_at + self.window)
        window.append((at, tokens))
        self._tokens_in_window += tokens
        return at

    def slow_down(self, retry_after: float | None, now: float | None = None) -> None:
        """The server answered 429: pause for its retry-after, and halve the send rate so the
        waiting requests come back one by one instead of in a herd that meets the limit again."""
        now = time.monotonic() if now is None else now
        pause = DEFAULT_PAUSE_SECONDS if retry_after is None else retry_after
        with self._lock:
            self._paused_until = max(self._paused_until, now + pause)
            if now - self._last_slowdown < SLOWDOWN_COOLDOWN_SECONDS:
                return  # a burst of 429s from one overload is one signal
            self._last_slowdown = now
            rate = 1 / self._spacing if self._spacing else self._recent_send_rate(now)
            self._release_rate = max(self._release_rate, rate)
            self._spacing = 1 / max(rate / 2, MIN_RATE)

    def on_success(self) -> None:
        """Additive increase: +RECOVERY_PER_SECOND requests/s for each second of successes."""
        if not self._spacing:
            return
        with self._lock:
            if not self._spacing:
                return
            rate = 1 / self._spacing
            rate += RECOVERY_PER_SECOND / rate
            if rate >= self._release_rate:
                self._spacing, self._release_rate = 0.0, 0.0
            else:
                self._spacing = 1 / rate

    def _recent_send_rate(self, now: float) -> float:
        if len(self._samples) < 2:
            return MIN_RATE * 2
        since, sends = self._samples[0]
        return max((self._sends - sends) / max(now - since, 1e-3), MIN_RATE * 2)

    async def wait(self, tokens: int = 0) -> None:
        delay = self.reserve(tokens)
        if delay > 0:
            await asyncio.sleep(delay)


_SHARED: dict[tuple[str, int, int], RateLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(endpoint: str, rpm: int, tpm: int) -> RateLimiter:
    """One limiter per endpoint and limits in this process, so consecutive stages (and stages
    running side by side in threads) share one window instead of each starting a fresh one."""
    key = (endpoint, rpm, tpm)
    with _SHARED_LOCK:
        limiter = _SHARED.get(key)
        if limiter is None or limiter.window != effective_window(RATE_WINDOW_SECONDS):
            limiter = _SHARED[key] = RateLimiter(rpm, tpm)
        return limiter
