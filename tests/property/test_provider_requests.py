"""Properties of every provider's validator and create-call request builder.

For each adapter (discovered, not listed): validation never raises on any input; a request it accepts
is built without raising, targets the provider's create-call path, decodes (JSON or form) back to
exactly the normalized values, validates again on the receiving side to the same request, and no
rendering of it (describe, curl, JSON) shows a secret unless asked to.
"""

from __future__ import annotations

import base64
import json
import shlex
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from launcher.core.http import REDACTED, PreparedRequest
from launcher.core.models import Account
from launcher.core.providers.base import ProviderAdapter
from launcher.core.schema import FieldKind, ProviderSchema, secret_paths
from launcher.core.validate import ValidationResult, validate
from tests.property import strategies as S
from tests.property.checks import check_messages, within
from tests.property.profiles import limited, profile
from tests.property.provider_values import ACCOUNT_SECRET, ACCOUNTS, ADAPTERS, REPAIRS, mutated_requests, valid_requests
from tests.support.openapi import validate_request

PROFILE = profile()
PROVIDERS = sorted(ADAPTERS)


def test_every_provider_is_covered() -> None:
    assert set(ACCOUNTS) == set(ADAPTERS), "add an account and a repair for the new provider in provider_values.py"


# -- helpers ---------------------------------------------------------------------------------------------------
def _strict_json(body: bytes) -> Any:
    def refuse(constant: str) -> Any:
        raise AssertionError(f"body is not standard JSON: it contains {constant}")

    return json.loads(body.decode("utf-8"), parse_constant=refuse)


def is_form(request: PreparedRequest) -> bool:
    return (request.content_type() or "").startswith("application/x-www-form-urlencoded")


def decode_form(schema: ProviderSchema, body: str) -> dict[str, Any]:
    """The form body as the receiving side reads it: list fields from repeated keys."""
    pairs = parse_qsl(body, keep_blank_values=True, strict_parsing=bool(body), errors="strict")
    decoded: dict[str, Any] = {}
    for key, value in pairs:
        spec = schema.field(key)
        if spec is not None and spec.kind is FieldKind.LIST:
            decoded.setdefault(key, []).append(value)
        else:
            assert key not in decoded, f"{key} sent twice"
            decoded[key] = value
    return decoded


def form_pairs(schema: ProviderSchema, values: dict[str, Any]) -> list[tuple[str, str]]:
    """What a form-encoding provider must send for normalized ``values``, in schema order."""
    pairs: list[tuple[str, str]] = []
    for spec in schema.fields:
        if spec.name not in values:
            continue
        value = values[spec.name]
        if isinstance(value, list):
            pairs += [(spec.name, item) for item in value]
        elif isinstance(value, bool):
            pairs.append((spec.name, "true" if value else "false"))
        else:
            pairs.append((spec.name, str(value)))
    return pairs


def _header_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def json_wire(adapter: ProviderAdapter, values: dict[str, Any]) -> dict[str, Any]:
    """The JSON body a provider must send for normalized ``values`` (documented wire quirks applied)."""
    body = json.loads(json.dumps(values))
    if adapter.id == "catapult" and "sipHeaders" in body:
        body["sipHeaders"] = {k: _header_text(v) for k, v in values["sipHeaders"].items()}
    if adapter.id == "jambonz":
        listen = body.get("listen", {})
        for node in (listen, listen.get("bidirectionalAudio", {})):
            if "sampleRate" in node:
                node["sampleRate"] = int(node["sampleRate"])
    return body


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def secret_values(adapter: ProviderAdapter, values: dict[str, Any]) -> list[str]:
    found = []
    for path in secret_paths(adapter.schema):
        node: Any = values
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str) and node:
            found.append(node)
    return found


def check_no_secrets(adapter: ProviderAdapter, request: PreparedRequest, values: dict[str, Any]) -> None:
    """describe(), to_curl() and to_json() without reveal show no secret, and each still decodes."""
    token = request.auth.header().split(" ", 1)[1] if request.auth else ""
    describe = request.describe()
    curl = request.to_curl()
    rendered = request.to_json()
    whole = (describe, curl, json.dumps(rendered, ensure_ascii=False))
    for text in whole:
        assert ACCOUNT_SECRET not in text
        assert not token or token not in text or len(token) < 8
    head, _, described_body = describe.partition("\n\n")
    args = shlex.split(curl)
    curl_body = args[args.index("--data-raw") + 1] if "--data-raw" in args else ""
    bodies: list[Any] = []
    for text in (described_body, curl_body):
        if is_form(request):
            bodies.append(parse_qsl(text, keep_blank_values=True))
        else:
            bodies.append(json.loads(text) if text else {})
    bodies.append(parse_qsl(rendered["body"], keep_blank_values=True) if is_form(request) else rendered["body"])
    for secret in secret_values(adapter, values):
        if secret in REDACTED:
            continue  # indistinguishable from the redaction mark itself
        for body in bodies:
            for text in strings(body if not isinstance(body, list) else [v for _, v in body]):
                assert secret not in text, f"secret {secret!r} shown in {text!r}"
        bare = replace(request, body=b"", body_secrets=())  # what is shown whatever the body holds
        if secret not in bare.describe() + bare.to_curl() + " --data-raw":
            assert secret not in head and secret not in " ".join(a for a in args if a != curl_body)
    # revealing gives back the exact body
    if request.body:
        assert request.body_text(reveal=True) == request.body.decode("utf-8")
        assert shlex.split(request.to_curl(reveal=True))[-1] == request.body.decode("utf-8")


def check_request(adapter: ProviderAdapter, account: Account, url: str, result: ValidationResult) -> PreparedRequest:
    values = result.values
    request = adapter.build_create(account, values)
    assert isinstance(request, PreparedRequest)
    assert request.method == "POST"
    assert request.url == url, f"create request goes to {request.url}, expected {url}"
    assert not urlsplit(request.url).query
    assert request.auth is not None and request.auth.scheme == adapter.account.auth_scheme
    body_text = request.body.decode("utf-8")
    if is_form(request):
        assert parse_qsl(body_text, keep_blank_values=True) == form_pairs(adapter.schema, values)
        decoded = decode_form(adapter.schema, body_text)
    else:
        assert request.content_type() == "application/json"
        decoded = _strict_json(request.body)
        assert decoded == json_wire(adapter, values), "the JSON body is not the normalized values"
    # the receiving side (the sandbox, the provider) reads the same request back
    again = validate(adapter.schema, decoded)
    check_messages(again)
    assert again.ok, f"the body as received does not validate: {again.errors}"
    assert adapter.build_create(account, again.values).body == request.body
    check_no_secrets(adapter, request, values)
    return request


def check_result(adapter: ProviderAdapter, result: ValidationResult) -> None:
    check_messages(result)
    for path, spec in adapter.schema.walk():
        node: Any = result.values
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            within(spec, node)
    if result.ok:
        again = validate(adapter.schema, result.values)
        assert again.ok and again.values == result.values, "validation is not idempotent"


# -- properties --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(data=st.data())
def test_valid_by_construction_requests(provider: str, data: st.DataObject) -> None:
    adapter = ADAPTERS[provider]
    values, region = data.draw(valid_requests(adapter), label="values, region")
    account, url = data.draw(st.sampled_from(ACCOUNTS[provider]), label="account")
    result = validate(adapter.schema, values, region)
    check_result(adapter, result)
    assert result.ok, f"valid-by-construction values refused: {result.errors}"
    check_request(adapter, account, url, result)


@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(data=st.data())
def test_mutated_requests(provider: str, data: st.DataObject) -> None:
    adapter = ADAPTERS[provider]
    values, region = data.draw(mutated_requests(adapter), label="values, region")
    account, url = data.draw(st.sampled_from(ACCOUNTS[provider]), label="account")
    result = validate(adapter.schema, values, region)
    check_result(adapter, result)
    if result.ok:
        check_request(adapter, account, url, result)


@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(data=st.data())
def test_junk_requests(provider: str, data: st.DataObject) -> None:
    adapter = ADAPTERS[provider]
    names = [spec.name for spec in adapter.schema.fields]
    values = data.draw(st.one_of(
        S.junk,
        st.dictionaries(st.sampled_from([*names, "", "x"]), S.junk, max_size=8),
    ), label="values")
    result = validate(adapter.schema, values, data.draw(st.sampled_from(["US", None, "??"])))
    check_result(adapter, result)
    if result.ok:
        account, url = ACCOUNTS[provider][0]
        check_request(adapter, account, url, result)


@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(data=st.data())
def test_phone_fields_normalize_example_numbers(provider: str, data: st.DataObject) -> None:
    """Every phone field of every provider turns libphonenumber's example numbers into their E.164 form."""
    adapter = ADAPTERS[provider]
    values, region = data.draw(valid_requests(adapter), label="values, region")
    phones = [path for path, spec in adapter.schema.walk() if spec.kind is FieldKind.PHONE]
    path = data.draw(st.sampled_from(phones), label="path")
    raw, e164 = data.draw(S.phone_numbers(region), label="number")
    node = values
    for part in path.split(".")[:-1]:
        node = node.setdefault(part, {})
    node[path.rsplit(".", 1)[-1]] = raw
    if provider == "jambonz" and path == "to.number":
        node["type"] = "phone"
    REPAIRS[provider](cast(st.DrawFn, data.draw), values, region)  # Twilio: From must fit the new To
    result = validate(adapter.schema, values, region)
    assert result.ok, result.errors
    got: Any = result.values
    for part in path.split("."):
        got = got[part]
    bare = raw.strip() if raw.strip().lstrip("+").isdigit() else None
    assert got == e164 or (got == bare and spec_has_bare(adapter, path)), (raw, got, e164)


def spec_has_bare(adapter: ProviderAdapter, path: str) -> bool:
    spec = adapter.schema.field(path)
    return spec is not None and "bare_number" in {e.value for e in spec.endpoints}


# -- official OpenAPI files (slow: a few examples) ------------------------------------------------------------
OPENAPI = {
    "twilio": ("twilio_api_v2010.json", "https://api.twilio.com"),
    "bandwidth": ("bandwidth_python_sdk_bandwidth.yml", "https://voice.bandwidth.com"),
}


@pytest.mark.parametrize("provider", sorted(OPENAPI))
@limited(ci=8, long=300)
@given(data=st.data())
def test_valid_requests_match_the_official_openapi(provider: str, data: st.DataObject) -> None:
    adapter = ADAPTERS[provider]
    values, region = data.draw(valid_requests(adapter), label="values, region")
    result = validate(adapter.schema, values, region)
    assert result.ok, result.errors
    account, _url = ACCOUNTS[provider][0]
    spec_name, server = OPENAPI[provider]
    validate_request(spec_name, adapter.build_create(account, result.values), server)


def test_basic_token_is_what_the_secret_encodes() -> None:
    """Sanity for the leak check above: the token it looks for is the real one."""
    account, _url = ACCOUNTS["twilio"][0]
    auth = ADAPTERS["twilio"].auth(account)
    assert base64.b64decode(auth.header().split(" ", 1)[1]).decode().endswith(":" + ACCOUNT_SECRET)


# -- secrets that once broke a rendering (fixed examples: the ci profile may not draw them) -----------------
WITH_SECRET: dict[str, Any] = {
    "twilio": lambda pw: {"To": "sip:alice@example.com", "From": "+15555551212", "Url": "https://example.com/v",
                          "SipAuthUsername": "alice", "SipAuthPassword": pw, "Timeout": 1},
    "bandwidth": lambda pw: {"to": "+15555551313", "from": "+15555551212", "applicationId": "app-1",
                             "answerUrl": "https://example.com/a", "username": "u", "password": pw, "priority": 1,
                             "tag": 'a:b,1 "q" \\ ä'},
    "jambonz": lambda pw: {"from": "+15083728299", "to": {"type": "phone", "number": "+16172375089"},
                           "application_sid": "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1", "tag": {"n": 1, "s": "a:b"},
                           "call_status_hook": {"url": "https://example.com/s", "username": "u", "password": pw}},
}
NASTY_SECRETS = ["1", ":", ",", '"', "\\", "{", "\x1f\x7f", 'ä"', "ä\\", "a\u2028b", "a b", "%", "+", "=", "&", "u",
                 "*"]


@pytest.mark.parametrize("provider", sorted(WITH_SECRET))
@pytest.mark.parametrize("secret", NASTY_SECRETS)
def test_renderings_with_awkward_secrets(provider: str, secret: str) -> None:
    adapter = ADAPTERS[provider]
    result = validate(adapter.schema, WITH_SECRET[provider](secret), "US")
    assert result.ok, result.errors
    account, url = ACCOUNTS[provider][0]
    check_request(adapter, account, url, result)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("junk", ["\udcff", "a\ud800", 10**5000, float("nan"), b"x", {1, 2}],
                         ids=["surrogate", "surrogate2", "10^5000", "nan", "bytes", "set"])
def test_unsendable_values_are_refused(provider: str, junk: Any) -> None:
    """Text that cannot be encoded (lone surrogates: undecodable bytes in argv) and numbers JSON cannot carry."""
    adapter = ADAPTERS[provider]
    for path, spec in adapter.schema.walk():
        if spec.kind in (FieldKind.OBJECT,):
            continue
        values: dict[str, Any] = {}
        node = values
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        leaf: Any = junk
        if spec.kind is FieldKind.LIST:
            leaf = [junk]
        elif spec.kind is FieldKind.MAP:
            leaf = {"X-Key": junk}
        node[parts[-1]] = leaf
        result = validate(adapter.schema, values, "US")
        check_messages(result)
        assert path in result.errors, f"{path} accepted {junk!r}"
