"""What the call history holds: an attempt, its status, and the filter the history view applies."""

from __future__ import annotations

import enum
import re
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


class CallResult(enum.StrEnum):
    """What became of an attempt, in one word: status and outcome together.  Every attempt has
    exactly one result, so a filter by result lists each attempt under the word its row shows."""

    IN_PROGRESS = "in-progress"  # sending, queued, ringing or connected
    COMPLETED = "completed"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"  # the provider placed the call and it failed
    NOT_SENT = "not-sent"  # no usable answer (network, TLS, timeout): no call was placed
    CANCELED = "canceled"
    REFUSED = "refused"  # the provider refused the request, or the callee rejected the call
    UNKNOWN = "unknown"  # sent, outcome not known; or ended without a known outcome


_OUTCOME_RESULTS = {
    "completed": CallResult.COMPLETED, "busy": CallResult.BUSY, "no-answer": CallResult.NO_ANSWER,
    "failed": CallResult.FAILED, "canceled": CallResult.CANCELED, "rejected": CallResult.REFUSED,
}


def attempt_result(status: AttemptStatus | str, outcome: str | None) -> CallResult:
    """The one result of an attempt (``history_migrations.RESULT_SQL`` is the same rule in SQL)."""
    status = AttemptStatus(status)
    if status.unfinished:
        return CallResult.IN_PROGRESS
    if status is AttemptStatus.ENDED:
        return _OUTCOME_RESULTS.get(outcome or "", CallResult.UNKNOWN)
    return {AttemptStatus.REJECTED: CallResult.REFUSED, AttemptStatus.FAILED: CallResult.NOT_SENT}.get(
        status, CallResult.UNKNOWN)


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
    skipped_checks: list[str] = field(default_factory=list)  # sent without local checks: what they said
    request: dict[str, Any] = field(default_factory=dict)  # redacted request JSON: never a secret
    values: dict[str, Any] = field(default_factory=dict)  # form values without secret fields
    response: dict[str, Any] | None = None  # the provider's last raw JSON

    @property
    def result(self) -> CallResult:
        return attempt_result(self.status, self.outcome)

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
            "skipped_checks": self.skipped_checks,
            "request": self.request,
            "values": self.values,
            "response": self.response,
        }


@dataclass
class HistoryFilter:
    text: str = ""  # case-insensitive substring of to, from, profile, call id, error or provider status
    provider: str | None = None
    status: AttemptStatus | None = None
    result: CallResult | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive

    @property
    def active(self) -> bool:
        return bool(self.text.strip() or self.provider or self.status or self.result or self.since or self.until)


def search_key(*parts: str | None) -> str:
    """The text ``HistoryFilter.text`` is matched against: the fields, case-folded, one per line."""
    return "\n".join(part.casefold() for part in parts if part)


_PHONE_TEXT = re.compile(r"\+?[\d\s().\-/]*\d[\d\s().\-/]*")
_FULL_NATIONAL_DIGITS = 7  # from this many digits on, a leading 0 is a national trunk prefix


def search_needles(text: str) -> list[str]:
    """What a search for ``text`` looks for in the search key: the text itself, case-folded, and,
    when it is written like a phone number ("(555) 555-0002", "+1 555 555 0002", "020 7183 8750"),
    its digits alone, so it finds "+15555550002" however the person typed it.  A full national
    number also drops its trunk 0, so "020 7183 8750" finds "+442071838750"."""
    needle = text.strip().casefold()
    if not needle:
        return []
    needles = [needle]
    if _PHONE_TEXT.fullmatch(needle):
        digits = re.sub(r"\D", "", needle)
        if len(digits) >= _FULL_NATIONAL_DIGITS and digits.startswith("0") and not needle.startswith("+"):
            digits = digits[1:]
        if digits and digits not in needles:
            needles.append(digits)
    return needles
