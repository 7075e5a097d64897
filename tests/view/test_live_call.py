"""Live-call presentation without a display: state words, timers, chips, row texts, tooltips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from launcher.core.models import CallPhase, CallResource, Outcome
from launcher.view.live_call import (
    LiveCallInfo,
    chip_text,
    elapsed_seconds,
    format_duration,
    human_state,
    provider_status_line,
    reached_steps,
    row_summary,
    row_tooltip,
    short_list,
    step_word,
    value_at,
)

NOW = datetime(2026, 3, 2, 10, 0, 0, tzinfo=UTC)


def resource(phase: CallPhase, outcome: Outcome | None = None, **extra: object) -> CallResource:
    return CallResource(provider="twilio", call_id="CA1", phase=phase, provider_status=phase.value,
                        outcome=outcome, **extra)  # type: ignore[arg-type]


def info(call: CallResource | None, *, error: str | None = None, label: str = "", name: str = "support desk",
         state: str = "Ringing…") -> LiveCallInfo:
    return LiveCallInfo(key=1, profile_name=name, profile_color="#336699", provider_name="Twilio",
                        to="+15551230002", from_number="+15005550006", call=call, state_text=state, error=error,
                        can_hang_up=call is not None, hanging_up=False, started_at=NOW - timedelta(seconds=30),
                        profile_label=label)


@pytest.mark.parametrize(("call", "hung_up_here", "word"), [
    (None, False, None),
    (resource(CallPhase.QUEUED), False, "Calling…"),
    (resource(CallPhase.RINGING), False, "Ringing…"),
    (resource(CallPhase.ANSWERED), False, "In call"),
    (resource(CallPhase.ENDED, Outcome.COMPLETED), False, "They hung up"),
    (resource(CallPhase.ENDED, Outcome.COMPLETED), True, "You hung up"),
    (resource(CallPhase.ENDED, Outcome.CANCELED), True, "You hung up"),
    (resource(CallPhase.ENDED, Outcome.CANCELED), False, "Canceled"),
    (resource(CallPhase.ENDED, Outcome.BUSY), True, "Busy"),
    (resource(CallPhase.ENDED, Outcome.NO_ANSWER), False, "No answer"),
    (resource(CallPhase.ENDED, Outcome.FAILED), False, "Failed"),
    (resource(CallPhase.ENDED, Outcome.REJECTED), False, "Refused"),
    (resource(CallPhase.ENDED), False, "Ended"),
])
def test_human_state_uses_a_persons_words(call: CallResource | None, hung_up_here: bool, word: str | None) -> None:
    assert human_state(call, hung_up_here) == word


def test_timeline_words_and_reached_steps() -> None:
    busy = resource(CallPhase.ENDED, Outcome.BUSY)
    assert [step_word(step, None) for step in CallPhase if step in reached_steps(resource(CallPhase.ENDED,
            Outcome.COMPLETED))] == ["queued", "ringing", "answered", "ended"]
    assert step_word(CallPhase.ENDED, busy) == "busy"
    assert step_word(CallPhase.ENDED, resource(CallPhase.ENDED, Outcome.NO_ANSWER)) == "no answer"
    assert reached_steps(busy) == {CallPhase.QUEUED, CallPhase.ENDED}
    assert reached_steps(busy, seen=[CallPhase.RINGING]) == {CallPhase.QUEUED, CallPhase.RINGING, CallPhase.ENDED}


@pytest.mark.parametrize(("seconds", "text"), [(None, "—"), (-3, "0:00"), (59.9, "0:59"), (61, "1:01"),
                                               (3600, "1:00:00"), (3725, "1:02:05")])
def test_timer_format(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


def test_timer_counts_talk_time_once_answered_and_the_final_duration_once_over() -> None:
    assert elapsed_seconds(info(None), NOW) == 30.0
    answered = resource(CallPhase.ANSWERED, answered_at=NOW - timedelta(seconds=12))
    assert elapsed_seconds(info(answered), NOW) == 12.0
    assert elapsed_seconds(info(resource(CallPhase.ANSWERED)), NOW, NOW - timedelta(seconds=5)) == 5.0
    assert elapsed_seconds(info(resource(CallPhase.ENDED, Outcome.COMPLETED, duration=42.0)), NOW) == 42.0
    assert elapsed_seconds(info(resource(CallPhase.ENDED, Outcome.BUSY)), NOW) is None


def test_chip_is_the_label_else_the_first_word_of_the_name() -> None:
    assert chip_text(info(None, label="prod")) == "PROD"
    assert chip_text(info(None, name="support_desk east")) == "SUPPORT"
    assert chip_text(info(None, name="customerservice")) == "CUSTOMER"
    assert chip_text(info(None, name="  ")) == "?"


def test_row_summary_and_tooltip() -> None:
    row = info(resource(CallPhase.RINGING))
    assert row_summary(row) == "+15551230002 — Ringing… — support desk · Twilio"
    assert row_tooltip(row) == ("To: +15551230002\nFrom: +15005550006\nProfile: support desk (Twilio)\n"
                                "State: Ringing…")
    failed = info(None, error="Can't reach api.twilio.com", state="Not sent")
    assert row_tooltip(failed).splitlines()[-1] == "Can't reach api.twilio.com"


def test_disabled_call_tooltip_is_a_short_list() -> None:
    assert short_list("Fix: To — Use E.164, e.g. +15551230002; From is required", limit=20) == (
        "Can't call yet:\n• To — Use E.164, e.g…\n• From is required")


def test_value_at_reads_dotted_paths_and_destination_objects() -> None:
    values = {"to": {"type": "phone", "number": "+15551230002"}, "from": "+15005550006", "app": {"sid": ""}}
    assert value_at(values, "to") == "+15551230002"
    assert value_at(values, "from") == "+15005550006"
    assert value_at(values, "app.sid") == ""
    assert value_at(values, "missing.path") == ""


def test_provider_status_line() -> None:
    assert provider_status_line(None) == ""
    assert provider_status_line(info(None)) == "provider status: (no answer yet)"
    assert provider_status_line(info(None, error="timeout")) == "provider status: (no call created)"
    unsure = info(None, error="timeout")
    unsure.call_may_exist = True
    assert provider_status_line(unsure) == "provider status: (no usable answer: the call may have been created)"
    assert provider_status_line(info(resource(CallPhase.ENDED, Outcome.COMPLETED, detail="hangup"))) == (
        "provider status: ended · hangup")
