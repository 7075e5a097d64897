"""The jambonz / Cognigy Voice Gateway simulator over a real loopback server.

There is no official Python SDK for jambonz (only a Node one), so the clients here are our adapter with
CallService, raw httpx requests that reproduce the seed's and the docs' examples byte for byte, and
the sandbox's curl recipe run with real curl.
"""

from __future__ import annotations

import asyncio
import json
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launcher.core.calls import CallService, PollPolicy
from launcher.core.errors import ProviderError
from launcher.core.http import HttpResponse
from launcher.core.models import Account, CallPhase, CallResource, Outcome
from launcher.core.providers import get_adapter
from launcher.core.validate import validate
from launcher.sandbox.app import IN_PROCESS_URL, sandbox_client
from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret
from launcher.sandbox.engine import SandboxConfig
from launcher.sandbox.providers._jambonz_resource import ACCOUNT_SID, API_KEY, API_KEYS, APPLICATION_SID
from launcher.sandbox.providers.jambonz import RETAIN_SECONDS, SIMULATOR
from tests.support.openapi import spec_path
from tests.support.sandbox_server import RunningSandbox, running_sandbox

T = TypeVar("T")
ADAPTER = get_adapter("jambonz")
POLL = PollPolicy(first_delay=0.005, max_delay=0.02)
FROM = "+15083728299"
OTHER_ACCOUNT = "3b9b3f57-4b8e-4f4a-9d55-1f8f0c1f9a6e"
SPEECH = {"speech_synthesis_vendor": "google", "speech_synthesis_language": "en-US",
          "speech_synthesis_voice": "en-US-Wavenet-C", "speech_recognizer_vendor": "google",
          "speech_recognizer_language": "en-US"}
HOOKED: dict[str, Any] = {"from": FROM, "to": {"type": "phone", "number": "+16172375089"},
                          "call_hook": {"url": "https://acme.com/callhook"}, **SPEECH}
WITH_APP: dict[str, Any] = {"application_sid": APPLICATION_SID, "from": FROM,
                            "to": {"type": "phone", "number": "+16172375089"}}


@pytest.fixture
def steady() -> Iterator[RunningSandbox]:
    """The loopback sandbox at x10: an ended call stays readable for 0.5 s of real time (5 simulated
    seconds), so a test that must see a final call_status sees it even on a loaded machine."""
    with running_sandbox(speed=10.0) as running:
        yield running


def run(coro: Awaitable[T]) -> T:
    async def main() -> T:
        return await coro

    return asyncio.run(main())


def account(sandbox: RunningSandbox, **changes: Any) -> Account:
    return replace(Account("jambonz", ACCOUNT_SID, API_KEY, base_url=sandbox.url), **changes)


def calls_url(sandbox: RunningSandbox, account_sid: str = ACCOUNT_SID) -> str:
    return f"{sandbox.url}/v1/Accounts/{account_sid}/Calls"


def send(method: str, url: str, *, key: str | None = API_KEY, **kwargs: Any) -> httpx.Response:
    headers = dict(kwargs.pop("headers", {}))
    if key is not None:
        headers.setdefault("Authorization", f"Bearer {key}")
    with httpx.Client(timeout=10) as client:
        return client.request(method, url, headers=headers, **kwargs)


def assert_msg(response: httpx.Response, status: int, message: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"msg": message}


def assert_plain(response: httpx.Response, status: int, text: str) -> None:
    assert response.status_code == status, response.text
    assert response.text == text
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


async def place(service: CallService, acct: Account, to: str, **extra: Any) -> CallResource:
    checked = validate(ADAPTER.schema, {**WITH_APP, "to": {"type": "phone", "number": to}, **extra})
    assert checked.ok, checked.errors
    return await service.create(ADAPTER, acct, ADAPTER.build_create(acct, checked.values))


async def wait_for(service: CallService, acct: Account, call: CallResource,
                   ready: Callable[[CallResource], bool], seconds: float = 5.0) -> CallResource:
    deadline = time.monotonic() + seconds
    while not ready(call):
        assert time.monotonic() < deadline, f"call stayed {call.provider_status}"
        await asyncio.sleep(0.005)
        call = await service.fetch(ADAPTER, acct, call)
    return call


async def with_service(use: Callable[[CallService], Awaitable[T]]) -> T:
    async with httpx.AsyncClient(timeout=10) as client:
        return await use(CallService(client))


def create(sandbox: RunningSandbox, body: dict[str, Any] | None = None) -> str:
    response = send("POST", calls_url(sandbox), json=body or WITH_APP)
    assert response.status_code == 201, response.text
    return str(response.json()["sid"])


def poll_status(sandbox: RunningSandbox, sid: str, wanted: set[str], seconds: float = 5.0) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        data = send("GET", f"{calls_url(sandbox)}/{sid}").json()
        if data["call_status"] in wanted:
            return dict(data)
        assert time.monotonic() < deadline, f"call stayed {data['call_status']}"
        time.sleep(0.005)


# -- our adapter + CallService ---------------------------------------------------------------------
SCENARIOS = [  # (to, extra, call_status, sip_status, outcome, rings)
    ("+16172375089", {}, "completed", 200, Outcome.COMPLETED, True),
    ("+16172370001", {}, "busy", 486, Outcome.BUSY, True),
    ("+16172370002", {"timeout": 10}, "no-answer", 487, Outcome.NO_ANSWER, True),
    ("+16172370003", {}, "failed", 503, Outcome.FAILED, False),
    ("+16172370004", {}, "busy", 603, Outcome.BUSY, True),  # a 603 Decline: jambonz reports it as busy
]


@pytest.mark.parametrize(("to", "extra", "status", "sip_status", "outcome", "rings"), SCENARIOS)
def test_each_scenario_runs_to_its_end(steady: RunningSandbox, to: str, extra: dict[str, Any], status: str,
                                       sip_status: int, outcome: Outcome, rings: bool) -> None:
    acct = account(steady)
    seen: list[CallResource] = []

    async def scenario() -> CallResource:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            created = await place(service, acct, to, **extra)
            seen.append(created)
            return await service.follow(ADAPTER, acct, created, on_update=seen.append, policy=POLL)

    final = run(scenario())
    assert seen[0].phase is CallPhase.QUEUED and seen[0].provider_status == "trying"
    order = [CallPhase.QUEUED, CallPhase.RINGING, CallPhase.ANSWERED, CallPhase.ENDED]
    phases = [call.phase for call in seen]
    assert phases == sorted(phases, key=order.index), phases
    assert (final.phase, final.provider_status, final.outcome) == (CallPhase.ENDED, status, outcome)
    assert final.raw["sip_status"] == sip_status and final.raw["direction"] == "outbound"
    assert final.to == to and final.from_number == FROM
    if not rings:
        assert CallPhase.RINGING not in phases
    if status == "no-answer":
        assert CallPhase.RINGING in phases  # rings for 10 simulated seconds (1 s here)
    if outcome is Outcome.COMPLETED:
        assert final.duration == 20.0 and CallPhase.ANSWERED in phases and final.detail == "OK"
    else:
        assert "duration" not in final.raw and CallPhase.ANSWERED not in phases
        assert final.detail and final.detail.startswith(f"SIP {sip_status}")
    assert steady.engine.create_requests == 1


@pytest.mark.parametrize(("target", "status"), [
    ({"type": "sip", "sipUri": "sip:busy@example.com"}, "busy"),
    ({"type": "user", "name": "reject-me@sip.example.com"}, "busy"),
    ({"type": "teams", "number": "+16172370003"}, "failed"),
])
def test_sip_user_and_teams_targets_pick_scenarios_too(steady: RunningSandbox, target: dict[str, str],
                                                       status: str) -> None:
    acct = account(steady)

    async def scenario() -> CallResource:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            values = validate(ADAPTER.schema, {**WITH_APP, "to": target}).values
            created = await service.create(ADAPTER, acct, ADAPTER.build_create(acct, values))
            return await service.follow(ADAPTER, acct, created, policy=POLL)

    final = run(scenario())
    assert final.provider_status == status and final.to == next(v for k, v in target.items() if k != "type")


def test_hang_up_a_ringing_call_cancels_it_with_no_answer(steady: RunningSandbox) -> None:
    acct = account(steady)

    async def scenario() -> tuple[CallResource, CallResource | None, CallResource]:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            ringing = await wait_for(service, acct, await place(service, acct, "+16172370002"),
                                     lambda c: c.phase is CallPhase.RINGING)
            request = ADAPTER.build_hangup(acct, ringing)
            assert request is not None and request.method == "PUT"
            assert json.loads(request.body) == {"call_status": "no-answer"}
            hung = await service.hangup(ADAPTER, acct, ringing)
            return ringing, hung, await service.fetch(ADAPTER, acct, ringing)

    ringing, hung, later = run(scenario())
    assert ringing.provider_status == "ringing" and ringing.raw["sip_status"] == 180
    assert hung is not None and hung.raw["update_http_status"] == 202
    assert (later.provider_status, later.outcome, later.raw["sip_status"]) == ("no-answer", Outcome.NO_ANSWER, 487)
    assert later.raw["sip_reason"] == "Request Terminated"


def test_a_call_still_trying_can_be_canceled(steady: RunningSandbox) -> None:
    acct = account(steady)

    async def scenario() -> CallResource:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            created = await place(service, acct, "+16172370002")
            assert created.phase is CallPhase.QUEUED
            await service.hangup(ADAPTER, acct, created)
            return await service.fetch(ADAPTER, acct, created)

    assert run(scenario()).provider_status == "no-answer"


def test_hang_up_an_answered_call_completes_it(steady: RunningSandbox) -> None:
    acct = account(steady)

    async def scenario() -> tuple[CallResource, CallResource]:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            live = await wait_for(service, acct, await place(service, acct, "+16172370005"),
                                  lambda c: c.phase is CallPhase.ANSWERED)
            request = ADAPTER.build_hangup(acct, live)
            assert request is not None and json.loads(request.body) == {"call_status": "completed"}
            await service.hangup(ADAPTER, acct, live)
            return live, await service.fetch(ADAPTER, acct, live)

    live, ended = run(scenario())
    assert live.provider_status == "in-progress" and "duration" not in live.raw
    assert (ended.provider_status, ended.outcome, ended.raw["sip_status"]) == ("completed", Outcome.COMPLETED, 200)
    assert 0 <= ended.raw["duration"] < 3600


def test_hang_up_is_refused_in_states_that_do_not_allow_it(steady: RunningSandbox) -> None:
    ringing = create(steady, {**WITH_APP, "to": {"type": "phone", "number": "+16172370002"}})
    live = create(steady, {**WITH_APP, "to": {"type": "phone", "number": "+16172370005"}})
    poll_status(steady, ringing, {"ringing"})
    poll_status(steady, live, {"in-progress"})
    incompatible = "current call state is incompatible with requested action for call_sid {}"
    assert_msg(send("PUT", f"{calls_url(steady)}/{ringing}", json={"call_status": "completed"}), 422,
               incompatible.format(ringing))
    assert_msg(send("PUT", f"{calls_url(steady)}/{live}", json={"call_status": "no-answer"}), 422,
               incompatible.format(live))
    assert poll_status(steady, ringing, {"ringing"})["call_status"] == "ringing"  # unchanged
    assert poll_status(steady, live, {"in-progress"})["call_status"] == "in-progress"


def test_hang_up_after_the_end_is_refused_then_not_found(steady: RunningSandbox) -> None:
    acct = account(steady)

    async def scenario() -> tuple[CallResource, ProviderError, CallResource | None]:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            final = await service.follow(ADAPTER, acct, await place(service, acct, "+16172370001"), policy=POLL)
            stale = replace(final, phase=CallPhase.RINGING, provider_status="ringing")  # a view not yet refreshed
            with pytest.raises(ProviderError) as refused:
                await service.hangup(ADAPTER, acct, stale)
            return final, refused.value, await service.hangup(ADAPTER, acct, final)

    final, refused, nothing = run(scenario())
    assert final.provider_status == "busy"
    assert refused.http_status == 422 and refused.message == f"call session is gone for call_sid {final.call_id}"
    assert nothing is None  # the adapter builds no hang-up for an ended call
    steady.advance(RETAIN_SECONDS + 0.5)
    response = send("PUT", f"{calls_url(steady)}/{final.call_id}", json={"call_status": "no-answer"})
    assert_plain(response, 404, "Not Found")


def test_legacy_post_update_is_the_docs_terminate_example(steady: RunningSandbox) -> None:
    sid = create(steady, {**WITH_APP, "to": {"type": "phone", "number": "+16172370005"}})
    poll_status(steady, sid, {"in-progress"})
    response = send("POST", f"{calls_url(steady)}/{sid}", key="9604e5f7-9a77-4bcc-b0fa-5665ace28ab3",
                    headers={"Content-Type": "application/json"},
                    content=b'{\n\t"call_status": "completed"\n}')
    assert_plain(response, 202, "Accepted")
    assert poll_status(steady, sid, {"completed"})["sip_status"] == 200


@pytest.mark.parametrize("body", [{"listen_status": "pause"}, {"mute_status": "mute"},
                                  {"whisper": {"verb": "say", "text": "Two minutes left."}},
                                  {"call_hook": {"url": "/transfer-to-support"}}])
def test_other_live_call_controls_are_accepted(sandbox: RunningSandbox, body: dict[str, Any]) -> None:
    sid = create(sandbox, {**WITH_APP, "to": {"type": "phone", "number": "+16172370005"}})
    poll_status(sandbox, sid, {"in-progress"})
    assert_plain(send("PUT", f"{calls_url(sandbox)}/{sid}", json=body), 202, "Accepted")
    assert poll_status(sandbox, sid, {"in-progress"})["call_status"] == "in-progress"


@pytest.mark.parametrize(("body", "message"), [
    ({}, "no valid options supplied to updateCall"),
    ({"call_status": "canceled"}, "invalid call_status"),
    ({"call_status": "completed", "mute_status": "mute"}, "multiple options are not allowed in updateCall"),
    ({"listen_status": "stop"}, "invalid listen_status"),
    ({"record": {"action": "startCallRecording"}},
     "record requires siprecServerURL property when starting recording"),
])
def test_invalid_updates_are_refused_even_for_unknown_calls(sandbox: RunningSandbox, body: dict[str, Any],
                                                            message: str) -> None:
    assert_msg(send("PUT", f"{calls_url(sandbox)}/{uuid.uuid4()}", json=body), 400, message)


def test_status_hook_can_change_only_with_the_call_hook(sandbox: RunningSandbox) -> None:
    sid = create(sandbox, {**WITH_APP, "to": {"type": "phone", "number": "+16172370005"}})
    response = send("PUT", f"{calls_url(sandbox)}/{sid}",
                    json={"call_status": "completed", "call_status_hook": {"url": "https://acme.com/status"}})
    assert_msg(response, 400, f"call_status_hook can be updated only when call_hook is also being updated "
                              f"for call_sid {sid}")


# -- the call resource and its lifetime -------------------------------------------------------------
def test_call_json_has_the_official_schemas_fields(steady: RunningSandbox) -> None:
    schema = yaml.safe_load(spec_path("jambonz_swagger.yaml").read_text(encoding="utf-8"))["components"]["schemas"]
    sid = create(steady, {**HOOKED, "callerName": "Support", "timeLimit": 3})
    response = send("GET", f"{calls_url(steady)}/{sid}")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    data = response.json()
    assert set(schema["Call"]["required"]) <= set(data)
    assert data["call_status"] in schema["Call"]["properties"]["call_status"]["enum"]
    assert (data["call_sid"], data["account_sid"], data["direction"]) == (sid, ACCOUNT_SID, "outbound")
    assert isinstance(data["sip_status"], int) and data["caller_name"] == "Support"
    assert "application_sid" not in data  # jambonz drops unset (null) properties
    final = poll_status(steady, sid, {"completed"})
    assert final["duration"] == 3 and isinstance(final["duration"], int)  # ended by the time limit
    types = {"string": str, "integer": int}
    for name, value in final.items():
        expected = schema["Call"]["properties"].get(name, {}).get("type")
        assert expected is None or isinstance(value, types[expected]), name


def test_an_ended_call_stays_readable_briefly_then_is_gone(steady: RunningSandbox) -> None:
    sid = create(steady, {**WITH_APP, "to": {"type": "phone", "number": "+16172370001"}})
    ended = poll_status(steady, sid, {"busy"})
    assert ended["sip_status"] == 486 and ended["sip_reason"] == "Busy Here"
    steady.advance(RETAIN_SECONDS + 0.5)
    assert_plain(send("GET", f"{calls_url(steady)}/{sid}"), 404, "Not Found")
    assert send("GET", calls_url(steady)).json() == []


def test_follow_ends_with_gone_when_the_call_is_forgotten(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)
    updates: list[CallResource] = []
    slow = PollPolicy(first_delay=0.5, max_delay=1.0)  # 25 simulated seconds: the busy call is long gone

    async def scenario() -> CallResource:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            created = await place(service, acct, "+16172370001")
            return await service.follow(ADAPTER, acct, created, on_update=updates.append, policy=slow)

    final = run(scenario())
    assert (final.phase, final.outcome, final.provider_status) == (CallPhase.ENDED, None, "gone")
    assert updates == [final] and final.detail and "unknown" in final.detail


def test_list_calls_is_the_test_connection(steady: RunningSandbox) -> None:
    live = create(steady, {**WITH_APP, "to": {"type": "phone", "number": "+16172370005"}})
    ringing = create(steady, {**WITH_APP, "to": {"type": "phone", "number": "+16172370002"}})
    poll_status(steady, live, {"in-progress"})
    response = run(with_service(lambda service: service.test_connection(ADAPTER, account(steady))))
    assert response.status == 200
    assert [call["call_sid"] for call in response.json()] == [live, ringing]
    only = send("GET", calls_url(steady), params={"callStatus": "in-progress", "direction": "outbound"}).json()
    assert [call["call_sid"] for call in only] == [live]
    assert send("GET", calls_url(steady), params={"to": "+16172370002"}).json()[0]["call_sid"] == ringing


def test_delete_forgets_the_call(sandbox: RunningSandbox) -> None:
    sid = create(sandbox, {**WITH_APP, "to": {"type": "phone", "number": "+16172370005"}})
    response = send("DELETE", f"{calls_url(sandbox)}/{sid}")
    assert response.status_code == 204 and response.content == b""
    assert_plain(send("GET", f"{calls_url(sandbox)}/{sid}"), 404, "Not Found")
    assert_plain(send("DELETE", f"{calls_url(sandbox)}/{sid}"), 404, "Not Found")


# -- create: validation in jambonz's words -------------------------------------------------------------
@pytest.mark.parametrize(("body", "message", "field"), [
    ({}, "missing from parameter", "from"),
    ({**WITH_APP, "from": ""}, "missing from parameter", "from"),
    ({"from": FROM}, "missing or invalid to property: undefined", "to"),
    ({**WITH_APP, "to": {"type": "phone"}}, 'missing or invalid to property: {"type":"phone"}', "to"),
    ({**WITH_APP, "to": {"type": "fax", "number": "1"}}, 'missing or invalid to property: {"type":"fax","number":"1"}',
     "to"),
    ({**WITH_APP, "application_sid": "my-app"}, "application_sid not found my-app", "application_sid"),
    ({**HOOKED, "speech_synthesis_voice": ""},
     "either application_sid or set of speech_synthesis_vendor, speech_synthesis_language, speech_synthesis_voice, "
     "speech_recognizer_vendor, speech_recognizer_language required", "application_sid"),
    ({**HOOKED, "call_hook": None}, "either call_hook or application_sid required", "application_sid"),
    ({**HOOKED, "call_hook": {"method": "GET"}}, "call_hook must be string or an object containing a url property",
     "call_hook.url"),
    ({**HOOKED, "call_hook": "/relative"}, "call_hook url be an absolute url", "call_hook.url"),
    ({**HOOKED, "call_status_hook": {"url": "ftp://acme.com/s"}}, "call_status_hook url be an absolute url",
     "call_status_hook.url"),
])
def test_api_server_checks_answer_in_its_words(sandbox: RunningSandbox, body: dict[str, Any], message: str,
                                               field: str) -> None:
    response = send("POST", calls_url(sandbox), json=body)
    assert_msg(response, 400, message)
    error = ADAPTER.parse_error(HttpResponse(400, dict(response.headers), response.content))
    assert (error.message, error.field) == (message, field)
    assert not validate(ADAPTER.schema, body).ok  # our validator refuses the same values before sending


@pytest.mark.parametrize("change", [
    {"timeLimit": 0}, {"to": {"type": "sip", "sipUri": "alice@example.com"}}, {"from": "Voice Bot"},
])
def test_the_server_accepts_what_jambonz_passes_on(sandbox: RunningSandbox, change: dict[str, Any]) -> None:
    """jambonz-api-server checks only that ``from`` is set and hands the rest to the feature server: the
    validator warns about these, and neither refuses them."""
    body = {**HOOKED, **change}
    checked = validate(ADAPTER.schema, body)
    assert checked.ok and checked.warnings
    response = send("POST", calls_url(sandbox), json=body)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(("change", "field"), [
    ({"timeout": "soon"}, "timeout"),
    ({"to": {"type": "phone", "number": "call me"}}, "to.number"),
    ({"call_hook": {"url": "https://acme.com/h", "method": "PUT"}}, "call_hook.method"),
    ({"listen": {"url": "https://not-a-websocket.example.com"}}, "listen.url"),
    ({"dtmfCapture": ["*2", "x"]}, "dtmfCapture"),
    ({"headers": {"bad header": "1"}}, "headers"),
    ({"app_json": "{not json"}, "app_json"),
    ({"fromHost": "not a host"}, "fromHost"),
])
def test_the_server_rejects_what_our_validator_rejects(sandbox: RunningSandbox, change: dict[str, Any],
                                                       field: str) -> None:
    body = {**HOOKED, **change}
    expected = validate(ADAPTER.schema, body)
    assert not expected.ok and field in expected.errors
    response = send("POST", calls_url(sandbox), json=body)
    assert response.status_code == 400
    message = response.json()["msg"]
    assert message == f"Invalid {field}: {expected.errors[field][0]}"
    assert ADAPTER.parse_error(HttpResponse(400, {}, response.content)).field == field
    assert sandbox.engine.calls == {}


def test_unknown_properties_are_ignored_as_jambonz_does(sandbox: RunningSandbox) -> None:
    create(sandbox, {**WITH_APP, "noSuchProperty": 1, "to": {"type": "phone", "number": "+16172375089", "x": 1}})


def test_string_hooks_are_accepted_as_the_api_server_does(sandbox: RunningSandbox) -> None:
    create(sandbox, {**HOOKED, "call_hook": "https://acme.com/callhook", "call_status_hook": "wss://acme.com/s"})


HOOK_VALUES = st.one_of(st.none(), st.text(max_size=12), st.integers(-5, 5),
                        st.sampled_from(["https://acme.com/h", "wss://acme.com/ws", "/rel", "http://"]),
                        st.fixed_dictionaries({}, optional={"url": st.sampled_from(["https://a.co/x", "/x", ""]),
                                                            "method": st.sampled_from(["GET", "post", "PUT"])}))
MUTATIONS = st.fixed_dictionaries({}, optional={
    "from": st.one_of(st.sampled_from([FROM, "16172375089", "", "sip:x@y.com"]), st.text(max_size=6)),
    "timeout": st.one_of(st.integers(-3, 100), st.text(max_size=4)),
    "timeLimit": st.one_of(st.integers(-3, 100), st.just("10")),
    "call_hook": HOOK_VALUES,
    "call_status_hook": HOOK_VALUES,
    "application_sid": st.sampled_from([APPLICATION_SID, "nope", ""]),
    "callerName": st.one_of(st.text(max_size=5), st.booleans()),
    "to": st.sampled_from([{"type": "phone", "number": "+16172375089"}, {"type": "user", "name": "bob"},
                           {"type": "sip", "sipUri": "sip:alice@example.com"}, {"type": "phone"}]),
})


JAMBONZ_MESSAGES = {f"{hook} must be string or an object containing a url property"
                    for hook in ("call_hook", "call_status_hook")}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(MUTATIONS)
def test_server_refuses_whatever_our_validator_refuses(sandbox: RunningSandbox, change: dict[str, Any]) -> None:
    body = {**HOOKED, **change}
    # The api-server turns a string hook into {url, method: POST} before anything reads it.
    seen = {key: {"url": value, "method": "POST"} if key.endswith("hook") and isinstance(value, str) else value
            for key, value in body.items()}
    ours = validate(ADAPTER.schema, seen)
    response = send("POST", calls_url(sandbox), json=body)
    assert response.status_code in (201, 400), response.text
    if not ours.ok:
        assert response.status_code == 400, ours.errors
    elif response.status_code == 400:  # only jambonz's own stricter checks, e.g. an empty hook object {}
        assert response.json()["msg"] in JAMBONZ_MESSAGES, response.text


# -- auth, paths, content types ---------------------------------------------------------------------
@pytest.mark.parametrize(("headers", "challenge"), [
    ({}, 'Bearer realm="Users"'),
    ({"Authorization": "Bearer 00000000-1111-4222-8333-444444444444"}, 'Bearer realm="Users", error="invalid_token"'),
    ({"Authorization": f"Basic {API_KEY}"}, 'Bearer realm="Users"'),
])
def test_authentication_failures_are_passports_401(sandbox: RunningSandbox, headers: dict[str, str],
                                                   challenge: str) -> None:
    for method, url in (("POST", calls_url(sandbox)), ("GET", calls_url(sandbox)),
                        ("GET", f"{calls_url(sandbox)}/{uuid.uuid4()}"),
                        ("PUT", f"{calls_url(sandbox)}/{uuid.uuid4()}")):
        response = send(method, url, key=None, headers=headers, json=WITH_APP)
        assert (response.status_code, response.text) == (401, "Unauthorized")
        assert response.headers["www-authenticate"] == challenge and "content-type" not in response.headers
    error = ADAPTER.parse_error(HttpResponse(401, {}, b"Unauthorized"))
    assert error.message.endswith("Unauthorized") and "API key" in error.hint
    assert sandbox.engine.calls == {}


def test_every_documented_api_key_of_the_account_works(sandbox: RunningSandbox) -> None:
    for key in API_KEYS:
        assert send("GET", calls_url(sandbox), key=key).status_code == 200


@pytest.mark.parametrize(("account_sid", "status", "message"), [
    (OTHER_ACCOUNT, 403, "insufficient permissions"),
    ("AC0123", 400, "Bad request"),
    (ACCOUNT_SID.upper(), 403, "insufficient permissions"),
])
def test_another_or_malformed_account_sid(sandbox: RunningSandbox, account_sid: str, status: int,
                                          message: str) -> None:
    url = calls_url(sandbox, account_sid)
    for method, target in (("POST", url), ("GET", url), ("GET", f"{url}/{uuid.uuid4()}"),
                           ("PUT", f"{url}/{uuid.uuid4()}")):
        assert_msg(send(method, target, json={"call_status": "completed"}), status, message)
    assert sandbox.engine.calls == {} and sandbox.engine.create_requests == 1


def test_unknown_or_malformed_call_sid(sandbox: RunningSandbox) -> None:
    unknown = f"{calls_url(sandbox)}/{uuid.uuid4()}"
    assert_plain(send("GET", unknown), 404, "Not Found")
    assert_plain(send("PUT", unknown, json={"call_status": "completed"}), 404, "Not Found")
    assert_msg(send("GET", f"{calls_url(sandbox)}/CA123"), 400, "Bad request")
    error = run(_fetch_unknown(sandbox))
    assert error.http_status == 404 and "ended" in error.hint


async def _fetch_unknown(sandbox: RunningSandbox) -> ProviderError:
    acct = account(sandbox)
    ghost = CallResource("jambonz", str(uuid.uuid4()), CallPhase.RINGING, "ringing")
    async with httpx.AsyncClient(timeout=10) as client:
        try:
            await CallService(client).fetch(ADAPTER, acct, ghost)
        except ProviderError as exc:
            return exc
    raise AssertionError("fetch of an unknown call succeeded")


def test_a_body_that_is_not_json_or_form_is_empty(sandbox: RunningSandbox) -> None:
    response = send("POST", calls_url(sandbox), content=json.dumps(WITH_APP).encode(),
                    headers={"Content-Type": "text/plain"})
    assert_msg(response, 400, "missing from parameter")
    response = send("PUT", f"{calls_url(sandbox)}/{uuid.uuid4()}", content=b'{"call_status": "completed"}',
                    headers={"Content-Type": "text/plain"})
    assert_msg(response, 400, "no valid options supplied to updateCall")


def test_a_form_encoded_body_is_read_like_express_urlencoded(sandbox: RunningSandbox) -> None:
    form = {"application_sid": APPLICATION_SID, "from": FROM, "to[type]": "phone", "to[number]": "+16172375089",
            "timeout": "20", "tag[accountCode]": "288fe284"}
    response = send("POST", calls_url(sandbox), data=form)
    assert response.status_code == 201, response.text
    call = sandbox.engine.calls[("jambonz", response.json()["sid"])]
    assert call.ring_timeout == 20 and call.params["tag"] == {"accountCode": "288fe284"}


@pytest.mark.parametrize(("content", "status", "message"), [
    (b'{"from": "+1508",}', 400, "Unexpected token } in JSON at position 17"),
    (b'"from"', 400, 'Unexpected token " in JSON at position 0'),
    (b'{"from": ', 400, "Unexpected end of JSON input"),
    (b"[1, 2]", 400, "missing from parameter"),
    (b"{}" + b" " * 102400, 413, "request entity too large"),
])
def test_bodies_the_json_parser_refuses(sandbox: RunningSandbox, content: bytes, status: int, message: str) -> None:
    response = send("POST", calls_url(sandbox), content=content, headers={"Content-Type": "application/json"})
    assert_msg(response, status, message)


def test_rate_limit_setting_has_no_effect_as_jambonz_has_none(limited_sandbox: RunningSandbox) -> None:
    assert limited_sandbox.engine.config.rate_limit
    sids = [create(limited_sandbox) for _ in range(5)]
    assert len(set(sids)) == 5 and all(call.queued_until == call.created
                                       for call in limited_sandbox.engine.calls.values())


def test_every_create_request_is_counted(sandbox: RunningSandbox) -> None:
    create(sandbox)
    send("POST", calls_url(sandbox), json={})
    send("POST", calls_url(sandbox), key="wrong", json=WITH_APP)
    send("POST", calls_url(sandbox, OTHER_ACCOUNT), json=WITH_APP)
    send("POST", calls_url(sandbox), content=b"{", headers={"Content-Type": "application/json"})
    send("GET", calls_url(sandbox))
    assert sandbox.engine.create_requests == 5 and len(sandbox.engine.calls) == 1


# -- the seed's and the docs' examples, exactly; the curl recipe; built-in profile ------------------------
DOCS_CREATE_BODY = (b'{\n  "application_sid": "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1",\n  "from": "+15083728299",\n'
                    b'  "to": {\n    "type": "phone",\n    "number": "+16172375089"\n  },\n  "tag": {\n'
                    b'    "accountCode": "288fe284"\n  }\n}')


def test_docs_create_retrieve_and_terminate_examples(steady: RunningSandbox) -> None:
    created = send("POST", calls_url(steady), content=DOCS_CREATE_BODY, headers={
        "Accept": "application/json", "Content-Type": "application/json"})
    assert created.status_code == 201 and created.headers["content-type"] == "application/json; charset=utf-8"
    body = created.json()
    assert set(body) == {"sid", "callId"} and uuid.UUID(body["sid"]).version == 4
    sid = body["sid"]
    fetched = send("GET", f"{calls_url(steady)}/{sid}", key="38700987-c7a4-4685-a5bb-af378f9734de",
                   headers={"accept": "application/json"})
    data = fetched.json()
    docs_fields = {"service_url", "call_sid", "account_sid", "application_sid", "caller_name", "call_id",
                   "sip_status", "call_status"}
    assert docs_fields <= set(data) and data["call_id"] == body["callId"]
    assert data["application_sid"] == APPLICATION_SID and data["call_status"] in ("trying", "ringing")
    poll_status(steady, sid, {"in-progress"})
    terminated = send("POST", f"{calls_url(steady)}/{sid}", key="9604e5f7-9a77-4bcc-b0fa-5665ace28ab3",
                      headers={"Content-Type": "application/json"}, content=b'{\n\t"call_status": "completed"\n}')
    assert_plain(terminated, 202, "Accepted")
    assert isinstance(poll_status(steady, sid, {"completed"})["duration"], int)


def test_seed_request_reproduced_by_our_adapter(sandbox: RunningSandbox) -> None:
    acct = account(sandbox, base_url=sandbox.url + "/v1")
    request = ADAPTER.build_create(acct, validate(ADAPTER.schema, WITH_APP).values)
    assert request.url == f"{sandbox.url}/v1/Accounts/{ACCOUNT_SID}/Calls"
    resource = run(with_service(lambda service: service.create(ADAPTER, acct, request)))
    assert resource.provider_status == "trying" and resource.raw["callId"]
    assert resource.url == f"{sandbox.url}/v1/Accounts/{ACCOUNT_SID}/Calls/{resource.call_id}"


def test_curl_recipe_works_as_written(sandbox: RunningSandbox) -> None:
    recipe = SIMULATOR.curl_recipe(sandbox.url)
    args = shlex.split(recipe)
    assert args[:4] == ["curl", "--location", "--request", "POST"] and "\n" not in recipe
    assert SIMULATOR.curl_recipe(sandbox.url + "/v1/") == recipe
    if shutil.which("curl"):
        out = subprocess.run([*args, "--silent", "--show-error"], capture_output=True, text=True, timeout=30,
                             check=True)
        body = json.loads(out.stdout)
    else:  # replay the same request with httpx
        headers = dict(args[i + 1].split(": ", 1) for i, a in enumerate(args) if a == "--header")
        with httpx.Client(timeout=10) as client:
            body = client.post(args[4], headers=headers, content=args[args.index("--data-raw") + 1]).json()
    assert ("jambonz", body["sid"]) in sandbox.engine.calls


def test_builtin_profile_places_a_call_in_process() -> None:
    profile = next(p for p in builtin_profiles() if p.provider == "jambonz")
    assert (profile.account_id, profile.base_url) == (ACCOUNT_SID, IN_PROCESS_URL)
    secret = builtin_secret(profile)
    assert secret == API_KEY
    acct = Account("jambonz", profile.account_id, secret, base_url=profile.base_url)

    async def scenario() -> CallResource:
        async with sandbox_client(SandboxConfig(speed=20.0)) as client:
            service = CallService(client)
            values = validate(ADAPTER.schema, SIMULATOR.sample_values()).values
            created = await service.create(ADAPTER, acct, ADAPTER.build_create(acct, values))
            return await service.follow(ADAPTER, acct, created, policy=POLL)

    assert run(scenario()).provider_status == "completed"


def test_a_fresh_sandbox_forgets_calls_of_another_one() -> None:
    with running_sandbox(speed=50.0) as first:
        sid = create(first)
    with running_sandbox(speed=50.0) as second:
        assert_plain(send("GET", f"{calls_url(second)}/{sid}"), 404, "Not Found")
