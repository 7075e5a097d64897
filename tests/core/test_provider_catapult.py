"""Bandwidth legacy "Catapult" Voice API v1: schema, exact requests, answers, errors.

There is no OpenAPI file for Catapult; its reference is Markdown (Bandwidth/ap-docs, copied to
../shared/specs/catapult_v1_docs) plus the product seed 002.  The doc-driven tests below parse the
parameter table and the curl examples out of those pages and skip when the pages are absent.
"""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launcher.core.errors import ConfigError, InsecureTransportError, ProviderError, ResponseFormatError
from launcher.core.http import HttpResponse, json_body
from launcher.core.models import Account, CallPhase, CallResource, Outcome
from launcher.core.providers import get_adapter
from launcher.core.providers.catapult import ADAPTER, CatapultAdapter
from launcher.core.schema import Endpoint, FieldKind
from launcher.core.validate import validate
from tests.support.openapi import SEEDS_DIR, SPECS_DIR, require_document

DOCS_DIR = SPECS_DIR / "catapult_v1_docs"
SEED = SEEDS_DIR / "002_f45e18ea498bd844.txt"
BASE = "https://api.catapult.inetwork.com"
ACCOUNT = Account("catapult", "u-abc123", secret="s3cret", username="t-token")
CALLS_URL = f"{BASE}/v1/users/u-abc123/calls"
AUTH_HEADER = "Basic " + base64.b64encode(b"t-token:s3cret").decode()
FROM = "+19195551212"
TO = "+19195551213"
MINIMAL = {"from": FROM, "to": TO}


def doc(name: str) -> str:
    return require_document(DOCS_DIR / name).read_text(encoding="utf-8")


def create_docs() -> list[Path]:
    return [DOCS_DIR / "methods_calls_postCalls.md", SEED]


def valid(values: dict[str, Any]) -> dict[str, Any]:
    result = validate(ADAPTER.schema, values)
    assert result.errors == {}, result.errors
    return result.values


def errors_for(values: dict[str, Any]) -> dict[str, list[str]]:
    return validate(ADAPTER.schema, values).errors


def sent_json(values: dict[str, Any]) -> Any:
    return json.loads(ADAPTER.build_create(ACCOUNT, valid(values)).body)


# -- registry and account ----------------------------------------------------------------------------------
def test_registered_with_its_identity() -> None:
    adapter = get_adapter("catapult")
    assert isinstance(adapter, CatapultAdapter)
    assert (adapter.name, adapter.order) == ("Bandwidth Catapult v1", 2)
    spec = adapter.account
    assert (spec.account_label, spec.username_label, spec.secret_label) == ("User ID", "API token", "API secret")
    assert spec.default_base_url == BASE and spec.auth_scheme == "basic"
    assert spec.account_pattern and re.fullmatch(spec.account_pattern, "u-ixtm6rvmbo4pfu4qvmtsjwi")
    assert not re.fullmatch(spec.account_pattern, "c-123")


def test_meanings_point_at_the_right_fields() -> None:
    schema = ADAPTER.schema
    expected = {"to": "to", "from": "from", "ring_timeout": "callTimeout", "status_url": "callbackUrl",
                "tag": "tag", "sip_headers": "sipHeaders", "record": "recordingEnabled"}
    assert {meaning: schema.by_meaning(meaning) for meaning in expected} == expected
    assert schema.by_meaning("answer_url") is None


# -- the parameter table of the docs and the seed ------------------------------------------------------------
def parameter_table(text: str) -> dict[str, tuple[str, str]]:
    """{name: (description, mandatory)} from the "Supported Parameters" table."""
    section = text.split("### Supported Parameters", 1)[1].split("{% common %}", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Parameter", "") or cells[0].startswith(":-"):
            continue
        rows[cells[0]] = (cells[1], cells[2])
    return rows


@pytest.mark.parametrize("path", create_docs(), ids=lambda p: p.name)
def test_schema_fields_equal_the_documented_parameters(path: Path) -> None:
    table = parameter_table(require_document(path).read_text(encoding="utf-8"))
    assert len(table) == 15
    assert [spec.name for spec in ADAPTER.schema.fields] == list(table)
    for name, (description, mandatory) in table.items():
        spec = ADAPTER.schema.field(name)
        assert spec is not None
        assert spec.required is (mandatory == "Yes"), name
        checked = 0
        if m := re.search(r"\*\*Default\*\* Time: `(\d+)`", description):
            assert spec.default == int(m.group(1)), name
            checked += 1
        if m := re.search(r"\*\*Maximum\*\* Time: `(\d+)`", description):
            assert spec.maximum == int(m.group(1)), name
        if m := re.search(r"default is `([^`]+)`", description, re.IGNORECASE):
            assert str(spec.default).lower() == m.group(1).lower(), name
            checked += 1
        if m := re.search(r"`([^`]+)` \(default\)", description):
            assert spec.default == m.group(1), name
            checked += 1
        if m := re.search(r"Default value is (\d+) hour", description):
            assert spec.default == int(m.group(1)) * 3600, name
            checked += 1
        if "default" in description.lower():
            assert checked == 1, f"{name}: a documented default was not compared"
        if m := re.search(r"[Vv]alues are (.*)", description):
            assert set(re.findall(r"`([^`]+)`", m.group(1))) == set(spec.choices), name
        if m := re.search(r"Up to (\d+) headers", description):
            assert spec.max_items == int(m.group(1))
        if re.search(r"in milliseconds", description):
            assert spec.unit == "ms", name
        elif re.search(r"in seconds", description):
            assert spec.unit == "s", name
        if "E.164" in description:
            assert spec.kind is FieldKind.PHONE and Endpoint.E164 in spec.endpoints
            assert (Endpoint.SIP in spec.endpoints) is ("SIP URI" in description), name


def test_sip_header_length_comes_from_the_call_resource_doc() -> None:
    text = doc("methods_calls_getCallsCallId.md")
    m = re.search(r"Max length for header and value is (\d+) characters", text)
    assert m is not None
    spec = ADAPTER.schema.field("sipHeaders")
    assert spec is not None and spec.item_max_length == int(m.group(1))
    name = "X-" + "a" * (int(m.group(1)) - 2)
    assert errors_for({**MINIMAL, "sipHeaders": {name: "v"}}) == {}
    assert "sipHeaders" in errors_for({**MINIMAL, "sipHeaders": {name + "a": "v"}})


# -- the examples of the docs, built exactly --------------------------------------------------------------
PLACEHOLDERS = {
    "{fromNumber}": FROM,
    "{toNumber}": TO,
    "{sip:someone@somewhere.com:}": "sip:someone@somewhere.com",
    "{bridgeId}": "brg-65dhjwrmbasiei",
}


def curl_examples(text: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, body) of every curl command that posts to .../calls."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL):
        for command in re.split(r"(?=curl )", block):
            head = re.search(r"curl\s.*?-X (\w+) (\S+)", command)
            body = re.search(r"-d\s*'(.*?)'", command, re.DOTALL)
            if head and body and head.group(2).endswith("/calls"):
                found.append((head.group(1), head.group(2), json.loads(body.group(1))))
    return found


def substitute(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: substitute(item) for key, item in value.items()}
    if isinstance(value, str) and re.fullmatch(r"\{[^{}\"]+\}", value):
        assert value in PLACEHOLDERS, f"unknown placeholder {value}"
        return PLACEHOLDERS[value]
    return value


@pytest.mark.parametrize("path", create_docs(), ids=lambda p: p.name)
def test_every_documented_example_builds_exactly(path: Path) -> None:
    examples = curl_examples(require_document(path).read_text(encoding="utf-8"))
    assert len(examples) == 6
    for method, url, body in examples:
        values = substitute(body)
        request = ADAPTER.build_create(ACCOUNT, valid(values))
        assert request.method == method == "POST"
        assert request.url == url.replace("{userId}", ACCOUNT.account_id) == CALLS_URL
        # The curl samples quote booleans ("recordingEnabled": "true"); the JS/C#/Ruby samples and the
        # call resource use JSON true/false, which is what the launcher sends.
        expected = {key: (value == "true" if ADAPTER.schema.field(key).kind is FieldKind.BOOL
                          else value) for key, value in values.items()}
        assert request.body == json_body(expected)


SEED_EXAMPLES = [
    ({"from": FROM, "to": TO}, {"from": FROM, "to": TO}),
    ({"from": FROM, "to": "sip:someone@somewhere.com", "sipHeaders": {"X-Header-1": "value1", "X-Header-2": "value2"}},
     {"from": FROM, "to": "sip:someone@somewhere.com", "sipHeaders": {"X-Header-1": "value1", "X-Header-2": "value2"}}),
    ({"from": FROM, "to": TO, "recordingEnabled": "true"}, {"from": FROM, "to": TO, "recordingEnabled": True}),
    ({"from": FROM, "to": TO, "bridgeId": "brg-65dhjwrmbasiei"},
     {"from": FROM, "to": TO, "bridgeId": "brg-65dhjwrmbasiei"}),
    ({"from": FROM, "to": TO, "callbackUrl": "http://google.com", "callbackHttpMethod": "GET",
      "fallbackUrl": "http://bing.com"},
     {"from": FROM, "to": TO, "callbackUrl": "http://google.com", "callbackHttpMethod": "GET",
      "fallbackUrl": "http://bing.com"}),
    ({"from": FROM, "to": TO, "tag": '{ "context": "key" }'}, {"from": FROM, "to": TO, "tag": '{ "context": "key" }'}),
]


@pytest.mark.parametrize(("values", "body"), SEED_EXAMPLES)
def test_seed_examples_reproduced_exactly(values: dict[str, Any], body: dict[str, Any]) -> None:
    request = ADAPTER.build_create(ACCOUNT, valid(values))
    assert (request.method, request.url) == ("POST", CALLS_URL)
    headers = dict(request.all_headers(reveal=True))
    assert headers["Authorization"] == AUTH_HEADER
    assert headers["Content-Type"] == "application/json"
    assert request.body == json_body(body)


def test_maximal_request_sends_every_field_typed() -> None:
    values = {
        "from": "+1 (919) 555-1212", "to": "sip:someone@somewhere.com", "callTimeout": "300",
        "callbackUrl": "https://example.com/events", "callbackTimeout": 10000, "callbackHttpMethod": "get",
        "fallbackUrl": "https://example.com/fallback", "conferenceId": "conf-7qrj2t3lfixl4cgjcdonkna",
        "recordingEnabled": True, "recordingMaxDuration": 600, "recordingFileFormat": "MP3",
        "transcriptionEnabled": "yes", "tag": "ticket-42", "sipHeaders": {"X-Ticket": 42, "X-Vip": True},
    }
    assert sent_json(values) == {
        "from": FROM, "to": "sip:someone@somewhere.com", "callTimeout": 300,
        "callbackUrl": "https://example.com/events", "callbackTimeout": 10000, "callbackHttpMethod": "GET",
        "fallbackUrl": "https://example.com/fallback", "conferenceId": "conf-7qrj2t3lfixl4cgjcdonkna",
        "recordingEnabled": True, "recordingMaxDuration": 600, "recordingFileFormat": "mp3",
        "transcriptionEnabled": True, "tag": "ticket-42", "sipHeaders": {"X-Ticket": "42", "X-Vip": "true"},
    }
    bridge = sent_json({**MINIMAL, "bridgeId": "brg-1"})
    assert bridge == {**MINIMAL, "bridgeId": "brg-1"}


def test_defaults_are_not_sent() -> None:
    assert sent_json(MINIMAL) == MINIMAL
    assert all(spec.default is None or spec.name not in sent_json(MINIMAL) for spec in ADAPTER.schema.fields)


# -- per-field constraints ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "ok", "bad"), [
    ("callTimeout", [1, 300], [0, 301, -5]),
    ("callbackTimeout", [1, 10000], [0, 10001]),
    ("recordingMaxDuration", [1, 3600, 86400], [0, -1]),
    ("callbackHttpMethod", ["GET", "POST", "post"], ["PUT", "DELETE"]),
    ("recordingFileFormat", ["wav", "mp3"], ["ogg", "wave"]),
    ("recordingEnabled", [True, False, "true"], ["maybe", 2]),
    ("transcriptionEnabled", [True, "false"], ["sometimes"]),
    ("callbackUrl", ["https://example.com/e", "http://google.com"], ["example.com/e", "ftp://x.com/"]),
    ("fallbackUrl", ["https://example.com/f"], ["not a url"]),
    ("from", [FROM, "+442071838750"], ["sip:someone@somewhere.com", "12345", "+1919555121299999"]),
    ("to", [TO, "sip:someone@somewhere.com", "sip:alice@10.0.0.1:5060"], ["sips:someone@somewhere.com", "bob",
                                                                          "sip:"]),
])
def test_field_bounds(name: str, ok: list[Any], bad: list[Any]) -> None:
    for value in ok:
        assert name not in errors_for({**MINIMAL, name: value}), (name, value)
    for value in bad:
        assert name in errors_for({**MINIMAL, name: value}), (name, value)


@pytest.mark.parametrize("field", ["from", "to"])
def test_from_and_to_are_required(field: str) -> None:
    values = dict(MINIMAL)
    del values[field]
    assert errors_for(values)[field] == [f"{ADAPTER.schema.field(field).label} is required."]


def headers(count: int) -> dict[str, str]:
    return {f"X-Header-{i}": f"value{i}" for i in range(count)}


@pytest.mark.parametrize(("value", "ok"), [
    (headers(5), True),
    (headers(6), False),
    ({"X-A": "v" * 256}, True),
    ({"X-A": "v" * 257}, False),
    ({"X-" + "n" * 254: "v"}, True),
    ({"X-" + "n" * 255: "v"}, False),
    ({"Header-1": "v"}, False),
    ({"X-": "v"}, False),
    ({"X-Bad Name": "v"}, False),
    ({"P-Asserted-Identity": "v"}, False),
    ({"X-A": ["list"]}, False),
])
def test_sip_header_limits(value: dict[str, Any], ok: bool) -> None:
    values = {"from": FROM, "to": "sip:someone@somewhere.com", "sipHeaders": value}
    assert ("sipHeaders" not in errors_for(values)) is ok


def test_sips_rejected_with_advice_on_to() -> None:
    assert errors_for({**MINIMAL, "to": "SIPS:someone@somewhere.com"})["to"] == [
        "SIPS is not supported by Catapult; use a sip: URI, like sip:someone@somewhere.com."]


# -- cross-field rules --------------------------------------------------------------------------------------
def test_bridge_and_conference_exclude_each_other() -> None:
    both = errors_for({**MINIMAL, "bridgeId": "brg-1", "conferenceId": "conf-1"})
    assert set(both) == {"bridgeId", "conferenceId"}
    assert "not both" in both["bridgeId"][0]
    assert errors_for({**MINIMAL, "bridgeId": "brg-1"}) == {}
    assert errors_for({**MINIMAL, "conferenceId": "conf-1"}) == {}


def warnings_for(values: dict[str, Any]) -> dict[str, list[str]]:
    result = validate(ADAPTER.schema, values)
    assert result.errors == {}
    return result.warnings


@pytest.mark.parametrize(("extra", "warned"), [
    ({"callbackTimeout": 5000, "callbackHttpMethod": "GET", "fallbackUrl": "https://e.com/f"},
     {"callbackTimeout", "callbackHttpMethod", "fallbackUrl"}),
    ({"callbackUrl": "https://e.com/c", "callbackTimeout": 5000, "callbackHttpMethod": "GET",
      "fallbackUrl": "https://e.com/f"}, set()),
    ({"recordingMaxDuration": 60, "recordingFileFormat": "mp3", "transcriptionEnabled": True},
     {"recordingMaxDuration", "recordingFileFormat", "transcriptionEnabled"}),
    ({"recordingEnabled": False, "recordingFileFormat": "mp3"}, {"recordingFileFormat"}),
    ({"recordingEnabled": True, "recordingMaxDuration": 60, "recordingFileFormat": "mp3",
      "transcriptionEnabled": True}, set()),
    ({"transcriptionEnabled": False}, set()),
    ({"sipHeaders": {"X-A": "1"}}, {"sipHeaders"}),
    ({"to": "sip:someone@somewhere.com", "sipHeaders": {"X-A": "1"}}, set()),
])
def test_warning_rules(extra: dict[str, Any], warned: set[str]) -> None:
    assert set(warnings_for({**MINIMAL, **extra})) == warned


def test_warning_messages_say_what_to_do() -> None:
    warnings = warnings_for({**MINIMAL, "fallbackUrl": "https://e.com/f", "transcriptionEnabled": True,
                             "sipHeaders": {"X-A": "1"}})
    assert warnings["fallbackUrl"] == ["Only used together with a Callback URL; set Callback URL too."]
    assert "turn on Record call" in warnings["transcriptionEnabled"][0]
    assert "SIP URI" in warnings["sipHeaders"][0]


# -- fetch, hang up, test connection, transport -----------------------------------------------------------
def call(phase: CallPhase, raw: dict[str, Any] | None = None, call_id: str = "c-123") -> CallResource:
    return CallResource("catapult", call_id, phase, "x", raw=raw or {})


def test_fetch_request() -> None:
    request = ADAPTER.build_fetch(ACCOUNT, call(CallPhase.RINGING, call_id="c-a/b"))
    assert (request.method, request.url, request.body) == ("GET", f"{CALLS_URL}/c-a%2Fb", b"")
    assert dict(request.all_headers(reveal=True))["Authorization"] == AUTH_HEADER


@pytest.mark.parametrize(("phase", "raw", "state"), [
    (CallPhase.QUEUED, {}, "completed"),
    (CallPhase.RINGING, {"direction": "out"}, "completed"),
    (CallPhase.RINGING, {}, "completed"),
    (CallPhase.RINGING, {"direction": "in"}, "rejected"),
    (CallPhase.ANSWERED, {"direction": "out"}, "completed"),
    (CallPhase.ANSWERED, {"direction": "in"}, "completed"),
    (CallPhase.UNKNOWN, {}, "completed"),
    (CallPhase.ENDED, {}, None),
])
def test_hangup_per_state(phase: CallPhase, raw: dict[str, Any], state: str | None) -> None:
    request = ADAPTER.build_hangup(ACCOUNT, call(phase, raw))
    if state is None:
        assert request is None
        return
    assert request is not None
    assert (request.method, request.url) == ("POST", f"{CALLS_URL}/c-123")
    assert request.content_type() == "application/json"
    assert json.loads(request.body) == {"state": state}


def test_test_connection_lists_one_call() -> None:
    request = ADAPTER.build_test_connection(ACCOUNT)
    assert (request.method, request.url, request.body) == ("GET", f"{CALLS_URL}?size=1", b"")
    assert dict(request.all_headers(reveal=True))["Authorization"] == AUTH_HEADER


def test_credentials_never_over_plain_http_to_remote_hosts() -> None:
    remote = ACCOUNT.with_base_url("http://api.catapult.inetwork.com")
    for build in (lambda a: ADAPTER.build_create(a, valid(MINIMAL)), ADAPTER.build_test_connection,
                  lambda a: ADAPTER.build_fetch(a, call(CallPhase.RINGING)),
                  lambda a: ADAPTER.build_hangup(a, call(CallPhase.ANSWERED))):
        with pytest.raises(InsecureTransportError):
            build(remote)
    local = ADAPTER.build_create(ACCOUNT.with_base_url("http://127.0.0.1:8765/"), valid(MINIMAL))
    assert local.url == "http://127.0.0.1:8765/v1/users/u-abc123/calls"
    assert ADAPTER.build_test_connection(ACCOUNT.with_base_url("http://localhost:9000")).url.startswith(
        "http://localhost:9000/v1/users/u-abc123/calls")


def test_missing_user_id_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="User ID"):
        ADAPTER.build_create(Account("catapult", "", secret="s", username="t"), valid(MINIMAL))


# -- parse_create -------------------------------------------------------------------------------------------
def test_create_answer_is_201_with_location_only() -> None:
    location = f"{CALLS_URL}/c-7xy4hfo2inlgadmpfk5ctmy"
    resource = ADAPTER.parse_create(HttpResponse(201, {"location": location}, b""), ACCOUNT)
    assert resource.call_id == "c-7xy4hfo2inlgadmpfk5ctmy"
    assert (resource.phase, resource.provider_status, resource.outcome) == (CallPhase.RINGING, "started", None)
    assert resource.url == location
    assert resource.raw == {"id": "c-7xy4hfo2inlgadmpfk5ctmy", "location": location}


def test_create_url_is_rebuilt_on_the_profile_base_url() -> None:
    """Never follow a Location to another host with the credentials."""
    resource = ADAPTER.parse_create(
        HttpResponse(201, {"location": "https://elsewhere.example/v1/users/u-abc123/calls/c-1"}), ACCOUNT)
    assert resource.url == f"{CALLS_URL}/c-1"
    assert resource.raw["location"] == "https://elsewhere.example/v1/users/u-abc123/calls/c-1"


def test_create_with_an_unexpected_body_still_uses_location() -> None:
    resource = ADAPTER.parse_create(HttpResponse(201, {"location": f"{CALLS_URL}/c-9"}, b"<html>ok"), ACCOUNT)
    assert resource.call_id == "c-9"


def test_create_body_with_a_call_resource() -> None:
    body = {"id": "c-5", "state": "active", "from": FROM, "to": TO, "activeTime": "2014-12-19T19:13:20Z"}
    resource = ADAPTER.parse_create(HttpResponse(201, {}, json.dumps(body).encode()), ACCOUNT)
    assert (resource.call_id, resource.phase, resource.from_number, resource.to) == ("c-5", CallPhase.ANSWERED,
                                                                                       FROM, TO)


@pytest.mark.parametrize(("headers", "body"), [
    ({}, b""),
    ({"location": f"{CALLS_URL}/"}, b""),
    ({"location": ""}, b"{}"),
    ({}, b"[1, 2]"),
    ({}, b'{"id": 5}'),
    ({}, b"not json"),
])
def test_create_without_call_id_is_a_format_error(headers: dict[str, str], body: bytes) -> None:
    with pytest.raises(ResponseFormatError, match="Location"):
        ADAPTER.parse_create(HttpResponse(201, headers, body), ACCOUNT)


# -- parse_call ---------------------------------------------------------------------------------------------
DOC_CALL = {
    "activeTime": "2014-12-19T19:13:20Z",
    "callbackUrl": "https://example.com",
    "chargeableDuration": 60,
    "direction": "out",
    "endTime": "2014-12-19T19:13:22Z",
    "events": "https://.../calls/{callId}/events",
    "fallbackUrl": "https://example-fallback.com",
    "from": "{fromNumber}",
    "id": "{callId}",
    "recordingEnabled": False,
    "recordings": "https://.../calls/{callId}/recordings",
    "startTime": "2014-12-19T19:13:09Z",
    "state": "completed",
    "to": "{toNumber}",
    "transcriptionEnabled": True,
    "transcriptions": "https://.../calls/{callId}/transcriptions",
    "sipHeaders": {"X-header": "value"},
}
PREVIOUS = CallResource("catapult", "c-123", CallPhase.RINGING, "started")


def parse(body: Any, status: int = 200) -> CallResource:
    return ADAPTER.parse_call(HttpResponse(status, {"content-type": "application/json"}, json.dumps(body).encode()),
                              ACCOUNT, PREVIOUS)


def test_doc_example_matches_the_doc_file() -> None:
    text = doc("methods_calls_getCallsCallId.md")
    block = re.findall(r"```json\n(.*?)```", text, re.DOTALL)[-1]
    assert json.loads(block) == DOC_CALL


def test_parse_documented_call_resource() -> None:
    body = {**DOC_CALL, "id": "c-123", "from": FROM, "to": TO}
    resource = parse(body)
    assert (resource.phase, resource.outcome, resource.provider_status) == (CallPhase.ENDED, Outcome.COMPLETED,
                                                                            "completed")
    assert (resource.from_number, resource.to, resource.call_id) == (FROM, TO, "c-123")
    assert resource.created_at is not None and resource.created_at.isoformat() == "2014-12-19T19:13:09+00:00"
    assert resource.answered_at is not None and resource.answered_at.isoformat() == "2014-12-19T19:13:20+00:00"
    assert resource.ended_at is not None and resource.ended_at.isoformat() == "2014-12-19T19:13:22+00:00"
    assert resource.duration == 2.0  # talk time; chargeableDuration (60, billed) stays in raw
    assert resource.url == f"{CALLS_URL}/c-123"
    assert resource.raw == body and resource.final


@pytest.mark.parametrize(("body", "phase", "outcome"), [
    ({"state": "started"}, CallPhase.RINGING, None),
    ({"state": "active", "activeTime": "2014-12-19T19:13:20Z"}, CallPhase.ANSWERED, None),
    ({"state": "transferring"}, CallPhase.ANSWERED, None),
    ({"state": "completed", "activeTime": "2014-12-19T19:13:20Z"}, CallPhase.ENDED, Outcome.COMPLETED),
    ({"state": "completed", "chargeableDuration": 60}, CallPhase.ENDED, Outcome.COMPLETED),
    ({"state": "completed", "chargeableDuration": 0}, CallPhase.ENDED, Outcome.NO_ANSWER),
    ({"state": "completed"}, CallPhase.ENDED, Outcome.NO_ANSWER),
    ({"state": "rejected"}, CallPhase.ENDED, Outcome.REJECTED),
    ({"state": "completed", "cause": "USER_BUSY"}, CallPhase.ENDED, Outcome.BUSY),
    ({"state": "completed", "cause": "NO_ANSWER"}, CallPhase.ENDED, Outcome.NO_ANSWER),
    ({"state": "completed", "cause": "ORIGINATOR_CANCEL"}, CallPhase.ENDED, Outcome.CANCELED),
    ({"state": "completed", "cause": "CALL_REJECTED"}, CallPhase.ENDED, Outcome.REJECTED),
    ({"state": "completed", "cause": "UNALLOCATED_NUMBER"}, CallPhase.ENDED, Outcome.FAILED),
    ({"state": "completed", "cause": "NORMAL_TEMPORARY_FAILURE"}, CallPhase.ENDED, Outcome.FAILED),
    ({"state": "completed", "cause": "NORMAL_CLEARING"}, CallPhase.ENDED, Outcome.COMPLETED),
    ({"state": "completed", "endReason": "SOMETHING_INTERNAL"}, CallPhase.ENDED, Outcome.FAILED),
    ({"state": "error"}, CallPhase.UNKNOWN, None),
])
def test_state_mapping(body: dict[str, Any], phase: CallPhase, outcome: Outcome | None) -> None:
    resource = parse({"id": "c-123", **body})
    assert (resource.phase, resource.outcome, resource.provider_status) == (phase, outcome, body["state"])
    assert resource.detail == (body.get("cause") or body.get("endReason"))


def test_parse_call_keeps_the_previous_id_when_the_body_has_none() -> None:
    assert parse({"state": "active"}).call_id == "c-123"


@pytest.mark.parametrize("body", [b"", b"<html><title>502 Bad Gateway</title></html>", b'{"state": "act',
                                  b"[]", b'{"id": "c-1"}', b'{"state": 3}', b'{"state": ""}', b"\xff\xfe"])
def test_unreadable_call_bodies(body: bytes) -> None:
    with pytest.raises(ResponseFormatError):
        ADAPTER.parse_call(HttpResponse(200, {}, body), ACCOUNT, PREVIOUS)


# -- parse_error --------------------------------------------------------------------------------------------
CALL_RATE_LIMIT = {  # rateLimits/callRateLimits.md
    "category": "limit",
    "code": "call-rate-limit",
    "message": "You can create 1 calls per 1 seconds, calculated as the average over 10 seconds. Your rate is: 1.1",
    "details": [
        {"name": "requestMethod", "value": "POST"},
        {"name": "remoteAddress", "value": "216.82.234.65"},
        {"name": "requestPath", "value": "users/u-asdf/calls"},
    ],
}
TOO_MANY = {  # rateLimits/resourceRateLimits.md
    "category": "too-many-requests",
    "code": "rate-limit-reached",
    "details": [
        {"name": "rateLimitResetTime", "value": "1479308598680"},
        {"name": "requestMethod", "value": "GET"},
        {"name": "remoteAddress", "value": "0:0:0:0:0:0:0:1"},
        {"name": "requestPath", "value": "users/{{userId}}/account"},
    ],
}


def error(status: int, body: Any, headers: dict[str, str] | None = None) -> ProviderError:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return ADAPTER.parse_error(HttpResponse(status, headers or {}, raw))


def test_doc_error_samples_match_the_doc_files() -> None:
    for name, sample in (("rateLimits_callRateLimits.md", CALL_RATE_LIMIT),
                         ("rateLimits_resourceRateLimits.md", TOO_MANY)):
        block = re.search(r"```http\n.*?\n\n(\{.*\})\s*```", doc(name), re.DOTALL)
        assert block is not None
        assert json.loads(block.group(1)) == sample


def test_call_rate_limit() -> None:
    err = error(403, CALL_RATE_LIMIT)
    assert (err.http_status, err.code, err.message) == (403, "call-rate-limit", CALL_RATE_LIMIT["message"])
    assert "1 call per second" in err.hint and "Wait" in err.hint
    assert err.retry_after == 1.0
    assert err.field is None and err.raw == CALL_RATE_LIMIT


def test_too_many_requests_uses_x_ratelimit_reset() -> None:
    reset = int((time.time() + 30) * 1000)
    err = error(429, TOO_MANY, {"x-ratelimit-reset": str(reset)})
    assert (err.http_status, err.code) == (429, "rate-limit-reached")
    assert err.message == "Too many requests (rate-limit-reached)."
    assert err.retry_after is not None and 20 < err.retry_after <= 30.5
    assert err.hint.startswith("Too many API requests")
    assert error(429, TOO_MANY).retry_after == 0.0  # the sample's reset time lies in the past
    assert error(429, TOO_MANY, {"retry-after": "7"}).retry_after == 7.0


def test_empty_429_still_reads_the_reset_header() -> None:
    reset = int((time.time() + 60) * 1000)
    err = error(429, b"", {"x-ratelimit-reset": str(reset)})
    assert err.retry_after is not None and 50 < err.retry_after <= 60.5
    assert err.hint.startswith("Too many requests")


@pytest.mark.parametrize(("status", "body", "field", "hint_part"), [
    (400, {"category": "bad-request", "code": "validation-error",
           "message": "The call resource property callTimeout exceeds the limit of 300"}, "callTimeout", "fields"),
    (400, {"category": "bad-request", "code": "validation-error",
           "message": "The `call` resource property `recordingFileFormat` must be one of the following values: "
                      "`wav, mp3`"}, "recordingFileFormat", "fields"),
    (400, {"category": "bad-request", "code": "validation-error",
           "message": "Invalid callbackUrl URL. callbackUrl is not a valid URL"}, "callbackUrl", "fields"),
    (400, {"category": "bad-request", "code": "callback-url-invalid",
           "message": "The callback URL foo is not a valid URL"}, "callbackUrl", "Callback URL"),
    (400, {"category": "bad-request", "code": "validation-error", "message": "Bad parameters",
           "details": [{"name": "sipHeaders", "value": "X-A"}]}, "sipHeaders", "fields"),
    (401, {"category": "authorization", "code": "number-access-denied",
           "message": "User u-abc123 does not have permission to use number +19195551212"}, "from", "From"),
    (401, {"category": "authorization", "code": "user-access-denied",
           "message": "User u-x does not have permission to access user u-abc123"}, None, "User ID"),
    (403, {"category": "forbidden", "code": "invalid-call-to-number",
           "message": "Cannot make a call to number +1900"}, "to", "To"),
    (403, {"category": "forbidden", "code": "invalid-destination-number",
           "message": "You are not allowed to call the country/region you are trying to reach."}, "to",
     "international"),
    (403, {"category": "credit", "code": "insufficient-available-balance",
           "message": "Your account's available balance of 0.00 is insufficient"}, None, "funds"),
    (403, {"category": "forbidden", "code": "maximum-recording-value-request",
           "message": "Recording call maximum duration cannot exceed 7200 seconds."}, "recordingMaxDuration", ""),
    (403, {"category": "forbidden", "code": "call-invalid-state",
           "message": "Unable to update call c-1. Invalid call state completed"}, None, "already ended"),
    (404, {"category": "not-found", "code": "call-not-found", "message": "The call c-1 could not be found"},
     None, "User ID"),
    (404, {"category": "not-found", "code": "conference-not-found",
           "message": "The conference conf-1 could not be found"}, "conferenceId", "account id"),
    (404, {"category": "not-found", "code": "bridge-not-found", "message": "The bridge brg-1 could not be found"},
     "bridgeId", "account id"),
    (409, {"category": "conflict", "code": "call-update-conflict",
           "message": "The call c-1 could not be updated because another update was is progress"}, None, "moment"),
    (503, {"category": "unavailable", "code": "call-creation-failure",
           "message": "A call from +19195551212 to +19195551213 could not be created"}, None, "From and To"),
])
def test_provider_error_bodies(status: int, body: dict[str, Any], field: str | None, hint_part: str) -> None:
    err = error(status, body)
    assert (err.http_status, err.code, err.message, err.field) == (status, body["code"], body["message"], field)
    assert hint_part in err.hint
    assert err.raw == body


@pytest.mark.parametrize(("status", "body", "text"), [
    (502, b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "502 Bad Gateway"),
    (500, b"", "(empty body)"),
    (400, b'{"category": "bad-request", "code": "valid', "valid"),
    (401, b"[]", "[]"),
    (400, b'{"code": 5, "message": ["x"], "category": null}', "HTTP 400"),
    (403, b"\xff\xfe\x00", "HTTP 403"),
    (400, b'"just a string"', "just a string"),
])
def test_foreign_error_bodies_give_a_clear_error(status: int, body: bytes, text: str) -> None:
    err = error(status, body)
    assert err.http_status == status and text in err.message
    assert err.code is None and err.field is None


def test_wrong_typed_parts_are_ignored() -> None:
    err = error(400, {"code": "validation-error", "message": 12, "details": "oops"})
    assert (err.code, err.message) == ("validation-error", "HTTP 400 (validation-error).")
    err = error(400, {"category": "bad-request", "message": "Bad", "details": [1, {"name": 2}, {"name": "x"}]})
    assert (err.code, err.message, err.field) == ("bad-request", "Bad", None)


# -- properties ---------------------------------------------------------------------------------------------
FIELD_NAMES = [spec.name for spec in ADAPTER.schema.fields]
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
           | st.sampled_from([FROM, TO, "sip:a@b.com", "sips:a@b.com", "https://e.com/x", "GET", "mp3", "true",
                              "300", "0", "X-A", "brg-1", "conf-1", ""]))
ANY = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                   | st.dictionaries(st.text(max_size=10) | st.sampled_from(["X-A", "X-B", "name"]), inner, max_size=6),
                   max_leaves=8)
VALUES = st.dictionaries(st.sampled_from([*FIELD_NAMES, "unknown"]), ANY, max_size=8)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["state", "id", "code", "message", "category", "details", "name", "value",
                                         "activeTime", "endTime", "startTime", "cause", "chargeableDuration", "x"]),
                        inner, max_size=6), max_leaves=12)
BODIES = st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode())
HEADERS = st.dictionaries(st.sampled_from(["location", "retry-after", "x-ratelimit-reset"]),
                          st.text(max_size=40) | st.sampled_from([f"{CALLS_URL}/c-1", "99999999999999999999", "5"]),
                          max_size=3)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(values=VALUES, base=st.booleans())
def test_arbitrary_values_never_crash_validate_or_build(values: dict[str, Any], base: bool) -> None:
    merged = {**MINIMAL, **values} if base else values
    result = validate(ADAPTER.schema, merged)
    if result.ok:
        request = ADAPTER.build_create(ACCOUNT, result.values)
        assert set(json.loads(request.body)) == set(result.values)


@FAST
@given(status=st.integers(100, 599), headers=HEADERS, body=BODIES)
def test_arbitrary_error_bodies_never_crash(status: int, headers: dict[str, str], body: bytes) -> None:
    err = ADAPTER.parse_error(HttpResponse(status, headers, body))
    assert isinstance(err, ProviderError) and err.http_status == status and err.message


@FAST
@given(status=st.sampled_from([200, 201]), headers=HEADERS, body=BODIES)
def test_success_parsers_only_raise_response_format_errors(status: int, headers: dict[str, str], body: bytes) -> None:
    response = HttpResponse(status, headers, body)
    for parse_answer in (lambda: ADAPTER.parse_create(response, ACCOUNT),
                         lambda: ADAPTER.parse_call(response, ACCOUNT, PREVIOUS)):
        try:
            resource = parse_answer()
        except ResponseFormatError:
            continue
        assert resource.call_id and isinstance(resource.phase, CallPhase)
