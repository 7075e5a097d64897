"""The Catapult v1 simulator over a real loopback server.

There is no maintained official Python SDK for Catapult, so the API is driven three ways: our
adapter through CallService, raw httpx requests copied from the docs' curl examples
(../shared/specs/catapult_v1_docs), and the real curl binary running the sandbox's curl recipe.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest

from launcher.core.calls import CallService, PollPolicy
from launcher.core.errors import ProviderError
from launcher.core.http import HttpResponse
from launcher.core.models import Account, CallPhase, CallResource, Outcome
from launcher.core.profiles import profile_problems
from launcher.core.providers import get_adapter
from launcher.core.validate import validate
from launcher.sandbox.app import IN_PROCESS_URL, sandbox_client
from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret
from launcher.sandbox.engine import SandboxConfig
from launcher.sandbox.providers.catapult import SIMULATOR
from tests.support.openapi import SPECS_DIR, require_document
from tests.support.sandbox_server import RunningSandbox

T = TypeVar("T")
ADAPTER = get_adapter("catapult")
CREDS = SIMULATOR.credentials
AUTH = (CREDS.username or "", CREDS.secret)
FROM = "+19195551212"
TO = "+19195550100"  # answered, ends by itself ~20 s (simulated) later
FAST = PollPolicy(first_delay=0.02, max_delay=0.1, not_found_grace=0)
DOCS = SPECS_DIR / "catapult_v1_docs"


def account(sandbox: RunningSandbox, *, secret: str | None = None, user: str | None = None) -> Account:
    return Account("catapult", user or CREDS.account_id, secret=secret or CREDS.secret, username=CREDS.username,
                   base_url=sandbox.url)


def calls_url(sandbox: RunningSandbox) -> str:
    return f"{sandbox.url}/v1/users/{CREDS.account_id}/calls"


def with_service(body: Callable[[CallService], Awaitable[T]]) -> T:
    async def main() -> T:
        async with httpx.AsyncClient(timeout=10) as client:
            return await body(CallService(client))

    return asyncio.run(main())


def create(service: CallService, acct: Account, **values: Any) -> Awaitable[CallResource]:
    return service.create(ADAPTER, acct, ADAPTER.build_create(acct, {"from": FROM, "to": TO} | values))


def provider_error(sandbox: RunningSandbox, values: dict[str, Any], acct: Account | None = None) -> ProviderError:
    async def body(service: CallService) -> ProviderError:
        target = acct or account(sandbox)
        with pytest.raises(ProviderError) as caught:
            await service.create(ADAPTER, target, ADAPTER.build_create(target, values))
        return caught.value

    return with_service(body)


async def wait_for(service: CallService, acct: Account, call: CallResource, phase: CallPhase) -> CallResource:
    deadline = time.monotonic() + 10
    while call.phase is not phase:
        assert time.monotonic() < deadline, f"the call never reached {phase}: {call.raw}"
        await asyncio.sleep(0.01)
        call = await service.fetch(ADAPTER, acct, call)
    return call


# -- our adapter + CallService: every scenario to its end ------------------------------------------------
@pytest.mark.parametrize(("to", "state", "outcome", "cause", "answered"), [
    (TO, "completed", Outcome.COMPLETED, "NORMAL_CLEARING", True),
    ("+19195550001", "completed", Outcome.BUSY, "USER_BUSY", False),
    ("+19195550002", "completed", Outcome.NO_ANSWER, "NO_ANSWER", False),  # after callTimeout (5 s here)
    ("+19195550003", "completed", Outcome.FAILED, "UNALLOCATED_NUMBER", False),
    ("+19195550004", "rejected", Outcome.REJECTED, "CALL_REJECTED", False),
    ("sip:busy-line@example.com", "completed", Outcome.BUSY, "USER_BUSY", False),
])
def test_scenarios_followed_to_the_end(sandbox: RunningSandbox, to: str, state: str, outcome: Outcome,
                                       cause: str, answered: bool) -> None:
    acct = account(sandbox)
    seen: list[tuple[CallPhase, str]] = []

    async def body(service: CallService) -> tuple[CallResource, CallResource]:
        call = await create(service, acct, to=to, callTimeout=5)
        final = await service.follow(ADAPTER, acct, call, lambda c: seen.append((c.phase, c.provider_status)), FAST)
        return call, final

    call, final = with_service(body)
    assert re.fullmatch(r"c-[a-z2-7]{25}", call.call_id)
    assert (call.phase, call.provider_status) == (CallPhase.RINGING, "started")
    assert call.url == f"{calls_url(sandbox)}/{call.call_id}"
    assert (final.phase, final.provider_status, final.outcome, final.detail) == (CallPhase.ENDED, state, outcome, cause)
    assert seen[-1] == (CallPhase.ENDED, state)
    assert ((CallPhase.ANSWERED, "active") in seen) is answered
    raw = final.raw
    assert (raw["id"], raw["direction"], raw["from"], raw["to"]) == (call.call_id, "out", FROM, to)
    assert final.created_at is not None and final.ended_at is not None and final.created_at < final.ended_at
    assert raw["chargeableDuration"] == (60 if answered else 0)
    assert ("activeTime" in raw) is answered
    if answered:
        assert final.duration == pytest.approx(20.0, abs=0.01)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", raw["endTime"])
    assert sandbox.engine.create_requests == 1


def test_hang_up_a_ringing_call_cancels_it(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)

    async def body(service: CallService) -> CallResource:
        call = await create(service, acct, to="+19195550002")  # rings until the 60 s ring timeout
        assert call.phase is CallPhase.RINGING
        assert await service.hangup(ADAPTER, acct, call) is None  # 200 with an empty body
        return await service.fetch(ADAPTER, acct, call)

    ended = with_service(body)
    assert (ended.phase, ended.provider_status, ended.outcome, ended.detail) == (
        CallPhase.ENDED, "completed", Outcome.CANCELED, "ORIGINATOR_CANCEL")
    assert "activeTime" not in ended.raw and ended.raw["chargeableDuration"] == 0


def test_hang_up_an_active_call_then_refused(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)

    async def body(service: CallService) -> tuple[CallResource, CallResource, ProviderError]:
        call = await create(service, acct, to="+19195550005")  # answered after 4 s, then stays up
        active = await wait_for(service, acct, call, CallPhase.ANSWERED)
        assert await service.hangup(ADAPTER, acct, active) is None
        ended = await service.fetch(ADAPTER, acct, active)
        assert await service.hangup(ADAPTER, acct, ended) is None  # our adapter sends nothing once ended
        with pytest.raises(ProviderError) as refused:  # a stale view still sends it: Catapult refuses
            await service.hangup(ADAPTER, acct, active)
        return active, ended, refused.value

    active, ended, refused = with_service(body)
    assert active.provider_status == "active" and active.answered_at is not None
    assert (ended.provider_status, ended.outcome, ended.detail) == ("completed", Outcome.COMPLETED, "NORMAL_CLEARING")
    assert ended.raw["chargeableDuration"] == 60
    assert (refused.http_status, refused.code) == (403, "call-invalid-state")
    assert refused.message == (f"Unable to update call {active.call_id}. You can't update the call's state after "
                               "being set to completed.")


def test_test_connection_lists_calls(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)

    async def body(service: CallService) -> tuple[list[Any], list[Any]]:
        first = await create(service, acct)
        second = await create(service, acct, to="+19195550005")
        response = await service.test_connection(ADAPTER, acct)
        assert response.status == 200 and 'rel="next"' in (response.header("link") or "")
        everything = await service.client.get(calls_url(sandbox), auth=AUTH)
        assert [c["id"] for c in everything.json()] == [second.call_id, first.call_id]
        return response.json(), everything.json()

    page, _ = with_service(body)
    assert isinstance(page, list) and len(page) == 1


# -- errors in Catapult's shape ---------------------------------------------------------------------------
INVALID: list[tuple[dict[str, Any], int, str, str]] = [
    ({"from": "12345", "to": TO}, 401, "number-access-denied", "from"),
    ({"from": "sip:me@example.com", "to": TO}, 401, "number-access-denied", "from"),
    ({"from": FROM, "to": "call me"}, 403, "invalid-call-to-number", "to"),
    ({"from": FROM, "to": "sips:alice@example.com"}, 403, "invalid-call-to-number", "to"),
    ({"from": FROM}, 400, "validation-error", "to"),
    ({"to": TO}, 400, "validation-error", "from"),
    ({"from": FROM, "to": TO, "callTimeout": 301}, 400, "validation-error", "callTimeout"),
    ({"from": FROM, "to": TO, "callTimeout": 0}, 400, "validation-error", "callTimeout"),
    ({"from": FROM, "to": TO, "callTimeout": "soon"}, 400, "validation-error", "callTimeout"),
    ({"from": FROM, "to": TO, "callbackTimeout": 10001}, 400, "validation-error", "callbackTimeout"),
    ({"from": FROM, "to": TO, "callbackHttpMethod": "PUT"}, 400, "validation-error", "callbackHttpMethod"),
    ({"from": FROM, "to": TO, "callbackUrl": "example.com/events"}, 400, "callback-url-invalid", "callbackUrl"),
    ({"from": FROM, "to": TO, "fallbackUrl": "ftp://example.com/x"}, 400, "validation-error", "fallbackUrl"),
    ({"from": FROM, "to": TO, "recordingEnabled": "maybe"}, 400, "validation-error", "recordingEnabled"),
    ({"from": FROM, "to": TO, "recordingMaxDuration": 0}, 400, "validation-error", "recordingMaxDuration"),
    ({"from": FROM, "to": TO, "recordingFileFormat": "ogg"}, 400, "validation-error", "recordingFileFormat"),
    ({"from": FROM, "to": TO, "sipHeaders": {f"X-H{i}": "v" for i in range(6)}}, 400, "validation-error",
     "sipHeaders"),
    ({"from": FROM, "to": TO, "sipHeaders": {"Header-1": "v"}}, 400, "validation-error", "sipHeaders"),
    ({"from": FROM, "to": TO, "bridgeId": "brg-1", "conferenceId": "conf-1"}, 400, "validation-error", "bridgeId"),
]


@pytest.mark.parametrize(("values", "status", "code", "field"), INVALID)
def test_validation_errors_name_the_field(sandbox: RunningSandbox, values: dict[str, Any], status: int,
                                          code: str, field: str) -> None:
    assert field in validate(ADAPTER.schema, values).errors  # the server uses this same validator
    err = provider_error(sandbox, values)
    assert (err.http_status, err.code, err.field) == (status, code, field)
    assert isinstance(err.raw, dict) and set(err.raw) == {"category", "code", "message", "details"}
    details = {d["name"]: d["value"] for d in err.raw["details"]}
    assert details["requestMethod"] == "POST"
    assert details["requestPath"] == f"users/{CREDS.account_id}/calls"
    assert sandbox.engine.create_requests == 1 and not sandbox.engine.calls


def test_unknown_field_and_bad_json(sandbox: RunningSandbox) -> None:
    url = calls_url(sandbox)
    unknown = httpx.post(url, auth=AUTH, json={"from": FROM, "to": TO, "colour": "red"})
    assert "colour" in validate(ADAPTER.schema, {"from": FROM, "to": TO, "colour": "red"}).errors
    assert unknown.status_code == 400 and unknown.json()["message"] == "Bad parameters"
    assert {"name": "colour", "value": "red"} in unknown.json()["details"]
    for body in (b'{"from": ', b'["+19195551212"]'):
        broken = httpx.post(url, auth=AUTH, content=body, headers={"Content-Type": "application/json"})
        assert broken.status_code == 400
        assert (broken.json()["category"], broken.json()["code"]) == ("bad-request", "validation-error")
    assert sandbox.engine.create_requests == 3 and not sandbox.engine.calls


def test_wrong_content_type_is_refused(sandbox: RunningSandbox) -> None:
    url = calls_url(sandbox)
    form = httpx.post(url, auth=AUTH, data={"from": FROM, "to": TO})
    bare = httpx.post(url, auth=AUTH, content=b'{"from": "+19195551212", "to": "+19195550100"}')
    for response in (form, bare):
        assert response.status_code == 415
        assert response.json()["code"] == "validation-error" and "application/json" in response.json()["message"]
    err = ADAPTER.parse_error(_response(form))
    assert err.http_status == 415 and "application/json" in err.message
    assert sandbox.engine.create_requests == 2 and not sandbox.engine.calls


def test_auth_failures(sandbox: RunningSandbox) -> None:
    url = calls_url(sandbox)
    no_auth = httpx.post(url, json={"from": FROM, "to": TO})
    assert no_auth.status_code == 401
    assert (no_auth.json()["category"], no_auth.json()["code"]) == ("authorization", "unauthorized")
    assert httpx.get(url, auth=(AUTH[0], "wrong")).status_code == 401
    wrong_secret = provider_error(sandbox, {"from": FROM, "to": TO}, account(sandbox, secret="not-the-secret"))
    assert (wrong_secret.http_status, wrong_secret.code) == (401, "unauthorized")
    other_user = provider_error(sandbox, {"from": FROM, "to": TO}, account(sandbox, user="u-someoneelse"))
    assert (other_user.http_status, other_user.code) == (401, "user-access-denied")
    assert "u-someoneelse" in other_user.message and "User ID" in other_user.hint
    assert sandbox.engine.create_requests == 3 and not sandbox.engine.calls


def test_unknown_call_is_404(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)
    ghost = CallResource("catapult", "c-doesnotexist", CallPhase.RINGING, "started")

    async def body(service: CallService) -> tuple[ProviderError, ProviderError]:
        with pytest.raises(ProviderError) as fetched:
            await service.fetch(ADAPTER, acct, ghost)
        with pytest.raises(ProviderError) as hung_up:
            await service.hangup(ADAPTER, acct, ghost)
        return fetched.value, hung_up.value

    for err in with_service(body):
        assert (err.http_status, err.code, err.message) == (404, "call-not-found",
                                                           "The call c-doesnotexist could not be found")
        assert {"name": "callId", "value": "c-doesnotexist"} in err.raw["details"]


def test_rate_limit(limited_sandbox: RunningSandbox) -> None:
    acct = account(limited_sandbox)

    async def body(service: CallService) -> ProviderError:
        await create(service, acct)
        with pytest.raises(ProviderError) as limited:
            await create(service, acct)
        return limited.value

    err = with_service(body)
    assert (err.http_status, err.code) == (403, "call-rate-limit")
    assert err.raw["category"] == "limit"
    assert re.fullmatch(r"You can create 1 calls per 1 seconds, calculated as the average over 10 seconds\. "
                        r"Your rate is: \d+\.\d", err.message)
    assert err.retry_after == 1.0
    assert limited_sandbox.engine.create_requests == 2 and len(limited_sandbox.engine.calls) == 1


def test_update_refuses_incoming_only_states_and_bad_values(sandbox: RunningSandbox) -> None:
    created = httpx.post(calls_url(sandbox), auth=AUTH, json={"from": FROM, "to": "+19195550002"})
    url = created.headers["location"]
    for state in ("rejected", "active"):
        refused = httpx.post(url, auth=AUTH, json={"state": state})
        assert (refused.status_code, refused.json()["code"]) == (403, "call-invalid-state")
    assert httpx.post(url, auth=AUTH, json={"state": "gone"}).status_code == 400
    assert httpx.post(url, auth=AUTH, json={"recordingFileFormat": "ogg"}).status_code == 400
    assert httpx.get(url, auth=AUTH).json()["state"] == "started"


# -- the docs' curl examples, replayed with httpx -----------------------------------------------------------
def test_docs_create_examples(sandbox: RunningSandbox) -> None:
    """postCalls.md examples 1, 2, 3, 5 and 6 (4 needs a bridge the sandbox does not have)."""
    url = calls_url(sandbox)
    headers = {"Content-type": "application/json"}
    bodies = [
        '{"from": "+19195551212", "to": "+19195550100"}',
        '{"from": "+19195551212", "to": "sip:someone@somewhere.com", '
        '"sipHeaders": {"X-Header-1": "value1", "X-Header-2": "value2"}}',
        '{"from": "+19195551212", "to": "+19195550100", "recordingEnabled": "true"}',
        '{"from": "+19195551212", "to": "+19195550100", "callbackUrl": "http://google.com", '
        '"callbackHttpMethod": "GET", "fallbackUrl": "http://bing.com"}',
        '{"from": "+19195551212", "to": "+19195550100", "tag": "{ \\"context\\": \\"key\\" }"}',
    ]
    made = []
    for body in bodies:
        response = httpx.post(url, auth=AUTH, headers=headers, content=body)
        assert (response.status_code, response.content) == (201, b"")
        made.append(response.headers["location"])
    resources = [httpx.get(location, auth=AUTH, headers=headers).json() for location in made]
    assert resources[1]["sipHeaders"] == {"X-Header-1": "value1", "X-Header-2": "value2"}
    assert resources[2]["recordingEnabled"] is True
    assert (resources[3]["callbackUrl"], resources[3]["callbackHttpMethod"], resources[3]["fallbackUrl"]) == (
        "http://google.com", "GET", "http://bing.com")
    assert resources[4]["tag"] == '{ "context": "key" }'
    assert sandbox.engine.create_requests == len(bodies)


def test_call_resource_has_every_documented_property(sandbox: RunningSandbox) -> None:
    doc = require_document(DOCS / "methods_calls_getCallsCallId.md")
    table = doc.read_text(encoding="utf-8").split("## Properties", 1)[1].split("{% common %}", 1)[0]
    documented = set(re.findall(r"^\|\s*([a-zA-Z]+)\s*\|", table, re.MULTILINE)) - {"Property"}
    values = {"callbackUrl": "https://example.com/events", "callbackTimeout": 5000, "callbackHttpMethod": "GET",
              "fallbackUrl": "https://example.com/fallback", "sipHeaders": {"X-Custom": "1"}, "callTimeout": 30,
              "recordingEnabled": True, "transcriptionEnabled": True, "tag": "t"}
    first = httpx.post(calls_url(sandbox), auth=AUTH, json={"from": FROM, "to": TO, "bridgeId": "brg-1", **values})
    second = httpx.post(calls_url(sandbox), auth=AUTH, json={"from": FROM, "to": TO, "conferenceId": "conf-1"})
    with_bridge = httpx.get(first.headers["location"], auth=AUTH).json()
    ended = _until(lambda: httpx.get(first.headers["location"], auth=AUTH).json(), lambda c: "endTime" in c)
    missing = documented - set(ended) - {"conferenceId"}
    assert not missing, missing
    assert with_bridge["bridgeId"] == "brg-1"
    assert httpx.get(second.headers["location"], auth=AUTH).json()["conferenceId"] == "conf-1"
    events = httpx.get(ended["events"], auth=AUTH).json()
    assert [e["name"] for e in events] == ["create", "answer", "hangup"] and events[-1]["data"] == "NORMAL_CLEARING"
    assert httpx.get(ended["recordings"], auth=AUTH).json() == []


def test_docs_update_examples(sandbox: RunningSandbox) -> None:
    """postCallsCallId.md: recording on, recording off, hang up."""
    url = httpx.post(calls_url(sandbox), auth=AUTH, json={"from": FROM, "to": "+19195550005"}).headers["location"]
    _until(lambda: httpx.get(url, auth=AUTH).json(), lambda c: c["state"] == "active")
    headers = {"Content-type": "application/json"}
    for body, recording in (('{"recordingEnabled":"true"}', True), ('{"recordingEnabled":"false"}', False)):
        response = httpx.post(url, auth=AUTH, headers=headers, content=body)
        assert (response.status_code, response.content) == (200, b"")
        assert httpx.get(url, auth=AUTH).json()["recordingEnabled"] is recording
    hung_up = httpx.post(url, auth=AUTH, headers=headers, content='{"state":"completed"}')
    assert (hung_up.status_code, hung_up.content) == (200, b"")
    assert httpx.get(url, auth=AUTH).json()["state"] == "completed"


# -- the built-in in-process profile -------------------------------------------------------------------------
def test_builtin_profile_places_a_call_in_process() -> None:
    profile = next(p for p in builtin_profiles() if p.provider == "catapult")
    assert profile_problems(profile) == {}  # the sandbox credentials pass the adapter's AccountSpec
    acct = profile.account(builtin_secret(profile))

    async def main() -> CallResource:
        async with sandbox_client(SandboxConfig(speed=50.0)) as client:
            service = CallService(client)
            call = await create(service, acct)
            return await service.follow(ADAPTER, acct, call, policy=FAST)

    final = asyncio.run(main())
    assert (final.provider_status, final.outcome) == ("completed", Outcome.COMPLETED)
    assert final.url is not None and final.url.startswith(f"{IN_PROCESS_URL}/v1/users/{CREDS.account_id}/calls/c-")


# -- the curl recipe, run with the real curl ------------------------------------------------------------------
def test_curl_recipe_works_as_written(sandbox: RunningSandbox) -> None:
    recipe = SIMULATOR.curl_recipe(sandbox.url)
    assert CREDS.account_id in recipe and CREDS.secret in recipe
    if shutil.which("curl"):
        result = subprocess.run(shlex.split(recipe), capture_output=True, text=True, timeout=20, check=True)
        head = result.stdout
    else:  # replay the same request with httpx
        args = shlex.split(recipe)
        user, password = args[args.index("-u") + 1].split(":", 1)
        response = httpx.post(args[args.index("POST") + 1], auth=(user, password),
                              headers={"Content-type": "application/json"}, content=args[args.index("-d") + 1])
        head = f"HTTP/1.1 {response.status_code}\r\nlocation: {response.headers['location']}\r\n"
    assert re.match(r"HTTP/1\.1 201", head)
    location = re.search(r"(?im)^location:\s*(\S+)", head)
    assert location is not None
    call = httpx.get(location.group(1), auth=AUTH).json()
    assert (call["from"], call["to"], call["direction"]) == ("+19195551212", "+19195550100", "out")
    assert sandbox.engine.create_requests == 1


# -- helpers ----------------------------------------------------------------------------------------------------
def _until(fetch: Callable[[], dict[str, Any]], done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while True:
        current = fetch()
        if done(current):
            return current
        assert time.monotonic() < deadline, current
        time.sleep(0.01)


def _response(response: httpx.Response) -> HttpResponse:
    return HttpResponse(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)
