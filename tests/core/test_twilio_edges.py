"""What the Twilio adapter tells the user for each error code it knows, word for word."""

from __future__ import annotations

import json

import pytest

from launcher.core.errors import ResponseFormatError
from launcher.core.http import HttpResponse
from launcher.core.models import Account
from launcher.core.providers import get_adapter

E164 = "E.164 format, like +15555551212."
SID = "AC" + "0123456789abcdef" * 2
ACCOUNT = Account("twilio", SID, "auth-token-1", base_url="https://api.twilio.com")


def twilio_error(code: int, status: int = 400, message: str = "m") -> HttpResponse:
    body = json.dumps({"code": code, "message": message, "status": status}).encode()
    return HttpResponse(status, {"content-type": "application/json"}, body)


@pytest.mark.parametrize(("code", "hint"), [
    (20003, "Check the profile's Account SID and Auth Token (or API Key SID and secret); test credentials "
            "cannot reach live resources, and a suspended account is refused."),
    (20403, "The account may be suspended or closed; contact Twilio support."),
    (20404, "Check the Account SID and base URL of the profile; the call may belong to another account."),
    (20429, "Too many concurrent requests: wait a moment, then try again."),
    (21205, "Use a full public URL like https://example.com/voice.xml. With an ApplicationSid, the "
            "application needs a valid Voice URL."),
    (21210, "Use a Twilio number of this account or a verified caller ID as From. With test credentials "
            "only +15005550006 works."),
    (21212, f"Use a Twilio number or verified caller ID in {E164}"),
    (21213, "Set From to a Twilio number or verified caller ID."),
    (21211, f"Use {E164}"),
    (21215, "Enable the destination country in the Console's Voice Geographic Permissions."),
    (21216, "Twilio blocks calls to this number; ask Twilio support if the call is legitimate."),
    (21217, f"Check the number; use {E164}"),
    (21219, "Trial accounts can only call verified numbers: verify it in the Console or upgrade the account."),
    (21218, "Check the Application SID: the application must exist in this account."),
    (21220, "The call is no longer in a state that allows this change; it may have ended already."),
])
def test_every_known_code_says_what_to_do(code: int, hint: str) -> None:
    error = get_adapter("twilio").parse_error(twilio_error(code))
    assert (error.code, error.hint, error.message) == (str(code), hint, "m")
    assert error.more_info == f"https://www.twilio.com/docs/errors/{code}"  # the answer named no page


@pytest.mark.parametrize(("code", "field"), [
    (21201, "To"), (21211, "To"), (21214, "To"), (21215, "To"), (21216, "To"), (21217, "To"), (21219, "To"),
    (21210, "From"), (21212, "From"), (21213, "From"), (21205, "Url"), (21208, "Timeout"), (21209, "Method"),
    (21218, "ApplicationSid"), (21626, "StatusCallbackEvent"),
])
def test_every_known_code_names_its_field(code: int, field: str) -> None:
    assert get_adapter("twilio").parse_error(twilio_error(code)).field == field


@pytest.mark.parametrize(("limit", "page_size"), [(0, 1), (1, 1), (2, 2), (999, 999), (1000, 1000), (1001, 1000)])
def test_a_listing_asks_for_a_page_size_twilio_accepts(limit: int, page_size: int) -> None:
    request = get_adapter("twilio").build_list(ACCOUNT, limit)
    assert request is not None
    assert request.method == "GET"
    assert request.url == f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Calls.json?PageSize={page_size}"


@pytest.mark.parametrize(("duration", "seconds"), [("123456789", 123456789.0), ("1234567890", None), (" 42 ", 42.0)])
def test_a_call_duration_has_at_most_nine_integer_digits(duration: str, seconds: float | None) -> None:
    body = json.dumps({"sid": "CA1", "status": "completed", "duration": duration}).encode()
    call = get_adapter("twilio").parse_create(HttpResponse(201, {"content-type": "application/json"}, body), ACCOUNT)
    assert call.duration == seconds


def test_a_call_list_is_read_from_its_calls_member() -> None:
    body = json.dumps({"calls": [{"sid": "CA1", "status": "completed"}, {"sid": "CA2", "status": "ringing"}],
                       "page_size": 2}).encode()
    calls = get_adapter("twilio").parse_list(HttpResponse(200, {"content-type": "application/json"}, body), ACCOUNT)
    assert [(call.call_id, call.provider_status) for call in calls] == [("CA1", "completed"), ("CA2", "ringing")]


def test_the_account_form_speaks_twilio_words() -> None:
    spec = get_adapter("twilio").account
    assert (spec.account_label, spec.secret_label, spec.username_label) == (
        "Account SID", "Auth Token or API Key secret", "API Key SID (optional)")
    assert (spec.default_base_url, spec.account_hint) == (
        "https://api.twilio.com", "34 characters: AC followed by 32 hex digits (Twilio Console, Account Info).")


def test_a_create_answer_without_a_call_sid_says_so() -> None:
    body = json.dumps({"status": "queued"}).encode()
    with pytest.raises(ResponseFormatError) as caught:
        get_adapter("twilio").parse_create(HttpResponse(201, {"content-type": "application/json"}, body), ACCOUNT)
    assert (caught.value.message, caught.value.http_status, caught.value.raw) == (
        "Twilio's answer has no call SID ('sid').", 201, {"status": "queued"})
