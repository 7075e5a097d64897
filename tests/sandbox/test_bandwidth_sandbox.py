"""The Bandwidth Voice v2 simulator over a real loopback server: our adapter + CallService through every
scenario and hang-up, every error shape, the official bandwidth-sdk unmodified, the answers checked
against the official OpenAPI files, and the curl recipe run as written."""

from __future__ import annotations

import asyncio
import json
import shlex
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

import httpx
import pytest

from launcher.core.calls import CallService, PollPolicy
from launcher.core.errors import ProviderError
from launcher.core.models import Account, CallPhase, CallResource, Outcome
from launcher.core.providers import get_adapter
from launcher.core.validate import validate
from launcher.sandbox.providers import _bandwidth_resource as wire
from launcher.sandbox.providers.bandwidth import NO_VOICE_USERNAME, SIMULATOR
from tests.support.sandbox_server import RunningSandbox, SteppedTime, running_sandbox

T = TypeVar("T")
ADAPTER = get_adapter("bandwidth")
CREDS = SIMULATOR.credentials
AUTH = (CREDS.username or "", CREDS.secret)
POLICY = PollPolicy(first_delay=0.01, max_delay=0.02, not_found_grace=200)
BASIC = {"to": "+15555551313", "from": "+15555551212", "applicationId": "app-1",
         "answerUrl": "https://example.com/answer"}
ORDER = [CallPhase.QUEUED, CallPhase.RINGING, CallPhase.ANSWERED, CallPhase.ENDED]


def account(sandbox: RunningSandbox) -> Account:
    return Account("bandwidth", CREDS.account_id, CREDS.secret, CREDS.username, f"{sandbox.url}/api/v2")


def calls_url(sandbox: RunningSandbox, account_id: str = CREDS.account_id) -> str:
    return f"{sandbox.url}/api/v2/accounts/{account_id}/calls"


def with_service(job: Callable[[CallService], Awaitable[T]]) -> T:
    async def main() -> T:
        async with httpx.AsyncClient(timeout=10) as client:
            return await job(CallService(client))
    return asyncio.run(main())


async def place(service: CallService, sandbox: RunningSandbox, **values: Any) -> CallResource:
    acct = account(sandbox)
    return await service.create(ADAPTER, acct, ADAPTER.build_create(acct, {**BASIC, **values}))


async def until(service: CallService, sandbox: RunningSandbox, call: CallResource, phase: CallPhase) -> CallResource:
    """Poll (tolerating the brief 404 after creation) until the call reaches ``phase``."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            call = await service.fetch(ADAPTER, account(sandbox), call)
        except ProviderError as exc:
            assert exc.http_status == 404
        if call.phase is phase:
            return call
        assert not call.final, f"ended ({call.outcome}) before reaching {phase}"
        await asyncio.sleep(0.005)
    raise AssertionError(f"the call never reached {phase}")


def error_body(status: int, kind: str, description: str) -> dict[str, Any]:
    return {"type": kind, "description": description, "id": "" if status in (409, 429) else None}


# -- our adapter + CallService ------------------------------------------------------------------------
@pytest.mark.parametrize(("to", "extra", "outcome", "cause"), [
    ("+15555551313", {}, Outcome.COMPLETED, "hangup"),
    ("+15555550001", {}, Outcome.BUSY, "busy"),
    ("+15555550002", {"callTimeout": 3}, Outcome.NO_ANSWER, "timeout"),
    ("+15555550003", {}, Outcome.FAILED, "error"),
    ("+15555550004", {}, Outcome.REJECTED, "rejected"),
    ("sip:reject@sip.example.com", {}, Outcome.REJECTED, "rejected"),
])
def test_each_scenario_is_followed_to_its_end(sandbox: RunningSandbox, to: str, extra: dict[str, Any],
                                              outcome: Outcome, cause: str) -> None:
    seen: list[CallPhase] = []

    async def job(service: CallService) -> tuple[CallResource, CallResource]:
        created = await place(service, sandbox, to=to, **extra)
        final = await service.follow(ADAPTER, account(sandbox), created, policy=POLICY,
                                     on_update=lambda c: seen.append(c.phase))
        return created, final

    created, final = with_service(job)
    assert created.phase is CallPhase.QUEUED and created.to == to and created.url
    assert created.url.startswith(calls_url(sandbox) + "/c-")
    phases = [created.phase, *seen]
    assert phases == sorted(phases, key=ORDER.index) and phases[-1] is CallPhase.ENDED
    assert final.outcome is outcome and final.raw["disconnectCause"] == cause
    raw = final.raw
    assert raw["state"] == "disconnected" and raw["direction"] == "outbound" and raw["endTime"]
    assert raw["startTime"] and raw["enqueuedTime"] <= raw["startTime"] <= raw["endTime"] == raw["lastUpdate"]
    if outcome is Outcome.COMPLETED:
        assert CallPhase.ANSWERED in phases and final.duration is not None and abs(final.duration - 20) < 0.01
    else:
        assert raw["answerTime"] is None and final.answered_at is None
    if outcome is Outcome.FAILED:
        assert raw["errorMessage"] and raw["errorId"] and final.detail and final.detail.startswith("error: ")
    else:
        assert raw["errorMessage"] is None and raw["errorId"] is None
    assert sandbox.engine.create_requests == 1


@pytest.mark.parametrize(("to", "phase", "outcome", "cause"), [
    ("+15555550002", CallPhase.RINGING, Outcome.CANCELED, "cancel"),
    ("+15555550005", CallPhase.ANSWERED, Outcome.COMPLETED, "hangup"),
])
def test_hang_up_a_ringing_or_answered_call(sandbox: RunningSandbox, to: str, phase: CallPhase,
                                            outcome: Outcome, cause: str) -> None:
    async def job(service: CallService) -> CallResource:
        call = await until(service, sandbox, await place(service, sandbox, to=to, callTimeout=300), phase)
        assert await service.hangup(ADAPTER, account(sandbox), call) is None  # 200 without a body
        return await service.fetch(ADAPTER, account(sandbox), call)

    ended = with_service(job)
    assert ended.phase is CallPhase.ENDED and ended.outcome is outcome and ended.raw["disconnectCause"] == cause
    assert (ended.answered_at is not None) is (phase is CallPhase.ANSWERED)


def test_hang_up_is_refused_with_409_once_the_call_has_ended(sandbox: RunningSandbox) -> None:
    async def job(service: CallService) -> tuple[CallResource, ProviderError]:
        created = await place(service, sandbox, to="+15555550001")
        await service.follow(ADAPTER, account(sandbox), created, policy=POLICY)
        with pytest.raises(ProviderError) as caught:  # a stale view of the call, as when the user clicks late
            await service.hangup(ADAPTER, account(sandbox), created)
        return created, caught.value

    created, refused = with_service(job)
    assert refused.http_status == 409 and refused.code == "validation" and "current state" in refused.hint
    assert refused.raw == error_body(409, "validation",
                                     f"Call [{created.call_id}] cannot be modified in its current state")


def test_redirect_needs_an_answered_call(sandbox: RunningSandbox) -> None:
    redirect = {"state": "active", "redirectUrl": "https://example.com/next", "tag": "moved"}

    async def job(service: CallService) -> list[int]:
        ringing = await place(service, sandbox, to="+15555550002", callTimeout=300)  # rings for 300 s
        ringing = await until(service, sandbox, ringing, CallPhase.RINGING)
        early = await service.client.post(ringing.url or "", json=redirect, auth=AUTH)
        answered = await until(service, sandbox, await place(service, sandbox, to="+15555550005"), CallPhase.ANSWERED)
        later = await service.client.post(answered.url or "", json=redirect, auth=AUTH)
        return [early.status_code, later.status_code]

    assert with_service(job) == [409, 200]


def test_queued_call_is_hidden_briefly_and_can_be_removed_from_the_queue() -> None:
    frozen = SteppedTime(frozen=True)
    with running_sandbox(speed=1.0, time_source=frozen) as sandbox, httpx.Client(auth=AUTH, timeout=10) as client:
        created = client.post(calls_url(sandbox), json=BASIC).json()
        sandbox.advance(wire.STATE_LAG * 0.9)
        early = client.get(created["callUrl"])  # near-realtime call information: 404 for a moment
        assert early.status_code == 404
        assert early.json() == error_body(404, "validation", f"Call [{created['callId']}] not found")
        removed = client.post(created["callUrl"], json={"state": "completed"})
        assert removed.status_code == 200 and removed.content == b""
        sandbox.advance(wire.STATE_LAG)
        state = client.get(created["callUrl"])
        assert state.status_code == 200
        body = state.json()
        assert body["state"] == "disconnected" and body["disconnectCause"] == "cancel"
        assert body["startTime"] is None and body["answerTime"] is None and body["endTime"]


def test_builtin_profile_works_in_process() -> None:
    from launcher.sandbox.app import IN_PROCESS_URL, sandbox_client
    from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret
    from launcher.sandbox.engine import SandboxConfig

    profile = next(p for p in builtin_profiles() if p.provider == "bandwidth")
    acct = profile.account(builtin_secret(profile))
    assert acct.base_url == f"{IN_PROCESS_URL}/api/v2" and acct.account_id == CREDS.account_id

    async def main() -> tuple[CallResource, CallResource]:
        async with sandbox_client(SandboxConfig(speed=50)) as client:
            service = CallService(client)
            created = await service.create(ADAPTER, acct, ADAPTER.build_create(acct, {**BASIC, "to": "+15555550001"}))
            return created, await service.follow(ADAPTER, acct, created, policy=POLICY)

    created, final = asyncio.run(main())
    assert created.url and created.url.startswith(f"{IN_PROCESS_URL}/api/v2/accounts/{CREDS.account_id}/calls/c-")
    assert final.outcome is Outcome.BUSY


# -- error shapes -------------------------------------------------------------------------------------
PLAIN_RANGE = "{} must be within the range [{}], but was {}"


@pytest.mark.parametrize(("change", "description", "field"), [
    ({"to": None}, wire.REQUIRED, None),
    ({"to": "scooby-doo"}, "Invalid to: must be an E164 telephone number", "to"),
    ({"from": "12"}, "Invalid from: must be an E164 telephone number", "from"),
    ({"callTimeout": 500}, PLAIN_RANGE.format("callTimeout", "1.0, 300.0", "500.0"), "callTimeout"),
    ({"callbackTimeout": 0.5}, PLAIN_RANGE.format("callbackTimeout", "1.0, 25.0", "0.5"), "callbackTimeout"),
    ({"priority": 9}, PLAIN_RANGE.format("priority", "1, 5", "9"), "priority"),
    ({"callTimeout": "soon"}, "Invalid callTimeout: Enter a number, like 30 or 12.5.", "callTimeout"),
    ({"answerUrl": "ftp://example.com/a"}, "Invalid answerUrl: only http and https are allowed", "answerUrl"),
    ({"answerMethod": "PUT"}, "Invalid answerUrl method. Supported methods: [POST, GET]", "answerUrl"),
    ({"tag": "x" * 4097}, "Could not create call: sendCallback tag must contain at most 4096 characters", "tag"),
    ({"uui": "abc"}, "Invalid uui: The value must end with ;encoding=base64, ;encoding=jwt or ;encoding=hex, "
                     "like aGVsbG8=;encoding=base64.", "uui"),
    ({"username": "hook"}, "Invalid password: Set Password too: the answer and disconnect URLs get basic auth only "
                           "with both username and password.", "password"),
    ({"privacy": True, "displayName": "Bob"}, "Invalid displayName: With Hide caller ID on, use one of: "
                                              "Restricted, Anonymous, Private, Unavailable.", "displayName"),
    ({"machineDetection": {"mode": "maybe"}}, "Invalid machineDetection.mode: Choose one of: sync, async.",
     "machineDetection.mode"),
    ({"colour": "red"}, "Invalid colour: Unknown field 'colour'.", None),
])
def test_the_server_validates_with_the_core_validator(sandbox: RunningSandbox, change: dict[str, Any],
                                                      description: str, field: str | None) -> None:
    values = {k: v for k, v in {**BASIC, **change}.items() if v is not None}
    assert not validate(ADAPTER.schema, values).ok

    async def job(service: CallService) -> ProviderError:
        acct = account(sandbox)
        with pytest.raises(ProviderError) as caught:
            await service.create(ADAPTER, acct, ADAPTER.build_create(acct, values))
        return caught.value

    error = with_service(job)
    assert error.http_status == 400 and error.raw == error_body(400, "validation", description)
    assert error.code == "validation" and error.message == description
    if field is not None:
        assert error.field == field
    assert sandbox.engine.create_requests == 1 and not sandbox.engine.calls


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"", b'"text"'])
def test_unreadable_json_is_a_400(sandbox: RunningSandbox, body: bytes) -> None:
    answer = httpx.post(calls_url(sandbox), content=body, auth=AUTH, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json() == error_body(400, "validation", wire.BAD_REQUEST)


@pytest.mark.parametrize(("auth", "account_id", "status"), [
    (None, CREDS.account_id, 401),
    ((CREDS.username, "wrong"), CREDS.account_id, 401),
    (("someone", CREDS.secret), CREDS.account_id, 401),
    (AUTH, "1234567", 401),  # "the specified user does not have access to the account"
    ((NO_VOICE_USERNAME, CREDS.secret), CREDS.account_id, 403),
])
def test_authentication_and_access(sandbox: RunningSandbox, auth: tuple[str, str] | None, account_id: str,
                                   status: int) -> None:
    expected = error_body(401, *wire.UNAUTHORIZED) if status == 401 else error_body(403, *wire.FORBIDDEN)
    with httpx.Client(auth=auth, timeout=10) as client:
        for answer in (client.post(calls_url(sandbox, account_id), json=BASIC),
                       client.get(calls_url(sandbox, account_id) + "/c-unknown"),
                       client.post(calls_url(sandbox, account_id) + "/c-unknown", json={"state": "completed"})):
            assert answer.status_code == status and answer.json() == expected
            assert answer.headers["content-type"] == "application/json;charset=UTF-8"
    bearer = httpx.post(calls_url(sandbox), json=BASIC, headers={"Authorization": f"Bearer {CREDS.secret}"})
    assert bearer.status_code == 401
    assert sandbox.engine.create_requests == 2 and not sandbox.engine.calls


def test_wrong_secret_through_our_adapter(sandbox: RunningSandbox) -> None:
    async def job(service: CallService) -> ProviderError:
        acct = replace(account(sandbox), secret="nope")
        with pytest.raises(ProviderError) as caught:
            await service.create(ADAPTER, acct, ADAPTER.build_create(acct, BASIC))
        return caught.value

    error = with_service(job)
    assert error.http_status == 401 and error.code == "authentication-error" and "password" in error.hint


def test_unknown_call_ids_and_paths_are_404(sandbox: RunningSandbox) -> None:
    async def job(service: CallService) -> ProviderError:
        ghost = CallResource("bandwidth", "c-ghost", CallPhase.RINGING, "initiated")
        with pytest.raises(ProviderError) as caught:
            await service.fetch(ADAPTER, account(sandbox), ghost)
        return caught.value

    error = with_service(job)
    assert error.http_status == 404 and error.raw == error_body(404, "validation", "Call [c-ghost] not found")
    assert "7 days" in error.hint
    with httpx.Client(auth=AUTH, timeout=10) as client:
        hang_up = client.post(calls_url(sandbox) + "/c-ghost", json={"state": "completed"})
        assert hang_up.status_code == 404 and hang_up.json()["description"] == "Call [c-ghost] not found"
        for path in ("/api/v2/accounts/9900000/calls/c-ghost/recordings", "/api/v2/accounts/9900000/conferences"):
            assert client.get(sandbox.url + path).json() == error_body(404, "validation", "Not Found")
        ghost_bxml = client.put(calls_url(sandbox) + "/c-ghost/bxml", content="<Bxml/>",
                                headers={"Content-Type": "application/xml"})
        assert ghost_bxml.json() == error_body(404, "validation", "Call [c-ghost] not found")


def test_methods_and_content_types(sandbox: RunningSandbox) -> None:
    with httpx.Client(auth=AUTH, timeout=10) as client:
        for answer in (client.delete(calls_url(sandbox) + "/c-x"), client.put(calls_url(sandbox), json=BASIC)):
            assert answer.status_code == 405 and answer.headers["allow"] == "GET, POST"
            assert answer.json() == error_body(405, *wire.NOT_ALLOWED)
        form = "application/x-www-form-urlencoded"
        for sent, shown in ((form, form), ("text/plain;charset=UTF-8", "text/plain;charset=UTF-8"),
                            (None, "application/octet-stream")):
            for url in (calls_url(sandbox), calls_url(sandbox) + "/c-x"):
                headers = {"Content-Type": sent} if sent else {}
                answer = client.post(url, content=b"to=%2B15555551313", headers=headers)
                assert answer.status_code == 415
                assert answer.json() == error_body(415, "validation", f"Content type '{shown}' not supported")
        slash = client.post(calls_url(sandbox) + "/", json=BASIC)  # the documented URL ends with a slash
        assert slash.status_code == 201
    assert sandbox.engine.create_requests == 4


@pytest.mark.parametrize(("body", "description"), [
    ({"state": "bogus"}, "Invalid state: must be one of [active, completed], but was bogus"),
    ({}, "Invalid redirectUrl: required when state is active"),
    ({"state": "completed", "redirectUrl": "https://example.com/r"},
     "Invalid redirectUrl: not allowed when state is completed"),
    ({"state": "active", "redirectUrl": "mailto:a@example.com"},
     "Invalid redirectUrl: only http and https are allowed"),
    ({"state": "active", "redirectUrl": "https://example.com/r", "redirectMethod": "PUT"},
     "Invalid redirectUrl method. Supported methods: [POST, GET]"),
])
def test_update_validation(sandbox: RunningSandbox, body: dict[str, Any], description: str) -> None:
    with httpx.Client(auth=AUTH, timeout=10) as client:
        call_url = client.post(calls_url(sandbox), json=BASIC).json()["callUrl"]
        answer = client.post(call_url, json=body)
    assert answer.status_code == 400 and answer.json() == error_body(400, "validation", description)


def test_rate_limit_answers_429_with_retry_after(limited_sandbox: RunningSandbox) -> None:
    async def job(service: CallService) -> tuple[CallResource, ProviderError]:
        first = await place(service, limited_sandbox)
        with pytest.raises(ProviderError) as caught:
            await place(service, limited_sandbox)
        return first, caught.value

    first, limited = with_service(job)
    assert first.phase is CallPhase.QUEUED and len(limited_sandbox.engine.calls) == 1
    assert limited.http_status == 429 and limited.raw == error_body(429, *wire.RATE_LIMITED)
    assert limited.retry_after is not None and limited.retry_after >= 1
    assert limited_sandbox.engine.create_requests == 2


def test_internal_failure_is_bandwidths_500(sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("simulated internal failure")

    monkeypatch.setattr(sandbox.engine, "create", broken)
    answer = httpx.post(calls_url(sandbox), json=BASIC, auth=AUTH)
    assert answer.status_code == 500 and answer.json() == error_body(500, *wire.INTERNAL)


# -- listing (test connection) ------------------------------------------------------------------------
def test_list_calls_pages_and_test_connection(sandbox: RunningSandbox) -> None:
    assert with_service(lambda s: s.test_connection(ADAPTER, account(sandbox))).json() == []
    with httpx.Client(auth=AUTH, timeout=10) as client:
        ids = [client.post(calls_url(sandbox), json={**BASIC, "to": f"+1555555{n:04d}"}).json()["callId"]
               for n in (1313, 1314, 1315)]
        deadline = time.monotonic() + 5
        while len(everything := client.get(calls_url(sandbox)).json()) < 3:  # each visible after a moment
            assert time.monotonic() < deadline
            time.sleep(0.005)
        assert [c["callId"] for c in everything] == ids  # oldest first
        first = client.get(calls_url(sandbox), params={"pageSize": 2})
        assert [c["callId"] for c in first.json()] == ids[:2]
        link = first.headers["link"]
        assert link.endswith('>; rel="next"')
        second = client.get(link[1:link.index(">")])
        assert [c["callId"] for c in second.json()] == ids[2:] and "link" not in second.headers
        only = client.get(calls_url(sandbox), params={"to": "+15555551314"}).json()
        assert [c["callId"] for c in only] == ids[1:2]
        bad = client.get(calls_url(sandbox), params={"pageSize": 0})
        assert bad.status_code == 400
        assert bad.json() == error_body(400, "validation", "pageSize must be within the range [1, 10000], but was 0")

def first_visible_state(calls: Any, account_id: str, call_id: str) -> Any:
    """The SDK's getCallState once the new call is visible (Bandwidth's call information is near-realtime)."""
    from bandwidth.exceptions import NotFoundException

    deadline = time.monotonic() + 5
    while True:
        try:
            return calls.get_call_state(account_id, call_id)
        except NotFoundException:
            assert time.monotonic() < deadline
            time.sleep(0.005)



# -- the official SDK ---------------------------------------------------------------------------------
def test_official_bandwidth_sdk_creates_fetches_and_hangs_up(sandbox: RunningSandbox) -> None:
    bandwidth = pytest.importorskip("bandwidth")
    from bandwidth.api.calls_api import CallsApi
    from bandwidth.exceptions import ApiException, UnauthorizedException
    from bandwidth.models import CallStateEnum, CreateCall, UpdateCall

    def api(password: str) -> Any:
        # The SDK's voice operations carry their own server (voice.bandwidth.com); host + ignore_operation_servers
        # points them at the sandbox without touching SDK code.
        config = bandwidth.Configuration(host=f"{sandbox.url}/api/v2", username=CREDS.username, password=password,
                                         ignore_operation_servers=True)
        return CallsApi(bandwidth.ApiClient(config))

    calls = api(CREDS.secret)
    body = CreateCall(to="+15555550005", var_from="+15555551212", application_id="app-1",
                      answer_url="https://example.com/answer", tag="sdk")
    created = calls.create_call_with_http_info(CREDS.account_id, body)
    assert created.status_code == 201 and created.data.call_id.startswith("c-") and created.data.tag == "sdk"
    assert {k.lower(): v for k, v in (created.headers or {}).items()}["location"] == created.data.call_url
    call_id = created.data.call_id
    state = first_visible_state(calls, CREDS.account_id, call_id)
    assert state.call_id == call_id and state.direction.value == "outbound" and state.enqueued_time is not None
    hung_up = calls.update_call_with_http_info(CREDS.account_id, call_id, UpdateCall(state=CallStateEnum("completed")))
    assert hung_up.status_code == 200
    ended = calls.get_call_state(CREDS.account_id, call_id)
    assert ended.state == "disconnected" and ended.disconnect_cause in ("cancel", "hangup") and ended.end_time
    assert [c.call_id for c in calls.list_calls(CREDS.account_id, page_size=1)] == [call_id]
    with pytest.raises(ApiException) as conflict:
        calls.update_call(CREDS.account_id, call_id, UpdateCall(state=CallStateEnum("completed")))
    assert conflict.value.status == 409 and conflict.value.data.type == "validation"
    with pytest.raises(ApiException) as invalid:
        calls.create_call(CREDS.account_id, CreateCall(to="scooby-doo", var_from="+15555551212",
                                                       application_id="app-1", answer_url="https://example.com/a"))
    assert invalid.value.status == 400 and invalid.value.data.description.startswith("Invalid to:")
    with pytest.raises(UnauthorizedException):
        api("wrong").create_call(CREDS.account_id, body)
    assert sandbox.engine.create_requests == 3


# -- conformance with the official OpenAPI files ------------------------------------------------------
@pytest.mark.parametrize("spec_name", ["bandwidth_python_sdk_bandwidth.yml", "bandwidth_voice.yml"])
def test_answers_match_the_official_spec(sandbox: RunningSandbox, spec_name: str) -> None:
    from openapi_core.testing import MockRequest, MockResponse

    from tests.support.openapi import _openapi

    spec = _openapi(spec_name)
    exchanges: list[httpx.Response] = []
    with httpx.Client(auth=AUTH, timeout=10) as client:
        full = {**BASIC, "tag": "t", "username": "u", "password": "p", "answerFallbackUrl": "https://example.com/f",
                "disconnectUrl": "https://example.com/d", "priority": 1}
        created = client.post(calls_url(sandbox), json=full)
        exchanges.append(created)
        call_url = created.json()["callUrl"]
        exchanges.append(client.get(call_url))  # 404 while not yet visible, or 200
        while (state := client.get(call_url)).status_code == 404:
            time.sleep(0.005)
        hang_up = {"state": "completed"}
        exchanges += [state, client.get(calls_url(sandbox), params={"pageSize": 5}),
                      client.post(call_url, json=hang_up), client.post(call_url, json=hang_up),
                      client.post(calls_url(sandbox), json={"to": "x"}), client.post(calls_url(sandbox), content=b"x"),
                      httpx.get(call_url)]
    assert [e.status_code for e in exchanges][-6:] == [200, 200, 409, 400, 415, 401]
    for exchange in exchanges:
        request = exchange.request
        mock_request = MockRequest("https://voice.bandwidth.com", request.method.lower(), request.url.path,
                                   args=dict(request.url.params), headers=dict(request.headers),
                                   data=request.content, content_type=request.headers.get("content-type", ""))
        mock_response = MockResponse(exchange.content, exchange.status_code, dict(exchange.headers),
                                     content_type=exchange.headers.get("content-type", "application/json"))
        spec.validate_response(mock_request, mock_response)
    body = created.json()
    assert body["password"] == "*****" and body["username"] == "u" and created.headers["location"] == call_url
    assert set(body) >= {"accountId", "answerMethod", "answerUrl", "applicationId", "callId", "callUrl",
                         "disconnectMethod", "from", "to"}


# -- curl recipe --------------------------------------------------------------------------------------
def test_curl_recipe_creates_a_call_as_written(sandbox: RunningSandbox) -> None:
    recipe = SIMULATOR.curl_recipe(sandbox.url)
    words = shlex.split(recipe)
    if shutil.which("curl"):
        done = subprocess.run(words, capture_output=True, check=True, timeout=30)
        answer = json.loads(done.stdout)
    else:  # replay the same request with httpx
        url = next(w for w in words if w.startswith("http"))
        user, _, password = words[words.index("-u") + 1].partition(":")
        header = words[words.index("-H") + 1].split(": ", 1)
        answer = httpx.post(url, content=words[words.index("--data-raw") + 1], auth=(user, password),
                            headers={header[0]: header[1]}).json()
    assert answer["callId"].startswith("c-") and answer["accountId"] == CREDS.account_id
    assert sandbox.engine.create_requests == 1 and len(sandbox.engine.calls) == 1
