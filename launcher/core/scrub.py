"""The one scrubber: every text bound for disk, screen, clipboard, export or a terminal passes here.

A secret is registered as soon as it is read or made (a profile's secret, ``--secret-stdin``, an
OAuth 2.0 client secret and the access tokens it buys, the secret fields of a form) and, from then
on, each of its forms is replaced by ``********`` wherever text is scrubbed:

* the raw value, its URL-encoded forms (``%20`` and ``+`` for spaces), its JSON-escaped forms (ASCII
  and not) and its HTML-escaped form, as a server that echoes a request or quotes it in an error page
  would write them;
* HTTP Basic credentials, ``base64(user:secret)`` (registered with :meth:`Scrubber.add_basic`), with
  and without padding;
* any ``Authorization: Basic|Bearer …`` value, known or not.

Longer forms are replaced first, so a secret that contains another never leaves a tail behind.

:data:`SCRUBBER` is the process's registry: the log filter, the call history writer, the command
line's output streams and the window's call text all go through it, so a new output path needs one
call, not a list of secrets.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
from typing import Any
from urllib.parse import quote

REDACTED = "********"
MIN_SECRET_LENGTH = 3  # shorter values would blank out ordinary words; they are refused when saved
_AUTH_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(basic|bearer)\s+(?![$<*])[^\s'\",}\\<&]+")


def secret_forms(secret: str, min_length: int = MIN_SECRET_LENGTH) -> set[str]:
    """Every form in which ``secret`` may come back inside an answer, a URL or a document."""
    forms = {
        secret,
        quote(secret, safe=""),
        quote(secret, safe="").replace("%20", "+"),
        quote(secret, safe="/"),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
        html.escape(secret, quote=False),
    }
    return {form for form in forms if len(form) >= min_length}


def basic_forms(username: str, secret: str) -> set[str]:
    token = base64.b64encode(f"{username}:{secret}".encode()).decode("ascii")
    return {token, token.rstrip("=")}


class Scrubber:
    """A set of secrets and the replacement of all their forms in text and in JSON-like values."""

    def __init__(self, secrets: tuple[str, ...] | list[str] = (), *, min_length: int = MIN_SECRET_LENGTH) -> None:
        """``min_length``: shorter values are ignored (1 for a request's own secrets, which are known)."""
        self._min_length = min_length
        self._forms: set[str] = set()
        self._ordered: list[str] = []
        self._lock = threading.Lock()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Scrub ``secret`` (in every form) from now on; values too short to be secrets are ignored."""
        if not secret or len(secret) < self._min_length:
            return
        self._extend(secret_forms(secret, self._min_length))

    def add_basic(self, username: str, secret: str) -> None:
        """``secret`` and the Basic credentials ``base64(username:secret)`` made from it."""
        self.add(secret)
        if secret:
            self._extend(basic_forms(username, secret))

    def _extend(self, forms: set[str]) -> None:
        with self._lock:
            new = forms - self._forms
            if new:
                self._forms |= new
                self._ordered = sorted(self._forms, key=len, reverse=True)

    def text(self, text: str) -> str:
        """``text`` with every known form of every secret, and any Authorization value, replaced."""
        if not text:
            return text
        text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)} {REDACTED}", text)
        for form in self._ordered:
            if form in text:
                text = text.replace(form, REDACTED)
        return text

    def json(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string (keys too) scrubbed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list | tuple):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {self.json(key) if isinstance(key, str) else key: self.json(item) for key, item in value.items()}
        return value

    def exception(self, exc: BaseException) -> BaseException:
        """Scrub ``exc``'s message and text attributes in place (an error about to be kept or shown)."""
        for name, value in vars(exc).items():
            if isinstance(value, str | dict | list):
                setattr(exc, name, self.json(value))
        exc.args = tuple(self.json(arg) if isinstance(arg, str | dict | list) else arg for arg in exc.args)
        return exc

    def leaks(self, text: str) -> bool:
        """Whether ``text`` still holds a form of a known secret."""
        return any(form in text for form in self._ordered)


SCRUBBER = Scrubber()


def register_secret(value: str | None) -> None:
    SCRUBBER.add(value)


def register_basic_auth(username: str, secret: str) -> None:
    SCRUBBER.add_basic(username, secret)


def scrub(text: str) -> str:
    return SCRUBBER.text(text)


def scrub_json(value: Any) -> Any:
    return SCRUBBER.json(value)


class ScrubbedStream:
    """A text stream that passes every write through :data:`SCRUBBER` (a terminal, a pipe).

    ``inner`` is the stream itself, for the one output a person asked to see in clear
    (``--reveal-secrets``)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(SCRUBBER.text(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def unscrubbed(stream: Any) -> Any:
    """The stream under a :class:`ScrubbedStream` (or ``stream`` itself)."""
    return stream.inner if isinstance(stream, ScrubbedStream) else stream
