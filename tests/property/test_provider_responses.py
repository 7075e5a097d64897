"""Properties of every provider's response and error parsers, and of HttpResponse.

Whatever a server answers (malformed or deeply nested JSON, random bytes, wrong types, huge numbers,
odd Location and Retry-After headers): parse_error returns a ProviderError with a readable message,
parse_create and parse_call either return a sane CallResource or raise ResponseFormatError, and a
resource they return never points the next request (fetch, hang up) at another server.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from launcher.core.errors import ProviderError, ResponseFormatError
from launcher.core.http import HttpResponse
from launcher.core.models import Account, CallPhase, CallResource, Outcome
from launcher.core.providers.base import ProviderAdapter, location_id, parse_time, retry_after
from tests.property import strategies as S
from tests.property.profiles import profile
from tests.property.provider_values import ACCOUNTS, ADAPTERS

PROFILE = profile()
PROVIDERS = sorted(ADAPTERS)



@st.composite
def previous_calls(draw: st.DrawFn) -> CallResource:
    """A call as an earlier answer described it (its URL possibly on another host: it must not be used)."""
    phase = draw(st.sampled_from(list(CallPhase)))
    return CallResource(
        provider="",
        call_id=draw(st.one_of(st.text(min_size=1, max_size=30).filter(str.strip),
                               st.sampled_from(["CA" + "1" * 32, "c-123", "a/b?c#d"]))),
        phase=phase,
        provider_status=draw(st.one_of(S.STATUS_WORDS, st.text(max_size=10))),
        outcome=draw(st.sampled_from(list(Outcome))) if phase is CallPhase.ENDED and draw(st.booleans()) else None,
        url=draw(st.one_of(st.none(), st.just("https://evil.example/calls/c-1"), st.text(max_size=40))),
        raw=draw(st.dictionaries(st.text(max_size=5), S.json_values, max_size=3)),
        created_at=draw(st.none() | st.datetimes(timezones=st.just(UTC))),
    )


def responses(statuses: st.SearchStrategy[int] = S.statuses) -> st.SearchStrategy[HttpResponse]:
    return st.builds(HttpResponse, status=statuses, headers=S.headers, body=S.bodies)


def calls_root(account: Account, url: str) -> str:
    """The create URL without its last segment's suffix: every call URL of the profile lies below it."""
    return url[: -len(".json")] if url.endswith(".json") else url


def check_call(adapter: ProviderAdapter, call: Any, account: Account, url: str, created: bool) -> None:
    assert isinstance(call, CallResource)
    assert call.provider == adapter.id
    assert isinstance(call.call_id, str) and call.call_id.strip()
    assert isinstance(call.phase, CallPhase)
    assert isinstance(call.provider_status, str)
    assert call.outcome is None or isinstance(call.outcome, Outcome)
    assert call.outcome is None or call.phase is CallPhase.ENDED
    assert call.duration is None or (math.isfinite(call.duration) and call.duration >= 0), call.duration
    for moment in (call.created_at, call.answered_at, call.ended_at):
        assert moment is None or (isinstance(moment, datetime) and moment.tzinfo is not None)
    json.dumps(call.to_json())
    # the next requests about this call go to the profile's server, under its calls collection
    root = calls_root(account, url)
    if created:  # (an update answered without a body leaves the call as it was)
        assert call.url is not None and call.url.startswith(root + "/"), (call.url, root)
    for request in (adapter.build_fetch(account, call), adapter.build_hangup(account, call)):
        if request is not None:
            assert request.url.startswith(root + "/"), (request.url, root)
            assert urlsplit(request.url).netloc == urlsplit(url).netloc


def check_error(error: Any, status: int, adapter: ProviderAdapter) -> None:
    assert isinstance(error, ProviderError)
    assert isinstance(error.message, str) and error.message.strip(), "an error without a message"
    assert error.http_status == status
    assert error.retry_after is None or (math.isfinite(error.retry_after) and error.retry_after >= 0), \
        error.retry_after
    assert error.field is None or adapter.schema.field(error.field) is not None, error.field
    assert error.code is None or isinstance(error.code, str)
    assert isinstance(error.hint, str)
    assert isinstance(error.describe(), str) and error.describe().strip()
    json.dumps(error.to_json())


@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(response=responses())
def test_parse_error_never_raises(provider: str, response: HttpResponse) -> None:
    adapter = ADAPTERS[provider]
    check_error(adapter.parse_error(response), response.status, adapter)


@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(response=responses(st.sampled_from([200, 201, 202, 204])), data=st.data())
def test_parse_create_and_call_raise_only_response_format_error(provider: str, response: HttpResponse,
                                                               data: st.DataObject) -> None:
    adapter = ADAPTERS[provider]
    account, url = data.draw(st.sampled_from(ACCOUNTS[provider]), label="account")
    previous = data.draw(previous_calls(), label="previous")
    previous.provider = provider
    for created, parse in ((True, lambda: adapter.parse_create(response, account)),
                           (False, lambda: adapter.parse_call(response, account, previous))):
        try:
            call = parse()
        except ResponseFormatError as exc:
            assert isinstance(exc.message, str) and exc.message.strip()
            continue
        check_call(adapter, call, account, url, created)


@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(data=st.data(), status=st.sampled_from([200, 201]), location=st.none() | S.header_values)
def test_call_shaped_answers(provider: str, data: st.DataObject, status: int, location: str | None) -> None:
    """Bodies that look like the provider's call resource, with every member possibly wrong."""
    adapter = ADAPTERS[provider]
    account, url = data.draw(st.sampled_from(ACCOUNTS[provider]), label="account")
    body = data.draw(S.call_objects, label="body")
    headers = {"location": location} if location is not None else {}
    response = HttpResponse(status, headers, json.dumps(body).encode())
    previous = data.draw(previous_calls(), label="previous")
    previous.provider = provider
    for created, parse in ((True, lambda: adapter.parse_create(response, account)),
                           (False, lambda: adapter.parse_call(response, account, previous))):
        try:
            call = parse()
        except ResponseFormatError:
            continue
        check_call(adapter, call, account, url, created)


@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(status=S.statuses, body=S.error_objects, retry=st.none() | S.header_values)
def test_error_shaped_answers(provider: str, status: int, body: dict[str, Any], retry: str | None) -> None:
    adapter = ADAPTERS[provider]
    headers = {"retry-after": retry} if retry is not None else {}
    error = adapter.parse_error(HttpResponse(status, headers, json.dumps(body).encode()))
    check_error(error, status, adapter)


# -- HttpResponse and the shared helpers ----------------------------------------------------------------
@PROFILE
@given(response=responses(), name=st.sampled_from(["Location", "RETRY-AFTER", "x-other", "missing"]))
def test_http_response_reads_never_raise_unexpectedly(response: HttpResponse, name: str) -> None:
    assert response.header(name) is None or isinstance(response.header(name), str)
    assert isinstance(response.text(), str)
    for read in (response.json, response.json_object):
        try:
            read()
        except ResponseFormatError as exc:
            assert exc.message.strip() and exc.http_status == response.status


@PROFILE
@given(value=S.header_values)
def test_retry_after_is_a_finite_wait_or_none(value: str) -> None:
    wait = retry_after(HttpResponse(429, {"retry-after": value}))
    assert wait is None or (math.isfinite(wait) and wait >= 0), wait


@PROFILE
@given(value=st.one_of(S.DATES, S.json_values))
def test_parse_time_is_aware_or_none(value: Any) -> None:
    moment = parse_time(value)
    assert moment is None or moment.tzinfo is not None


@PROFILE
@given(value=st.none() | S.header_values)
def test_location_id(value: str | None) -> None:
    found = location_id(value)
    assert found is None or (found and "/" not in found and "?" not in found)


# -- answers that broke a parser once (kept as fixed examples: the ci profile may not draw them) --------------
NASTY = [
    HttpResponse(400, {}, b"[" * 100_000),
    HttpResponse(201, {}, b'{"sid":' * 5000 + b'"x"' + b"}" * 5000),
    HttpResponse(429, {"retry-after": "Wed, 21 Oct 2015 07:28:00 -0000"}, b""),
    HttpResponse(429, {"retry-after": "inf"}, b"{}"),
    HttpResponse(503, {"retry-after": "1e999"}, b"<html><title>x</title></html>"),
    HttpResponse(400, {}, b'{"message": " ", "description": " ", "msg": " ", "errors": [{"msg": " "}]}'),
    HttpResponse(201, {"location": "\r"}, b""),
    HttpResponse(200, {}, b'{"sid": "CA1", "status": "completed", "duration": 1' + b"0" * 400 + b"}"),
    HttpResponse(200, {}, b'{"call_sid": " ", "call_status": "completed", "duration": -1e19}'),
    HttpResponse(200, {}, b'{"id": " ", "state": "completed", "callId": " ", "callUrl": " "}'),
    HttpResponse(200, {}, b'{"call_status": "completed", "duration": "' + b"9" * 400 + b'"}'),
]


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("response", NASTY, ids=range(len(NASTY)))
def test_nasty_answers(provider: str, response: HttpResponse) -> None:
    adapter = ADAPTERS[provider]
    check_error(adapter.parse_error(response), response.status, adapter)
    account, url = ACCOUNTS[provider][0]
    previous = CallResource(provider, "c-1", CallPhase.RINGING, "ringing", url="https://evil.example/x")
    for created, parse in ((True, lambda: adapter.parse_create(response, account)),
                           (False, lambda: adapter.parse_call(response, account, previous))):
        try:
            call = parse()
        except ResponseFormatError:
            continue
        check_call(adapter, call, account, url, created)
