"""Every sentence the window says to a person, in one place, so they are reviewed together.

Rules for what goes here: sentence case; the person's words, not the implementation's (no file
names, errno, internal ids, class names); an error says what happened and what to do; one name per
action (Esc is always "Stop waiting").  Texts with values are functions, so each value has one
place in one sentence.
"""

from __future__ import annotations

from launcher.core.history import CallResult
from launcher.core.models import CallPhase, Outcome

# --- actions -------------------------------------------------------------------------------------
STOP_WAITING = "Stop waiting"  # Esc: stop waiting for the provider's answer to a create request
STOP_WAITING_TIP = "Stop waiting for the provider's answer (Esc). The call may still be placed."

# --- status line under the form ------------------------------------------------------------------
FIX_FIELDS = "Fix the highlighted fields first."
STOPPED_WAITING = "Stopped waiting. The call may still have been placed; check with the provider."
FORM_INCOMPLETE = "The form is not complete yet: nothing to send."
ABOUT_TO_SEND = "About to send (not sent yet)"
HISTORY_WRITABLE_AGAIN = "The call history can be written again: calls are on."


def not_placed(problem: str) -> str:
    """Call was pressed but the attempt could not be recorded, so nothing was sent."""
    return f"Not placed: {problem}"


def progress_not_recorded(problem: str) -> str:
    """A call already placed goes on, but its changes can no longer be recorded."""
    return f"A call's progress could not be recorded: {problem}"


def calling(to: str) -> str:
    return f"Calling {to}…" if to else "Calling…"


def no_secret(profile: str) -> str:
    return f"The profile '{profile}' has no secret yet. Add it in Edit profiles… (Ctrl+P)."


def profile_gone(profile: str) -> str:
    return f"The profile '{profile}' no longer exists."


def sent_at(clock: str) -> str:
    return f"Sent {clock}"


def _extension_note(extension: str | None) -> str:
    return f" Extension {extension}: dial it once the call is answered." if extension else ""


def calling_from_link(number: str, extension: str | None) -> str:
    return f"Calling {number} from a link.{_extension_note(extension)}"


def link_not_dialled(number: str, extension: str | None) -> str:
    return (f"{number} from a link: not dialled, because a call from a link is still in progress. "
            f"Press Call to dial it.{_extension_note(extension)}")


def link_while_asking(number: str) -> str:
    return f"{number} from a link: not used, because a call is waiting for your answer. Open the link again after."


def link_ready(number: str, extension: str | None) -> str:
    return f"{number} from a link: press Call to dial.{_extension_note(extension)}"


def sandbox_hint(endings: list[tuple[str, str]]) -> str:
    """``endings``: (last digits, what happens) of each sandbox scenario."""
    listed = ", ".join(f"…{digits} {what}" for digits, what in endings)
    return (f"Sandbox profile: calls are simulated, nothing is dialled. Numbers ending in {listed}; "
            "any other number is answered.")


def connection_works(provider: str, http_status: int, milliseconds: float) -> str:
    return f"Connected to {provider}: HTTP {http_status} in {milliseconds:.0f} ms. The credentials work."


ABOUT_TITLE = "About Call Launcher"


def about(version: str) -> str:
    return (f"Call Launcher {version}\nOutbound calls through Twilio, Bandwidth, Catapult and "
            "Cognigy VG / jambonz, with a built-in sandbox.")


# --- a call: card, live-calls list, status line ----------------------------------------------------
SENDING = "Sending…"
YOU_HUNG_UP = "You hung up"
ENDED = "Ended"
LIVE_STATES: dict[CallPhase, str] = {
    CallPhase.QUEUED: "Calling…",
    CallPhase.RINGING: "Ringing…",
    CallPhase.ANSWERED: "In call",
}
ENDED_STATES: dict[Outcome, str] = {
    Outcome.COMPLETED: "They hung up",
    Outcome.BUSY: "Busy",
    Outcome.NO_ANSWER: "No answer",
    Outcome.FAILED: "Failed",
    Outcome.CANCELED: "Canceled",
    Outcome.REJECTED: "Rejected",
}
TIMELINE_WORDS: dict[CallPhase, str] = {  # the card's small timeline, lower case like a caption
    CallPhase.QUEUED: "queued",
    CallPhase.RINGING: "ringing",
    CallPhase.ANSWERED: "answered",
    CallPhase.ENDED: "ended",
}
OUTCOME_STEP_WORDS: dict[Outcome, str] = {  # the timeline's last step, once the call is over
    Outcome.COMPLETED: "completed",
    Outcome.BUSY: "busy",
    Outcome.NO_ANSWER: "no answer",
    Outcome.FAILED: "failed",
    Outcome.CANCELED: "canceled",
    Outcome.REJECTED: "rejected",
}
NOT_SENT = "Not sent"
OUTCOME_UNKNOWN = "Outcome unknown"
NO_NUMBER = "(no number)"
CALL_ENDED = "Call ended"
NO_LIVE_CALLS = "No calls yet. Fill in the form and press Call."
PLACE_CALL_TIP = "Place the call (Ctrl+Enter)"


def refused_by(provider: str) -> str:
    return f"Refused by {provider}"


def attempt_failure_title(status: str, provider: str) -> str:
    """The card's title for an attempt with no call: ``status`` is the history status's value."""
    return {"rejected": refused_by(provider), "failed": NOT_SENT, "unknown": OUTCOME_UNKNOWN}.get(status, status)


def call_status(provider: str, to: str, state: str) -> str:
    """The status line while a call is followed: "Twilio: +15551230002 — Ringing…"."""
    return f"{provider}: {to} — {state}" if to else f"{provider}: {state}"


def call_ended_note(to: str, state: str) -> str:
    return f"{to} — {state}" if to else state


def call_row_summary(to: str, state: str, profile: str, provider: str) -> str:
    return f"{to or NO_NUMBER} — {state} — {profile} · {provider}"


def call_row_tooltip(to: str, from_number: str, profile: str, provider: str, state: str, error: str | None) -> str:
    lines = [f"To: {to}", f"From: {from_number}", f"Profile: {profile} ({provider})", f"State: {state}"]
    return "\n".join([*lines, error] if error else lines)


def seen_tip(provider: str, what: str) -> str:
    """Tooltip on a time the provider did not give (the "(seen)" times of the card)."""
    return (f"{provider} gave no time for this: it is when Call Launcher first saw the call {what} "
            "(up to a poll interval late).")


def cant_call_yet(problems: list[str]) -> str:
    """The disabled Call button's tooltip: one short line per thing to fix."""
    return "Can't call yet:\n" + "\n".join(f"• {problem}" for problem in problems)


# --- history -------------------------------------------------------------------------------------
RESULT_WORDS: dict[CallResult, str] = {
    CallResult.IN_PROGRESS: "In progress",
    CallResult.COMPLETED: "Completed",
    CallResult.BUSY: "Busy",
    CallResult.NO_ANSWER: "No answer",
    CallResult.FAILED: "Failed",
    CallResult.NOT_SENT: "Not sent",
    CallResult.CANCELED: "Canceled",
    CallResult.REFUSED: "Refused",
    CallResult.UNKNOWN: "Unknown",
}
RESULT_HELP: dict[CallResult, str] = {
    CallResult.IN_PROGRESS: "The call is being placed, is ringing or is connected",
    CallResult.COMPLETED: "The call was answered and ended normally",
    CallResult.BUSY: "The line was busy",
    CallResult.NO_ANSWER: "Nobody answered",
    CallResult.FAILED: "The provider placed the call, but it failed",
    CallResult.NOT_SENT: "The provider could not be reached: no call was placed",
    CallResult.CANCELED: "The call was canceled before it was answered",
    CallResult.REFUSED: "The provider refused the request, or the callee rejected the call",
    CallResult.UNKNOWN: "The request was sent, but what became of the call is not known",
}
IN_PROGRESS_WORDS = {"sending": "Sending", "queued": "Queued", "ringing": "Ringing", "answered": "In call"}
ALL_RESULTS = "All results"
HISTORY_SEARCH_HINT = "Search number, profile, call ID, error…"
HISTORY_SEARCH_TIP = ("Matches To, From, profile, call ID, error and provider status; numbers match however "
                      "they are written, e.g. (555) 555-0002 (Ctrl+F)")
RESULT_FILTER_TIP = "Show calls with one result only"
NO_CALLS_YET = "No calls yet"
NO_MATCHING_CALLS = "No matching calls"


def call_count(number: str, count: int) -> str:
    """``number`` is ``count`` already written with its thousands separated."""
    return f"{number} call" if count == 1 else f"{number} calls"


def provider_says(provider: str, status: str) -> str:
    return f"{provider} says: {status}"


def exporting(path: str) -> str:
    return f"Exporting to {path}…"


def exported(count_text: str, path: str) -> str:
    return f"Exported {count_text} to {path}"


# --- secrets -------------------------------------------------------------------------------------
def secrets_notice(where: str, session_only: bool) -> str:
    """The status bar's permanent note on where secrets go."""
    return "Secrets: this session only (no OS keyring)" if session_only else f"Secrets: {where}"


def no_keyring_warning(reason: str) -> str:
    """The editor's one explanation of session-only secrets: what, why, and what to do."""
    return (f"Secrets are kept for this session only and must be typed again after a restart: {reason}. "
            "To keep them, start your desktop's keyring (GNOME Keyring, KWallet) and restart Call Launcher.")


KEYRING_LOCKED_TITLE = "The keyring is locked"


def keyring_refused(profile: str, problem: str) -> str:
    return (f"The secret of '{profile}' could not be saved in the OS keyring: {problem}\n\n"
            "Retry to unlock the keyring again, or keep the secret for this session only "
            "(the profile is saved; type the secret again after a restart).")


KEEP_FOR_SESSION = "Keep for this session only"
NOT_SAVED_KEPT = "Not saved yet. Everything you typed is still here."


def saved_profile(profile: str, where: str | None) -> str:
    return f"Saved '{profile}'." + (f" Secret kept in {where}." if where else "")


# --- help ----------------------------------------------------------------------------------------
SHORTCUTS_TITLE = "Keyboard shortcuts"
SANDBOX_TITLE = "Sandbox numbers"
QUICK_SWITCH_HINT = "Type to find a profile, Enter to switch, Esc to close"
