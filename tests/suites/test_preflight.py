"""Preflight over the in-process sandbox (real HTTP through ASGI): each provider's checklist, exact."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

import pytest

from launcher.core.calls import CallService
from launcher.core.preflight import CheckItem, CheckStatus, passed, preflight
from launcher.core.profiles import Profile
from launcher.sandbox.app import sandbox_client
from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret
from tests.support.loopback import Reply, serve

PROFILES = {p.name: p for p in builtin_profiles()}
TWILIO_SID = PROFILES["sandbox-twilio"].account_id
JAMBONZ_APP = "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1"
OK, FAILED, WARNING, SKIPPED = CheckStatus.OK, CheckStatus.FAILED, CheckStatus.WARNING, CheckStatus.SKIPPED
SETTINGS = CheckItem("Profile settings", OK, "complete")
CREDENTIALS = CheckItem("Credentials", OK, "accepted by sandbox.localhost (HTTP 200)")


def check(profile: Profile | str, values: dict[str, Any], secret: str | None = None,
          reach: bool = False) -> list[CheckItem]:
    chosen = PROFILES[profile] if isinstance(profile, str) else profile

    async def main() -> list[CheckItem]:
        client = sandbox_client()
        try:
            return await preflight(CallService(client), chosen, secret or builtin_secret(PROFILES[chosen.name]),
                                   values, reach=reach)
        finally:
            await client.aclose()

    return asyncio.run(main())


def test_twilio_incoming_number_and_verified_caller_id_pass_other_numbers_fail() -> None:
    assert check("sandbox-twilio", {"From": "+15005550006", "Url": "https://example.com/twiml"}) == [
        SETTINGS, CREDENTIALS, CheckItem("From number", OK, "+15005550006 is a phone number of the account."),
        CheckItem("Url", OK, "https://example.com/twiml is well-formed."),
    ]
    assert check("sandbox-twilio", {"From": "+15555550199"})[2] == CheckItem(
        "From number", OK, "+15555550199 is a verified caller ID.")
    items = check("sandbox-twilio", {"From": "+15555550100"})
    assert items[2] == CheckItem("From number", FAILED, f"+15555550100 is neither a phone number of account "
                                 f"{TWILIO_SID} nor a verified caller ID: Twilio will refuse calls from it "
                                 "(error 21210).")
    assert not passed(items)


def test_wrong_credentials_fail_with_the_providers_reason_and_stop_there() -> None:
    items = check("sandbox-twilio", {"From": "+15005550006"}, secret="wrong-token")
    assert [(i.name, i.status) for i in items] == [("Profile settings", OK), ("Credentials", FAILED)]
    assert "20003" in items[1].detail and "Authenticate" in items[1].detail


def test_catapult_owned_number_passes_and_another_fails() -> None:
    user = PROFILES["sandbox-catapult"].account_id
    assert check("sandbox-catapult", {"from": "+19195551212"})[2:] == [
        CheckItem("From number", OK, f"+19195551212 is a phone number of user {user}.")]
    assert check("sandbox-catapult", {"from": "+19195551213"})[2:] == [
        CheckItem("From number", FAILED, f"+19195551213 is not a phone number of user {user}.")]


def test_jambonz_application_must_exist() -> None:
    skipped = CheckItem("From number", SKIPPED,
                        "jambonz places calls from any number its carriers accept; not checked.")
    assert check("sandbox-jambonz", {"application_sid": JAMBONZ_APP})[2:] == [
        skipped, CheckItem("Application", OK, f"{JAMBONZ_APP} exists (sandbox application).")]
    other = "0e06a1b0-d49f-4fb8-b973-b5a3c6758de2"
    assert check("sandbox-jambonz", {"application_sid": other})[2:] == [
        skipped, CheckItem("Application", FAILED, f"No application {other} in this account.")]


def test_bandwidth_checks_credentials_and_says_the_number_cannot_be_checked() -> None:
    items = check("sandbox-bandwidth", {"answerUrl": "ftp://example.com/answer"})
    assert items[:3] == [SETTINGS, CREDENTIALS, CheckItem(
        "From number", SKIPPED,
        "Bandwidth Voice v2's API has no read that tells which numbers an account may call from.")]
    assert items[3].name == "answerUrl" and items[3].status is FAILED
    assert items[3].detail.startswith("ftp://example.com/answer: ")


def test_a_profile_with_bad_settings_fails_before_anything_is_sent() -> None:
    broken = replace(PROFILES["sandbox-twilio"], account_id="")
    assert check(broken, {}) == [CheckItem("Profile settings", FAILED, "account_id: Enter the Account SID.")]


def test_reachability_is_a_warning_only() -> None:
    with serve(lambda request: Reply(404)) as server:
        url = f"{server.url}/twiml"
        items = check("sandbox-twilio", {"From": "+15005550006", "Url": url, "StatusCallback": "http://127.0.0.1:9/"},
                      reach=True)
    assert items[3] == CheckItem("Url", OK, f"{url} is well-formed and answers from this machine.")
    assert items[4].name == "StatusCallback" and items[4].status is WARNING
    assert items[4].detail.startswith("http://127.0.0.1:9/ is well-formed but did not answer from this machine (")
    assert passed(items)


@pytest.mark.parametrize(("path", "key"), [("IncomingPhoneNumbers", "incoming_phone_numbers"),
                                           ("OutgoingCallerIds", "outgoing_caller_ids")])
def test_twilio_sandbox_lists_match_the_official_response_schema(path: str, key: str) -> None:
    from openapi_core.testing import MockRequest, MockResponse

    from tests.support.openapi import _openapi

    url = f"http://sandbox.localhost/2010-04-01/Accounts/{TWILIO_SID}/{path}.json"

    async def main() -> Any:
        async with sandbox_client() as client:
            return await client.get(url, auth=(TWILIO_SID, builtin_secret(PROFILES["sandbox-twilio"]) or ""))

    response = asyncio.run(main())
    assert response.status_code == 200
    data = response.json()
    assert len(data[key]) == 1
    request = MockRequest("https://api.twilio.com", "get", f"/2010-04-01/Accounts/{TWILIO_SID}/{path}.json")
    openapi = _openapi("twilio_api_v2010.json")
    errors = list(openapi.iter_response_errors(request, MockResponse(json.dumps(data).encode(),
                                                                      content_type="application/json")))
    assert errors == []
