"""Twilio adapter: schema, validation rules, exact requests, parsing and error mapping."""

from __future__ import annotations

import base64
import json
import re
import string
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launcher.core.errors import InsecureTransportError, ProviderError, ResponseFormatError
from launcher.core.http import REDACTED, HttpResponse, PreparedRequest
from launcher.core.models import Account, CallPhase, CallResource, Outcome
from launcher.core.providers import all_adapters, get_adapter
from launcher.core.providers.twilio import ADAPTER, ERROR_FIELDS
from launcher.core.schema import FieldKind, FieldSpec
from launcher.core.validate import validate
from tests.support.openapi import SEEDS_DIR, require_document, spec_path, validate_request

SPEC = "twilio_api_v2010.json"
SERVER = "https://api.twilio.com"
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
CALL_SID = "CA" + "fedcba9876543210" * 2
AUTH_TOKEN = "auth-token-0123"
ACCOUNT = Account(provider="twilio", account_id=ACCOUNT_SID, secret=AUTH_TOKEN)
CALLS_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"
CALL_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{CALL_SID}.json"
SEED = SEEDS_DIR / "004_4b1a2aa5816ace25.txt"
BASIC = {"To": "+14155551212", "From": "+15017122661", "Url": "https://example.com/voice.xml"}

# One valid value for every field, chosen so that no cross-field rule fires an error.
EVERY_FIELD: dict[str, Any] = {
    "To": "sip:alice@example.com",
    "From": "sip:bob@example.com",
    "Url": "https://example.com/voice.xml",
    "Twiml": "<Response><Say>Hello</Say></Response>",
    "ApplicationSid": "AP" + "ab" * 16,
    "Timeout": 600,
    "Method": "GET",
    "FallbackUrl": "https://example.com/fallback",
    "FallbackMethod": "POST",
    "StatusCallback": "https://example.com/status",
    "StatusCallbackEvent": ["initiated", "ringing", "answered", "completed"],
    "StatusCallbackMethod": "POST",
    "ClientNotificationUrl": "https://example.com/push",
    "Record": True,
    "RecordingChannels": "dual",
    "RecordingTrack": "inbound",
    "Trim": "do-not-trim",
    "RecordingStatusCallback": "https://example.com/recording",
    "RecordingStatusCallbackMethod": "GET",
    "RecordingStatusCallbackEvent": ["in-progress", "completed", "absent"],
    "MachineDetection": "DetectMessageEnd",
    "MachineDetectionTimeout": 59,
    "MachineDetectionSpeechThreshold": 6000,
    "MachineDetectionSpeechEndThreshold": 5000,
    "MachineDetectionSilenceTimeout": 10000,
    "AsyncAmd": True,
    "AsyncAmdStatusCallback": "https://example.com/amd",
    "AsyncAmdStatusCallbackMethod": "POST",
    "SipAuthUsername": "alice",
    "SipAuthPassword": "s3cret&pass word",
    "SendDigits": "W1234#",
    "TimeLimit": 86400,
    "CallerId": "+15555550100",
    "Byoc": "BY" + "cd" * 16,
    "CallReason": "Appointment reminder",
    "CallToken": "call-token-string",
}


def spec_document() -> dict[str, Any]:
    return json.loads(spec_path(SPEC).read_text(encoding="utf-8"))


def create_operation() -> dict[str, Any]:
    return spec_document()["paths"]["/2010-04-01/Accounts/{AccountSid}/Calls.json"]["post"]


def valid(values: dict[str, Any]) -> dict[str, Any]:
    result = validate(ADAPTER.schema, values)
    assert result.ok, result.errors
    return result.values


def form(request: PreparedRequest) -> list[tuple[str, str]]:
    return parse_qsl(request.body.decode("ascii"), keep_blank_values=True)


def response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return HttpResponse(status=status, headers=headers or {"content-type": "application/json"}, body=raw)


def spec_call_example() -> dict[str, Any]:
    examples = create_operation()["responses"]["201"]["content"]["application/json"]["examples"]
    return dict(examples["create"]["value"])


def call(phase: CallPhase, status: str = "") -> CallResource:
    return CallResource(provider="twilio", call_id=CALL_SID, phase=phase, provider_status=status or phase.value)


# -- registry and schema ---------------------------------------------------------------------------

def test_registered_with_identity() -> None:
    assert get_adapter("twilio") is ADAPTER
    assert "twilio" in all_adapters()
    assert (ADAPTER.id, ADAPTER.name, ADAPTER.order) == ("twilio", "Twilio", 0)
    assert ADAPTER.docs_url.startswith("https://www.twilio.com/")
    spec = ADAPTER.account
    assert spec.default_base_url == "https://api.twilio.com"
    assert spec.auth_scheme == "basic" and spec.username_defaults_to_account
    assert spec.account_pattern and re.fullmatch(spec.account_pattern, ACCOUNT_SID)
    assert not re.fullmatch(spec.account_pattern, "SK" + "0" * 32)
    assert not re.fullmatch(spec.account_pattern, ACCOUNT_SID + "0")


def test_schema_covers_every_create_call_parameter_of_the_spec() -> None:
    body = create_operation()["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    names = [spec.name for spec in ADAPTER.schema.fields]
    assert sorted(names) == sorted(body["properties"])
    required = {spec.name for spec in ADAPTER.schema.fields if spec.required}
    assert required == set(body["required"]) == {"To", "From"}
    for name, prop in body["properties"].items():
        field = ADAPTER.schema.field(name)
        assert field is not None
        if "enum" in prop:
            assert set(field.choices) == set(prop["enum"]), name
        if "pattern" in prop:
            assert field.pattern is not None and f"^{field.pattern}$" == prop["pattern"], name
        if prop.get("type") == "integer":
            assert field.kind is FieldKind.INT, name
        if prop.get("type") == "array":
            assert field.kind is FieldKind.LIST, name


def test_schema_covers_every_parameter_of_the_seed() -> None:
    text = require_document(SEED).read_text(encoding="utf-8")
    body = text.split("### Body: application/x-www-form-urlencoded", 1)[1].split("## Responses", 1)[0]
    seed_names = re.findall(r"- \*\*(\w+)\*\* \(", body)
    assert len(seed_names) == 35
    assert set(seed_names) <= {spec.name for spec in ADAPTER.schema.fields}


def test_call_status_enum_is_fully_mapped() -> None:
    statuses = spec_document()["components"]["schemas"]["call_enum_status"]["enum"]
    for status in statuses:
        parsed = ADAPTER.parse_call(response({"sid": CALL_SID, "status": status}), ACCOUNT, call(CallPhase.QUEUED))
        assert parsed.phase is not CallPhase.UNKNOWN, status


def test_field_metadata() -> None:
    schema = ADAPTER.schema
    meanings = {m: schema.by_meaning(m) for m in
                ("to", "from", "answer_url", "status_url", "ring_timeout", "time_limit", "application_id", "record")}
    assert meanings == {"to": "To", "from": "From", "answer_url": "Url", "status_url": "StatusCallback",
                        "ring_timeout": "Timeout", "time_limit": "TimeLimit", "application_id": "ApplicationSid",
                        "record": "Record"}
    assert [s.name for s in schema.fields if s.secret] == ["SipAuthPassword"]
    assert {s.name for s in schema.fields if not s.advanced} == {"To", "From", "Url", "Twiml", "ApplicationSid",
                                                                 "Timeout"}
    for spec in schema.fields:
        assert spec.label and spec.help, spec.name
    defaults = {s.name: s.default for s in schema.fields if s.default is not None}
    assert defaults["Timeout"] == 60 and defaults["MachineDetectionTimeout"] == 30
    assert defaults["Method"] == "POST" and defaults["Trim"] == "trim-silence"
    assert defaults["RecordingTrack"] == "both" and defaults["RecordingChannels"] == "mono"
    json.dumps(schema.to_json())


# -- exact requests ----------------------------------------------------------------------------------

def test_docs_example_request_is_reproduced_exactly() -> None:
    request = ADAPTER.build_create(ACCOUNT, valid({
        "To": "+14155551212", "From": "+15017122661", "Url": "http://demo.twilio.com/docs/voice.xml",
    }))
    assert request.method == "POST"
    assert request.url == CALLS_URL
    assert request.body == (b"To=%2B14155551212&From=%2B15017122661"
                            b"&Url=http%3A%2F%2Fdemo.twilio.com%2Fdocs%2Fvoice.xml")
    assert request.content_type() == "application/x-www-form-urlencoded"
    headers = dict(request.all_headers(reveal=True))
    assert headers["Accept"] == "application/json"
    token = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert headers["Authorization"] == f"Basic {token}"
    validate_request(SPEC, request, SERVER)


def test_seed_send_digits_and_repeated_events_encoding() -> None:
    values = valid({**BASIC, "SendDigits": "W1234#", "StatusCallback": "https://example.com/status",
                    "StatusCallbackEvent": "initiated ringing", "Record": "yes"})
    body = ADAPTER.build_create(ACCOUNT, values).body.decode()
    assert "SendDigits=W1234%23" in body
    assert "StatusCallbackEvent=initiated&StatusCallbackEvent=ringing" in body
    assert "Record=true" in body
    body = ADAPTER.build_create(ACCOUNT, valid({**BASIC, "Record": False, "AsyncAmd": "false",
                                                "MachineDetection": "Enable"})).body.decode()
    assert "Record=false" in body and "AsyncAmd=false" in body


def test_only_fields_that_are_set_are_sent() -> None:
    pairs = form(ADAPTER.build_create(ACCOUNT, valid({**BASIC, "Method": "", "Timeout": None})))
    assert [name for name, _ in pairs] == ["To", "From", "Url"]


@pytest.mark.parametrize("example", ["create", "createWithTwiml"])
def test_spec_request_examples_are_reproduced(example: str) -> None:
    content = create_operation()["requestBody"]["content"]["application/x-www-form-urlencoded"]
    sample = content["examples"][example]["value"]
    known = {k: v for k, v in sample.items() if ADAPTER.schema.field(k) is not None}
    # The examples carry placeholders Twilio itself would refuse: a 9-digit NANP "To" and letters
    # outside the SendDigits alphabet.  Everything else is accepted as is.
    result = validate(ADAPTER.schema, known)
    assert set(result.errors) == {"To", "SendDigits"}
    known.update(To="+14155551212", SendDigits="1234#")
    request = ADAPTER.build_create(ACCOUNT, valid(known))
    sent = parse_qs(request.body.decode())
    expected = {k: [("true" if v else "false") if isinstance(v, bool) else str(v)]
                for k, v in known.items() if v != ""}
    expected["MachineDetection"] = ["Enable"]  # "enable" is read case-insensitively, sent canonical
    assert sent == expected
    validate_request(SPEC, request, SERVER)


def test_every_field_matches_the_official_twilio_sdk() -> None:
    pytest.importorskip("twilio")
    from twilio.http import HttpClient
    from twilio.http.response import Response
    from twilio.rest import Client

    class Recorder(HttpClient):
        def __init__(self) -> None:
            super().__init__(None, False)
            self.seen: list[dict[str, Any]] = []

        def request(self, method: str, uri: str, params: Any = None, data: Any = None, headers: Any = None,
                    auth: Any = None, timeout: Any = None, allow_redirects: bool = False) -> Response:
            self.seen.append({"method": method, "uri": uri, "data": data, "auth": auth})
            return Response(201, json.dumps({"sid": CALL_SID, "status": "queued"}))

    values = valid(EVERY_FIELD)
    kwargs = {re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(): value for name, value in values.items()}
    kwargs["from_"] = kwargs.pop("from")
    kwargs["async_amd"] = "true"  # the SDK takes this one as a string
    recorder = Recorder()
    api_key = Account("twilio", ACCOUNT_SID, "key-secret", username="SK" + "1" * 32)
    Client(api_key.username, api_key.secret, ACCOUNT_SID, http_client=recorder).calls.create(**kwargs)
    sdk = recorder.seen[0]
    ours = ADAPTER.build_create(api_key, values)
    assert (ours.method, ours.url) == (sdk["method"], sdk["uri"])
    assert ours.auth is not None and (ours.auth.username, ours.auth.secret) == sdk["auth"]
    sdk_form = {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in sdk["data"].items()}
    assert parse_qs(ours.body.decode()) == sdk_form


def test_api_key_credentials_keep_the_account_sid_in_the_url() -> None:
    api_key = Account("twilio", ACCOUNT_SID, "key-secret", username="SK" + "2" * 32)
    request = ADAPTER.build_create(api_key, valid(BASIC))
    assert request.url == CALLS_URL
    token = base64.b64encode(f"{'SK' + '2' * 32}:key-secret".encode()).decode()
    assert dict(request.all_headers(reveal=True))["Authorization"] == f"Basic {token}"


def test_fetch_and_test_connection_requests() -> None:
    fetch = ADAPTER.build_fetch(ACCOUNT, call(CallPhase.RINGING))
    assert (fetch.method, fetch.url, fetch.body) == ("GET", CALL_URL, b"")
    probe = ADAPTER.build_test_connection(ACCOUNT)
    assert (probe.method, probe.url) == ("GET", f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}.json")
    for request in (fetch, probe):
        assert request.auth is not None and request.auth.username == ACCOUNT_SID
        validate_request(SPEC, request, SERVER)


@pytest.mark.parametrize(("phase", "status"), [
    (CallPhase.QUEUED, "canceled"),
    (CallPhase.RINGING, "canceled"),
    (CallPhase.ANSWERED, "completed"),
    (CallPhase.UNKNOWN, "completed"),
])
def test_hangup_depends_on_state(phase: CallPhase, status: str) -> None:
    request = ADAPTER.build_hangup(ACCOUNT, call(phase))
    assert request is not None
    assert (request.method, request.url, request.body) == ("POST", CALL_URL, f"Status={status}".encode())
    assert request.content_type() == "application/x-www-form-urlencoded"
    validate_request(SPEC, request, SERVER)


def test_no_hangup_once_ended() -> None:
    for status in ("completed", "busy", "no-answer", "failed", "canceled"):
        assert ADAPTER.build_hangup(ACCOUNT, call(CallPhase.ENDED, status)) is None


def test_call_sid_is_escaped_in_paths() -> None:
    odd = CallResource("twilio", "../../x?y#z", CallPhase.ANSWERED, "in-progress")
    assert ADAPTER.build_fetch(ACCOUNT, odd).url.endswith("/Calls/..%2F..%2Fx%3Fy%23z.json")


# -- transport security and secrets --------------------------------------------------------------------

@pytest.mark.parametrize("base", ["http://api.twilio.com", "http://10.0.0.5:8080", "ftp://api.twilio.com"])
def test_credentials_never_go_over_plain_http(base: str) -> None:
    account = ACCOUNT.with_base_url(base)
    with pytest.raises(InsecureTransportError):
        ADAPTER.build_create(account, valid(BASIC))
    with pytest.raises(InsecureTransportError):
        ADAPTER.build_fetch(account, call(CallPhase.RINGING))
    with pytest.raises(InsecureTransportError):
        ADAPTER.build_hangup(account, call(CallPhase.RINGING))
    with pytest.raises(InsecureTransportError):
        ADAPTER.build_test_connection(account)


@pytest.mark.parametrize("base", ["http://127.0.0.1:8765", "http://localhost:9000/", "https://twilio.example.test"])
def test_loopback_http_and_custom_https_are_allowed(base: str) -> None:
    request = ADAPTER.build_create(ACCOUNT.with_base_url(base), valid(BASIC))
    assert request.url == f"{base.rstrip('/')}/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"


def test_sip_password_is_redacted_everywhere() -> None:
    values = valid({**BASIC, "To": "sip:alice@example.com", "From": "sip:bob@example.com",
                    "SipAuthUsername": "alice", "SipAuthPassword": "p@ss word&1"})
    request = ADAPTER.build_create(ACCOUNT, values)
    assert request.body_secrets == ("p@ss word&1",)
    assert b"SipAuthPassword=p%40ss%20word%261" in request.body
    for shown in (request.body_text(), request.describe(), request.to_curl(), json.dumps(request.to_json())):
        assert "p%40ss" not in shown and "p@ss" not in shown and AUTH_TOKEN not in shown
        assert REDACTED in shown


# -- per-field constraints -----------------------------------------------------------------------------

INT_BOUNDS = [
    ("Timeout", 1, 600),
    ("MachineDetectionTimeout", 3, 59),
    ("MachineDetectionSpeechThreshold", 1000, 6000),
    ("MachineDetectionSpeechEndThreshold", 500, 5000),
    ("MachineDetectionSilenceTimeout", 2000, 10000),
    ("TimeLimit", 60, 86400),
]


@pytest.mark.parametrize(("name", "low", "high"), INT_BOUNDS)
def test_integer_bounds(name: str, low: int, high: int) -> None:
    spec = ADAPTER.schema.field(name)
    assert spec is not None and (spec.minimum, spec.maximum) == (low, high)
    base = {**BASIC, "MachineDetection": "Enable"}
    for ok in (low, high, str(high)):
        assert name not in validate(ADAPTER.schema, {**base, name: ok}).errors
    for bad in (low - 1, high + 1, "ten", 1.5, True):
        assert name in validate(ADAPTER.schema, {**base, name: bad}).errors, bad


@pytest.mark.parametrize(("name", "limit"), [("Twiml", 4000), ("SendDigits", 32)])
def test_length_limits(name: str, limit: int) -> None:
    if name == "Twiml":
        filler = "<Response>" + "x" * (limit - len("<Response></Response>")) + "</Response>"
    else:
        filler = "1" * limit
    assert len(filler) == limit
    assert name not in validate(ADAPTER.schema, {**BASIC, name: filler}).errors
    errors = validate(ADAPTER.schema, {**BASIC, name: filler + "1"}).errors
    assert errors[name] == [f"Use at most {limit} characters (now {limit + 1})."]


@pytest.mark.parametrize("digits", ["0123456789", "ABCD", "#*", "wW", "W1234#", "ww12w#*D"])
def test_send_digits_alphabet_accepted(digits: str) -> None:
    assert validate(ADAPTER.schema, {**BASIC, "SendDigits": digits}).values["SendDigits"] == digits


@pytest.mark.parametrize("digits", ["a", "E", "1-2", "12 34", "x", "+1", "send_digits"])
def test_send_digits_alphabet_rejected(digits: str) -> None:
    errors = validate(ADAPTER.schema, {**BASIC, "SendDigits": digits}).errors
    assert errors["SendDigits"] == ["Use only 0-9, A-D, # and *, plus w (half-second pause) or W (one-second pause)."]


@pytest.mark.parametrize(("name", "prefix"), [("ApplicationSid", "AP"), ("Byoc", "BY")])
def test_sid_patterns(name: str, prefix: str) -> None:
    for ok in (prefix + "0" * 32, prefix + "aF" * 16):
        assert name not in validate(ADAPTER.schema, {**BASIC, name: ok}).errors
    for bad in (prefix + "0" * 31, prefix + "0" * 33, prefix.lower() + "0" * 32, prefix + "g" * 32,
                "AC" + "0" * 32, " " + prefix + "0" * 32):
        assert prefix in validate(ADAPTER.schema, {**BASIC, name: bad}).errors[name][0]


ENUMS = [
    ("Method", ("GET", "POST")),
    ("FallbackMethod", ("GET", "POST")),
    ("StatusCallbackMethod", ("GET", "POST")),
    ("RecordingStatusCallbackMethod", ("GET", "POST")),
    ("AsyncAmdStatusCallbackMethod", ("GET", "POST")),
    ("RecordingChannels", ("mono", "dual")),
    ("RecordingTrack", ("inbound", "outbound", "both")),
    ("Trim", ("trim-silence", "do-not-trim")),
    ("MachineDetection", ("Enable", "DetectMessageEnd")),
]


@pytest.mark.parametrize(("name", "choices"), ENUMS)
def test_enums(name: str, choices: tuple[str, ...]) -> None:
    spec = ADAPTER.schema.field(name)
    assert spec is not None and spec.choices == choices
    for choice in choices:
        assert validate(ADAPTER.schema, {**BASIC, name: choice}).values[name] == choice
        assert validate(ADAPTER.schema, {**BASIC, name: choice.swapcase()}).values[name] == choice
    for bad in ("PUT", "stereo", "none", "yes"):
        assert name in validate(ADAPTER.schema, {**BASIC, name: bad}).errors


@pytest.mark.parametrize(("name", "choices"), [
    ("StatusCallbackEvent", ("initiated", "ringing", "answered", "completed")),
    ("RecordingStatusCallbackEvent", ("in-progress", "completed", "absent")),
])
def test_event_lists(name: str, choices: tuple[str, ...]) -> None:
    assert validate(ADAPTER.schema, {**BASIC, name: list(choices)}).values[name] == list(choices)
    assert validate(ADAPTER.schema, {**BASIC, name: ",".join(choices)}).values[name] == list(choices)
    for bad in (["queued"], [choices[0], choices[0]], "bogus", [1.5]):
        assert name in validate(ADAPTER.schema, {**BASIC, name: bad}).errors, bad


@pytest.mark.parametrize("value", ["+14155551212", "+44 20 7183 8750", "sip:alice@example.com",
                                   "sip:alice@example.com;transport=tls?X-Foo=bar", "client:alice", "client:agent_7"])
def test_to_accepts_phone_sip_and_client(value: str) -> None:
    result = validate(ADAPTER.schema, {**BASIC, "To": value, "From": "client:bob"})
    assert "To" not in result.errors


@pytest.mark.parametrize("value", ["4155551212", "+1415", "alice", "sip:", "client:bad name", "+1 415 555 12a2"])
def test_to_rejects_other_forms(value: str) -> None:
    assert "To" in validate(ADAPTER.schema, {**BASIC, "To": value}).errors


def test_national_numbers_read_with_a_region() -> None:
    assert validate(ADAPTER.schema, {**BASIC, "To": "(415) 555-1212"}, region="US").values["To"] == "+14155551212"


@pytest.mark.parametrize("name", ["Url", "FallbackUrl", "StatusCallback", "RecordingStatusCallback",
                                  "AsyncAmdStatusCallback", "ClientNotificationUrl"])
def test_url_fields(name: str) -> None:
    for ok in ("https://example.com/x", "http://example.com:8080/x?y=1"):
        assert name not in validate(ADAPTER.schema, {**BASIC, name: ok}).errors
    for bad in ("example.com/x", "ftp://example.com/x", "https://bad_host.example.com/x", "https://exa mple.com"):
        assert name in validate(ADAPTER.schema, {**BASIC, name: bad}).errors, bad


def test_required_fields_and_unknown_fields() -> None:
    errors = validate(ADAPTER.schema, {"Url": BASIC["Url"], "IfMachine": "Continue"}).errors
    assert errors["To"] == ["To is required."]
    assert errors["From"] == ["From is required."]
    assert errors["IfMachine"] == ["Unknown field 'IfMachine'."]


# -- cross-field rules -----------------------------------------------------------------------------------

def test_instructions_are_required() -> None:
    result = validate(ADAPTER.schema, {"To": BASIC["To"], "From": BASIC["From"]})
    message = "Set one of Url, Twiml or ApplicationSid: Twilio needs instructions for the call."
    assert result.errors == {"Url": [message]}
    for name, value in (("Url", BASIC["Url"]), ("Twiml", "<Response><Hangup/></Response>"),
                        ("ApplicationSid", "AP" + "0" * 32)):
        assert validate(ADAPTER.schema, {"To": BASIC["To"], "From": BASIC["From"], name: value}).ok


@pytest.mark.parametrize(("to", "caller", "error"), [
    ("+14155551212", "+15017122661", None),
    ("+14155551212", "client:bob", "To is a phone number, so From must be a phone number too"),
    ("+14155551212", "sip:bob@example.com", "To is a phone number, so From must be a phone number too"),
    ("client:alice", "client:bob", None),
    ("client:alice", "+15017122661", None),
    ("client:alice", "sip:bob@example.com", "From can be a SIP URI only when To is a SIP URI"),
    ("sip:alice@example.com", "sip:bob@example.com", None),
    ("sip:alice@example.com", "+15017122661", None),
    ("sip:alice@example.com", "client:bob", None),
])
def test_from_must_suit_to(to: str, caller: str, error: str | None) -> None:
    result = validate(ADAPTER.schema, {**BASIC, "To": to, "From": caller})
    if error is None:
        assert result.ok, result.errors
    else:
        assert list(result.errors) == ["From"] and result.errors["From"][0].startswith(error)


WARNINGS = [
    # (values added to BASIC, path, expected words, values that remove the warning)
    ({"Twiml": "<Response/>"}, "Twiml", "ignores Twiml when Url", {"Url": None}),
    ({"ApplicationSid": "AP" + "0" * 32, "StatusCallback": "https://e.com/s"}, "StatusCallback",
     "ApplicationSid is set", {"ApplicationSid": None}),
    ({"ApplicationSid": "AP" + "0" * 32}, "Url", "ApplicationSid is set", {"Url": None}),
    ({"Method": "GET", "Url": None, "Twiml": "<Response/>"}, "Method", "only applies to Url",
     {"Url": "https://e.com/v", "Twiml": None}),
    ({"FallbackMethod": "GET"}, "FallbackMethod", "set FallbackUrl", {"FallbackUrl": "https://e.com/f"}),
    ({"StatusCallbackEvent": ["ringing"]}, "StatusCallbackEvent", "set StatusCallback",
     {"StatusCallback": "https://e.com/s"}),
    ({"StatusCallbackMethod": "GET"}, "StatusCallbackMethod", "set StatusCallback",
     {"StatusCallback": "https://e.com/s"}),
    ({"RecordingStatusCallbackEvent": ["absent"]}, "RecordingStatusCallbackEvent", "set RecordingStatusCallback",
     {"RecordingStatusCallback": "https://e.com/r"}),
    ({"RecordingStatusCallbackMethod": "GET"}, "RecordingStatusCallbackMethod", "RecordingStatusCallback",
     {"RecordingStatusCallback": "https://e.com/r"}),
    ({"MachineDetection": "Enable", "AsyncAmd": True, "AsyncAmdStatusCallbackMethod": "GET"},
     "AsyncAmdStatusCallbackMethod", "AsyncAmdStatusCallback", {"AsyncAmdStatusCallback": "https://e.com/a"}),
    ({"MachineDetectionTimeout": 10}, "MachineDetectionTimeout", "set MachineDetection",
     {"MachineDetection": "Enable"}),
    ({"MachineDetectionSpeechThreshold": 2400}, "MachineDetectionSpeechThreshold", "set MachineDetection",
     {"MachineDetection": "DetectMessageEnd"}),
    ({"MachineDetectionSpeechEndThreshold": 1200}, "MachineDetectionSpeechEndThreshold", "set MachineDetection",
     {"MachineDetection": "Enable"}),
    ({"MachineDetectionSilenceTimeout": 5000}, "MachineDetectionSilenceTimeout", "set MachineDetection",
     {"MachineDetection": "Enable"}),
    ({"AsyncAmd": True}, "AsyncAmd", "set MachineDetection", {"MachineDetection": "Enable"}),
    ({"MachineDetection": "Enable", "SendDigits": "1"}, "MachineDetection", "ignores MachineDetection when SendDigits",
     {"SendDigits": None}),
    ({"MachineDetection": "Enable", "AsyncAmdStatusCallback": "https://e.com/a"}, "AsyncAmdStatusCallback",
     "AsyncAmd is true", {"AsyncAmd": True}),
    ({"MachineDetection": "Enable", "AsyncAmd": False, "AsyncAmdStatusCallback": "https://e.com/a"},
     "AsyncAmdStatusCallback", "AsyncAmd is true", {"AsyncAmd": "true"}),
    ({"RecordingChannels": "dual"}, "RecordingChannels", "Record is true", {"Record": True}),
    ({"RecordingTrack": "inbound", "Record": False}, "RecordingTrack", "Record is true", {"Record": "yes"}),
    ({"Trim": "do-not-trim"}, "Trim", "Record is true", {"Record": True}),
    ({"To": "client:alice", "Byoc": "BY" + "0" * 32}, "Byoc", "unless To is a phone number",
     {"To": "+14155551212"}),
    ({"To": "client:alice", "SipAuthUsername": "u"}, "SipAuthUsername", "To is a SIP URI",
     {"To": "sip:alice@example.com"}),
    ({"To": "+14155551212", "SipAuthUsername": "u", "SipAuthPassword": "p"}, "SipAuthPassword", "To is a SIP URI",
     {"To": "sip:alice@example.com", "From": "sip:bob@example.com"}),
    ({"To": "sip:a@example.com", "SipAuthPassword": "p"}, "SipAuthPassword", "SipAuthUsername too",
     {"SipAuthUsername": "u"}),
    ({"Url": None, "Twiml": "<Response><Say>Hi</Say>"}, "Twiml", "not well-formed XML",
     {"Twiml": "<Response><Say>Hi</Say></Response>"}),
    ({"Url": None, "Twiml": "<Say>Hi</Say>"}, "Twiml", "starts with <Response>",
     {"Twiml": "<Response><Say>Hi</Say></Response>"}),
]


@pytest.mark.parametrize(("extra", "path", "words", "fix"), WARNINGS)
def test_warning_rules(extra: dict[str, Any], path: str, words: str, fix: dict[str, Any]) -> None:
    values = {**BASIC, **extra}
    result = validate(ADAPTER.schema, values)
    assert result.ok, result.errors  # advice never blocks the call
    assert any(words in message for message in result.warnings.get(path, [])), result.warnings
    fixed = validate(ADAPTER.schema, {**values, **fix})
    assert fixed.ok, fixed.errors
    assert not any(words in message for message in fixed.warnings.get(path, [])), fixed.warnings


def test_a_plain_call_has_no_warnings() -> None:
    assert validate(ADAPTER.schema, BASIC).warnings == {}


# -- official spec ----------------------------------------------------------------------------------------

def test_minimal_request_matches_the_spec() -> None:
    request = ADAPTER.build_create(ACCOUNT, valid(BASIC))
    validate_request(SPEC, request, SERVER)


def test_request_with_every_field_matches_the_spec() -> None:
    values = valid(EVERY_FIELD)
    assert set(values) == {spec.name for spec in ADAPTER.schema.fields}
    request = ADAPTER.build_create(ACCOUNT, values)
    assert {name for name, _ in form(request)} == set(values)
    validate_request(SPEC, request, SERVER)


def test_spec_check_is_not_vacuous() -> None:
    good = ADAPTER.build_create(ACCOUNT, valid(BASIC))
    bad = PreparedRequest("POST", CALLS_URL, good.headers, body=b"To=%2B1&From=%2B1&Timeout=soon&Method=PUT",
                          auth=good.auth)
    with pytest.raises(AssertionError, match="does not match"):
        validate_request(SPEC, bad, SERVER)
    wrong_account = ADAPTER.build_create(Account("twilio", "AC123", "x"), valid(BASIC))
    with pytest.raises(AssertionError, match="AccountSid"):
        validate_request(SPEC, wrong_account, SERVER)


# -- responses ----------------------------------------------------------------------------------------------

def test_parse_spec_create_example() -> None:
    body = spec_call_example()
    parsed = ADAPTER.parse_create(response(body, 201), ACCOUNT)
    assert parsed.call_id == body["sid"]
    assert (parsed.phase, parsed.outcome, parsed.provider_status) == (CallPhase.ENDED, Outcome.COMPLETED, "completed")
    assert parsed.from_number == "+14158675308" and parsed.to == "+14158675309"
    assert parsed.created_at == datetime(2010, 8, 31, 20, 36, 28, tzinfo=UTC)
    assert parsed.answered_at == datetime(2010, 8, 31, 20, 36, 29, tzinfo=UTC)
    assert parsed.ended_at == datetime(2010, 8, 31, 20, 36, 44, tzinfo=UTC)
    assert parsed.duration == 15.0
    assert parsed.url == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{body['sid']}.json"
    assert parsed.raw == body and parsed.final and parsed.detail is None


def queued_body() -> dict[str, Any]:
    body = spec_call_example()
    body.update(sid=CALL_SID, status="queued", start_time=None, end_time=None, duration=None, price=None,
                direction="outbound-api", date_created="Tue, 31 Aug 2010 20:36:28 +0000")
    return body


@pytest.mark.parametrize(("status", "phase", "outcome"), [
    ("queued", CallPhase.QUEUED, None),
    ("initiated", CallPhase.QUEUED, None),
    ("ringing", CallPhase.RINGING, None),
    ("in-progress", CallPhase.ANSWERED, None),
    ("completed", CallPhase.ENDED, Outcome.COMPLETED),
    ("busy", CallPhase.ENDED, Outcome.BUSY),
    ("no-answer", CallPhase.ENDED, Outcome.NO_ANSWER),
    ("failed", CallPhase.ENDED, Outcome.FAILED),
    ("canceled", CallPhase.ENDED, Outcome.CANCELED),
    ("In-Progress", CallPhase.ANSWERED, None),
    ("something-new", CallPhase.UNKNOWN, None),
])
def test_state_mapping(status: str, phase: CallPhase, outcome: Outcome | None) -> None:
    body = {**queued_body(), "status": status, "start_time": "Tue, 31 Aug 2010 20:36:30 +0000",
            "end_time": "Tue, 31 Aug 2010 20:37:30 +0000"}
    parsed = ADAPTER.parse_call(response(body), ACCOUNT, call(CallPhase.QUEUED))
    assert (parsed.phase, parsed.outcome, parsed.provider_status) == (phase, outcome, status)
    assert parsed.url == CALL_URL
    answered = phase is CallPhase.ANSWERED or outcome is Outcome.COMPLETED
    assert (parsed.answered_at is not None) == answered
    assert (parsed.ended_at is not None) == (phase is CallPhase.ENDED)


def test_queued_create_answer() -> None:
    parsed = ADAPTER.parse_create(response(queued_body(), 201), ACCOUNT)
    assert (parsed.call_id, parsed.phase, parsed.duration, parsed.answered_at) == (CALL_SID, CallPhase.QUEUED,
                                                                                   None, None)
    assert parsed.created_at is not None and not parsed.final


def test_answered_by_is_shown_as_detail() -> None:
    body = {**queued_body(), "status": "in-progress", "answered_by": "machine_end_beep"}
    parsed = ADAPTER.parse_call(response(body), ACCOUNT, call(CallPhase.RINGING))
    assert parsed.detail == "Answered by: machine_end_beep"


def test_parse_call_keeps_the_known_sid_when_missing() -> None:
    parsed = ADAPTER.parse_call(response({"status": "ringing"}), ACCOUNT, call(CallPhase.QUEUED))
    assert parsed.call_id == CALL_SID and parsed.phase is CallPhase.RINGING


def test_update_answer_after_hangup() -> None:
    body = {**queued_body(), "status": "canceled"}
    parsed = ADAPTER.parse_call(response(body), ACCOUNT, call(CallPhase.RINGING))
    assert (parsed.phase, parsed.outcome) == (CallPhase.ENDED, Outcome.CANCELED)
    assert ADAPTER.build_hangup(ACCOUNT, parsed) is None


@pytest.mark.parametrize("body", [
    b"<html><head><title>502 Bad Gateway</title></head></html>",
    b"",
    b'{"sid": "CA',
    b"[]",
    json.dumps({"status": "queued"}).encode(),
    json.dumps({"sid": CALL_SID}).encode(),
    json.dumps({"sid": CALL_SID, "status": 3}).encode(),
    json.dumps({"sid": 12, "status": "queued"}).encode(),
])
def test_unreadable_create_answers(body: bytes) -> None:
    with pytest.raises(ResponseFormatError):
        ADAPTER.parse_create(HttpResponse(201, {}, body), ACCOUNT)


def test_odd_value_types_are_ignored() -> None:
    body = {"sid": CALL_SID, "status": "completed", "duration": "n/a", "start_time": 5, "from": 1,
            "date_created": "yesterday"}
    parsed = ADAPTER.parse_call(response(body), ACCOUNT, call(CallPhase.ANSWERED))
    assert (parsed.duration, parsed.answered_at, parsed.from_number, parsed.created_at) == (None, None, None, None)


# -- errors ---------------------------------------------------------------------------------------------------

def twilio_error(code: int, message: str, status: int = 400) -> dict[str, Any]:
    return {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}


@pytest.mark.parametrize(("code", "message", "field"), [
    (21211, "The 'To' number 5551234567 is not a valid phone number.", "To"),
    (21201, "No 'To' number is specified", "To"),
    (21214, "'To' phone number cannot be reached", "To"),
    (21215, "Account not authorized to call +3912345678.", "To"),
    (21217, "Phone number does not appear to be valid", "To"),
    (21219, "The number +14155551212 is unverified. Trial accounts may only make calls to verified numbers.", "To"),
    (21212, "From is not a valid phone number: +0800918468", "From"),
    (21210, "The source phone number provided, +861057684080, is not yet verified for your account.", "From"),
    (21213, "Caller phone number is required", "From"),
    (21205, "Url is not a valid URL: example", "Url"),
    (21208, "Invalid Timeout", "Timeout"),
    (21209, "Invalid Method", "Method"),
    (21218, "Invalid ApplicationSid", "ApplicationSid"),
])
def test_error_codes_map_to_fields(code: int, message: str, field: str) -> None:
    assert ERROR_FIELDS[code] == field
    error = ADAPTER.parse_error(response(twilio_error(code, message), 400))
    assert isinstance(error, ProviderError)
    assert (error.http_status, error.code, error.field, error.message) == (400, str(code), field, message)
    assert error.more_info == f"https://www.twilio.com/docs/errors/{code}"
    assert ADAPTER.schema.field(field) is not None
    assert error.raw["code"] == code


def test_authentication_error_hint() -> None:
    error = ADAPTER.parse_error(response(twilio_error(20003, "Authenticate", 401), 401))
    assert (error.code, error.field, error.http_status) == ("20003", None, 401)
    assert "Auth Token" in error.hint and "API Key" in error.hint
    assert "[HTTP 401, code 20003] Authenticate" in error.describe()


@pytest.mark.parametrize(("code", "status", "words"), [
    (20404, 404, "Account SID"),
    (21220, 400, "may have ended"),
    (21215, 400, "Geographic Permissions"),
    (21216, 400, "blocks calls"),
    (20403, 403, "suspended"),
])
def test_error_hints(code: int, status: int, words: str) -> None:
    error = ADAPTER.parse_error(response(twilio_error(code, "The requested resource was not found", status), status))
    assert words in error.hint


def test_rate_limit_carries_retry_after() -> None:
    body = twilio_error(20429, "Too Many Requests", 429)
    error = ADAPTER.parse_error(response(body, 429, {"content-type": "application/json", "retry-after": "7"}))
    assert (error.code, error.retry_after) == ("20429", 7.0)
    assert "wait" in error.hint


def test_field_found_in_message_for_unlisted_codes() -> None:
    error = ADAPTER.parse_error(response({"code": 21604, "message": "'StatusCallback' is not a valid URL"}, 400))
    assert (error.field, error.code) == ("StatusCallback", "21604")
    error = ADAPTER.parse_error(response({"code": 20001, "message": "Required parameter \"From\" missing."}))
    assert error.field == "From"
    error = ADAPTER.parse_error(response({"code": 20001, "message": "Something 'Unrelated' happened"}))
    assert error.field is None


def test_code_as_text_and_message_only() -> None:
    error = ADAPTER.parse_error(response({"code": "21211", "message": "Invalid 'To' Phone Number"}, 400))
    assert (error.code, error.field) == ("21211", "To")
    error = ADAPTER.parse_error(response({"message": "Service unavailable"}, 503))
    assert (error.code, error.message, error.more_info) == (None, "Service unavailable", None)
    assert error.hint == "The provider is unavailable right now; try again later."


@pytest.mark.parametrize(("status", "body", "words"), [
    (502, b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "502 Bad Gateway"),
    (500, b"", "(empty body)"),
    (400, b'{"code": 21211, "message": "The', '{"code": 21211'),
    (400, b"[1, 2]", "[1, 2]"),
    (400, json.dumps({"code": {"x": 1}, "message": 5}).encode(), '"code"'),
    (401, b"\xff\xfe\x00garbage", "garbage"),
])
def test_errors_that_are_not_twilio_json(status: int, body: bytes, words: str) -> None:
    error = ADAPTER.parse_error(HttpResponse(status, {"retry-after": "3"}, body))
    assert isinstance(error, ProviderError)
    assert error.http_status == status and error.code is None and error.field is None
    assert words in error.message
    assert error.retry_after == 3.0


# -- properties -------------------------------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(), st.booleans())
anything = st.one_of(scalars, st.lists(scalars, max_size=5), st.dictionaries(st.text(max_size=8), scalars, max_size=3))
field_names = st.sampled_from([spec.name for spec in ADAPTER.schema.fields] + ["Unknown", ""])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=st.dictionaries(field_names, anything, max_size=8), keep_basics=st.booleans())
def test_arbitrary_values_never_crash_validation_or_building(extra: dict[str, Any], keep_basics: bool) -> None:
    values = {**BASIC, **extra} if keep_basics else extra
    result = validate(ADAPTER.schema, values)
    if result.ok:
        request = ADAPTER.build_create(ACCOUNT, result.values)
        assert {name for name, _ in form(request)} == set(result.values)


def valid_value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind is FieldKind.INT:
        return st.integers(int(spec.minimum or 0), int(spec.maximum or 10**6))
    if spec.kind is FieldKind.ENUM:
        return st.sampled_from(spec.choices)
    if spec.kind is FieldKind.LIST:
        return st.lists(st.sampled_from(spec.choices), min_size=1, unique=True)
    if spec.kind is FieldKind.BOOL:
        return st.booleans()
    if spec.kind is FieldKind.URL:
        return st.sampled_from(["https://example.com/a?b=c&d=%20", "http://127.0.0.1:8080/x"])
    if spec.kind is FieldKind.PHONE:
        return st.sampled_from(["+14155551212", "+442071838750"])
    if spec.pattern:
        return st.from_regex(spec.pattern, fullmatch=True).filter(lambda s: len(s) <= (spec.max_length or 99))
    return st.text(string.printable, min_size=1, max_size=60).filter(lambda s: s.strip())


optional_fields = [spec for spec in ADAPTER.schema.fields if spec.name not in ("To", "From")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional={spec.name: valid_value(spec) for spec in optional_fields}))
def test_every_valid_request_matches_the_spec(values: dict[str, Any]) -> None:
    values = {"To": "+14155551212", "From": "+15017122661", "Url": "https://example.com/v", **values}
    result = validate(ADAPTER.schema, values)
    assert result.ok, result.errors
    validate_request(SPEC, ADAPTER.build_create(ACCOUNT, result.values), SERVER)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
call_like = st.fixed_dictionaries({}, optional={
    key: json_values | st.sampled_from(["queued", "completed", "Tue, 31 Aug 2010 20:36:28 +0000", "15", CALL_SID])
    for key in ("sid", "status", "from", "to", "date_created", "start_time", "end_time", "duration", "answered_by")
})


@settings(max_examples=200, deadline=None)
@given(body=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                      call_like.map(lambda v: json.dumps(v).encode())),
       status=st.integers(100, 599), retry=st.one_of(st.none(), st.text(max_size=30)))
def test_parsers_never_raise_unexpected_errors(body: bytes, status: int, retry: str | None) -> None:
    headers = {"retry-after": retry} if retry is not None else {}
    answer = HttpResponse(status, headers, body)
    assert isinstance(ADAPTER.parse_error(answer), ProviderError)
    for parse in (lambda: ADAPTER.parse_create(answer, ACCOUNT),
                  lambda: ADAPTER.parse_call(answer, ACCOUNT, call(CallPhase.RINGING))):
        try:
            parsed = parse()
        except ResponseFormatError:
            continue
        assert isinstance(parsed, CallResource) and parsed.call_id
        json.dumps(parsed.to_json())
