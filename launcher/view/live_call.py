"""One call attempt as the window shows it: plain data, state words, times and timers.  No Qt here.

The window builds a :class:`LiveCallInfo` from core's :class:`~launcher.core.attempts.LiveCall`; the
card and the live-calls list only display it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from launcher.core.attempts import LiveCall
from launcher.core.history import AttemptStatus
from launcher.core.models import CallPhase, CallResource, Outcome
from launcher.view import messages

TIMELINE = (CallPhase.QUEUED, CallPhase.RINGING, CallPhase.ANSWERED, CallPhase.ENDED)
OUTCOME_WORDS = messages.OUTCOME_STEP_WORDS
NO_VALUE = "—"
CHIP_LETTERS = 8


@dataclass
class LiveCallInfo:
    """What the window knows about one call attempt; plain data, no Qt."""

    key: int  # history attempt id
    profile_name: str
    profile_color: str  # "#rrggbb" or ""
    provider_name: str
    to: str
    from_number: str
    call: CallResource | None  # None while the create request is in flight (or when it failed)
    state_text: str  # "Sending…", "Ringing…", "Refused by Twilio", ...
    error: str | None
    can_hang_up: bool
    hanging_up: bool
    started_at: datetime
    call_may_exist: bool = False  # no call resource, but the create request may have been placed
    can_refresh: bool = False  # following stopped at its limit while the call was live: Refresh resumes it
    profile_label: str = ""  # the profile's badge ("PROD"), shown on its chip
    hung_up_here: bool = False  # Hang up was pressed in this window for this call

    @property
    def ended(self) -> bool:
        """Nothing more will happen: the call ended, or the create request failed."""
        if self.call is not None:
            return self.call.final
        return self.error is not None


def human_state(call: CallResource | None, hung_up_here: bool = False) -> str | None:
    """The word a person uses for where a call is ("Ringing…", "They hung up"); None before a call exists."""
    if call is None:
        return None
    if call.final:
        if call.outcome in (Outcome.COMPLETED, Outcome.CANCELED) and hung_up_here:
            return messages.YOU_HUNG_UP
        if call.outcome is None:
            return messages.ENDED
        return messages.ENDED_STATES.get(call.outcome, messages.ENDED)
    return messages.LIVE_STATES.get(call.phase, call.phase.value.capitalize())


def reached_steps(call: CallResource | None, seen: Iterable[CallPhase] = ()) -> set[CallPhase]:
    """Timeline steps the call has been through, from the phases seen and what the resource implies."""
    reached = {phase for phase in seen if phase in TIMELINE}
    if call is None:
        return reached
    if call.phase is CallPhase.ENDED:
        reached |= {CallPhase.QUEUED, CallPhase.ENDED}
        if call.answered_at is not None or call.outcome is Outcome.COMPLETED:
            reached.add(CallPhase.ANSWERED)
        if call.outcome is Outcome.NO_ANSWER:
            reached.add(CallPhase.RINGING)
    elif call.phase in TIMELINE:
        reached |= set(TIMELINE[: TIMELINE.index(call.phase) + 1])
    if CallPhase.ANSWERED in reached:
        reached.add(CallPhase.RINGING)
    return reached


def step_word(step: CallPhase, call: CallResource | None) -> str:
    if step is CallPhase.ENDED and call is not None and call.final and call.outcome is not None:
        return OUTCOME_WORDS[call.outcome]
    return messages.TIMELINE_WORDS[step]


def local_time(moment: datetime | None, today: datetime) -> str:
    if moment is None:
        return NO_VALUE
    local = moment.astimezone() if moment.tzinfo else moment.replace(tzinfo=UTC).astimezone()
    if local.date() == today.astimezone().date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%Y-%m-%d %H:%M:%S")


def format_duration(seconds: float | None) -> str:
    """m:ss (h:mm:ss from an hour on); a dash when unknown."""
    if seconds is None:
        return NO_VALUE
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def chip_text(info: LiveCallInfo) -> str:
    """The profile's label ("PROD"), else the first word of its name, short enough for the chip."""
    first_word = re.split(r"[\s_-]+", info.profile_name.strip())[0] if info.profile_name.strip() else "?"
    return (info.profile_label or first_word)[:CHIP_LETTERS].upper()


def elapsed_seconds(info: LiveCallInfo, now: datetime, answered_seen_at: datetime | None = None) -> float | None:
    """The row's timer: talk time once answered (final duration when over), else time since Call."""
    call = info.call
    if call is not None and call.phase is CallPhase.ANSWERED:
        start = call.answered_at or answered_seen_at
        return (now - start).total_seconds() if start else None
    if info.ended:
        if call is not None and call.duration is not None:
            return call.duration
        if call is not None and call.answered_at is not None and call.ended_at is not None:
            return (call.ended_at - call.answered_at).total_seconds()
        return None
    return (now - info.started_at).total_seconds()


def row_summary(info: LiveCallInfo) -> str:
    """One line a screen reader (and a test) reads for the row."""
    return messages.call_row_summary(info.to, info.state_text, info.profile_name, info.provider_name)


def row_tooltip(info: LiveCallInfo) -> str:
    return messages.call_row_tooltip(info.to, info.from_number, info.profile_name, info.provider_name,
                                     info.state_text, info.error)


def provider_status_line(info: LiveCallInfo | None) -> str:
    """The card's secondary line: the provider's own word for the call, and its cause text if any."""
    if info is None:
        return ""
    if info.call is None:
        if info.error is None:
            return messages.provider_status(messages.NO_PROVIDER_ANSWER_YET)
        return messages.provider_status(messages.CALL_MAY_EXIST if info.call_may_exist else messages.NO_CALL_CREATED)
    return messages.provider_status(info.call.provider_status, info.call.detail)


def short_list(summary: str, limit: int = 72) -> str:
    """ "Fix: To — Use E.164…; From is required" as a short list a tooltip can show."""
    items = [item.strip() for item in summary.removeprefix("Fix: ").split("; ") if item.strip()]
    lines = [item if len(item) <= limit else item[: limit - 1] + "…" for item in items]
    return messages.cant_call_yet(lines)


def sandbox_hint() -> str:
    from launcher.sandbox.scenarios import SCENARIOS

    return messages.sandbox_hint([(s.suffix, s.key.replace("-", " ")) for s in SCENARIOS if s.suffix])


def state_text(live: LiveCall, hung_up_here: bool = False) -> str:
    """Where the attempt is, in the card's words ("Ringing…", "Busy"), or what went wrong before a call existed."""
    if live.call is None:
        return live.error_text or messages.SENDING
    return human_state(live.call, hung_up_here) or ""


def live_call_info(live: LiveCall, hung_up_here: bool = False) -> LiveCallInfo:
    values = live.values
    to_path = live.adapter.schema.by_meaning("to") or ""
    from_path = live.adapter.schema.by_meaning("from") or ""
    return LiveCallInfo(
        key=live.attempt_id,
        profile_name=live.profile.name,
        profile_color=live.profile.color,
        provider_name=live.adapter.name,
        to=(live.call.to if live.call and live.call.to else value_at(values, to_path)),
        from_number=(live.call.from_number if live.call and live.call.from_number else value_at(values, from_path)),
        call=live.call,
        state_text=(human_state(live.call, hung_up_here) or "") if live.call else (
            messages.SENDING if live.error_text is None else failure_title(live)),
        profile_label=live.profile.label,
        hung_up_here=hung_up_here,
        error=live.error_text,
        can_hang_up=live.can_hang_up,
        hanging_up=live.hanging_up,
        started_at=live.started_at,
        call_may_exist=live.call is None and live.status is AttemptStatus.UNKNOWN,
        can_refresh=live.stopped_following and live.call is not None and not live.call.final,
    )


def failure_title(live: LiveCall) -> str:
    """The card's title for an attempt that got no call resource."""
    return messages.attempt_failure_title(live.status.value, live.adapter.name)


def value_at(values: dict[str, Any], path: str) -> str:
    """The value at a dotted path as text; for a destination object, its number, SIP URI or name."""
    node: Any = values
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node = node.get("number") or node.get("sipUri") or node.get("name")
    return str(node) if node else ""
