"""Transport-level policy of the openai provider: what to retry, how long to wait, how a failure
reads in a result, and keeping the API key out of everything we write.

Retried: 408, 409, 429, 5xx, timeouts, connection errors — failures a second try can fix. Waits
are exponential with full jitter (a uniform draw below the exponential cap, so many clients that
failed together do not retry together), or the server's retry-after / retry-after-ms when given.
"""

from __future__ import annotations

import email.utils
import importlib.util
import json
import random
import re
import ssl
import time
from typing import Any

import httpx2
import openai
from openai._types import RequestOptions
from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

MAX_TRANSPORT_ATTEMPTS = 6
# A 429 with retry-after is the server pacing us, not failing: worth more patience.
MAX_RATE_LIMITED_ATTEMPTS = 12
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 30.0
MAX_RETRY_AFTER_SECONDS = 120.0
RETRIED_STATUSES = frozenset({408, 409, 429})


def is_rate_limited(exc: BaseException) -> bool:
    return isinstance(exc, openai.APIStatusError) and exc.status_code == 429


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRIED_STATUSES or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's own wait hint: retry-after-ms (precise), else retry-after (seconds or date)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    seconds: float | None = None
    try:
        if (millis := headers.get("retry-after-ms")) is not None:
            seconds = float(millis) / 1000
        elif (value := headers.get("retry-after")) is not None:
            try:
                seconds = float(value)
            except ValueError:
                parsed = email.utils.parsedate_to_datetime(value)
                seconds = parsed.timestamp() - time.time()
    except (TypeError, ValueError):
        return None
    if seconds is None or seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def backoff_seconds(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome is not None else None
    hinted = retry_after_seconds(exc) if exc is not None else None
    if hinted is not None:
        # At least what the server asked for; a little spread so waiters do not return in a herd.
        return hinted * (1 + random.uniform(0, 0.1))
    cap = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (state.attempt_number - 1))
    return random.uniform(0, cap)


def attempts_spent(state: RetryCallState) -> bool:
    exc = state.outcome.exception() if state.outcome is not None else None
    limit = MAX_RATE_LIMITED_ATTEMPTS if exc is not None and is_rate_limited(exc) else None
    return state.attempt_number >= (limit or MAX_TRANSPORT_ATTEMPTS)


def retrying() -> AsyncRetrying:
    # A fresh object per request: tenacity keeps per-call state on it.
    return AsyncRetrying(
        stop=attempts_spent,
        wait=backoff_seconds,
        retry=retry_if_exception(is_transient),
        reraise=True,
    )


def reason(exc: BaseException, attempts: int) -> str:
    """A one-line cause for a failed request, from the innermost error that explains it."""
    cause = exc.__cause__ if type(exc).__name__ == "ReasksExhausted" and exc.__cause__ else exc
    if isinstance(cause, openai.APITimeoutError):
        text = "timed out"
    elif isinstance(cause, openai.APIConnectionError):
        text = "connection failed"
    elif isinstance(cause, openai.APIStatusError):
        text = f"HTTP {cause.status_code}"
    elif isinstance(cause, ValidationError):
        errors = cause.errors()
        where = ".".join(str(part) for part in errors[0]["loc"]) if errors else ""
        detail = errors[0]["msg"] if errors else "invalid"
        text = f"invalid response ({where or 'response'}: {detail})"
    elif isinstance(cause, json.JSONDecodeError):
        text = "malformed JSON in the tool call"
    elif type(cause).__name__ == "IncompleteOutputException":
        text = "response cut off at the token limit (finish_reason=length)"
    else:
        text = f"{type(cause).__name__}: {str(cause)[:200]}"
    kind = "transport attempts" if is_transient(cause) else "attempts"
    return f"{text} after {attempts} {kind}"


class Redactor:
    """Removes the API key, and anything shaped like an OpenAI key, from text we log or store."""

    KEY_SHAPE = re.compile(r"sk-[A-Za-z0-9_\-]{6,}")

    def __init__(self, api_key: str) -> None:
        self._key = api_key

    def __call__(self, text: str) -> str:
        if self._key and len(self._key) >= 4:
            text = text.replace(self._key, "***")
        return self.KEY_SHAPE.sub("sk-***", text)


RawResponse = httpx2.Response  # cast_to for client.post: the body as sent, for the cache
# Without a key the client draws a uuid4 per request (a getrandom syscall, ~0.25 ms measured here)
# for an idempotency header that OpenAI's client never sends; and its own retries are off anyway.
REQUEST_OPTIONS: RequestOptions = {"idempotency_key": "dsgen"}


def make_client(
    base_url: str, api_key: str, timeout_seconds: float, concurrency: int
) -> openai.AsyncOpenAI:
    """One client per stage run. Its own retries are off: ours count each attempt once."""
    http_client = None
    if AiohttpTransport.available():
        http_client = httpx2.AsyncClient(transport=AiohttpTransport(concurrency), timeout=None)
    return openai.AsyncOpenAI(
        api_key=api_key,
        base_url=base_url,
        max_retries=0,
        timeout=timeout_seconds,
        http_client=http_client,
    )


class AiohttpTransport(httpx2.AsyncBaseTransport):
    """httpx's pool checks every pooled connection (a poll() each) to place one request, which
    measured ~1 ms per request at 64 in flight; aiohttp's connector does not. The openai client
    keeps doing everything else: auth, URLs, status errors, timeouts (raised as httpx errors)."""

    def __init__(self, concurrency: int) -> None:
        self.limit = max(concurrency, 1) + 8
        self._session: Any = None
        self._proxy: Any = None
        self._timeouts: dict[tuple[Any, Any], Any] = {}

    @staticmethod
    def available() -> bool:
        return importlib.util.find_spec("aiohttp") is not None

    def _open(self, url: httpx2.URL) -> None:
        import aiohttp
        from aiohttp.helpers import get_env_proxy_for_url
        from yarl import URL

        # HTTP(S)_PROXY / NO_PROXY as httpx would honour them, looked up once: aiohttp's own
        # trust_env does it per request, in a worker thread, twice (netrc and proxy).
        try:
            self._proxy, _ = get_env_proxy_for_url(URL(str(url)))
        except LookupError:
            self._proxy = None
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.limit, ssl=_ssl_context()),
        )

    def _timeout(self, request: httpx2.Request) -> Any:
        import aiohttp

        limits = request.extensions.get("timeout", {})
        key = (limits.get("connect"), limits.get("read"))
        timeout = self._timeouts.get(key)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(total=None, connect=key[0], sock_read=key[1])
            self._timeouts[key] = timeout
        return timeout

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        import aiohttp

        if self._session is None:
            self._open(request.url)
        try:
            async with self._session.request(
                request.method,
                str(request.url),
                headers=list(request.headers.multi_items()),
                data=request.content,
                timeout=self._timeout(request),
                proxy=self._proxy,
            ) as response:
                content = await response.read()
                status, headers = (
                    response.status,
                    [
                        (name, value)
                        for name, value in response.headers.items()
                        if name.lower() not in _DECODED_HEADERS
                    ],
                )
        except TimeoutError as exc:
            raise httpx2.ReadTimeout("timed out", request=request) from exc
        except aiohttp.ClientError as exc:
            raise httpx2.ConnectError(type(exc).__name__, request=request) from exc
        return httpx2.Response(status, headers=headers, content=content, request=request)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


# aiohttp has already decoded the body, so these would make httpx decode or size it again.
_DECODED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _ssl_context() -> ssl.SSLContext:
    try:
        import certifi  # the CA bundle httpx uses, so both transports trust the same servers

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:
        return ssl.create_default_context()
