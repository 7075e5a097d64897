"""Edges of validation, phone numbers, requests and the Twilio adapter that only a changed line would show.

Each test pins a behaviour that a small change of the code (a flipped comparison, ``and`` for ``or``,
a dropped argument) would break without any other test noticing; ``python3 dev.py mutate`` finds them.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from launcher.core.http import (
    JSON_HEADERS,
    REDACTED,
    TOKEN_HEADERS,
    Auth,
    HttpResponse,
    PreparedRequest,
    json_body,
    redact_text,
)
from launcher.core.models import Account, CallPhase, CallResource
from launcher.core.phone import format_as_you_type, is_valid_region, looks_like_sip, parse_phone, sip_uri_error
from launcher.core.providers import get_adapter
from launcher.core.schema import Endpoint, FieldKind, FieldSpec, ProviderSchema
from launcher.core.validate import is_empty, validate

SCHEMA = ProviderSchema(fields=(
    FieldSpec("hook", "Hook", FieldKind.URL),
    FieldSpec("events", "Events", FieldKind.LIST, choices=("initiated", "ringing"), choices_case_insensitive=True),
    FieldSpec("tags", "Tags", FieldKind.LIST, choices=("a", "b")),
    FieldSpec("method", "Method", FieldKind.ENUM, choices=("GET", "POST"), choices_case_insensitive=True),
    FieldSpec("kind", "Kind", FieldKind.ENUM, choices=("phone", "sip")),
    FieldSpec("flag", "Flag", FieldKind.BOOL),
    FieldSpec("count", "Count", FieldKind.INT),
    FieldSpec("headers", "Headers", FieldKind.MAP),
    FieldSpec("note", "Note", FieldKind.TEXT),
    FieldSpec("to", "To", FieldKind.PHONE, endpoints=frozenset({Endpoint.E164, Endpoint.SIP, Endpoint.CLIENT}),
              special_values=("Anonymous",)),
    FieldSpec("bare", "Bare", FieldKind.PHONE, endpoints=frozenset({Endpoint.E164, Endpoint.BARE_NUMBER})),
    FieldSpec("plain", "Plain", FieldKind.PHONE),
    FieldSpec("caller", "Caller", FieldKind.PHONE, special_values=("Anonymous", "Private")),
    FieldSpec("codes", "Codes", FieldKind.LIST, item_max_length=5, pattern=r"[a-z]+",
              pattern_message="Lower-case letters only."),
    FieldSpec("ratio", "Ratio", FieldKind.NUMBER),
))


def check(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    result = validate(SCHEMA, values)
    return result.values, result.errors


# -- URLs -------------------------------------------------------------------------------------------------
FULL_URL = "Use a full URL starting with https://, like https://example.com/voice."


@pytest.mark.parametrize("url", ["ftp://example.com/voice", "ws://example.com/voice", "https:///voice",
                                 "example.com/voice"])
def test_a_url_needs_an_http_scheme_and_a_host(url: str) -> None:
    assert check({"hook": url}) == ({}, {"hook": [FULL_URL]})


def test_the_url_scheme_is_read_in_any_case() -> None:
    assert check({"hook": "HTTPS://example.com/voice"}) == ({"hook": "HTTPS://example.com/voice"}, {})


# -- choices ----------------------------------------------------------------------------------------------
def test_list_choices_that_ignore_case_come_back_as_spelled_in_the_schema() -> None:
    assert check({"events": ["RINGING", "Initiated"]}) == ({"events": ["ringing", "initiated"]}, {})


def test_list_choices_that_keep_case_refuse_another_case() -> None:
    assert check({"tags": ["A"]}) == ({}, {"tags": ["'A' is not allowed. Choose from: a, b."]})
    assert check({"tags": ["a"]}) == ({"tags": ["a"]}, {})


def test_enum_choices_ignore_case_only_where_the_schema_says_so() -> None:
    assert check({"method": "post"}) == ({"method": "POST"}, {})
    assert check({"kind": "SIP"}) == ({}, {"kind": ["Choose one of: phone, sip."]})


# -- values as typed ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "value"), [("1", True), ("On", True), ("yes", True), ("no", False), ("0", False),
                                              ("OFF", False), (True, True), (False, False)])
def test_bool_words(typed: Any, value: bool) -> None:
    assert check({"flag": typed}) == ({"flag": value}, {})


def test_a_bool_that_is_no_word_is_refused() -> None:
    assert check({"flag": "maybe"}) == ({}, {"flag": ["Use true or false."]})


def test_whole_numbers_have_at_most_18_digits() -> None:
    assert check({"count": "9" * 18}) == ({"count": int("9" * 18)}, {})
    assert check({"count": 10**18 - 1}) == ({"count": 10**18 - 1}, {})
    assert check({"count": 10**18}) == ({}, {"count": ["Enter a whole number of at most 18 digits."]})
    assert check({"count": "1" + "0" * 18}) == ({}, {"count": ["Enter a whole number of at most 18 digits."]})
    assert check({"count": "-" + "9" * 5000}) == ({}, {"count": ["Enter a whole number of at most 18 digits."]})


@pytest.mark.parametrize("value", ["text", True, 1.5, -(10**18 - 1), 10**18 - 1])
def test_map_values_json_can_carry(value: Any) -> None:
    assert check({"headers": {"X-A": value}}) == ({"headers": {"X-A": value}}, {})


@pytest.mark.parametrize("value", [10**18, float("inf"), float("nan"), [1], {"a": 1}, None])
def test_map_values_json_cannot_carry_are_refused(value: Any) -> None:
    assert check({"headers": {"X-A": value}}) == (
        {}, {"headers": ["The value of 'X-A' must be text, a number or true/false."]})


@pytest.mark.parametrize(("values", "errors"), [
    ({"count": "abc"}, {"count": ["Enter a whole number."]}),
    ({"count": 2.5}, {"count": ["Enter a whole number."]}),
    ({"count": True}, {"count": ["Enter a whole number."]}),
    ({"caller": "12"}, {"caller": ["Add the country code: use E.164 format, like +15555551212. Also accepted: "
                                   "Anonymous / Private."]}),
    ({"hook": "http://my_host.example.com/"}, {"hook": ["Host names cannot contain underscores."]}),
    ({"plain": "12"}, {"plain": ["Add the country code: use E.164 format, like +15555551212."]}),
    ({"to": "12"}, {"to": ["Add the country code: use E.164 format, like +15555551212. Also accepted: a SIP URI "
                           "like sip:alice@example.com, client:NAME, Anonymous."]}),
    ({"bare": "+1234567890123456"}, {"bare": ["Use E.164 format, like +15555551212, or digits only."]}),
    ({"to": "client:bad name"}, {"to": ["Use client:NAME with letters, digits and _ only, like client:alice."]}),
    ({"hook": "http://[::g]/"}, {"hook": ["Not a valid URL. Use a full address like https://example.com/voice."]}),
    ({"ratio": "abc"}, {"ratio": ["Enter a number, like 30 or 12.5."]}),
    ({"note": {"a": 1}}, {"note": ["Enter text here."]}),
    ({"hook": "http://:80/voice"}, {"hook": ["The URL has no host name."]}),
    ({"note": 10**5000}, {"note": ["This number is too long."]}),
    ({"codes": ["abc", "ABC"]}, {"codes": ["Lower-case letters only."]}),
    ({"codes": "abc, abc"}, {"codes": ["Each entry may appear only once."]}),
    ({"codes": 5}, {"codes": ["Enter a list of values."]}),
    ({"codes": [None]}, {"codes": ["Each entry must be text."]}),
    ({"codes": ["abcdef"]}, {"codes": ["'abcdef' is longer than 5 characters."]}),
    ({"codes": ["a" * 20]}, {"codes": [f"'{'a' * 20}' is longer than 5 characters."]}),
    ({"codes": ["a" * 21]}, {"codes": [f"'{'a' * 20}…' is longer than 5 characters."]}),
])
def test_refusals_say_exactly_what_is_wrong(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    assert check(values) == ({}, errors)


def test_bare_numbers_pass_as_typed_and_whole_floats_as_ints() -> None:
    assert check({"bare": "12345", "count": 2.0}) == ({"bare": "12345", "count": 2}, {})
    assert check({"bare": "+15555551212"}) == ({"bare": "+15555551212"}, {})


def test_list_text_is_split_on_commas_and_spaces() -> None:
    assert check({"codes": " ab  c ,de "}) == ({"codes": ["ab", "c", "de"]}, {})


def test_text_is_kept_as_typed() -> None:
    assert check({"note": " a b "}) == ({"note": " a b "}, {})


def test_an_ipv6_host_is_a_host() -> None:
    assert check({"hook": "http://[::1]:8080/voice"}) == ({"hook": "http://[::1]:8080/voice"}, {})


def test_the_summary_lists_each_problem_with_its_field() -> None:
    assert validate(SCHEMA, {"hook": "ftp://example.com", "kind": "SIP"}).summary() == [
        f"hook: {FULL_URL}", "kind: Choose one of: phone, sip."]


@pytest.mark.parametrize(("value", "empty"), [(None, True), ("  ", True), ([], True), ({}, True), ((), True),
                                              (0, False), ("x", False), ([0], False), (0.0, False), (False, False)])
def test_is_empty(value: Any, empty: bool) -> None:
    assert is_empty(value) is empty


# -- regions ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("region", "valid"), [("GB", True), ("gb", True), ("US", True), ("ZZ", False),
                                                ("UK", False), ("", False)])
def test_is_valid_region(region: str, valid: bool) -> None:
    assert is_valid_region(region) is valid


# -- phone numbers and SIP URIs ---------------------------------------------------------------------------
E164_HINT = "Use E.164 format, like +15555551212."


@pytest.mark.parametrize(("typed", "region", "message"), [
    ("", None, "Enter a phone number."),
    ("abc", None, f"Phone numbers contain digits only. {E164_HINT}"),
    ("+1-555-55#", None, E164_HINT),
    ("5551212", None, "Add the country code: use E.164 format, like +15555551212."),
    ("0044", None, "Add the country code: use E.164 format, like +15555551212."),  # too short for 00 + code
    ("00441", None, E164_HINT),  # read as +441
    ("+999 1234", None, f"Unknown country code. {E164_HINT}"),
    ("+1 555", None, f"Too few digits for country code +1. {E164_HINT}"),
    ("+1555555121299999", None, "Too many digits: E.164 numbers have at most 15 digits."),
    ("+44 20 7183 87501", None, "Too many digits for country code +44."),
    ("+49000001", None, "This is not a possible number for country code +49 (DE)."),
])
def test_phone_numbers_that_cannot_be_read_say_why(typed: str, region: str | None, message: str) -> None:
    assert parse_phone(typed, region).error == message
    assert parse_phone(typed, region).e164 is None


@pytest.mark.parametrize(("typed", "region", "e164"), [
    ("0044 20 7183 8750", None, "+442071838750"), ("555 555 1212", "US", "+15555551212"),
    ("+1 (555) 555-1212", "GB", "+15555551212"), ("020 7183 8750", "GB", "+442071838750"),
])
def test_phone_numbers_read_to_e164(typed: str, region: str | None, e164: str) -> None:
    assert (parse_phone(typed, region).e164, parse_phone(typed, region).error) == (e164, None)


def test_typing_is_grouped_and_never_loses_what_was_typed() -> None:
    assert format_as_you_type("2025550123", "US") == "(202) 555-0123"
    assert format_as_you_type("2071838750", "") == "(207) 183-8750"  # no region: as in the US
    assert format_as_you_type("02071838750", "GB") == "020 7183 8750"
    assert format_as_you_type("abc", "US") == "abc"
    assert format_as_you_type("", "US") == ""


@pytest.mark.parametrize(("uri", "allow_sips", "message"), [
    ("sip:alice@example.com", True, None),
    ("sip:alice@example.com:5060", True, None),
    ("sips:alice@example.com", True, None),
    ("sips:alice@example.com", False, "SIPS URIs are not supported here; use sip:."),
    ("SIPS:alice@example.com", False, "SIPS URIs are not supported here; use sip:."),
    ("sip:alice@example.com", False, None),
    ("sip:alice@example.com:70000", True, "Port 70000 is out of range (1-65535)."),
    ("sip:alice@example.com:65535", True, None),
    ("sip:alice@example.com:1", True, None),
    ("sip:alice@example.com:65536", True, "Port 65536 is out of range (1-65535)."),
    ("sip:alice@example.com:0", True, "Port 0 is out of range (1-65535)."),
    ("tel:+15555551212", True, "Use a SIP URI like sip:alice@example.com."),
])
def test_sip_uri_errors(uri: str, allow_sips: bool, message: str | None) -> None:
    assert sip_uri_error(uri, allow_sips=allow_sips) == message


@pytest.mark.parametrize(("text", "sip"), [("sip:a@b.c", True), ("SIPS:a@b.c", True), ("sipx", False),
                                           ("+1555", False), ("si", False)])
def test_looks_like_sip(text: str, sip: bool) -> None:
    assert looks_like_sip(text) is sip


# -- credentials ------------------------------------------------------------------------------------------
def basic(username: str, secret: str) -> str:
    return base64.b64encode(f"{username}:{secret}".encode()).decode("ascii")


def test_oauth_secrets_are_the_client_secret_the_token_and_the_basic_credentials() -> None:
    auth = Auth("oauth2", "client-1", "client-secret", token_url="https://auth.example.com/token", token="tok-9")
    assert auth.secrets() == ["client-secret", "tok-9", basic("client-1", "client-secret")]
    assert auth.header() == "Bearer tok-9"
    assert auth.redacted_header() == f"Bearer {REDACTED} (OAuth 2.0 token for client client-1)"
    no_token = Auth("oauth2", "client-1", "client-secret", token_url="https://auth.example.com/token")
    assert no_token.secrets() == ["client-secret", basic("client-1", "client-secret")]
    assert no_token.header() == "Bearer <access token from https://auth.example.com/token>"


def test_basic_and_bearer_secrets() -> None:
    assert Auth("basic", "AC1", "tok").secrets() == ["tok", basic("AC1", "tok")]
    assert Auth("bearer", secret="key").secrets() == ["key", "key"]
    assert Auth("basic", "AC1").secrets() == []


def test_the_token_request_is_a_client_credentials_grant_with_basic_auth() -> None:
    auth = Auth("oauth2", "client-1", "client-secret", token_url="https://auth.example.com/token")
    assert auth.token_request() == PreparedRequest(
        "POST", "https://auth.example.com/token", TOKEN_HEADERS, b"grant_type=client_credentials",
        Auth("basic", "client-1", "client-secret"))


def test_a_secret_inside_a_longer_secret_is_redacted_as_the_longer_one() -> None:
    text = "token=abcdef&pin=abc"
    assert redact_text(text, ["abc", "abcdef"]) == f"token={REDACTED}&pin={REDACTED}"
    assert redact_text(text, ["abcdef", "abc"]) == f"token={REDACTED}&pin={REDACTED}"
    request = PreparedRequest("POST", "https://api.example.com/calls", JSON_HEADERS,
                              json_body({"token": "abcdef", "pin": "abc"}), body_secrets=("abc", "abcdef"))
    assert request.to_json()["body"] == {"token": REDACTED, "pin": REDACTED}


# -- Twilio: every request carries the account's credentials -----------------------------------------------
TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO = Account(provider="twilio", account_id=TWILIO_SID, secret="auth-token-1")


@pytest.mark.parametrize(("phase", "status"), [(CallPhase.RINGING, "canceled"), (CallPhase.ANSWERED, "completed")])
def test_twilio_hang_up_is_authenticated(phase: CallPhase, status: str) -> None:
    adapter = get_adapter("twilio")
    request = adapter.build_hangup(TWILIO, CallResource("twilio", "CA1", phase, "ringing"))
    assert request is not None
    assert (request.body, request.auth) == (f"Status={status}".encode(), Auth("basic", TWILIO_SID, "auth-token-1"))


def test_twilio_fetch_and_connection_test_are_authenticated() -> None:
    adapter = get_adapter("twilio")
    expected = Auth("basic", TWILIO_SID, "auth-token-1")
    assert adapter.build_fetch(TWILIO, CallResource("twilio", "CA1", CallPhase.RINGING, "ringing")).auth == expected
    assert adapter.build_test_connection(TWILIO).auth == expected


@pytest.mark.parametrize(("code", "status", "field", "hint"), [
    (20429, 429, None, "Too many concurrent requests: wait a moment, then try again."),
    (21212, 400, "From", "Use a Twilio number or verified caller ID in E.164 format, like +15555551212."),
    (21213, 400, "From", "Set From to a Twilio number or verified caller ID."),
    (21201, 400, "To", "The provider rejected the request; check the highlighted fields."),
    (21219, 400, "To", "Trial accounts can only call verified numbers: verify it in the Console or upgrade the "
                       "account."),
    (21215, 400, "To", "Enable the destination country in the Console's Voice Geographic Permissions."),
    (20003, 401, None, "Check the profile's Account SID and Auth Token (or API Key SID and secret); test "
                       "credentials cannot reach live resources, and a suspended account is refused."),
])
def test_twilio_errors_name_their_field_and_say_what_to_do(code: int, status: int, field: str | None,
                                                         hint: str) -> None:
    body = json.dumps({"code": code, "message": "m", "status": status}).encode()
    error = get_adapter("twilio").parse_error(HttpResponse(status, {"content-type": "application/json"}, body))
    assert (error.code, error.field, error.hint) == (str(code), field, hint)


@pytest.mark.parametrize(("code", "read"), [("123456789", "123456789"), ("1234567890", None), (" 21212 ", "21212"),
                                             (True, None)])
def test_twilio_error_codes_are_read_only_when_they_are_short_numbers(code: Any, read: str | None) -> None:
    body = json.dumps({"code": code, "message": "m", "status": 400}).encode()
    assert get_adapter("twilio").parse_error(HttpResponse(400, {"content-type": "application/json"}, body)).code == read
