"""OAuth 2.0 client credentials on the Bandwidth simulator over a real loopback server: the official
bandwidth-sdk getting its own token, the RFC 6749 answers of the token endpoint, and bearer tokens on the
Voice API (unknown, expired, another sandbox's, the no-voice client's)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from launcher.sandbox.providers import _bandwidth_resource as wire
from launcher.sandbox.providers import bandwidth as simulator_module
from launcher.sandbox.providers.bandwidth import NO_VOICE_USERNAME, SIMULATOR, TOKEN_LIFETIME, TOKEN_PATH
from tests.sandbox.test_bandwidth_sandbox import first_visible_state
from tests.support.sandbox_server import RunningSandbox, running_sandbox

CREDS = SIMULATOR.credentials
CLIENT = (CREDS.username or "", CREDS.secret)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
GRANT = "grant_type=client_credentials"
BASIC = {"to": "+15555551313", "from": "+15555551212", "applicationId": "app-1",
         "answerUrl": "https://example.com/answer"}
CHALLENGE = 'Basic realm="bandwidth"'


def token_url(sandbox: RunningSandbox) -> str:
    return sandbox.url + TOKEN_PATH


def calls_url(sandbox: RunningSandbox, account_id: str = CREDS.account_id) -> str:
    return f"{sandbox.url}/api/v2/accounts/{account_id}/calls"


def get_token(sandbox: RunningSandbox, client: tuple[str, str] = CLIENT) -> str:
    answer = httpx.post(token_url(sandbox), content=GRANT, headers=FORM, auth=client, timeout=10)
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    assert isinstance(token, str) and token
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def api_error(status: int, kind: str, description: str) -> dict[str, Any]:
    return {"type": kind, "description": description, "id": None}


# -- the official SDK ---------------------------------------------------------------------------------
def test_official_sdk_with_client_credentials_creates_fetches_and_hangs_up(sandbox: RunningSandbox) -> None:
    bandwidth = pytest.importorskip("bandwidth")
    from bandwidth.api.calls_api import CallsApi
    from bandwidth.models import CallStateEnum, CreateCall, UpdateCall

    # No username/password: the SDK fetches a token from access_token_url and sends it as a bearer token.
    config = bandwidth.Configuration(host=f"{sandbox.url}/api/v2", client_id=CREDS.username,
                                     client_secret=CREDS.secret, access_token_url=token_url(sandbox),
                                     ignore_operation_servers=True)
    assert config.username is None and config.password is None
    calls = CallsApi(bandwidth.ApiClient(config))
    body = CreateCall(to="+15555550005", var_from="+15555551212", application_id="app-1",
                      answer_url="https://example.com/answer", tag="oauth")
    created = calls.create_call_with_http_info(CREDS.account_id, body)
    assert created.status_code == 201 and created.data.call_id.startswith("c-") and created.data.tag == "oauth"
    token = config.temp_access_token
    assert token and config.temp_access_token_expiration >= int(time.time()) + TOKEN_LIFETIME - 5
    call_id = created.data.call_id
    state = first_visible_state(calls, CREDS.account_id, call_id)
    assert state.call_id == call_id and state.direction.value == "outbound"
    hung_up = calls.update_call_with_http_info(CREDS.account_id, call_id, UpdateCall(state=CallStateEnum("completed")))
    assert hung_up.status_code == 200
    ended = calls.get_call_state(CREDS.account_id, call_id)
    assert ended.state == "disconnected" and ended.disconnect_cause in ("cancel", "hangup") and ended.end_time
    assert config.temp_access_token == token  # one token served every request
    assert sandbox.engine.create_requests == 1 and list(sandbox.engine.calls) != []


# -- the token endpoint -------------------------------------------------------------------------------
def test_token_answer_follows_rfc_6749(sandbox: RunningSandbox) -> None:
    answers = [httpx.post(token_url(sandbox), content=GRANT, headers=FORM, auth=CLIENT, timeout=10)
               for _ in range(2)]
    for answer in answers:
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/json"
        assert answer.headers["cache-control"] == "no-store"
        body = answer.json()
        assert set(body) == {"access_token", "token_type", "expires_in"}
        assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 == TOKEN_LIFETIME
        assert len(body["access_token"]) >= 32 and CREDS.secret not in body["access_token"]
    assert answers[0].json()["access_token"] != answers[1].json()["access_token"]


@pytest.mark.parametrize(("auth", "body", "headers", "status", "error"), [
    ((CREDS.username, "wrong"), GRANT, FORM, 401, "invalid_client"),
    (("someone", CREDS.secret), GRANT, FORM, 401, "invalid_client"),
    (None, GRANT, FORM, 401, "invalid_client"),
    (None, f"{GRANT}&client_id={CREDS.username}&client_secret=wrong", FORM, 401, "invalid_client"),
    (CLIENT, "grant_type=password&username=a&password=b", FORM, 400, "unsupported_grant_type"),
    (CLIENT, "grant_type=authorization_code&code=x", FORM, 400, "unsupported_grant_type"),
    (CLIENT, "", FORM, 400, "invalid_request"),  # no grant_type
    (CLIENT, '{"grant_type": "client_credentials"}', {"Content-Type": "application/json"}, 400, "invalid_request"),
    (CLIENT, GRANT, {}, 400, "invalid_request"),  # no content type
    (CLIENT, f"{GRANT}&{GRANT}", FORM, 400, "invalid_request"),  # repeated parameter
    (CLIENT, f"{GRANT}&client_id={CREDS.username}&client_secret={CREDS.secret}", FORM, 400,
     "invalid_request"),  # two client authentication methods
])
def test_token_errors(sandbox: RunningSandbox, auth: tuple[str, str] | None, body: str,
                      headers: dict[str, str], status: int, error: str) -> None:
    answer = httpx.post(token_url(sandbox), content=body.encode(), headers=headers, auth=auth, timeout=10)
    assert answer.status_code == status
    payload = answer.json()
    assert set(payload) == {"error", "error_description"} and payload["error"] == error
    assert payload["error_description"]
    assert answer.headers["cache-control"] == "no-store"
    if status == 401:
        assert answer.headers["www-authenticate"] == CHALLENGE
    else:
        assert "www-authenticate" not in answer.headers


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_token_endpoint_only_takes_post(sandbox: RunningSandbox, method: str) -> None:
    answer = httpx.request(method, token_url(sandbox), auth=CLIENT, timeout=10)
    assert answer.status_code == 405 and answer.headers["allow"] == "POST"
    assert answer.json()["error"] == "invalid_request"


def test_client_credentials_in_the_form_body(sandbox: RunningSandbox) -> None:
    answer = httpx.post(token_url(sandbox), data={"grant_type": "client_credentials", "client_id": CREDS.username,
                                                  "client_secret": CREDS.secret}, timeout=10)
    assert answer.status_code == 200 and answer.json()["token_type"] == "Bearer"
    token = answer.json()["access_token"]
    created = httpx.post(calls_url(sandbox), json=BASIC, headers=bearer(token), timeout=10)
    assert created.status_code == 201
    assert sandbox.engine.get("bandwidth", created.json()["callId"]) is not None
    # The token is for this account only: another account id is the documented 401.
    other = httpx.post(calls_url(sandbox, "1234567"), json=BASIC, headers=bearer(token), timeout=10)
    assert other.status_code == 401 and other.json() == api_error(401, *wire.UNAUTHORIZED)
    assert len(sandbox.engine.calls) == 1


# -- bearer tokens on the Voice API -------------------------------------------------------------------
def test_made_up_bearer_token_is_refused_and_creates_nothing(sandbox: RunningSandbox) -> None:
    fake = bearer("not-a-token-the-sandbox-issued")
    created = httpx.post(calls_url(sandbox), json=BASIC, headers=fake, timeout=10)
    assert created.status_code == 401 and created.json() == api_error(401, *wire.UNAUTHORIZED)
    fetched = httpx.get(calls_url(sandbox) + "/c-unknown", headers=fake, timeout=10)
    assert fetched.status_code == 401
    assert sandbox.engine.create_requests == 1 and not sandbox.engine.calls


def test_tokens_belong_to_one_sandbox(sandbox: RunningSandbox) -> None:
    with running_sandbox(speed=50.0) as other:
        foreign = get_token(other)
    answer = httpx.post(calls_url(sandbox), json=BASIC, headers=bearer(foreign), timeout=10)
    assert answer.status_code == 401 and not sandbox.engine.calls


def test_no_voice_client_gets_a_token_but_403_on_the_api(sandbox: RunningSandbox) -> None:
    token = get_token(sandbox, (NO_VOICE_USERNAME, CREDS.secret))
    expected = api_error(403, *wire.FORBIDDEN)
    with httpx.Client(headers=bearer(token), timeout=10) as client:
        for answer in (client.post(calls_url(sandbox), json=BASIC),
                       client.get(calls_url(sandbox)),
                       client.post(calls_url(sandbox) + "/c-unknown", json={"state": "completed"})):
            assert answer.status_code == 403 and answer.json() == expected
    assert sandbox.engine.create_requests == 1 and not sandbox.engine.calls


def test_expired_token_is_refused(sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(simulator_module, "_token_now", lambda: clock[0])
    token = get_token(sandbox)
    clock[0] += TOKEN_LIFETIME - 1
    still = httpx.get(calls_url(sandbox), headers=bearer(token), timeout=10)
    assert still.status_code == 200 and still.json() == []
    clock[0] += 1
    expired = httpx.get(calls_url(sandbox), headers=bearer(token), timeout=10)
    assert expired.status_code == 401 and expired.json() == api_error(401, *wire.UNAUTHORIZED)
    clock[0] -= 1  # gone for good once seen expired
    assert httpx.get(calls_url(sandbox), headers=bearer(token), timeout=10).status_code == 401
    fresh = get_token(sandbox)
    assert httpx.get(calls_url(sandbox), headers=bearer(fresh), timeout=10).status_code == 200


def test_the_sandbox_banner_gives_the_oauth2_client_credentials_and_token_url() -> None:
    from launcher.sandbox.serve import banner

    text = banner("http://127.0.0.1:8765", 1.0, False)
    assert ("oauth2     client ID sandbox-user, client secret sandbox-password, "
            "token URL http://127.0.0.1:8765/api/v1/oauth2/token") in text
