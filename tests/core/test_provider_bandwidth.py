"""Bandwidth Voice API v2 adapter: schema, requests, answers and errors against the seeds and specs."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launcher.core.errors import InsecureTransportError, ProviderError, ResponseFormatError
from launcher.core.http import HttpResponse, PreparedRequest
from launcher.core.models import Account, CallPhase, CallResource, Outcome
from launcher.core.providers import all_adapters
from launcher.core.providers.bandwidth import ADAPTER
from launcher.core.schema import FieldKind
from launcher.core.validate import validate
from tests.support.openapi import spec_path, validate_request

OLD_SPEC = "bandwidth_voice.yml"
NEW_SPEC = "bandwidth_python_sdk_bandwidth.yml"
# validate_request joins the path onto the server with urljoin, which drops a server path such as
# /api/v2; giving the host alone keeps the request's full path, which the spec's server then matches.
SPEC_SERVER = "https://voice.bandwidth.com"
BASE = "https://voice.bandwidth.com/api/v2"
ACCOUNT = Account("bandwidth", "55555555", secret="api-pass", username="api-user")
CALL_ID = "c-95ac8d6e-1a31c52e-b38f-4198-93c1-51633ec68f8d"
CALL_URL = f"{BASE}/accounts/55555555/calls/{CALL_ID}"

SEED_BODY = {  # seed 000 / 001 curl example
    "from": "+15555551212",
    "to": "+15555551313",
    "answerUrl": "http://www.myapp.com/hello",
    "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086",
}
HTTPS_MIN = {**SEED_BODY, "answerUrl": "https://www.myapp.com/hello"}

MAXIMAL: dict[str, Any] = {
    "to": "sip:user@server.example",
    "from": "+15555551212",
    "privacy": True,
    "displayName": "Anonymous",
    "uui": "eyJhbGciOiJIUzI1NiJ9.WyJoaSJd.-znkjYyCkgz4djmHUPSXl9YrJ6Nix_XvmlwKGFh5ERM;encoding=jwt,"
           "aGVsbG8gd29ybGQ=;encoding=base64,48656c6c6f;encoding=hex",
    "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086",
    "answerUrl": "https://example.com/answer",
    "answerMethod": "GET",
    "username": "cb-user",
    "password": "cb-secret-1",
    "answerFallbackUrl": "https://fallback.example.com/answer",
    "answerFallbackMethod": "POST",
    "fallbackUsername": "fb-user",
    "fallbackPassword": "fb-secret-2",
    "disconnectUrl": "https://example.com/disconnect",
    "disconnectMethod": "GET",
    "callTimeout": 42.5,
    "callbackTimeout": 7.25,
    "machineDetection": {
        "mode": "async", "detectionTimeout": 20, "silenceTimeout": 8, "speechThreshold": 9,
        "speechEndThreshold": 4, "machineSpeechEndThreshold": 3, "delayResult": True,
        "callbackUrl": "https://example.com/amd", "callbackMethod": "POST",
        "username": "amd-user", "password": "amd-secret-3",
        "fallbackUrl": "https://fallback.example.com/amd", "fallbackMethod": "GET",
        "fallbackUsername": "amd-fb", "fallbackPassword": "amd-secret-4",
    },
    "priority": 1,
    "tag": "t" * 4096,
}


def checked(values: dict[str, Any]) -> dict[str, Any]:
    result = validate(ADAPTER.schema, values)
    assert result.ok, result.errors
    return result.values


def body_of(request: PreparedRequest) -> Any:
    return json.loads(request.body)


def errors_of(values: dict[str, Any]) -> dict[str, list[str]]:
    return validate(ADAPTER.schema, values).errors


def warnings_of(values: dict[str, Any]) -> dict[str, list[str]]:
    return validate(ADAPTER.schema, values).warnings


def call(phase: CallPhase = CallPhase.QUEUED, url: str | None = CALL_URL) -> CallResource:
    return CallResource("bandwidth", CALL_ID, phase, phase.value, url=url)


def answer(status: int, body: Any = b"", **headers: str) -> HttpResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return HttpResponse(status, {k.lower().replace("_", "-"): v for k, v in headers.items()}, raw)


# -- registry and schema coverage ---------------------------------------------------------------------
def test_registered_with_account_spec() -> None:
    assert all_adapters()["bandwidth"] is ADAPTER
    assert (ADAPTER.name, ADAPTER.order) == ("Bandwidth Voice v2", 1)
    spec = ADAPTER.account
    assert (spec.account_label, spec.username_label, spec.secret_label) == ("Account ID", "API username",
                                                                            "API password")
    assert spec.default_base_url == BASE and spec.auth_scheme == "basic"


def _spec_schemas(name: str) -> dict[str, Any]:
    return yaml.safe_load(spec_path(name).read_text(encoding="utf-8"))["components"]["schemas"]


@pytest.mark.parametrize("spec_name", [OLD_SPEC, NEW_SPEC])
def test_schema_has_every_spec_field_with_its_limits(spec_name: str) -> None:
    schemas = _spec_schemas(spec_name)
    props = schemas["createCall"]["properties"]
    md_props = schemas["machineDetectionConfiguration"]["properties"]
    assert set(props) <= {f.name for f in ADAPTER.schema.fields}
    assert set(md_props) == {c.name for c in ADAPTER.schema.field("machineDetection").children}
    required = {f.name for f in ADAPTER.schema.fields if f.required}
    assert required == set(schemas["createCall"]["required"])
    for prefix, members in (("", props), ("machineDetection.", md_props)):
        for name, prop in members.items():
            field = ADAPTER.schema.field(prefix + name)
            assert field is not None
            if "minimum" in prop:
                assert field.minimum == prop["minimum"], name
            if "maximum" in prop:
                assert field.maximum == prop["maximum"], name
            if "maxLength" in prop and name != "tag":
                assert field.max_length == prop["maxLength"], name
            if "default" in prop:
                assert field.default == prop["default"], name


def test_schema_covers_seed_fields_and_newer_limits() -> None:
    seed_fields = {"from", "to", "applicationId", "answerUrl", "answerMethod", "disconnectUrl", "disconnectMethod",
                   "username", "password", "callTimeout", "tag", "answerFallbackUrl", "answerFallbackMethod",
                   "fallbackUsername", "fallbackPassword", "callbackTimeout", "uui"}
    assert seed_fields <= {f.name for f in ADAPTER.schema.fields}
    assert ADAPTER.schema.field("tag").max_length == 4096
    assert ADAPTER.schema.field("tag").soft_max_length == 256
    assert ADAPTER.schema.field("machineDetection").kind is FieldKind.OBJECT
    secrets = {p for p, s in ADAPTER.schema.walk() if s.secret}
    assert secrets == {"password", "fallbackPassword", "machineDetection.password", "machineDetection.fallbackPassword"}
    meanings = {s.meaning: p for p, s in ADAPTER.schema.walk() if s.meaning}
    assert meanings == {"to": "to", "from": "from", "answer_url": "answerUrl", "status_url": "disconnectUrl",
                        "ring_timeout": "callTimeout", "tag": "tag", "application_id": "applicationId"}


# -- seed examples -------------------------------------------------------------------------------------
def test_seed_example_request_exactly() -> None:
    request = ADAPTER.build_create(ACCOUNT, checked(dict(SEED_BODY)))
    assert request.method == "POST"
    assert request.url == f"{BASE}/accounts/55555555/calls"
    headers = dict(request.all_headers(reveal=True))
    assert headers["Content-Type"] == "application/json"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"api-user:api-pass").decode()
    assert body_of(request) == SEED_BODY


def test_seed_sdk_example_with_method_and_timeout() -> None:
    values = {"from": "+19999999999", "to": "+18888888888", "applicationId": "123",
              "answerUrl": "https://test.com", "answerMethod": "POST", "callTimeout": 30}
    request = ADAPTER.build_create(ACCOUNT, checked(values))
    assert body_of(request) == values
    assert b'"callTimeout":30' in request.body


def test_values_are_normalized_and_only_set_fields_sent() -> None:
    values = {**SEED_BODY, "from": "anonymous", "to": "+1 (555) 555-1313", "callTimeout": "12.5",
              "priority": "2", "tag": "", "privacy": "false", "machineDetection": {"mode": "", "delayResult": "yes"}}
    body = body_of(ADAPTER.build_create(ACCOUNT, checked(values)))
    assert body == {**SEED_BODY, "from": "Anonymous", "callTimeout": 12.5, "priority": 2, "privacy": False,
                    "machineDetection": {"delayResult": True}}


def test_passwords_are_marked_as_body_secrets_and_redacted() -> None:
    request = ADAPTER.build_create(ACCOUNT, checked(MAXIMAL))
    assert set(request.body_secrets) == {"cb-secret-1", "fb-secret-2", "amd-secret-3", "amd-secret-4"}
    shown = request.describe() + request.to_curl()
    assert not any(s in shown for s in [*request.body_secrets, "api-pass"])
    assert body_of(request)["machineDetection"]["password"] == "amd-secret-3"


# -- constraints ---------------------------------------------------------------------------------------
BOUNDS: list[tuple[str, Any, Any]] = [
    ("callTimeout", 1, 0.99), ("callTimeout", 300, 300.01), ("callTimeout", 1.5, 0),
    ("callbackTimeout", 1, 0.9), ("callbackTimeout", 25, 25.1),
    ("priority", 1, 0), ("priority", 5, 6), ("priority", 3, 2.5),
    ("tag", "x" * 4096, "x" * 4097), ("displayName", "d" * 256, "d" * 257), ("displayName", "John Doe", "John\nDoe"),
    ("uui", "A" * 333 + "=;encoding=base64", "A" * 334 + "=;encoding=base64"),
    ("answerMethod", "GET", "PUT"), ("disconnectMethod", "POST", "post2"), ("answerFallbackMethod", "GET", ""),
    ("privacy", "true", "maybe"),
    ("from", "+15555551212", "sip:alice@example.com"), ("from", "Unavailable", "Hidden"),
    ("to", "sip:user@server.example", "Anonymous"), ("to", "+442071838750", "+1555"),
    ("applicationId", "abc", ["a", "b"]),
]
for _name in ("answerUrl", "answerFallbackUrl", "disconnectUrl"):
    BOUNDS.append((_name, "https://e.com/" + "a" * 2034, "https://e.com/" + "a" * 2035))
    BOUNDS.append((_name, "http://e.com/x", "ftp://e.com/x"))
for _name in ("username", "password", "fallbackUsername", "fallbackPassword"):
    BOUNDS.append((_name, "u" * 1024, "u" * 1025))


@pytest.mark.parametrize(("name", "good", "bad"), BOUNDS)
def test_top_level_bounds(name: str, good: Any, bad: Any) -> None:
    pairs = {"username": "password", "password": "username", "fallbackUsername": "fallbackPassword",
             "fallbackPassword": "fallbackUsername"}
    base = {**HTTPS_MIN, "answerFallbackUrl": "https://f.example.com"}
    if name in pairs:
        base[pairs[name]] = "other"
    if name == "answerMethod" and good == "":
        base.pop(name, None)
    assert not errors_of({**base, name: good})
    errors = errors_of({**base, name: bad})
    if bad == "":
        assert not errors  # empty means "not set"
    else:
        assert list(errors) == [name], errors


MD_SECONDS = ("detectionTimeout", "silenceTimeout", "speechThreshold", "speechEndThreshold",
              "machineSpeechEndThreshold")
MD_BOUNDS: list[tuple[str, Any, Any]] = [(name, 0, -0.1) for name in MD_SECONDS]
MD_BOUNDS += [("mode", "sync", "auto"), ("callbackMethod", "GET", "PATCH"), ("fallbackMethod", "POST", "get it"),
              ("delayResult", False, "sometimes"),
              ("callbackUrl", "https://e.com/" + "a" * 2034, "https://e.com/" + "a" * 2035),
              ("fallbackUrl", "https://e.com/" + "a" * 2034, "https://e.com/" + "a" * 2035)]


@pytest.mark.parametrize(("name", "good", "bad"), MD_BOUNDS)
def test_machine_detection_bounds(name: str, good: Any, bad: Any) -> None:
    assert not errors_of({**HTTPS_MIN, "machineDetection": {name: good}})
    assert list(errors_of({**HTTPS_MIN, "machineDetection": {name: bad}})) == [f"machineDetection.{name}"]


@pytest.mark.parametrize("name", ["username", "password", "fallbackUsername", "fallbackPassword"])
def test_machine_detection_credential_lengths(name: str) -> None:
    other = {"username": "password", "password": "username", "fallbackUsername": "fallbackPassword",
             "fallbackPassword": "fallbackUsername"}[name]
    assert not errors_of({**HTTPS_MIN, "machineDetection": {name: "u" * 1024, other: "x"}})
    assert list(errors_of({**HTTPS_MIN, "machineDetection": {name: "u" * 1025, other: "x"}})) == [
        f"machineDetection.{name}"]


@pytest.mark.parametrize("name", ["from", "to", "applicationId", "answerUrl"])
def test_required_fields(name: str) -> None:
    values = {k: v for k, v in SEED_BODY.items() if k != name}
    assert errors_of(values)[name] == [f"{ADAPTER.schema.field(name).label} is required."]


def test_unknown_fields_and_non_object_machine_detection() -> None:
    assert "recordingUrl" in errors_of({**SEED_BODY, "recordingUrl": "https://x.example"})
    assert "machineDetection.beep" in errors_of({**SEED_BODY, "machineDetection": {"beep": 1}})
    assert list(errors_of({**SEED_BODY, "machineDetection": "async"})) == ["machineDetection"]


def test_tag_and_uui_warn_above_older_limits() -> None:
    assert not warnings_of({**SEED_BODY, "tag": "x" * 256})
    assert "256" in warnings_of({**SEED_BODY, "tag": "x" * 257})["tag"][0]
    sip = {**SEED_BODY, "to": "sip:a@b.example"}
    assert not warnings_of({**sip, "uui": "A" * 239 + "=;encoding=base64"})
    assert "256" in warnings_of({**sip, "uui": "A" * 240 + "=;encoding=base64"})["uui"][0]


# -- cross-field rules ---------------------------------------------------------------------------------
PAIRS = [("", "username", "password"), ("", "fallbackUsername", "fallbackPassword"),
         ("machineDetection.", "username", "password"), ("machineDetection.", "fallbackUsername", "fallbackPassword")]


def _with(prefix: str, members: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {**HTTPS_MIN, "answerFallbackUrl": "https://f.example.com"}
    if prefix:
        values["machineDetection"] = members
    else:
        values.update(members)
    return values


@pytest.mark.parametrize(("prefix", "user", "password"), PAIRS)
def test_credentials_go_in_pairs(prefix: str, user: str, password: str) -> None:
    assert list(errors_of(_with(prefix, {user: "u"}))) == [prefix + password]
    assert list(errors_of(_with(prefix, {password: "p"}))) == [prefix + user]
    assert "username and password" in errors_of(_with(prefix, {user: "u"}))[prefix + password][0]
    assert not errors_of(_with(prefix, {user: "u", password: "p"}))


def test_answer_url_must_be_https_with_credentials() -> None:
    creds = {"username": "u", "password": "p"}
    errors = errors_of({**SEED_BODY, **creds})
    assert list(errors) == ["answerUrl"] and "https" in errors["answerUrl"][0]
    assert not errors_of({**HTTPS_MIN, **creds})
    assert not errors_of(dict(SEED_BODY))


def test_fallback_url_must_be_https_with_fallback_credentials() -> None:
    creds = {"fallbackUsername": "u", "fallbackPassword": "p"}
    assert list(errors_of({**HTTPS_MIN, **creds, "answerFallbackUrl": "http://f.example.com"})) == [
        "answerFallbackUrl"]
    assert not errors_of({**HTTPS_MIN, **creds, "answerFallbackUrl": "https://f.example.com"})
    assert not errors_of({**HTTPS_MIN, "answerFallbackUrl": "http://f.example.com"})


SIP_MIN = {**HTTPS_MIN, "to": "sip:user@server.example"}


@pytest.mark.parametrize("uui", [
    "aGVsbG8gd29ybGQ=;encoding=base64", "48656C6C6F;encoding=hex", "abc.def.ghi;encoding=jwt",
    "aGk=;purpose=isdn-uui;encoding=base64", "aGk=;ENCODING=BASE64",
    "eyJhbGciOiJIUzI1NiJ9.WyJoaSJd.-znkjYyCkgz4djmHUPSXl9YrJ6Nix_XvmlwKGFh5ERM;encoding=jwt,aGVsbG8gd29ybGQ=;encoding=base64",
])
def test_uui_accepted(uui: str) -> None:
    result = validate(ADAPTER.schema, {**SIP_MIN, "uui": uui})
    assert result.ok and not result.warnings, (result.errors, result.warnings)


@pytest.mark.parametrize(("uui", "expected"), [
    ("aGVsbG8=", "The value must end with ;encoding="),
    ("aGVsbG8=;encoding=base32", "encoding 'base32'"),
    (";encoding=hex", "no data"),
    ("aGk=;encoding=base64,aGk=", "UUI value 2 must end with"),
    ("aGk=;encoding=hex;purpose=x", "must end with"),
])
def test_uui_rejected(uui: str, expected: str) -> None:
    errors = errors_of({**SIP_MIN, "uui": uui})
    assert list(errors) == ["uui"] and expected in errors["uui"][0], errors


@pytest.mark.parametrize(("uui", "expected"), [
    ("not base64!;encoding=base64", "does not look like base64"),
    ("xyz;encoding=hex", "does not look like hex"),
    ("aGk=;bad param;encoding=base64", "malformed parameter"),
])
def test_uui_data_warnings(uui: str, expected: str) -> None:
    result = validate(ADAPTER.schema, {**SIP_MIN, "uui": uui})
    assert result.ok and expected in result.warnings["uui"][0]


def test_privacy_limits_display_name() -> None:
    errors = errors_of({**SEED_BODY, "privacy": True, "displayName": "John Doe"})
    assert list(errors) == ["displayName"] and "Anonymous" in errors["displayName"][0]
    for word in ("Restricted", "Anonymous", "Private", "Unavailable"):
        assert not errors_of({**SEED_BODY, "privacy": True, "displayName": word})
    assert not errors_of({**SEED_BODY, "privacy": False, "displayName": "John Doe"})


@pytest.mark.parametrize(("values", "path", "words"), [
    ({"from": "Private"}, "from", "Hide caller ID"),
    ({"username": "u", "password": "p", "answerUrl": "https://a.example", "disconnectUrl": "http://d.example"},
     "disconnectUrl", "clear text"),
    ({"machineDetection": {"username": "u", "password": "p", "callbackUrl": "http://c.example"}},
     "machineDetection.callbackUrl", "clear text"),
    ({"machineDetection": {"fallbackUsername": "u", "fallbackPassword": "p", "fallbackUrl": "http://c.example"}},
     "machineDetection.fallbackUrl", "clear text"),
    ({"fallbackUsername": "u", "fallbackPassword": "p"}, "answerFallbackUrl", "only used"),
    ({"uui": "aGk=;encoding=base64"}, "uui", "SIP URI"),
    ({"machineDetection": {"mode": "sync", "callbackUrl": "https://c.example"}}, "machineDetection.callbackUrl",
     "async"),
    ({"machineDetection": {"silenceTimeout": 2.5}}, "machineDetection.silenceTimeout", "whole seconds"),
])
def test_warning_rules(values: dict[str, Any], path: str, words: str) -> None:
    result = validate(ADAPTER.schema, {**SEED_BODY, **values})
    assert result.ok, result.errors
    assert list(result.warnings) == [path] and words in result.warnings[path][0]


@pytest.mark.parametrize("values", [
    {"from": "+15555551212"},
    {"username": "u", "password": "p", "answerUrl": "https://a.example", "disconnectUrl": "https://d.example"},
    {"machineDetection": {"username": "u", "password": "p", "callbackUrl": "https://c.example"}},
    {"fallbackUsername": "u", "fallbackPassword": "p", "answerFallbackUrl": "https://f.example"},
    {"to": "sip:a@b.example", "uui": "aGk=;encoding=base64"},
    {"machineDetection": {"mode": "async", "callbackUrl": "https://c.example", "silenceTimeout": 2}},
])
def test_no_warning_when_advice_is_followed(values: dict[str, Any]) -> None:
    result = validate(ADAPTER.schema, {**SEED_BODY, **values})
    assert result.ok and not result.warnings, (result.errors, result.warnings)


# -- official specs ------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec_name", [OLD_SPEC, NEW_SPEC])
def test_minimal_request_matches_both_specs(spec_name: str) -> None:
    validate_request(spec_name, ADAPTER.build_create(ACCOUNT, checked(dict(SEED_BODY))), SPEC_SERVER)


def test_maximal_request_matches_newer_spec() -> None:
    values = checked(MAXIMAL)
    assert set(values) == {f.name for f in ADAPTER.schema.fields}
    assert set(values["machineDetection"]) == {c.name for c in ADAPTER.schema.field("machineDetection").children}
    validate_request(NEW_SPEC, ADAPTER.build_create(ACCOUNT, values), SPEC_SERVER)


def test_maximal_request_without_newer_features_matches_older_spec() -> None:
    values = {**MAXIMAL, "tag": "t" * 256, "uui": "aGk=;encoding=base64", "displayName": "John Doe"}
    del values["privacy"]
    validate_request(OLD_SPEC, ADAPTER.build_create(ACCOUNT, checked(values)), SPEC_SERVER)


def test_spec_validation_would_catch_a_bad_body() -> None:
    good = ADAPTER.build_create(ACCOUNT, checked(dict(SEED_BODY)))
    bad = replace(good, body=json.dumps({**SEED_BODY, "priority": 9}).encode())
    with pytest.raises(AssertionError, match="maximum"):
        validate_request(NEW_SPEC, bad, SPEC_SERVER)


@pytest.mark.parametrize("spec_name", [OLD_SPEC, NEW_SPEC])
@pytest.mark.parametrize("phase", [CallPhase.QUEUED, CallPhase.RINGING, CallPhase.ANSWERED])
def test_fetch_hangup_and_test_connection_match_specs(spec_name: str, phase: CallPhase) -> None:
    hangup = ADAPTER.build_hangup(ACCOUNT, call(phase))
    assert hangup is not None
    for request in (ADAPTER.build_fetch(ACCOUNT, call(phase)), hangup, ADAPTER.build_test_connection(ACCOUNT)):
        validate_request(spec_name, request, SPEC_SERVER)


# -- other requests ------------------------------------------------------------------------------------
@pytest.mark.parametrize("phase", [CallPhase.QUEUED, CallPhase.RINGING, CallPhase.ANSWERED, CallPhase.UNKNOWN])
def test_hangup_sets_state_completed(phase: CallPhase) -> None:
    request = ADAPTER.build_hangup(ACCOUNT, call(phase))
    assert request is not None
    assert (request.method, request.url, body_of(request)) == ("POST", CALL_URL, {"state": "completed"})
    assert request.auth is not None and request.auth.username == "api-user"


def test_no_hangup_for_an_ended_call() -> None:
    assert ADAPTER.build_hangup(ACCOUNT, call(CallPhase.ENDED)) is None


def test_fetch_and_test_connection() -> None:
    fetch = ADAPTER.build_fetch(ACCOUNT, call())
    assert (fetch.method, fetch.url, fetch.body) == ("GET", CALL_URL, b"")
    test = ADAPTER.build_test_connection(ACCOUNT)
    assert (test.method, test.url) == ("GET", f"{BASE}/accounts/55555555/calls?pageSize=1")
    assert test.auth is not None and test.auth.header() == "Basic " + base64.b64encode(b"api-user:api-pass").decode()


def test_call_url_elsewhere_is_not_trusted_with_credentials() -> None:
    for url in ("https://evil.example/api/v2/accounts/55555555/calls/x", None, f"{CALL_URL}?x=1"):
        assert ADAPTER.build_fetch(ACCOUNT, call(url=url)).url == CALL_URL


def test_account_id_and_call_id_are_escaped() -> None:
    account = Account("bandwidth", "55/55", secret="s", username="u")
    request = ADAPTER.build_fetch(account, CallResource("bandwidth", "c-1/../x", CallPhase.QUEUED, "queued"))
    assert request.url == f"{BASE}/accounts/55%2F55/calls/c-1%2F..%2Fx"


def test_credentials_only_over_https_except_loopback() -> None:
    plain = Account("bandwidth", "1", secret="s", username="u", base_url="http://voice.example.com/api/v2")
    values = checked(dict(SEED_BODY))
    for build in (lambda: ADAPTER.build_create(plain, values), lambda: ADAPTER.build_fetch(plain, call()),
                  lambda: ADAPTER.build_hangup(plain, call()), lambda: ADAPTER.build_test_connection(plain)):
        with pytest.raises(InsecureTransportError):
            build()
    local = Account("bandwidth", "1", secret="s", username="u", base_url="http://127.0.0.1:8080/bandwidth/")
    assert ADAPTER.build_create(local, values).url == "http://127.0.0.1:8080/bandwidth/accounts/1/calls"
    local_call = call(url="http://127.0.0.1:8080/bandwidth/accounts/1/calls/c-9")
    assert ADAPTER.build_hangup(local, local_call).url == local_call.url


# -- answers -------------------------------------------------------------------------------------------
def _example(name: str) -> dict[str, Any]:
    document = yaml.safe_load(spec_path(NEW_SPEC).read_text(encoding="utf-8"))
    return document["components"]["examples"][name]["value"]


def test_parse_create_spec_example() -> None:
    body = _example("createCallResponseExample")
    account = Account("bandwidth", "9900000", secret="s", username="u")
    result = ADAPTER.parse_create(answer(201, body, location=body["callUrl"]), account)
    assert (result.call_id, result.phase, result.provider_status) == (body["callId"], CallPhase.QUEUED, "queued")
    assert result.url == body["callUrl"]
    assert (result.from_number, result.to) == ("+19195554312", "+19195551234")
    assert result.created_at is not None and result.created_at.isoformat() == "2022-06-16T13:15:07.160000+00:00"
    assert result.raw == body and result.outcome is None


def test_parse_create_seed_response_with_start_time_and_location_only() -> None:
    body = {"accountId": "55555555", "from": "+19195551212", "to": "+19195551313", "callId": CALL_ID,
            "startTime": "2019-06-20T15:54:22.234Z", "callUrl": CALL_URL, "callTimeout": 30.0,
            "answerUrl": "http://www.myapp.com/hello", "answerMethod": "POST", "disconnectUrl": None, "tag": None}
    result = ADAPTER.parse_create(answer(201, body, location=CALL_URL), ACCOUNT)
    assert result.call_id == CALL_ID and result.created_at is not None and result.created_at.year == 2019
    bare = ADAPTER.parse_create(answer(201, b"", location=CALL_URL), ACCOUNT)
    assert (bare.call_id, bare.url, bare.phase) == (CALL_ID, CALL_URL, CallPhase.QUEUED)
    no_id = ADAPTER.parse_create(answer(201, {"from": "+1"}, location=CALL_URL), ACCOUNT)
    assert no_id.call_id == CALL_ID


@pytest.mark.parametrize("body", [b"", b"<html>ok</html>", b'{"callId": "c-1"', b"[1, 2]", b'{"callId": 5}',
                                  b'"c-1"'])
def test_parse_create_unreadable(body: bytes) -> None:
    with pytest.raises(ResponseFormatError):
        ADAPTER.parse_create(answer(201, body), ACCOUNT)


STATE = {
    "applicationId": "04e88489-df02-4e34-a0ee-27a91849555f", "accountId": "55555555", "callId": CALL_ID,
    "parentCallId": None, "to": "+19195551234", "from": "19195554321", "direction": "outbound",
    "enqueuedTime": "2022-06-16T13:15:07.160Z", "startTime": "2022-06-16T13:15:07.160Z",
    "answerTime": "2022-06-16T13:15:18.126Z", "endTime": "2022-06-16T13:15:48.626Z",
    "disconnectCause": "hangup", "errorMessage": None, "errorId": None, "lastUpdate": "2022-06-16T13:15:18.314Z",
}


@pytest.mark.parametrize(("state", "phase"), [("queued", CallPhase.QUEUED), ("initiated", CallPhase.RINGING),
                                              ("answered", CallPhase.ANSWERED), ("disconnected", CallPhase.ENDED),
                                              ("transferring", CallPhase.UNKNOWN)])
def test_parse_call_states(state: str, phase: CallPhase) -> None:
    body = {**STATE, "state": state}
    if state != "disconnected":
        body.update(endTime=None, disconnectCause=None)
    result = ADAPTER.parse_call(answer(200, body), ACCOUNT, call())
    assert (result.phase, result.provider_status, result.call_id, result.url) == (phase, state, CALL_ID, CALL_URL)
    assert (result.outcome is None) == (phase is not CallPhase.ENDED)


@pytest.mark.parametrize(("cause", "outcome"), [
    ("hangup", Outcome.COMPLETED), ("busy", Outcome.BUSY), ("timeout", Outcome.NO_ANSWER),
    ("cancel", Outcome.CANCELED), ("rejected", Outcome.REJECTED), ("callback-error", Outcome.FAILED),
    ("invalid-bxml", Outcome.FAILED), ("application-error", Outcome.FAILED), ("account-limit", Outcome.FAILED),
    ("node-capacity-exceeded", Outcome.FAILED), ("error", Outcome.FAILED), ("unknown", Outcome.FAILED),
    ("some-future-cause", Outcome.FAILED),
])
def test_parse_call_disconnect_causes(cause: str, outcome: Outcome) -> None:
    body = {**STATE, "state": "disconnected", "disconnectCause": cause}
    result = ADAPTER.parse_call(answer(200, body), ACCOUNT, call(CallPhase.ANSWERED))
    assert (result.phase, result.outcome, result.detail) == (CallPhase.ENDED, outcome, cause)


def test_parse_call_times_duration_and_error_detail() -> None:
    body = {**STATE, "state": "disconnected", "disconnectCause": "invalid-bxml",
            "errorMessage": "Invalid BXML: unknown verb", "errorId": "4642074b-7b58-478b-96e4-3a60955c6765"}
    result = ADAPTER.parse_call(answer(200, body), ACCOUNT, call(CallPhase.ANSWERED))
    assert result.duration == 30.5
    assert result.answered_at is not None and result.answered_at.second == 18
    assert result.ended_at is not None and result.created_at is not None and result.created_at.second == 7
    assert result.detail == "invalid-bxml: Invalid BXML: unknown verb"
    assert result.outcome is Outcome.FAILED and result.raw == body


def test_parse_call_without_cause() -> None:
    answered = {**STATE, "state": "disconnected", "disconnectCause": None}
    assert ADAPTER.parse_call(answer(200, answered), ACCOUNT, call()).outcome is Outcome.COMPLETED
    unanswered = {**answered, "answerTime": None}
    assert ADAPTER.parse_call(answer(200, unanswered), ACCOUNT, call()).outcome is Outcome.FAILED


def test_parse_call_bodiless_update_answer_keeps_the_call() -> None:
    before = call(CallPhase.ANSWERED)
    after = ADAPTER.parse_call(answer(200, b""), ACCOUNT, before)
    assert after == before and after is not before


@pytest.mark.parametrize("body", [b"<html></html>", b'{"state": ', b"[]", b"{}", b'{"state": 3}', b"null"])
def test_parse_call_unreadable(body: bytes) -> None:
    with pytest.raises(ResponseFormatError):
        ADAPTER.parse_call(answer(200, body), ACCOUNT, call())


# -- errors --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 415, 429, 500])
def test_parse_error_spec_examples(status: int) -> None:
    body = {"type": "validation", "description": "Invalid answerUrl: only http and https are allowed."}
    error = ADAPTER.parse_error(answer(status, body, retry_after="7"))
    assert (error.http_status, error.code, error.message) == (status, "validation", body["description"])
    assert error.field == "answerUrl" and error.raw == body and error.retry_after == 7.0
    assert error.hint


def test_parse_error_hints_and_id() -> None:
    body = {"type": "unauthorized", "description": "Authentication Failed", "id": "e-123"}
    error = ADAPTER.parse_error(answer(401, body))
    assert "API username and password" in error.hint and "e-123" in error.hint and error.field is None
    assert "7 days" in ADAPTER.parse_error(answer(404, {"type": "not-found", "description": "Call not found"})).hint
    limited = ADAPTER.parse_error(answer(429, {"type": "rate-limit", "description": "Too many requests"},
                                         retry_after="Wed, 21 Oct 2015 07:28:00 GMT"))
    assert limited.retry_after == 0.0 and "wait" in limited.hint.lower()


@pytest.mark.parametrize(("description", "field"), [
    ("Invalid to: must be an E.164 number or a SIP URI", "to"),
    ("'from' is not a number on your account", "from"),
    ("The from number is not enabled for voice", "from"),
    ("Failed to create the call", None),
    ("tag must not exceed 4096 characters", "tag"),
    ("callTimeout must be between 1 and 300", "callTimeout"),
    ("machineDetection.callbackUrl is not a valid URL", "machineDetection.callbackUrl"),
    ("Invalid callbackUrl", "machineDetection.callbackUrl"),
    ("username is required when password is set", "username"),
    ("Invalid fallbackPassword: too long", "fallbackPassword"),
    ("Application 1234 not found for this account", None),
    ("Invalid uui: only base64, jwt and hex encodings are allowed", "uui"),
])
def test_parse_error_field_from_description(description: str, field: str | None) -> None:
    error = ADAPTER.parse_error(answer(400, {"type": "validation", "description": description}))
    assert error.field == field
    if field is not None:
        assert ADAPTER.schema.field(field) is not None


@pytest.mark.parametrize("body", [
    b"", b"<html><head><title>502 Bad Gateway</title></head></html>", b'{"type": "valid',
    b'{"type": 5, "description": ["x"]}', b"[1, 2]", b"\xff\xfe", b"null", b'"text"', b"{}",
])
def test_parse_error_other_bodies(body: bytes) -> None:
    error = ADAPTER.parse_error(answer(502, body))
    assert isinstance(error, ProviderError) and error.http_status == 502 and error.message
    assert error.code is None


def test_parse_error_html_title() -> None:
    error = ADAPTER.parse_error(answer(503, b"<html><title>Service Unavailable</title></html>", retry_after="30"))
    assert "Service Unavailable" in error.message and error.retry_after == 30.0


# -- properties ----------------------------------------------------------------------------------------
junk = st.one_of(st.none(), st.text(max_size=12), st.integers(), st.floats(), st.booleans(),
                 st.lists(st.text(max_size=4), max_size=3),
                 st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2))


def _field_values(name: str, good: Any) -> st.SearchStrategy[Any]:
    return st.one_of(junk, st.just(good), st.just(SEED_BODY.get(name, good)))


field_strategies = {name: _field_values(name, value) for name, value in MAXIMAL.items() if name != "machineDetection"}
field_strategies["machineDetection"] = st.one_of(junk, st.fixed_dictionaries(
    {}, optional={k: _field_values(k, v) for k, v in MAXIMAL["machineDetection"].items()}))
values_strategy = st.fixed_dictionaries({}, optional=field_strategies)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values_strategy)
def test_property_validate_and_build_never_raise(values: dict[str, Any]) -> None:
    result = validate(ADAPTER.schema, values, "US")
    if result.ok:
        request = ADAPTER.build_create(ACCOUNT, result.values)
        assert body_of(request) == result.values


plausible_strategy = st.fixed_dictionaries(
    {k: st.sampled_from([v, " " + v]) for k, v in HTTPS_MIN.items()},
    optional={
        **{name: st.one_of(st.just(value), junk) for name, value in MAXIMAL.items()
           if name not in HTTPS_MIN and name != "machineDetection"},
        "machineDetection": st.fixed_dictionaries(
            {}, optional={k: st.one_of(st.just(v), junk) for k, v in MAXIMAL["machineDetection"].items()}),
    })


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plausible_strategy)
def test_property_valid_values_give_spec_conformant_requests(values: dict[str, Any]) -> None:
    """Whatever passes validation is sent as given and matches the newer spec."""
    result = validate(ADAPTER.schema, values, "US")
    if result.ok:
        request = ADAPTER.build_create(ACCOUNT, result.values)
        assert body_of(request) == result.values
        validate_request(NEW_SPEC, request, SPEC_SERVER)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=10)
state_like = st.fixed_dictionaries({}, optional={k: st.one_of(json_values, st.just(v)) for k, v in
                                                 {**STATE, "state": "answered"}.items()})


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=60), json_values.map(lambda v: json.dumps(v).encode()),
                 state_like.map(lambda v: json.dumps(v).encode())),
       st.sampled_from([400, 401, 404, 429, 500, 502]), st.text(max_size=12))
def test_property_parse_error_never_raises(body: bytes, status: int, retry: str) -> None:
    error = ADAPTER.parse_error(HttpResponse(status, {"retry-after": retry}, body))
    assert isinstance(error, ProviderError) and error.http_status == status


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=60), json_values.map(lambda v: json.dumps(v).encode()),
                 state_like.map(lambda v: json.dumps(v).encode())),
       st.one_of(st.none(), st.text(max_size=30), st.just(CALL_URL)))
def test_property_parsers_only_raise_response_format_error(body: bytes, location: str | None) -> None:
    response = HttpResponse(200, {"location": location} if location is not None else {}, body)
    for parse in (lambda: ADAPTER.parse_create(response, ACCOUNT),
                  lambda: ADAPTER.parse_call(response, ACCOUNT, call())):
        try:
            result = parse()
        except ResponseFormatError:
            continue
        assert isinstance(result, CallResource) and result.call_id
