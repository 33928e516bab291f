"""Before a run does any work: the endpoint is well-formed, answers, and takes the key.

Called when the `llm` resource is set up for a run (once, before the first step, and not retried
by the step retry policy), so a missing key or a mistyped URL fails in a second instead of inside
`topics` after minutes, three times over. One cheap GET of `<base_url>/models`: any HTTP answer
means the server is there (many OpenAI-compatible servers have no /models); 401/403 mean the key
was refused. The key is sent, never logged, and the server's text is not repeated (OpenAI's 401
echoes the key).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlparse

from dsgen_dagster.errors import ConfigError

PREFLIGHT_TIMEOUT_SECONDS = 5.0


def check_base_url(base_url: str) -> None:
    parsed = urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(
            f"OPENAI_BASE_URL={base_url!r} is not an http(s) URL; set it to the endpoint's base, "
            "e.g. http://localhost:8000/v1 (vLLM) or https://api.openai.com/v1"
        )
    if parsed.username or parsed.password:
        raise ConfigError(
            "OPENAI_BASE_URL carries credentials in the URL; put the key in OPENAI_API_KEY and "
            "give the URL without user:password"
        )


def check_reachable(
    base_url: str, api_key: str, timeout: float = PREFLIGHT_TIMEOUT_SECONDS
) -> None:
    request = urllib.request.Request(
        base_url.rstrip("/") + "/models", headers={"Authorization": f"Bearer {api_key}"}
    )
    # The environment's proxies apply, as they do to the provider's requests.
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return
    except urllib.error.HTTPError as exc:
        # 401 only: a key restricted to chat (no model listing) gets 403 here and still works.
        if exc.code == 401:
            raise ConfigError(
                f"the endpoint {base_url} refused the API key (HTTP {exc.code}); set "
                "OPENAI_API_KEY to a key this endpoint accepts"
            ) from None
        return  # it answered: the server is there
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ConfigError(
            f"cannot reach OPENAI_BASE_URL={base_url} ({type(reason).__name__}: {reason}); start "
            "the server or correct the URL (no run was started)"
        ) from None
