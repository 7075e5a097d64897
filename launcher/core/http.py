"""Exact HTTP requests and responses as plain data: built by adapters, shown by inspectors.

A :class:`PreparedRequest` is the whole request, byte for byte (method, URL, headers, body, auth),
so the inspector, ``--dry-run`` and "copy as curl" show precisely what is, or would be, sent.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from launcher.core.errors import ResponseFormatError
from launcher.core.scrub import REDACTED as REDACTED  # re-exported: requests render it
from launcher.core.scrub import Scrubber
from launcher.core.transport import check_base_url as check_base_url  # the rules live there
from launcher.core.transport import is_loopback_host as is_loopback_host

TOKEN_HEADERS = (("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"))
USER_AGENT = "call-launcher"


AuthScheme = Literal["basic", "bearer", "oauth2"]


@dataclass(frozen=True)
class Auth:
    """``basic`` (username + secret), ``bearer`` (the secret is the token) or ``oauth2``: OAuth 2.0 client
    credentials (username = client id, secret = client secret), exchanged at ``token_url`` for the
    bearer ``token`` that is sent; the sender fills ``token`` in just before sending."""

    scheme: AuthScheme
    username: str = ""
    secret: str = ""
    token_url: str = ""
    token: str = ""

    def header(self) -> str:
        if self.scheme == "bearer":
            return f"Bearer {self.secret}"
        if self.scheme == "oauth2":
            return f"Bearer {self.token}" if self.token else f"Bearer <access token from {self.token_url}>"
        token = base64.b64encode(f"{self.username}:{self.secret}".encode()).decode("ascii")
        return f"Basic {token}"

    def redacted_header(self) -> str:
        if self.scheme == "bearer":
            return f"Bearer {REDACTED}"
        if self.scheme == "oauth2":
            return f"Bearer {REDACTED} (OAuth 2.0 token for client {self.username})"
        return f"Basic {REDACTED} (user {self.username})"

    def secrets(self) -> list[str]:
        values = [self.secret] if self.secret else []
        if self.scheme == "oauth2":
            values += [self.token] if self.token else []
            values.append(Auth("basic", self.username, self.secret).header().split(" ", 1)[1])
        elif self.secret:
            values.append(self.header().split(" ", 1)[1])
        return values

    def token_request(self) -> PreparedRequest:
        """The client-credentials grant (RFC 6749 section 4.4) that gets the bearer token."""
        return PreparedRequest("POST", self.token_url, headers=TOKEN_HEADERS, body=b"grant_type=client_credentials",
                               auth=Auth("basic", self.username, self.secret))


@dataclass(frozen=True)
class PreparedRequest:
    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    auth: Auth | None = None
    body_secrets: tuple[str, ...] = ()  # values inside the body to hide (per-call passwords)

    def all_headers(self, reveal: bool = False) -> list[tuple[str, str]]:
        headers = list(self.headers)
        if self.auth is not None:
            headers.insert(0, ("Authorization", self.auth.header() if reveal else self.auth.redacted_header()))
        return headers

    def secrets(self) -> list[str]:
        values = [s for s in self.body_secrets if s]
        if self.auth is not None:
            values += self.auth.secrets()
        return values

    def body_text(self, reveal: bool = False) -> str:
        text = self.body.decode("utf-8", errors="replace")
        if reveal or not any(self.body_secrets):
            return text
        if self.is_json():
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                return redact_text(text, self.body_secrets)
            # Redact inside the decoded strings, then encode as json_body does: the text stays valid JSON
            # (a secret like "1" or ":" cannot break it) and no escaped form of a secret survives.
            return json.dumps(_redact_json(data, self.body_secrets), separators=(",", ":"), ensure_ascii=False)
        return redact_text(text, self.body_secrets)

    def is_json(self) -> bool:
        return (self.content_type() or "").startswith("application/json")

    def content_type(self) -> str | None:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return None

    def to_json(self, reveal: bool = False) -> dict[str, Any]:
        body: Any = self.body_text(reveal)
        if self.is_json() and body:
            with contextlib.suppress(ValueError, RecursionError):  # not JSON after all: shown as sent
                body = json.loads(body)
        return {
            "method": self.method,
            "url": self.url,
            "headers": dict(self.all_headers(reveal)),
            "body": body,
        }

    def describe(self, reveal: bool = False) -> str:
        """The request as an HTTP message, secrets redacted unless ``reveal``."""
        parts = urlsplit(self.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"{self.method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in self.all_headers(reveal)]
        text = self.body_text(reveal)
        if text and self.is_json():
            with contextlib.suppress(ValueError, RecursionError):  # not JSON after all: shown as sent
                text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        return "\n".join(lines) + ("\n\n" + text if text else "")

    def to_curl(self, reveal: bool = False) -> str:
        """A curl command that sends this exact request; secrets redacted unless ``reveal``."""
        parts = [shlex.quote(a) for a in ("curl", "-X", self.method, self.url)]
        if self.auth is not None:
            secret = self.auth.secret if reveal else REDACTED
            if self.auth.scheme == "basic":
                parts += ["-u", shlex.quote(f"{self.auth.username}:{secret}")]
            elif self.auth.scheme == "oauth2":  # the token is fetched by an inner curl, as the app does
                fetch = self.auth.token_request().to_curl(reveal) + " -sS"
                parts += ["-H", f'"Authorization: Bearer $({fetch} | {_ACCESS_TOKEN_FROM_JSON})"']
            else:
                parts += ["-H", shlex.quote(f"Authorization: Bearer {secret}")]
        for name, value in self.headers:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.body:
            parts += ["--data-raw", shlex.quote(self.body_text(reveal))]
        return " ".join(parts)


_ACCESS_TOKEN_FROM_JSON = "sed -E 's/.*\"access_token\" *: *\"([^\"]+)\".*/\\1/'"


def redact_text(text: str, secrets: tuple[str, ...] | list[str]) -> str:
    """``text`` without any form of ``secrets`` (the request's own, however short)."""
    return Scrubber(list(secrets), min_length=1).text(text)


def _redact_json(value: Any, secrets: tuple[str, ...]) -> Any:
    return Scrubber(list(secrets), min_length=1).json(value)


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deeply
            raise ResponseFormatError(
                f"The answer (HTTP {self.status}) is not valid JSON: {snippet(self.text())}",
                http_status=self.status, raw=snippet(self.text(), 2000),
            ) from None

    def json_object(self) -> dict[str, Any]:
        data = self.json()
        if not isinstance(data, dict):
            raise ResponseFormatError(
                f"Expected a JSON object (HTTP {self.status}), got {type(data).__name__}.",
                http_status=self.status, raw=data,
            )
        return data


def snippet(text: str, limit: int = 160) -> str:
    """A short single-line excerpt of a body for messages (HTML reduced to its title or text)."""
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        text = title.group(1)
    elif "<" in text and ">" in text:
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    if not text:
        return "(empty body)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def form_body(pairs: list[tuple[str, str]]) -> bytes:
    """application/x-www-form-urlencoded with repeated keys kept in order."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode("ascii")


def json_body(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


FORM_HEADERS = (("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
                ("User-Agent", USER_AGENT))
JSON_HEADERS = (("Content-Type", "application/json"), ("Accept", "application/json"),
                ("User-Agent", USER_AGENT))
GET_HEADERS = (("Accept", "application/json"), ("User-Agent", USER_AGENT))
