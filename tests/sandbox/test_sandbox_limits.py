"""The sandbox holds a bounded amount per client: request bodies are capped, ended calls are forgotten oldest first."""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from launcher.sandbox.app import all_simulators
from launcher.sandbox.engine import Clock, Engine, SandboxConfig
from launcher.sandbox.limits import MAX_BODY_BYTES
from tests.support.sandbox_server import RunningSandbox, running_sandbox

CHUNK = 64 * 1024
GIVE_UP_AFTER = 64 * 1024 * 1024  # a client that could send all of this was never stopped
EXPECTED_413: dict[str, Any] = {
    "twilio": {"code": 21200, "message": "Request body too large: the limit is 1024 KiB.",
               "more_info": "https://www.twilio.com/docs/errors/21200", "status": 413},
    "bandwidth": {"type": "validation", "description": "Request body too large: the limit is 1024 KiB.", "id": None},
    "catapult": {"category": "bad-request", "code": "request-entity-too-large",
                 "message": "Request body too large: the limit is 1024 KiB.",
                 "details": [{"name": "requestMethod", "value": "POST"},
                             {"name": "remoteAddress", "value": "127.0.0.1"},
                             {"name": "requestPath", "value": "users/u-sandboxcatapult7user2q4x/calls"}]},
    "jambonz": {"msg": "request entity too large"},
}


def create_path(provider: str) -> str:
    simulator = all_simulators()[provider]
    account = simulator.credentials.account_id
    return {
        "twilio": f"/2010-04-01/Accounts/{account}/Calls.json",
        "bandwidth": f"{simulator.base_path()}/accounts/{account}/calls",
        "catapult": f"/v1/users/{account}/calls",
        "jambonz": f"/v1/Accounts/{account}/Calls",
    }[provider]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox() as running:
        yield running


def post_until_answered(url: str, path: str, declared: int | None) -> tuple[int, dict[str, Any], int]:
    """POST a body of up to GIVE_UP_AFTER bytes, chunked or with a declared length, over a raw socket;
    stop sending as soon as an answer comes.  Returns (status, JSON body, bytes of body sent)."""
    parts = urlsplit(url)
    length = f"Content-Length: {declared}" if declared is not None else "Transfer-Encoding: chunked"
    head = (f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n{length}\r\n"
            "Connection: close\r\n\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head)
        sent = 0
        chunk = b"[" * CHUNK
        while sent < GIVE_UP_AFTER and not select.select([sock], [], [], 0)[0]:
            try:
                sock.sendall(chunk if declared is not None else b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        answer = b""
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            answer += data
    head_text, _, body = answer.partition(b"\r\n\r\n")
    status = int(head_text.split(b" ", 2)[1])
    return status, json.loads(body), sent


@pytest.mark.parametrize("declared", [None, 200 * 1024 * 1024], ids=["chunked", "content-length"])
@pytest.mark.parametrize("provider", list(EXPECTED_413))
def test_an_oversized_body_is_refused_early_in_the_providers_shape(
        sandbox: RunningSandbox, provider: str, declared: int | None) -> None:
    status, body, sent = post_until_answered(sandbox.url, create_path(provider), declared)
    assert (status, body) == (413, EXPECTED_413[provider])
    assert sent < GIVE_UP_AFTER // 4  # answered while the client was still sending, not after reading it all


def test_a_body_just_within_the_limit_still_places_the_call(sandbox: RunningSandbox) -> None:
    credentials = all_simulators()["twilio"].credentials
    form = {"To": "+15555551313", "From": "+15555551212", "Url": "https://example.com/t"}
    padding = MAX_BODY_BYTES - len(httpx.QueryParams(form | {"Note": ""}).__str__())
    before = sandbox.engine.create_requests
    response = httpx.post(sandbox.url + create_path("twilio"), auth=(credentials.account_id, credentials.secret),
                          content=str(httpx.QueryParams(form | {"Note": "x" * padding})).encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert int(response.request.headers["Content-Length"]) == MAX_BODY_BYTES
    assert response.status_code == 201 and response.json()["to"] == "+15555551313"
    assert sandbox.engine.create_requests == before + 1


def test_only_the_newest_ended_calls_are_kept(launcher_home: object) -> None:
    now = [0.0]
    engine = Engine(SandboxConfig(max_ended_calls=2), clock=Clock(1.0, monotonic=lambda: now[0]))
    simulator = all_simulators()["twilio"]
    auth = (simulator.credentials.account_id, simulator.credentials.secret)
    with running_sandbox(engine=engine) as running, httpx.Client(base_url=running.url, auth=auth) as client:
        def create() -> str:
            answer = client.post(create_path("twilio"), data={"To": "+15555551313", "From": "+15555551212",
                                                              "Url": "https://example.com/t"})
            assert answer.status_code == 201, answer.text
            return str(answer.json()["sid"])

        def known(sid: str) -> bool:
            return client.get(create_path("twilio").replace(".json", f"/{sid}.json")).status_code == 200

        ended = [create() for _ in range(3)]
        now[0] = 3600.0  # an hour later every one of them has ended
        live = [create(), create()]
        assert [known(sid) for sid in ended + live] == [False, True, True, True, True]
        assert len(engine.calls) == 4
