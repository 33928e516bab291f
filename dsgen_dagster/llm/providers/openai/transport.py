"""Transport-level policy of the openai provider: what to retry, how long to wait, how a failure
reads in a result, and keeping the API key out of everything we write.

Retried: 408, 409, 429, 5xx, timeouts, connection errors — failures a second try can fix. Waits
are exponential with full jitter (a uniform draw below the exponential cap, so many clients that
failed together do not retry together), or the server's retry-after / retry-after-ms when given.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import ssl
import time
from typing import Any

import httpx2
import openai
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


class ChatEndpoint:
    """`POST {base_url}/chat/completions` for one stage run.

    The endpoint, the auth and the SDK's identifying headers (user agent, OpenAI-Organization and
    OpenAI-Project from the environment, ...) come from an `openai.AsyncOpenAI` client, and a
    failed request raises the same typed errors the client raises (RateLimitError with the
    response's headers, APITimeoutError, ...). The request itself is one aiohttp post of bytes:
    the client's own per-request path builds and copies httpx request and response objects,
    ~1 ms of CPU per request measured here, which with 64 answers arriving at once is what kept
    a stage's waves apart on two cores. Its retries are ours (tenacity), so the client has none.
    """

    def __init__(
        self, client: openai.AsyncOpenAI, timeout_seconds: float, concurrency: int
    ) -> None:
        self.client = client
        self.url = str(client.base_url).rstrip("/") + "/chat/completions"
        self.headers = request_headers(client)
        self.timeout_seconds = timeout_seconds
        self.limit = max(concurrency, 1) + 8
        self._request = httpx2.Request("POST", self.url)  # what openai's errors point at
        self._session: Any = None
        self._proxy: Any = None
        self._proxy_auth: Any = None
        self._timeout: Any = None

    def _open(self) -> None:
        import aiohttp
        from aiohttp.helpers import get_env_proxy_for_url
        from yarl import URL

        # HTTP(S)_PROXY / NO_PROXY (with the proxy's user:password), looked up once: aiohttp's
        # own trust_env does it per request, in a worker thread, twice.
        try:
            self._proxy, self._proxy_auth = get_env_proxy_for_url(URL(self.url))
        except LookupError:
            self._proxy = self._proxy_auth = None
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=self.timeout_seconds, sock_read=self.timeout_seconds
        )
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=self.limit, ssl=_ssl_context()),
        )

    async def post(self, body: bytes) -> bytes:
        """The response body of a 2xx answer; an openai error for anything else."""
        import aiohttp

        if self._session is None:
            self._open()
        try:
            async with self._session.post(
                self.url,
                data=body,
                headers=self.headers,
                timeout=self._timeout,
                proxy=self._proxy,
                proxy_auth=self._proxy_auth,
                allow_redirects=False,  # as the openai client: a redirect is an error, not a hop
            ) as response:
                content: bytes = await response.read()
                if response.status >= 300:
                    raise self._status_error(response.status, response.headers, content)
        except TimeoutError as exc:
            raise openai.APITimeoutError(request=self._request) from exc
        except aiohttp.ClientError as exc:
            message = f"{type(exc).__name__}: {exc}"
            raise openai.APIConnectionError(message=message, request=self._request) from exc
        return content

    def _status_error(self, status: int, headers: Any, content: bytes) -> openai.APIStatusError:
        response = httpx2.Response(
            status,
            headers=[(k, v) for k, v in headers.items() if k.lower() not in _DECODED_HEADERS],
            content=content,
            request=self._request,
        )
        try:
            body: Any = json.loads(content)
        except ValueError:
            body = content.decode("utf-8", "replace")
        data = body.get("error", body) if isinstance(body, dict) else body
        error_class = _STATUS_ERRORS.get(status) or (
            openai.InternalServerError if status >= 500 else openai.APIStatusError
        )
        return error_class(f"Error code: {status} - {data}", response=response, body=data)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        await self.client.close()


def request_headers(client: openai.AsyncOpenAI) -> Any:
    """The client's headers as it would send them: auth first, so a custom `Authorization`
    (OPENAI_CUSTOM_HEADERS, a gateway token) wins; names case-insensitive; an omitted one gone."""
    from multidict import CIMultiDict

    headers: CIMultiDict[str] = CIMultiDict(client.auth_headers)
    for name, value in client.default_headers.items():
        if isinstance(value, str):
            headers[name] = value
        else:  # openai.Omit: the caller asked for this header not to be sent
            headers.popall(name, None)
    return headers


def body_bytes(kwargs: dict[str, Any]) -> bytes:
    """The request body as the openai client serialises it: compact UTF-8, no NaN."""
    return json.dumps(kwargs, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def make_endpoint(
    base_url: str, api_key: str, timeout_seconds: float, concurrency: int
) -> ChatEndpoint:
    """One endpoint per stage run. The client's own retries are off: ours count each attempt."""
    client = openai.AsyncOpenAI(
        api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout_seconds
    )
    return ChatEndpoint(client, timeout_seconds, concurrency)


_STATUS_ERRORS: dict[int, type[openai.APIStatusError]] = {
    400: openai.BadRequestError,
    401: openai.AuthenticationError,
    403: openai.PermissionDeniedError,
    404: openai.NotFoundError,
    409: openai.ConflictError,
    422: openai.UnprocessableEntityError,
    429: openai.RateLimitError,
}

# aiohttp has already decoded the body, so these would make httpx decode or size it again.
_DECODED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _ssl_context() -> ssl.SSLContext:
    try:
        import certifi  # the CA bundle the openai client (httpx) uses: we trust the same servers

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:
        return ssl.create_default_context()
