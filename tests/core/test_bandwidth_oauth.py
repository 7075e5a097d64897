"""Bandwidth with OAuth 2.0 client credentials (API credentials): the token is fetched with the client
id and secret, sent as a bearer token, reused until shortly before it expires, fetched anew after a
401; when the token cannot be had, the call was not sent and the error says why."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import httpx
import pytest

from launcher.core.calls import CallService
from launcher.core.errors import ProviderError, TransportError
from launcher.core.http import REDACTED
from launcher.core.models import Account
from launcher.core.providers import get_adapter
from launcher.core.providers.bandwidth import TOKEN_URL, BandwidthAdapter
from launcher.core.validate import validate
from tests.support.loopback import Recorded, Reply, serve

CLIENT_ID, CLIENT_SECRET = "client-abc", "s3cret-client-value"
CALL = {"callId": "c-1234", "accountId": "9900000", "applicationId": "app", "to": "+15555551313",
        "from": "+15555551212", "callUrl": "", "enqueuedTime": "2024-05-01T12:00:00Z"}
VALUES = {"to": "+15555551313", "from": "+15555551212", "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086",
          "answerUrl": "https://example.com/answer"}


def account(base_url: str | None) -> Account:
    return Account("bandwidth", "9900000", CLIENT_SECRET, username=CLIENT_ID, base_url=base_url, auth="oauth2")


def token_reply(token: str, expires_in: Any = 3600) -> Reply:
    return Reply(200, json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": expires_in}).encode(),
                 {"Content-Type": "application/json"})


def call_reply() -> Reply:
    return Reply(201, json.dumps(CALL).encode(), {"Content-Type": "application/json"})


def place(base_url: str, service_calls: int = 1) -> list[Any]:
    adapter = get_adapter("bandwidth")
    acct = account(base_url + "/api/v2")
    request = adapter.build_create(acct, validate(adapter.schema, VALUES).values)

    async def main() -> list[Any]:
        results: list[Any] = []
        async with httpx.AsyncClient(follow_redirects=False, timeout=httpx.Timeout(5.0)) as client:
            service = CallService(client)
            for _ in range(service_calls):
                try:
                    results.append(await service.create(adapter, acct, request))
                except (ProviderError, TransportError) as exc:
                    results.append(exc)
        return results

    return asyncio.run(main())


def test_the_token_is_fetched_once_and_sent_as_bearer() -> None:
    def responder(record: Recorded) -> Reply:
        return token_reply("tok-1") if record.path == "/api/v1/oauth2/token" else call_reply()

    with serve(responder) as server:
        results = place(server.url, service_calls=2)
    assert all(getattr(r, "call_id", None) == "c-1234" for r in results)
    token_requests = [r for r in server.requests if r.path == "/api/v1/oauth2/token"]
    creates = [r for r in server.requests if r.path.endswith("/calls")]
    assert len(token_requests) == 1 and len(creates) == 2  # the token is reused
    grant = token_requests[0]
    assert grant.method == "POST" and grant.body == b"grant_type=client_credentials"
    assert grant.headers["content-type"] == "application/x-www-form-urlencoded"
    assert grant.headers["authorization"] == "Basic " + base64.b64encode(
        f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert all(c.headers["authorization"] == "Bearer tok-1" for c in creates)


def test_a_token_near_its_expiry_is_renewed_and_a_401_drops_it() -> None:
    tokens = iter(["tok-1", "tok-2", "tok-3"])
    creates: list[str] = []

    def responder(record: Recorded) -> Reply:
        if record.path == "/api/v1/oauth2/token":
            return token_reply(next(tokens), expires_in=30)  # under the renewal margin: used once
        creates.append(record.headers["authorization"])
        if len(creates) == 2:
            return Reply(401, b'{"type":"authentication-error","description":"The credentials provided were invalid"}',
                         {"Content-Type": "application/json"})
        return call_reply()

    with serve(responder) as server:
        results = place(server.url, service_calls=3)
    assert creates == ["Bearer tok-1", "Bearer tok-2", "Bearer tok-3"]
    assert isinstance(results[1], ProviderError) and results[1].http_status == 401
    assert getattr(results[2], "call_id", None) == "c-1234"


@pytest.mark.parametrize(("reply", "kind", "words"), [
    (Reply(401, b'{"error":"invalid_client","error_description":"Bad client credentials"}',
           {"Content-Type": "application/json"}), ProviderError, "client credentials at 127.0.0.1:"),
    (Reply(401, b'{"error":"invalid_client","error_description":"Bad client credentials"}'), ProviderError,
     ": Bad client credentials."),
    (Reply(400, b'{"error":"unsupported_grant_type"}'), ProviderError, ": unsupported_grant_type."),
    (Reply(503, b"<html>down</html>"), ProviderError, ": HTTP 503."),
    (Reply(200, b"not json"), TransportError, "without a usable access token"),
    (Reply(200, b'{"access_token": ""}'), TransportError, "without a usable access token"),
    (Reply(200, b'{"token_type": "Bearer"}'), TransportError, "without a usable access token"),
])
def test_when_no_token_can_be_had_nothing_is_sent_and_the_error_says_why(
    reply: Reply, kind: type, words: str
) -> None:
    with serve(lambda record: reply if record.path == "/api/v1/oauth2/token" else call_reply()) as server:
        [result] = place(server.url)
    assert isinstance(result, (ProviderError, TransportError))
    assert isinstance(result, kind) and words in str(result.message)
    if isinstance(result, TransportError):
        assert result.request_sent is False  # the history records "failed", not "outcome unknown"
    else:
        assert "client ID and client secret" in result.hint
        assert result.code == (json.loads(reply.body).get("error") if reply.body.startswith(b"{") else None)
    assert [r.path for r in server.requests] == ["/api/v1/oauth2/token"]  # no create request


def test_an_unreachable_token_endpoint_is_a_failure_before_sending() -> None:
    with serve(lambda record: call_reply()) as server:
        url = server.url
    [result] = place(url)  # the server is gone: connection refused
    assert isinstance(result, TransportError) and not result.request_sent
    assert "Could not get an access token from 127.0.0.1" in result.message


def test_the_token_endpoint_follows_the_base_url_and_secrets_stay_hidden() -> None:
    adapter = get_adapter("bandwidth")
    assert isinstance(adapter, BandwidthAdapter)
    assert adapter.token_url(account(None)) == TOKEN_URL == "https://api.bandwidth.com/api/v1/oauth2/token"
    assert adapter.token_url(account("http://127.0.0.1:8765/api/v2")) == "http://127.0.0.1:8765/api/v1/oauth2/token"
    assert adapter.token_url(account("https://proxy.example.com/bw/api/v2")) == (
        "https://proxy.example.com/api/v1/oauth2/token")
    request = adapter.build_create(account(None), validate(adapter.schema, VALUES).values)
    shown = request.describe() + request.to_curl() + json.dumps(request.to_json())
    assert CLIENT_SECRET not in shown and REDACTED in shown
    assert f"Bearer {REDACTED} (OAuth 2.0 token for client {CLIENT_ID})" in request.describe()
    assert CLIENT_SECRET in request.to_curl(reveal=True) and TOKEN_URL in request.to_curl(reveal=True)
    basic = account(None)
    assert get_adapter("bandwidth").auth(Account("bandwidth", "1", "pw", username="u")).scheme == "basic"
    assert basic.auth == "oauth2"
