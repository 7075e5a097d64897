"""The typed exceptions of the core.

    LauncherError
     ├── ConfigError              config or profile file missing, unreadable or invalid
     ├── SecretStoreError         no usable OS keyring, or it refused a read/write
     ├── InsecureTransportError   credentials would travel over plain http to a non-loopback host
     └── CallError                placing, following or ending a call failed
          ├── ProviderError       the provider answered with an error status and (usually) a body
          ├── TransportError      no usable answer: refused, unresolvable, TLS, timeout, reset
          ├── ResponseFormatError the provider answered success but the body could not be read
          ├── RequestNotSent      the request cannot be sent as it is (a secret or address HTTP cannot
          │                       carry): refused before a byte left
          └── UnexpectedFailure   anything else that went wrong; the request may have left
"""

from __future__ import annotations

import re
from typing import Any


class LauncherError(Exception):
    """Base of every error the core raises on purpose."""


class ConfigError(LauncherError):
    pass


class SecretStoreError(LauncherError):
    """``locked``: the keyring is there but locked (its unlock prompt was cancelled): a retry may work."""

    def __init__(self, message: str, *, locked: bool = False) -> None:
        super().__init__(message)
        self.locked = locked


class InsecureTransportError(LauncherError):
    pass


class CallError(LauncherError):
    hint: str = ""


class ProviderError(CallError):
    """An error answer from the provider, in one shape whatever the provider's own format."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        code: str | None = None,
        field: str | None = None,
        more_info: str | None = None,
        hint: str = "",
        raw: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.code = code
        self.field = field
        self.more_info = more_info
        self.hint = hint
        self.raw = raw
        self.retry_after = retry_after

    def describe(self) -> str:
        """One line for people: status, provider code, message, hint."""
        parts = []
        if self.http_status is not None:
            parts.append(f"HTTP {self.http_status}")
        if self.code:
            parts.append(f"code {self.code}")
        head = f"[{', '.join(parts)}] " if parts else ""
        message = self.message.rstrip()
        hint = self.hint.rstrip()
        if self.retry_after:  # Retry-After (or the provider's reset time): say how long, not just "wait"
            if hint and hint[-1] not in ".!?":
                hint += "."
            hint = f"{hint} The provider asks to wait {_seconds(self.retry_after)} before trying again.".lstrip()
        if hint and message and message[-1] not in ".!?":
            message += "."
        tail = f" {hint}" if hint else ""
        return f"{head}{message}{tail}"

    def to_json(self) -> dict[str, Any]:
        return {
            "http_status": self.http_status,
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "more_info": self.more_info,
            "hint": self.hint,
            "retry_after": self.retry_after,
            "raw": self.raw,
        }


class TransportError(CallError):
    """The request got no usable HTTP answer.

    ``request_sent`` is False only when the failure happened before any byte of the request left
    (connection refused, name not resolved, TLS handshake failed): only then is a retry safe.
    """

    def __init__(self, message: str, *, request_sent: bool, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.request_sent = request_sent
        self.hint = hint


class ResponseFormatError(CallError):
    def __init__(self, message: str, *, http_status: int | None = None, raw: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.raw = raw


class RequestNotSent(CallError):
    """Refused before any byte left: the request cannot travel as HTTP as it is."""

    request_sent = False

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UnexpectedFailure(CallError):
    """An error no rule above describes, caught so that the attempt still ends in a final state.

    Nobody can tell whether the request left, so the attempt's outcome is unknown."""

    request_sent = True

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _seconds(value: float) -> str:
    whole = max(1, round(value))
    return f"{whole} s" if whole < 120 else f"{round(whole / 60)} min"


def with_hint(text: str, hint: str) -> str:
    """``text`` followed by the sentences of ``hint`` it does not already say (compared without case or
    final punctuation), so that a message and its hint never repeat one another."""
    text, said = text.rstrip(), _plain(text)
    new = [sentence for sentence in re.split(r"(?<=[.!?])\s+", hint.strip())
           if sentence and _plain(sentence) not in said]
    if not new:
        return text
    if text and text[-1] not in ".!?":
        text += "."
    return f"{text} {' '.join(new)}".strip()


def _plain(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".!?;")
