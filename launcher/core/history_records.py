"""What the call history holds: an attempt, its status, and the filter the history view applies."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from launcher.core.errors import LauncherError


class HistoryError(LauncherError):
    """The history file cannot be opened or written (locked, unwritable folder, disk full)."""


class AttemptStatus(enum.StrEnum):
    SENDING = "sending"  # recorded, request on its way
    QUEUED = "queued"
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"
    REJECTED = "rejected"  # the provider refused the create request
    FAILED = "failed"  # no usable answer (network, TLS, timeout) before anything was placed
    UNKNOWN = "unknown"  # sent, but the outcome is not known (no answer, app killed, cancelled)

    @property
    def unfinished(self) -> bool:
        """Still in flight: an app that stops now leaves the outcome unknown."""
        return self in UNFINISHED_STATUSES


UNFINISHED_STATUSES = (AttemptStatus.SENDING, AttemptStatus.QUEUED, AttemptStatus.RINGING, AttemptStatus.ANSWERED)


@dataclass
class Attempt:
    """One press of Call: what was sent (redacted), and what became of it."""

    id: int
    started_at: datetime  # UTC
    updated_at: datetime  # UTC
    profile: str
    profile_id: str
    provider: str
    from_number: str | None
    to: str | None
    status: AttemptStatus
    outcome: str | None = None  # completed / busy / no-answer / failed / canceled / rejected
    provider_status: str | None = None
    call_id: str | None = None
    duration: float | None = None
    error: str | None = None
    error_code: str | None = None
    http_status: int | None = None
    request: dict[str, Any] = field(default_factory=dict)  # redacted request JSON: never a secret
    values: dict[str, Any] = field(default_factory=dict)  # form values without secret fields
    response: dict[str, Any] | None = None  # the provider's last raw JSON

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "profile": self.profile,
            "profile_id": self.profile_id,
            "provider": self.provider,
            "from": self.from_number,
            "to": self.to,
            "status": self.status.value,
            "outcome": self.outcome,
            "provider_status": self.provider_status,
            "call_id": self.call_id,
            "duration": self.duration,
            "error": self.error,
            "error_code": self.error_code,
            "http_status": self.http_status,
            "request": self.request,
            "values": self.values,
            "response": self.response,
        }


@dataclass
class HistoryFilter:
    text: str = ""  # case-insensitive substring of to, from, profile, call id, error or provider status
    provider: str | None = None
    status: AttemptStatus | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive

    @property
    def active(self) -> bool:
        return bool(self.text.strip() or self.provider or self.status or self.since or self.until)


def search_key(*parts: str | None) -> str:
    """The text ``HistoryFilter.text`` is matched against: the fields, case-folded, one per line."""
    return "\n".join(part.casefold() for part in parts if part)
