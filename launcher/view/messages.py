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
    return (f" The extension {extension} was not dialled: dial it yourself once the call is answered."
            if extension else "")


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
    Outcome.REJECTED: "Refused",
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


NO_PROVIDER_ANSWER_YET = "(no answer yet)"
CALL_MAY_EXIST = "(no usable answer: the call may have been created)"
NO_CALL_CREATED = "(no call created)"


def provider_status(status: str, detail: str | None = None) -> str:
    """The card's caption with the provider's own word for the call (lower case: it is secondary)."""
    return f"provider status: {status} · {detail}" if detail else f"provider status: {status}"


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


def still_counting(count_text: str) -> str:
    """The history's count while a long search is still being counted."""
    return f"More than {count_text}, counting…"


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


# --- the window -------------------------------------------------------------------------------
APP_NAME = "Call Launcher"
CALL = "Call"
DIAL_PAD = "Dial pad"
LIVE_CALLS = "Live calls"
REQUEST = "Request"
HISTORY = "History"
OTHER_PROFILE_TITLE = "Call with another profile?"
SWITCH_AND_CALL = "Switch and call"
PRODUCTION_CALL_TITLE = "Call on a production profile?"


# --- menus and their actions ------------------------------------------------------------------
MENU_FILE = "&File"
MENU_CALL = "&Call"
MENU_VIEW = "&View"
MENU_HELP = "&Help"
ACTION_COMPACT = "&Compact layout"
ACTION_COMPACT_TIP = "A small window: profile, To with dial pad, Call and Hang up, the live call, recent calls"
ACTION_CALL_TIP = "Place the call with the form's values"
ACTION_STOP_WAITING_TIP = "Stop waiting for the provider's answer"
ACTION_HANG_UP = "&Hang up selected call"
ACTION_UNCHECKED = "Send &without local checks…"
ACTION_UNCHECKED_TIP = "For engineers: send what the form's checks refuse, so the provider answers for itself"
ACTION_FOCUS_TO = "Go to &To"
ACTION_FOCUS_TO_TIP = "Put the cursor in the To field"
ACTION_DIAL_PAD = "&Dial pad"
ACTION_PROFILES = "Edit &profiles…"
ACTION_SEARCH = "&Search history"
ACTION_QUIT = "&Quit"
ACTION_SWITCH_PROFILE = "S&witch profile…"
ACTION_SWITCH_PROFILE_TIP = "Find a profile by typing a few letters of its name"
ACTION_SHORTCUTS = "&Keyboard shortcuts"
ACTION_SANDBOX = "&Sandbox numbers"
ACTION_SANDBOX_TIP = "Which numbers give which outcome in the sandbox"
ACTION_GUIDE = "&User guide"
ACTION_ABOUT = "&About Call Launcher"
USER_GUIDE_TITLE = "User guide"


# --- live calls: list, card, raw answer -------------------------------------------------------
REFRESH = "Refresh"
REFRESH_TIP = "Ask the provider for this call's state now, and follow it again"
HANG_UP = "Hang up"
HANGING_UP = "Hanging up…"
CALL_ID_TIP = "The provider's ID of this call (select to copy)"
COPY = "Copy"
COPY_CALL_ID_TIP = "Copy the call ID to the clipboard"
CALL_ID_NOT_YET = "not assigned yet"
NO_CALL_SELECTED = "No call selected"
LIVE_CALLS_TIP = "Calls placed in this session: live ones first, then ended ones"
TOGGLE_ENDED_TIP = "Show or hide the calls that are over"
CLEAR_ENDED = "Clear ended"
CLEAR_ENDED_TIP = "Remove calls that are over from this list (history keeps them)"
RAW_ANSWER = "Provider's answer (raw JSON)"
RAW_ANSWER_TIP = "Show or hide the call resource exactly as the provider sent it"
JSON_KEY = "Key"
JSON_VALUE = "Value"
JSON_TYPE = "Type"
JSON_TREE_TIP = "The call resource exactly as the provider last returned it"
COPY_VALUE = "Copy value"
COPY_KEY_PATH = "Copy key path"


# --- form editors -----------------------------------------------------------------------------
CHOOSE = "Choose…"
YES = "Yes"
NO = "No"
NOT_SET = "(not set)"
ADD_ENTRY = "+ Add"
NEW_ENTRY = "New entry"
REMOVE_ENTRY_TIP = "Remove this entry."
REMOVE = "Remove"
REMOVE_SELECTED_TIP = "Remove the selected entry."
SHOW = "Show"
HIDE = "Hide"
SHOW_TYPED_TIP = "Show or hide what you typed."
DIAL_PAD_TIP = "Click the keys or type digits; hold 0 for +."
BACKSPACE_TIP = "Delete the last digit (hold to keep deleting)."
HOLD_FOR_PLUS = "Hold for +"


# --- history ----------------------------------------------------------------------------------
PROVIDER_FILTER_TIP = "Show calls of one provider only"
ALL_PROVIDERS = "All providers"
PERIOD_FILTER_TIP = "Show calls started in this period"
CALL_AGAIN = "Call again"
CALL_AGAIN_TIP = "Place the same call again with the same profile and values"
OPEN_IN_FORM = "Open in form"
OPEN_IN_FORM_TIP = "Load this call's profile and values into the form without calling"
EXPORT_CSV = "Export as CSV…"
EXPORT_JSON = "Export as JSON…"
EXPORT = "Export…"
EXPORT_TIP = "Save the calls shown (search and filters applied) as CSV or JSON"


# --- request view -----------------------------------------------------------------------------
REQUEST_URL_TIP = "The URL the request goes to (select to copy)"
REQUEST_HEADERS_TIP = "Headers as sent; credentials are hidden"
NO_BODY = "(no body)"
INCLUDE_SECRETS = "Include secrets in this copy"
INCLUDE_SECRETS_TIP = ("Put the real credentials into the next copy only (the view never shows them). "
                       "Unticks itself after the copy.")
COPY_AS_HTTP = "Copy as HTTP"
COPY_AS_HTTP_TIP = "Copy the request as an HTTP message"
COPY_AS_CURL = "Copy as curl"
COPY_AS_CURL_TIP = "Copy a curl command that sends this exact request"
NO_REQUEST_YET = "No request yet."
BODY = "Body"


# --- profiles: selector, check, editor --------------------------------------------------------
CHECK_PROFILE = "Check profile"
CHECK_PROFILE_TIP = ("Read-only checks at the provider: the credentials, the From number, the application, and "
                     "whether webhook URLs answer. Places no call.")
CHECKING = "Checking…"
PROFILE_SELECTOR_TIP = "The profile (provider account) new calls are placed with"
EDIT_PROFILES = "Edit profiles…"
EDIT_PROFILES_TIP = "Add, change or delete saved profiles and their credentials"
EDIT_SHORT = "Edit…"
NO_PROFILE = "No profile — use “Edit profiles…” to add one"
PROFILES_TITLE = "Profiles"
NEW = "New"
NEW_TIP = "Start a new profile"
DUPLICATE = "Duplicate"
DUPLICATE_TIP = "Copy this profile's settings into a new profile"
DELETE = "Delete"
DELETE_TIP = "Delete this profile and its stored secret"
TEST_CONNECTION = "Test connection"
TEST_CONNECTION_TIP = "Check the credentials with one harmless request to the provider"
SAVE_PROFILE_TIP = "Save this profile"
TESTING = "Testing…"
BUILTIN_NOT_LISTED = "Built-in sandbox profiles are not listed here: they can't be changed."
DELETE_PROFILE_TITLE = "Delete profile"
UNSAVED_TITLE = "Unsaved changes"
DISCARD_CHANGES = "Discard the changes to this profile?"
PROVIDER_TIP = "The voice provider that places the calls"
AUTH_TIP = "How the provider checks who you are"
SHOW_SECRET_TIP = "Show or hide the secret while typing"
REGION_TIP = "Two-letter country used to read phone numbers typed without +, e.g. US or GB"
LABEL_HINT = "e.g. PROD, STAGING, TEST"
CALL_FROM_LINKS = "Call immediately from tel: links"
AUTHENTICATION = "Authentication"
CUSTOM_COLOUR = "Custom…"
CUSTOM_COLOUR_TIP = "Pick any colour for this profile"
SECRET_UNCHANGED = "unchanged"
PROFILE_COLOUR = "Profile colour"
BASE_URL_REQUIRED = "Base URL (required)"
BASE_URL = "Base URL"
BASE_URL_EXAMPLE = "https://api.example.com"
BASE_URL_REQUIRED_TIP = "Your API server, required for this provider"
PROFILE_NAME = "Name"
PROVIDER = "Provider"
DEFAULT_REGION = "Default region"
LABEL = "Label"
COLOUR = "Colour"


# --- call-test suites -------------------------------------------------------------------------
TESTS = "Tests"
ADD_LAST_CALL = "Add last call"
ADD_LAST_CALL_TIP = "Add the last call placed from the form to the suite, expecting the outcome it had"
SAVE_LAST_CALL_AS_TEST = "Save last call as test…"
SAVE_AS_TEST = "Save as test…"
SAVE_AS_TEST_TIP = "Add this call to a call-test suite, expecting the outcome it had"
OPEN_SUITE = "Open suite…"
OPEN_SUITE_TIP = "Open a call-test suite file"
RUN_ALL = "Run all"
RUN_ALL_TIP = "Place every test's call and check it"
RUN_SELECTED = "Run selected"
RUN_SELECTED_TIP = "Run only the selected test"
RUN_FAILED = "Run failed again"
RUN_FAILED_TIP = "Run the tests that failed"
STOP_RUN = "Stop"
STOP_RUN_TIP = "Stop the run and hang up its calls"
NO_SUITE = "No suite open. Open a suite file, or save a call as a test from the form or the history."
SUITE_PENDING = "Pending: press Run all, or select a test and Run selected."
REAL_CALLS_TITLE = "Place real calls?"
PLACE_THE_CALLS = "Place the calls"
RUN_STOPPED = "Stopped. Calls the run had placed were hung up."


# --- sending without local checks -------------------------------------------------------------
UNCHECKED_TITLE = "Send without local checks"
SEND_ANYWAY = "Send anyway"


# --- texts with values ---------------------------------------------------------------------------
def call_route(to: str, from_number: str) -> str:
    """The card's route line: "to +15551230002   from +15005550006"."""
    return f"to {to}   from {from_number}" if from_number else f"to {to}"


def seen_time(clock: str) -> str:
    """A time the provider did not give, shown as when the app first saw it (see :func:`seen_tip`)."""
    return f"{clock} (seen)"


def unknown_choice(value: str) -> str:
    return f"{value} (unknown)"


def default_choice(value: str) -> str:
    return f"(default: {value})"


def default_value(value: str) -> str:
    return f"default {value}"


def add_entry_tip(field: str) -> str:
    return f"Add an entry to {field}."


def add_pair_tip(field: str) -> str:
    return f"Add a name/value pair to {field}."


def at_most_entries(limit: int | None) -> str:
    return f"At most {limit} entries."


def show_column(title: str) -> str:
    return f"Show {title}"


def switched_profile(profile: str, to_open_call: bool = False) -> str:
    return f"Switched to profile {profile} to open this call." if to_open_call else f"Switched to profile {profile}."


def other_profile_question(call_profile: str, current: str | None, to: str | None) -> str:
    return (f"This call was made with the profile {call_profile}; the current one is {current or 'none'}.\n\n"
            f"Switch to {call_profile} and call {to or 'again'}?")


def production_call_question(profile: str, destination: str) -> str:
    return (f"{profile} is a production profile: this call is real and may cost money.\n\n"
            f"Call {destination or 'this number'}?")


def account_tip(account: str) -> str:
    return f"Account {account}"


def profile_band_description(label: str, profile: str, provider: str) -> str:
    return f"Calls use the {label} profile {profile} ({provider})"


def profile_band_tip(label: str, profile: str) -> str:
    return f"Calls use the {label} profile {profile}"


SESSION_ONLY_PLACE = "this session only"
OS_KEYRING_PLACE = "the OS keyring"
KEYRING_REFUSED_TITLE = "The keyring refused the secret"


def keyring_place(name: str) -> str:
    return f"{OS_KEYRING_PLACE}, {name}"


def secrets_stored_in(where: str) -> str:
    return f"Secrets are stored in: {where}"


def keep_stored_secret(where: str) -> str:
    return f"Leave empty to keep the stored secret (stored in {where})."


def no_secret_stored(where: str) -> str:
    return f"No secret stored yet; it will be kept in {where}."


def reuse_secret_of(profile: str, where: str) -> str:
    return f"Leave empty to reuse the secret of '{profile}' (stored in {where})."


def secret_kept_in(where: str) -> str:
    return f"The secret will be kept in {where}."


def name_taken(profile: str) -> str:
    return f"Another profile is already called '{profile}'."


def fix_first(problems: list[str]) -> str:
    return "Fix first:\n" + "\n".join(problems)


def not_saved(problem: str) -> str:
    return f"Not saved: {problem}"


def not_deleted(problem: str) -> str:
    return f"Not deleted: {problem}"


def deleted_profile(profile: str) -> str:
    return f"Deleted '{profile}'."


def delete_profile_question(profile: str) -> str:
    return f"Delete the profile '{profile}'? Its stored secret is removed as well."


def connecting_to(provider: str) -> str:
    return f"Connecting to {provider}…"


def username_defaults_to(account_label: str) -> str:
    return f"optional — defaults to the {account_label}"


def base_url_optional_tip(default_url: str) -> str:
    return f"Leave empty for {default_url}; set it for a test server or a regional endpoint"


def copied_as(what: str, with_secrets: bool) -> str:
    if with_secrets:
        return f"Copied as {what} WITH secrets. Treat the clipboard like a password."
    return f"Copied as {what} (secrets redacted)."


def _tests(count: int) -> str:
    return f"{count} test" if count == 1 else f"{count} tests"


def suite_title(name: str, count: int, where: str) -> str:
    return f"{name} — {_tests(count)} ({where})"


def suite_cannot_run(name: str) -> str:
    return f"{name} can't be run:"


def running_tests(count: int) -> str:
    return f"Running {_tests(count)}…"


def run_stopped(problem: str) -> str:
    return f"The run stopped: {problem}"


def run_summary(passed: int, failed: int) -> str:
    return f"{passed} passed, {failed} failed"


def saved_as_test(to: str | None, suite: str) -> str:
    return f"Saved the call to {to or 'the destination'} as a test in {suite}."


def real_calls_warning(count: int, profiles: list[str]) -> str:
    plural = "s" if len(profiles) > 1 else ""
    return (f"{count} of these tests use the production profile{plural} {', '.join(profiles)}: "
            "their calls are real and may cost money.")


def test_call_tip(call_id: str) -> str:
    return f"{call_id}: double-click to show this call in the history"


def unsendable(field: str, problem: str) -> str:
    return f"Can't be sent even without local checks: {field}: {problem}"


def unchecked_warning(provider: str, skipped: str) -> str:
    return (f"{provider} will get the request as it is and judge it itself. These checks are skipped:\n\n"
            f"{skipped}\n\nThe attempt is marked in the history.")


def more_items(count: int) -> str:
    return f"… and {count} more"


def sent_unchecked(skipped: int) -> str:
    return f"Sent without local checks ({skipped} skipped)."


# --- tables --------------------------------------------------------------------------------------
DATE_RANGES = ("Any time", "Today", "Last 7 days", "Last 30 days")  # the history's period filter, in order
SUITE_COLUMNS = ("Test", "Profile", "State", "Reason", "Call")
TEST_STATES = {"pending": "Pending", "running": "Running…", "passed": "Passed", "failed": "Failed"}


def unexpected_failure(exc: BaseException) -> str:
    """A read that failed in a way nobody foresaw (a bug): what it was, in one line; the traceback goes to the log."""
    return f"Something unexpected went wrong ({type(exc).__name__}: {exc}). Nothing was changed."
