"""History rows without a display: result words, durations, counts and tooltips."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from launcher.core.history import Attempt, AttemptStatus
from launcher.view.history_rows import (
    COLUMN_INDEX,
    cell_tooltip,
    error_details,
    format_count,
    format_duration,
    result_text,
)

STARTED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
NAMES = {"twilio": "Twilio"}


def attempt(status: AttemptStatus, outcome: str | None = None, **extra: object) -> Attempt:
    return Attempt(id=1, started_at=STARTED, updated_at=STARTED, profile="Support", profile_id="support",
                   provider="twilio", from_number="+15005550006", to="+15551230002", status=status, outcome=outcome,
                   **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(("status", "outcome", "word"), [
    (AttemptStatus.SENDING, None, "Sending"),
    (AttemptStatus.RINGING, None, "Ringing"),
    (AttemptStatus.ANSWERED, None, "In call"),
    (AttemptStatus.ENDED, "completed", "Completed"),
    (AttemptStatus.ENDED, "no-answer", "No answer"),
    (AttemptStatus.ENDED, "rejected", "Refused"),
    (AttemptStatus.FAILED, None, "Not sent"),
    (AttemptStatus.UNKNOWN, None, "Unknown"),
])
def test_one_result_word(status: AttemptStatus, outcome: str | None, word: str) -> None:
    assert result_text(attempt(status, outcome)) == word


@pytest.mark.parametrize(("seconds", "text"), [(None, ""), (0, "0:00"), (59.6, "1:00"), (3599, "59:59"),
                                               (3600, "1:00:00")])
def test_history_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(("count", "text"), [(0, "0 calls"), (1, "1 call"), (2, "2 calls"),
                                           (1234567, "1 234 567 calls")])
def test_count(count: int, text: str) -> None:
    assert format_count(count) == text


def test_error_details_and_result_tooltip() -> None:
    refused = attempt(AttemptStatus.REJECTED, error="Invalid 'To' Phone Number", http_status=400, error_code="21211",
                      provider_status="failed")
    assert error_details(refused) == "Invalid 'To' Phone Number\n(HTTP 400, code 21211)"
    assert error_details(attempt(AttemptStatus.ENDED, "completed")) == ""
    assert cell_tooltip(refused, COLUMN_INDEX["Result"], NAMES) == (
        "The provider refused the request, or the callee rejected the call\nTwilio says: failed\n"
        "Invalid 'To' Phone Number\n(HTTP 400, code 21211)")
    assert cell_tooltip(refused, COLUMN_INDEX["Profile"], NAMES) == "Support · Twilio"
