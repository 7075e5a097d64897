"""The Twilio simulator over a real loopback server: our adapter, the official SDK, curl, every error."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
import pytest

from launcher.core.calls import CallService, PollPolicy
from launcher.core.errors import ProviderError
from launcher.core.http import FORM_HEADERS, HttpResponse, PreparedRequest, form_body
from launcher.core.models import Account, CallPhase, CallResource, Outcome
from launcher.core.providers.twilio import ADAPTER
from launcher.core.validate import validate
from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret
from launcher.sandbox.providers.twilio import (
    ACCOUNT_SID,
    API_KEY_SECRET,
    API_KEY_SID,
    AUTH_TOKEN,
    SIMULATOR,
)
from tests.support.openapi import spec_path
from tests.support.sandbox_server import RunningSandbox

T = TypeVar("T")
POLL = PollPolicy(first_delay=0.005, max_delay=0.02)
FROM = "+15005550006"
TWIML_URL = "http://demo.twilio.com/docs/voice.xml"
OTHER_ACCOUNT = "AC" + "0123456789abcdef" * 2


def run(coro: Awaitable[T]) -> T:
    async def main() -> T:
        return await coro

    return asyncio.run(main())


def account(sandbox: RunningSandbox, **changes: Any) -> Account:
    base = Account(provider="twilio", account_id=ACCOUNT_SID, secret=AUTH_TOKEN, base_url=sandbox.url)
    return replace(base, **changes)


def calls_url(sandbox: RunningSandbox, account_sid: str = ACCOUNT_SID) -> str:
    return f"{sandbox.url}/2010-04-01/Accounts/{account_sid}/Calls.json"


def post(url: str, data: Any = None, auth: tuple[str, str] | None = (ACCOUNT_SID, AUTH_TOKEN),
         **kwargs: Any) -> httpx.Response:
    with httpx.Client(timeout=10, auth=auth) as client:
        return client.post(url, data=data, **kwargs)


def get(url: str, auth: tuple[str, str] | None = (ACCOUNT_SID, AUTH_TOKEN)) -> httpx.Response:
    with httpx.Client(timeout=10) as client:
        return client.get(url, auth=auth)


def assert_twilio_error(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body == {"code": code, "message": body["message"],
                    "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
    assert response.headers["twilio-request-id"].startswith("RQ")
    return body


async def place(service: CallService, acct: Account, to: str, **extra: Any) -> CallResource:
    checked = validate(ADAPTER.schema, {"To": to, "From": FROM, "Url": TWIML_URL, **extra})
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


# -- our adapter + CallService ---------------------------------------------------------------------
SCENARIOS = [  # (To, extra parameters, Twilio's final status, outcome, rings)
    ("+14155551212", {}, "completed", Outcome.COMPLETED, True),
    ("+14155550001", {}, "busy", Outcome.BUSY, True),
    ("+14155550002", {"Timeout": 10}, "no-answer", Outcome.NO_ANSWER, True),
    ("+14155550003", {}, "failed", Outcome.FAILED, False),
    ("+14155550004", {}, "busy", Outcome.BUSY, True),  # declined: Twilio has no "rejected" status
]


@pytest.mark.parametrize(("to", "extra", "status", "outcome", "rings"), SCENARIOS)
def test_each_scenario_runs_to_its_end(sandbox: RunningSandbox, to: str, extra: dict[str, Any], status: str,
                                       outcome: Outcome, rings: bool) -> None:
    acct = account(sandbox)
    seen: list[CallResource] = []

    async def scenario() -> CallResource:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            created = await place(service, acct, to, **extra)
            seen.append(created)
            return await service.follow(ADAPTER, acct, created, on_update=seen.append, policy=POLL)

    final = run(scenario())
    assert seen[0].phase is CallPhase.QUEUED and seen[0].provider_status == "queued"
    order = [CallPhase.QUEUED, CallPhase.RINGING, CallPhase.ANSWERED, CallPhase.ENDED]
    phases = [call.phase for call in seen]
    assert phases == sorted(phases, key=order.index), phases
    assert final.phase is CallPhase.ENDED and final.provider_status == status and final.outcome is outcome
    raw = final.raw
    assert raw["end_time"] and raw["start_time"]
    if outcome is Outcome.COMPLETED:
        assert final.duration == 20.0 and raw["duration"] == "20" and raw["price"].startswith("-")
        assert CallPhase.ANSWERED in phases
    else:
        assert raw["duration"] is None and raw["price"] is None and CallPhase.ANSWERED not in phases
    if status == "no-answer":
        assert CallPhase.RINGING in phases  # rings for 10 simulated seconds (0.2 s here)
    if not rings:
        assert CallPhase.RINGING not in phases
    assert sandbox.engine.create_requests == 1


def test_hang_up_a_ringing_call_cancels_it(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)

    async def scenario() -> tuple[CallResource, CallResource | None, CallResource]:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            ringing = await wait_for(service, acct, await place(service, acct, "+14155550002"),
                                     lambda c: c.phase is CallPhase.RINGING)
            request = ADAPTER.build_hangup(acct, ringing)
            assert request is not None and request.body == b"Status=canceled"
            hung = await service.hangup(ADAPTER, acct, ringing)
            return ringing, hung, await service.fetch(ADAPTER, acct, ringing)

    ringing, hung, later = run(scenario())
    assert ringing.provider_status == "ringing"
    assert hung is not None and hung.provider_status == "canceled" and hung.outcome is Outcome.CANCELED
    assert later.provider_status == "canceled" and later.raw["duration"] is None and later.raw["end_time"]


def test_hang_up_an_answered_call_completes_it(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)

    async def scenario() -> tuple[CallResource, CallResource | None]:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            live = await wait_for(service, acct, await place(service, acct, "+14155550005"),
                                  lambda c: c.phase is CallPhase.ANSWERED)
            return live, await service.hangup(ADAPTER, acct, live)

    live, hung = run(scenario())
    assert live.provider_status == "in-progress" and live.raw["duration"] is None
    assert hung is not None and hung.provider_status == "completed" and hung.outcome is Outcome.COMPLETED
    assert hung.raw["duration"] is not None and int(hung.raw["duration"]) < 3600 and hung.raw["price"]


def test_hang_up_from_a_stale_ringing_state_still_ends_a_call_answered_since(sandbox: RunningSandbox) -> None:
    """The app last saw "ringing" but the call was answered since: Twilio ignores "canceled" on a call in
    progress, so the hang-up must follow up with "completed" instead of leaving the call running."""
    acct = account(sandbox)

    async def scenario() -> tuple[CallResource, CallResource | None]:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            placed = await place(service, acct, "+14155550005")
            ringing = await wait_for(service, acct, placed, lambda c: c.phase is CallPhase.RINGING)
            await wait_for(service, acct, ringing, lambda c: c.phase is CallPhase.ANSWERED)
            return ringing, await service.hangup(ADAPTER, acct, ringing)  # the stale, ringing view

    stale, hung = run(scenario())
    assert stale.provider_status == "ringing"
    assert hung is not None and hung.provider_status == "completed" and hung.outcome is Outcome.COMPLETED
    assert hung.raw["duration"] is not None


def test_completed_also_ends_a_ringing_call_and_canceled_leaves_a_live_call_alone(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            ringing = await wait_for(service, acct, await place(service, acct, "+14155550002"),
                                     lambda c: c.phase is CallPhase.RINGING)
            live = await wait_for(service, acct, await place(service, acct, "+14155550005"),
                                  lambda c: c.phase is CallPhase.ANSWERED)
            auth = (ACCOUNT_SID, AUTH_TOKEN)
            completed = await client.post(ringing.url or "", data={"Status": "completed"}, auth=auth)
            canceled = await client.post(live.url or "", data={"Status": "canceled"}, auth=auth)
            return completed.json(), canceled.json()

    completed, canceled = run(scenario())
    assert completed["status"] == "canceled"  # ended before anyone answered
    assert canceled["status"] == "in-progress"  # "canceled" does not affect a call in progress


def test_updating_an_ended_call_is_refused_with_21220(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)

    async def scenario() -> tuple[CallResource, ProviderError, HttpResponse]:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            final = await service.follow(ADAPTER, acct, await place(service, acct, "+14155550003"), policy=POLL)
            assert ADAPTER.build_hangup(acct, final) is None  # nothing to send for an ended call
            stale = replace(final, phase=CallPhase.ANSWERED, outcome=None, provider_status="in-progress")
            with pytest.raises(ProviderError) as refused:
                await service.hangup(ADAPTER, acct, stale)
            redirect = PreparedRequest("POST", final.url or "", FORM_HEADERS, form_body([("Url", TWIML_URL)]),
                                       auth=ADAPTER.auth(acct))
            return final, refused.value, await service.send(redirect)

    final, refused, redirect = run(scenario())
    assert final.provider_status == "failed"
    assert refused.http_status == 400 and refused.code == "21220"
    assert refused.message == "Call is not in-progress. Cannot redirect."
    assert redirect.status == 400 and json.loads(redirect.body)["code"] == 21220


def test_test_connection_fetches_the_account(sandbox: RunningSandbox) -> None:
    async def scenario() -> HttpResponse:
        async with httpx.AsyncClient(timeout=10) as client:
            return await CallService(client).test_connection(ADAPTER, account(sandbox))

    answer = run(scenario())
    body = answer.json_object()
    assert answer.status == 200 and body["sid"] == ACCOUNT_SID and body["status"] == "active"
    assert body["uri"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}.json"


# -- resource shape ---------------------------------------------------------------------------------
def test_call_json_has_every_field_of_the_official_schema(sandbox: RunningSandbox) -> None:
    document = json.loads(spec_path("twilio_api_v2010.json").read_text(encoding="utf-8"))
    schema = document["components"]["schemas"]["api.v2010.account.call"]["properties"]
    created = post(calls_url(sandbox), {"To": "+14155551212", "From": FROM, "Url": TWIML_URL})
    assert created.status_code == 201 and created.headers["content-type"].startswith("application/json")
    body = created.json()
    assert set(body) == set(schema)
    for name, spec in schema.items():
        if "pattern" in spec and body[name] is not None:
            assert re.fullmatch(spec["pattern"], body[name]), (name, body[name])
    assert body["status"] == "queued" and body["direction"] == "outbound-api" and body["api_version"] == "2010-04-01"
    assert body["to_formatted"] == "(415) 555-1212" and body["from_formatted"] == "(500) 555-0006"
    assert body["start_time"] is None and body["queue_time"] == "0" and body["price_unit"] == "USD"
    assert parsedate_to_datetime(body["date_created"]).utcoffset() is not None
    assert body["uri"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{body['sid']}.json"
    fetched = get(f"{sandbox.url}{body['uri']}")
    assert fetched.status_code == 200 and set(fetched.json()) == set(schema)


def test_machine_detection_reports_answered_by(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)

    async def scenario() -> CallResource:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            call = await place(service, acct, "+14155551212", MachineDetection="Enable")
            return await service.follow(ADAPTER, acct, call, policy=POLL)

    final = run(scenario())
    assert final.raw["answered_by"] == "human" and final.detail == "Answered by: human"


def test_time_limit_ends_a_long_call(sandbox: RunningSandbox) -> None:
    acct = account(sandbox)

    async def scenario() -> CallResource:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            call = await place(service, acct, "+14155550005", TimeLimit=60)  # would stay up for an hour
            return await service.follow(ADAPTER, acct, call, policy=PollPolicy(first_delay=0.05, max_delay=0.1))

    final = run(scenario())
    assert final.provider_status == "completed" and final.raw["duration"] == "60"


# -- errors -----------------------------------------------------------------------------------------
GOOD = {"To": "+14155551212", "From": FROM, "Url": TWIML_URL}
INVALID = [  # (parameters, Twilio code, field the message names)
    ({"From": FROM, "Url": TWIML_URL}, 21201, "To"),
    ({**GOOD, "To": "not-a-number"}, 21211, "To"),
    ({**GOOD, "To": "4155551212"}, 21211, "To"),  # E.164 needed: no country is assumed
    ({"To": "+14155551212", "Url": TWIML_URL}, 21213, "From"),
    ({**GOOD, "From": "nobody"}, 21212, "From"),
    ({**GOOD, "From": "sip:bob@example.com"}, 21212, "From"),  # a phone To needs a phone From
    ({"To": "+14155551212", "From": FROM}, 21205, "Url"),
    ({**GOOD, "Url": "voice.xml"}, 21205, "Url"),
    ({**GOOD, "StatusCallback": "https://bad_host.example.com/s"}, 21200, "StatusCallback"),
    ({**GOOD, "FallbackUrl": "https://example.com/f", "FallbackMethod": "PUT"}, 21200, "FallbackMethod"),
    ({**GOOD, "SendDigits": "12x"}, 21206, "SendDigits"),
    ({**GOOD, "Timeout": "0"}, 21208, "Timeout"),
    ({**GOOD, "Timeout": "soon"}, 21208, "Timeout"),
    ({**GOOD, "Method": "PUT"}, 21209, "Method"),
    ({**GOOD, "ApplicationSid": "AP123"}, 21218, "ApplicationSid"),
    ({**GOOD, "StatusCallback": "https://example.com/s", "StatusCallbackEvent": "hangup"}, 21626,
     "StatusCallbackEvent"),
    ({**GOOD, "Record": "maybe"}, 21200, "Record"),
    ({**GOOD, "TimeLimit": "5"}, 21200, "TimeLimit"),
    ({**GOOD, "Twiml": "x" * 4001}, 21200, "Twiml"),
]


@pytest.mark.parametrize(("params", "code", "field"), INVALID)
def test_the_server_rejects_what_our_validator_rejects(sandbox: RunningSandbox, params: dict[str, str], code: int,
                                                       field: str) -> None:
    ours = validate(ADAPTER.schema, params)
    assert not ours.ok and field in ours.errors  # the same core validator runs on both sides
    response = post(calls_url(sandbox), params)
    body = assert_twilio_error(response, 400, code)
    error = ADAPTER.parse_error(HttpResponse(400, dict(response.headers), response.content))
    assert error.code == str(code) and error.field == field, body["message"]
    assert sandbox.engine.calls == {}


MAGIC = [  # Twilio's test-credential magic numbers for the Calls resource
    ({**GOOD, "From": "+15005550001"}, 21212),
    ({**GOOD, "To": "+15005550001"}, 21217),
    ({**GOOD, "To": "+15005550002"}, 21214),
    ({**GOOD, "To": "+15005550003"}, 21215),
    ({**GOOD, "To": "+15005550004"}, 21216),
]


@pytest.mark.parametrize(("params", "code"), MAGIC)
def test_magic_numbers_answer_as_documented(sandbox: RunningSandbox, params: dict[str, str], code: int) -> None:
    assert validate(ADAPTER.schema, params).ok
    assert_twilio_error(post(calls_url(sandbox), params), 400, code)


def test_the_valid_magic_numbers_place_a_call(sandbox: RunningSandbox) -> None:
    response = post(calls_url(sandbox), {**GOOD, "To": "+15005550006", "From": "+15005550006"})
    assert response.status_code == 201 and response.json()["to"] == "+15005550006"


def test_unknown_parameters_are_ignored_as_twilio_does(sandbox: RunningSandbox) -> None:
    response = post(calls_url(sandbox), {**GOOD, "NoSuchParameter": "x"})
    assert response.status_code == 201


@pytest.mark.parametrize(("auth", "status", "code"), [
    (None, 401, 20003),
    ((ACCOUNT_SID, "wrong-token"), 401, 20003),
    ((OTHER_ACCOUNT, AUTH_TOKEN), 401, 20003),
    ((API_KEY_SID, AUTH_TOKEN), 401, 20003),
])
def test_authentication_failures(sandbox: RunningSandbox, auth: tuple[str, str] | None, status: int,
                                 code: int) -> None:
    response = post(calls_url(sandbox), GOOD, auth=auth)
    body = assert_twilio_error(response, status, code)
    assert body["message"] == "Authenticate"
    assert response.headers["www-authenticate"] == 'Basic realm="Twilio API"'
    assert_twilio_error(get(f"{sandbox.url}/2010-04-01/Accounts/{ACCOUNT_SID}.json", auth=auth), 401, 20003)


def test_api_key_authenticates_for_the_account(sandbox: RunningSandbox) -> None:
    response = post(calls_url(sandbox), GOOD, auth=(API_KEY_SID, API_KEY_SECRET))
    assert response.status_code == 201 and response.json()["account_sid"] == ACCOUNT_SID


def test_another_accounts_path_is_not_found(sandbox: RunningSandbox) -> None:
    body = assert_twilio_error(post(calls_url(sandbox, OTHER_ACCOUNT), GOOD), 404, 20404)
    assert body["message"] == f"The requested resource /2010-04-01/Accounts/{OTHER_ACCOUNT}/Calls.json was not found"
    assert_twilio_error(get(f"{sandbox.url}/2010-04-01/Accounts/{OTHER_ACCOUNT}.json"), 404, 20404)


def test_unknown_call_is_not_found(sandbox: RunningSandbox) -> None:
    sid = "CA" + "0" * 32
    path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{sid}.json"
    body = assert_twilio_error(get(sandbox.url + path), 404, 20404)
    assert body["message"] == f"The requested resource {path} was not found"
    assert_twilio_error(post(sandbox.url + path, {"Status": "completed"}), 404, 20404)
    created = post(calls_url(sandbox), GOOD).json()
    other = f"{sandbox.url}/2010-04-01/Accounts/{OTHER_ACCOUNT}/Calls/{created['sid']}.json"
    assert_twilio_error(get(other), 404, 20404)


@pytest.mark.parametrize("kind", ["json", "text"])
def test_a_body_that_is_not_form_encoded_carries_no_parameters(sandbox: RunningSandbox, kind: str) -> None:
    if kind == "json":
        response = post(calls_url(sandbox), json=GOOD)
    else:
        response = post(calls_url(sandbox), content="To=%2B14155551212", headers={"Content-Type": "text/plain"})
    body = assert_twilio_error(response, 400, 21201)
    assert body["message"] == "No 'To' number is specified"


def test_an_invalid_update_status_is_refused(sandbox: RunningSandbox) -> None:
    created = post(calls_url(sandbox), GOOD).json()
    body = assert_twilio_error(post(f"{sandbox.url}{created['uri']}", {"Status": "paused"}), 400, 21200)
    assert "'Status'" in body["message"]


def test_over_the_rate_calls_wait_in_the_queue(limited_sandbox: RunningSandbox) -> None:
    acct = account(limited_sandbox)

    async def scenario() -> tuple[list[CallResource], CallResource | None, CallResource]:
        async with httpx.AsyncClient(timeout=10) as client:
            service = CallService(client)
            calls = [await place(service, acct, "+14155551212") for _ in range(3)]
            canceled = await service.hangup(ADAPTER, acct, calls[2])  # still queued: canceled
            final = await service.follow(ADAPTER, acct, calls[1], policy=PollPolicy(first_delay=0.05, max_delay=0.1))
            return calls, canceled, final

    calls, canceled, final = run(scenario())
    assert [call.provider_status for call in calls] == ["queued"] * 3  # none refused
    waits = [int(call.raw["queue_time"]) for call in calls]
    assert waits[0] == 0 and 0 < waits[1] < waits[2]  # 1 call/s: each one waits about a second longer
    assert canceled is not None and canceled.provider_status == "canceled" and canceled.raw["start_time"] is None
    assert final.provider_status == "completed" and final.outcome is Outcome.COMPLETED
    engine = limited_sandbox.engine
    second = engine.get("twilio", calls[1].call_id)
    assert second is not None and second.queued_until > second.created
    assert engine.create_requests == 3


def test_every_create_request_is_counted(sandbox: RunningSandbox) -> None:
    url = calls_url(sandbox)
    answers = [
        post(url, GOOD), post(url, GOOD, auth=None), post(url, {"To": "x"}), post(url, json=GOOD),
        post(calls_url(sandbox, OTHER_ACCOUNT), GOOD), post(url, {**GOOD, "To": "+15005550002"}),
    ]
    assert [a.status_code for a in answers] == [201, 401, 400, 400, 404, 400]
    assert sandbox.engine.create_requests == len(answers)
    assert len(sandbox.engine.calls) == 1


# -- official SDK, curl, built-in profile ---------------------------------------------------------------
def test_official_sdk_creates_fetches_and_hangs_up(sandbox: RunningSandbox, twilio_client: Any) -> None:
    from twilio.base.exceptions import TwilioRestException

    call = twilio_client.calls.create(to="+14155550005", from_=FROM, url=TWIML_URL)
    assert call.sid.startswith("CA") and call.status == "queued" and call.account_sid == ACCOUNT_SID
    deadline = time.monotonic() + 5
    fetched = twilio_client.calls(call.sid).fetch()
    while fetched.status != "in-progress":
        assert time.monotonic() < deadline, fetched.status
        time.sleep(0.005)
        fetched = twilio_client.calls(call.sid).fetch()
    assert fetched.to_formatted == "(415) 555-0005" and fetched.direction == "outbound-api"
    assert fetched.start_time is not None and fetched.start_time.tzinfo is not None
    hung = twilio_client.calls(call.sid).update(status="completed")
    assert hung.status == "completed" and hung.end_time is not None and int(hung.duration) >= 0
    with pytest.raises(TwilioRestException) as refused:
        twilio_client.calls(call.sid).update(status="completed")
    assert refused.value.status == 400 and refused.value.code == 21220
    with pytest.raises(TwilioRestException) as magic:
        twilio_client.calls.create(to="+15005550003", from_=FROM, url=TWIML_URL)
    assert magic.value.status == 400 and magic.value.code == 21215
    assert twilio_client.api.v2010.accounts(ACCOUNT_SID).fetch().status == "active"
    assert sandbox.engine.create_requests == 2


def test_curl_recipe_works_as_written(sandbox: RunningSandbox) -> None:
    recipe = SIMULATOR.curl_recipe(sandbox.url)
    argv = shlex.split(recipe)
    assert AUTH_TOKEN in recipe and argv[0] == "curl"
    if shutil.which("curl"):
        done = subprocess.run(argv, capture_output=True, timeout=30, check=True)
        body = json.loads(done.stdout)
    else:  # replay the same request with httpx
        data = dict(argv[i + 1].split("=", 1) for i, arg in enumerate(argv) if arg == "--data-urlencode")
        body = post(argv[argv.index("POST") + 1], data).json()
    assert body["status"] == "queued" and body["to"] == "+15005550006" and body["account_sid"] == ACCOUNT_SID
    assert sandbox.engine.create_requests == 1


def test_builtin_profile_uses_the_sandbox_credentials() -> None:
    profile = next(p for p in builtin_profiles() if p.provider == "twilio")
    assert profile.account_id == ACCOUNT_SID and re.fullmatch(ADAPTER.account.account_pattern or "", ACCOUNT_SID)
    assert builtin_secret(profile) == AUTH_TOKEN
