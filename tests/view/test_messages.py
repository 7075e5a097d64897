"""The catalogue read as a whole: sentence case, and none of the implementation's words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from launcher.view import messages

# Lower-case on purpose: captions on the card's timeline, and placeholders inside a field.
LOWER_CASE_ALLOWED = {"queued", "ringing", "answered", "ended", "completed", "busy", "no answer", "failed",
                      "canceled", "rejected", "not assigned yet", "unchanged", "e.g. PROD, STAGING, TEST",
                      "https://api.example.com", "this session only", "the OS keyring"}
IMPLEMENTATION_WORDS = re.compile(r"errno|traceback|exception|\.json\b|profile/|calls\.json|none\b|null\b|"
                                  r"keyring_|_id\b|\bsid\b(?! )", re.IGNORECASE)


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _texts(item)


def catalogue_texts() -> list[str]:
    return [text for name, value in vars(messages).items() if name.isupper() for text in _texts(value)]


def test_the_catalogue_has_the_windows_words() -> None:
    texts = catalogue_texts()
    for expected in ("Calling…", "Ringing…", "In call", "You hung up", "They hung up", "Busy", "No answer",
                     "Call with another profile?", "Stop waiting"):
        assert expected in texts


def test_card_and_history_use_the_same_result_words() -> None:
    """A call that ended busy, unanswered, failed, canceled or refused reads the same on the card and in history."""
    from launcher.core.history import CallResult
    from launcher.core.models import Outcome

    same = {Outcome.BUSY: CallResult.BUSY, Outcome.NO_ANSWER: CallResult.NO_ANSWER, Outcome.FAILED: CallResult.FAILED,
            Outcome.CANCELED: CallResult.CANCELED, Outcome.REJECTED: CallResult.REFUSED}
    assert all(messages.ENDED_STATES[o] == messages.RESULT_WORDS[r] for o, r in same.items())


def test_sentence_case() -> None:
    offenders = [text for text in catalogue_texts()
                 if text[:1].islower() and text.lstrip("&") not in LOWER_CASE_ALLOWED]
    assert offenders == []


def test_no_implementation_words() -> None:
    assert [text for text in catalogue_texts() if IMPLEMENTATION_WORDS.search(text)] == []


def test_texts_with_values_put_each_value_in_place() -> None:
    assert messages.switched_profile("PROD Support") == "Switched to profile PROD Support."
    assert messages.switched_profile("PROD Support", to_open_call=True) == (
        "Switched to profile PROD Support to open this call.")
    assert messages.other_profile_question("PROD Support", None, None) == (
        "This call was made with the profile PROD Support; the current one is none.\n\n"
        "Switch to PROD Support and call again?")
    assert messages.call_status("Bandwidth Catapult v1", "+15551230002", "Ringing…") == (
        "Bandwidth Catapult v1: +15551230002 — Ringing…")
    assert messages.seen_time("10:00:01") == "10:00:01 (seen)"
    assert messages.seen_tip("jambonz", "answered") == (
        "jambonz gave no time for this: it is when Call Launcher first saw the call answered "
        "(up to a poll interval late).")
    assert messages.running_tests(1) == "Running 1 test…" and messages.running_tests(3) == "Running 3 tests…"
    assert messages.real_calls_warning(2, ["PROD"]) == (
        "2 of these tests use the production profile PROD: their calls are real and may cost money.")
    assert messages.real_calls_warning(3, ["PROD", "LIVE"]).startswith("3 of these tests use the production profiles ")
