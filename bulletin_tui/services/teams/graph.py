"""A small Microsoft Graph client over HTTPS (the standard library's urllib): bearer tokens from a token source,
JSON in and out, throttling honoured, `@odata.nextLink` pages followed, Graph's error body kept.

Throttling: a 429 (or 503/504) is retried after the `Retry-After` the answer gives (or 1, 2, 4 ... seconds), at
most `max_retries` times; an answer that asks for a longer wait than `max_wait` seconds is not waited for but
raised (`GraphError`, status 429), so a command stops with one line and the worker tries again on its next round.
The token is never part of an error, a log line or a `repr`.
"""

from __future__ import annotations

import json
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit

from ...domain.errors import DomainError
from ...sending.xoauth2 import TokenSource
from .explain import Need, explain

RETRIED = frozenset({429, 503, 504})
JSON = dict[str, Any]


class GraphError(DomainError):
    """Graph refused or failed a request: the HTTP status, Graph's error code and message, and what we were doing.
    `str()` is one line that says what to do."""

    def __init__(self, status: int, code: str, message: str, need: Need, *, retry_after: float | None = None) -> None:
        self.status, self.code, self.graph_message, self.need = status, code, message, need
        self.retry_after = retry_after
        super().__init__(explain(status, code, message, need, retry_after))

    @property
    def permission_problem(self) -> bool:
        """401/403: a permission, consent or access-policy problem (the same for every request of its kind)."""
        return self.status in (401, 403)


@dataclass
class GraphClient:
    """Requests to one Graph base URL (e.g. `https://graph.microsoft.com/v1.0`) with tokens from `token_source`."""

    base_url: str
    token_source: TokenSource = field(repr=False)
    timeout: float = 30.0
    max_retries: int = 5
    max_wait: float = 60.0
    """The longest Retry-After that is waited for; a longer one is raised as a GraphError."""
    sleep: Callable[[float], None] = time.sleep
    tls: ssl.SSLContext | None = field(default=None, repr=False)

    def get(self, path: str, need: Need, *, query: str = "") -> JSON:
        return self.request("GET", path, need, query=query)

    def post(self, path: str, need: Need, body: JSON) -> JSON:
        return self.request("POST", path, need, body=body)

    def patch(self, path: str, need: Need, body: JSON) -> JSON:
        return self.request("PATCH", path, need, body=body)

    def delete(self, path: str, need: Need) -> None:
        self.request("DELETE", path, need)

    def pages(self, path: str, need: Need, *, query: str = "") -> Iterator[JSON]:
        """Every item of a collection, following `@odata.nextLink` (only on Graph's own host) to the end."""
        url: str | None = self._url(path, query)
        while url is not None:
            page = self._send("GET", url, need, None)
            yield from page.get("value") or []
            url = page.get("@odata.nextLink")
            if url is not None and not self._same_origin(url):
                raise GraphError(0, "UnexpectedNextLink", f"a next page on another host ({urlsplit(url).hostname})",
                                 need)

    def request(self, method: str, path: str, need: Need, *, query: str = "", body: JSON | None = None) -> JSON:
        return self._send(method, self._url(path, query), need, body)

    def _url(self, path: str, query: str) -> str:
        return self.base_url.rstrip("/") + path + (f"?{query}" if query else "")

    def _same_origin(self, url: str) -> bool:
        mine, theirs = urlsplit(self.base_url), urlsplit(url)
        return (mine.scheme, mine.netloc.lower()) == (theirs.scheme, theirs.netloc.lower())

    def _send(self, method: str, url: str, need: Need, body: JSON | None) -> JSON:
        attempt = 0
        while True:
            status, payload, retry_after = self._once(method, url, need, body)
            if status < 300:
                return payload
            error = _graph_error(status, payload, need, retry_after)
            attempt += 1
            if status not in RETRIED or attempt > self.max_retries:
                raise error
            wait = retry_after if retry_after is not None else float(2 ** (attempt - 1))
            if wait > self.max_wait:
                raise error
            self.sleep(wait)

    def _once(self, method: str, url: str, need: Need, body: JSON | None) -> tuple[int, JSON, float | None]:
        token = self.token_source().token
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json",
                   "Prefer": 'outlook.timezone="GMT Standard Time"'}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self._tls()) as answer:
                return answer.status, _json(answer.read()), None
        except urllib.error.HTTPError as refused:
            with refused:
                return refused.code, _json(refused.read()), _retry_after(refused.headers.get("Retry-After"))
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GraphError(0, "Unreachable", f"{urlsplit(url).netloc}: {reason}", need) from None

    def _tls(self) -> ssl.SSLContext:
        if self.tls is None:
            self.tls = ssl.create_default_context()
        return self.tls


def user_path(user: str) -> str:
    """`/users/{id}` with the id (object id or user principal name) quoted for a URL path."""
    return "/users/" + quote(user, safe="@")


def odata_filter(field_name: str, value: str) -> str:
    """`$filter=Field eq 'value'`, the value quoted as OData wants (a ' doubled) and URL-encoded."""
    escaped = value.replace("'", "''")
    return "$filter=" + quote(f"{field_name} eq '{escaped}'", safe="")


def _json(raw: bytes) -> JSON:
    if not raw.strip():
        return {}
    try:
        found = json.loads(raw)
    except ValueError:
        return {"error": {"code": "NotJson", "message": " ".join(raw[:200].decode("utf-8", "replace").split())}}
    return found if isinstance(found, dict) else {"value": found}


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (a number, or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _graph_error(status: int, payload: JSON, need: Need, retry_after: float | None) -> GraphError:
    """Graph's `{"error": {"code": ..., "message": ...}}` as a GraphError."""
    found = payload.get("error")
    error: JSON = found if isinstance(found, dict) else {}
    code = str(error.get("code") or f"HTTP{status}")
    message = " ".join(str(error.get("message") or "").split())
    return GraphError(status, code, message, need, retry_after=retry_after)
