"""Exact requests, redaction, curl reproduction, and the call service against real loopback servers."""

from __future__ import annotations

import asyncio
import json
import shlex
import shutil
import subprocess
from typing import Any

import pytest

from launcher.core.calls import MAX_BODY_BYTES, CallService, PollPolicy
from launcher.core.errors import InsecureTransportError, ProviderError, ResponseFormatError, TransportError
from launcher.core.http import (
    FORM_HEADERS,
    JSON_HEADERS,
    REDACTED,
    Auth,
    PreparedRequest,
    check_base_url,
    form_body,
    json_body,
    snippet,
)
from launcher.core.models import Account, CallPhase
from launcher.core.providers import get_adapter
from launcher.core.validate import validate
from tests.support.loopback import Recorded, Reply, serve

SECRET = "p@ss w0rd&=/+"


def sample_request(url: str, form: bool) -> PreparedRequest:
    if form:
        body = form_body([("To", "+15555551313"), ("StatusCallbackEvent", "initiated"),
                          ("StatusCallbackEvent", "ringing"), ("SipAuthPassword", SECRET)])
        return PreparedRequest("POST", url, FORM_HEADERS, body, Auth("basic", "ACuser", SECRET), (SECRET,))
    body = json_body({"to": "+15555551313", "password": SECRET, "tag": "ünïcode"})
    return PreparedRequest("POST", url, JSON_HEADERS, body, Auth("bearer", secret=SECRET), (SECRET,))


REDACTED_RENDERINGS = {
    True: ("Authorization: Basic ******** (user ACuser)",
           "To=%2B15555551313&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing&SipAuthPassword=********"),
    False: ("Authorization: Bearer ********",
            '{\n  "to": "+15555551313",\n  "password": "********",\n  "tag": "ünïcode"\n}'),
}


@pytest.mark.parametrize("form", [True, False])
def test_every_rendering_redacts_secrets_unless_revealed(form: bool) -> None:
    request = sample_request("https://api.example.com/calls", form)
    auth_line, body = REDACTED_RENDERINGS[form]
    content_type = "application/x-www-form-urlencoded" if form else "application/json"
    assert request.describe() == (
        f"POST /calls HTTP/1.1\nHost: api.example.com\n{auth_line}\nContent-Type: {content_type}\n"
        f"Accept: application/json\nUser-Agent: call-launcher\n\n{body}")
    assert request.to_json() == {
        "method": "POST", "url": "https://api.example.com/calls",
        "headers": {"Authorization": auth_line.split(": ", 1)[1], "Content-Type": content_type,
                    "Accept": "application/json", "User-Agent": "call-launcher"},
        "body": body if form else json.loads(body)}
    curl_body = body if form else json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":"))
    curl_auth = "-u 'ACuser:********'" if form else "-H 'Authorization: Bearer ********'"
    head = f"curl -X POST https://api.example.com/calls {curl_auth} -H 'Content-Type: {content_type}' "
    tail = "-H 'Accept: application/json' -H 'User-Agent: call-launcher' --data-raw "
    assert request.to_curl() == f"{head}{tail}'{curl_body}'"
    # Revealed: the secret itself in the credentials, in the body as the body encodes it.
    in_body = "p%40ss%20w0rd%26%3D%2F%2B" if form else SECRET
    assert request.to_curl(reveal=True) == (
        f"{head}{tail}'{curl_body}'".replace(f"ACuser:{REDACTED}", f"ACuser:{SECRET}")
        .replace(f"Bearer {REDACTED}", f"Bearer {SECRET}").replace(REDACTED, in_body))


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("form", [True, False])
def test_copy_as_curl_reproduces_the_exact_request(form: bool) -> None:
    with serve(lambda record: Reply(204)) as server:
        request = sample_request(f"{server.url}/2010-04-01/Calls.json?x=1", form)
        subprocess.run([*shlex.split(request.to_curl(reveal=True)), "-s", "-o", "/dev/null"], check=True, timeout=30)
        with_service(lambda service: service.send(request))
        via_curl, via_app = server.requests
    assert via_curl.method == via_app.method == "POST"
    assert via_curl.path == via_app.path == "/2010-04-01/Calls.json?x=1"
    assert via_curl.body == via_app.body == request.body
    for header in ("authorization", "content-type", "accept"):
        assert via_curl.headers[header] == via_app.headers[header], header


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://api.twilio.com/", True),
        ("http://127.0.0.1:8765", True),
        ("http://localhost:9000", True),
        ("http://[::1]:9000", True),
        ("http://sandbox.localhost", True),
        ("http://api.example.com", False),
        ("http://10.0.0.5", False),
        ("ftp://example.com", False),
        ("https://example.com/?q=1", False),
    ],
)
def test_credentials_only_over_https_or_loopback(url: str, ok: bool) -> None:
    if ok:
        assert check_base_url(url) == url.rstrip("/")
    else:
        with pytest.raises(InsecureTransportError):
            check_base_url(url)


def test_snippet_reduces_html_and_empty_bodies() -> None:
    assert snippet("<html><head><title>502 Bad Gateway</title></head><body>x</body></html>") == "502 Bad Gateway"
    assert snippet("") == "(empty body)"
    assert len(snippet("x" * 1000)) == 160


TWILIO_SID = "AC" + "0" * 32


def twilio_call(status: str = "queued") -> dict[str, Any]:
    return {"sid": "CA" + "1" * 32, "status": status, "to": "+15555551313", "from": "+15555551212",
            "account_sid": TWILIO_SID, "date_created": "Tue, 31 Aug 2010 20:36:28 +0000"}


def with_service(work: Any, timeout: Any = None) -> Any:
    """Run ``await work(service, adapter, account_for)`` with a fresh client, closed afterwards."""
    import httpx

    async def main() -> Any:
        async with httpx.AsyncClient(follow_redirects=False, timeout=timeout or httpx.Timeout(10.0)) as client:
            return await work(CallService(client))

    return asyncio.run(main())


async def create_twilio(server_url: str, service: CallService) -> Any:
    adapter = get_adapter("twilio")
    account = Account("twilio", TWILIO_SID, "token", base_url=server_url)
    values = validate(adapter.schema, {"To": "+15555551313", "From": "+15555551212",
                                       "Url": "https://example.com/t"}).values
    return adapter, account, await service.create(adapter, account, adapter.build_create(account, values))


def test_redirects_are_never_followed() -> None:
    with serve(lambda r: Reply(307, b"", {"Location": "https://evil.example.com/steal"})) as server:
        with pytest.raises(ProviderError) as caught:
            with_service(lambda service: create_twilio(server.url, service))
        assert len(server.requests) == 1
    assert "redirects are not followed" in caught.value.message and caught.value.http_status == 307


def test_a_huge_body_is_not_read_into_memory() -> None:
    huge = Reply(201, b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}")
    with serve(lambda r: huge) as server, pytest.raises(ResponseFormatError) as caught:
        with_service(lambda service: create_twilio(server.url, service))
    assert "larger than" in caught.value.message


def test_follow_polls_until_final_and_reports_each_change() -> None:
    states = iter(["queued", "ringing", "ringing", "in-progress", "completed"])
    created: list[Recorded] = []

    def responder(record: Recorded) -> Reply:
        if record.method == "POST":
            created.append(record)
            return Reply(201, json.dumps(twilio_call()).encode())
        return Reply(200, json.dumps(twilio_call(next(states))).encode())

    seen: list[str] = []
    with serve(responder) as server:
        async def work(service: CallService) -> Any:
            adapter, account, call = await create_twilio(server.url, service)
            return await service.follow(adapter, account, call, on_update=lambda c: seen.append(c.provider_status),
                                        policy=PollPolicy(first_delay=0.01, max_delay=0.02))

        final = with_service(work)
    assert final.phase is CallPhase.ENDED and final.outcome is not None and final.outcome.value == "completed"
    assert seen == ["ringing", "in-progress", "completed"]
    assert len(created) == 1


def test_follow_tolerates_a_brief_404_after_creation_then_gives_up() -> None:
    answers = iter([Reply(404, b'{"code":20404,"message":"not found","status":404}')] * 2
                   + [Reply(200, json.dumps(twilio_call("completed")).encode())])

    def responder(record: Recorded) -> Reply:
        return Reply(201, json.dumps(twilio_call()).encode()) if record.method == "POST" else next(answers)

    with serve(responder) as server:
        async def work(service: CallService) -> Any:
            adapter, account, call = await create_twilio(server.url, service)
            return await service.follow(adapter, account, call, policy=PollPolicy(first_delay=0.01))

        final = with_service(work)
    assert final.final

    def always_404(record: Recorded) -> Reply:
        if record.method == "POST":
            return Reply(201, json.dumps(twilio_call()).encode())
        return Reply(404, b'{"code":20404,"message":"not found","status":404}')

    with serve(always_404) as server:
        async def work_404(service: CallService) -> Any:
            adapter, account, call = await create_twilio(server.url, service)
            return await service.follow(adapter, account, call, policy=PollPolicy(first_delay=0.01, not_found_grace=2))

        with pytest.raises(ProviderError):
            with_service(work_404)
        assert len([r for r in server.requests if r.method == "GET"]) == 3


def test_a_timeout_after_sending_is_not_retried() -> None:
    import threading

    release = threading.Event()

    def slow(record: Recorded) -> Reply:
        release.wait(5)
        return Reply(201, json.dumps(twilio_call()).encode())

    import httpx

    with serve(slow) as server:
        with pytest.raises(TransportError) as caught:
            with_service(lambda service: create_twilio(server.url, service), timeout=httpx.Timeout(0.3, connect=1.0))
        release.set()
        assert len(server.requests) == 1
    assert caught.value.request_sent and "may or may not have been placed" in caught.value.hint
