"""Bandwidth Voice API v2 simulator, served under ``/api/v2`` (the real base is
``https://voice.bandwidth.com/api/v2``):

    POST /api/v2/accounts/{accountId}/calls            createCall    201 + Location + createCallResponse
    GET  /api/v2/accounts/{accountId}/calls            listCalls     200 [callState, ...] (+ Link: next);
                                                       to, from, disconnectCause, min/maxStartTime
    GET  /api/v2/accounts/{accountId}/calls/{callId}   getCallState  200 callState
    POST /api/v2/accounts/{accountId}/calls/{callId}   updateCall    200, no body
    PUT  /api/v2/accounts/{accountId}/calls/{callId}/bxml  updateCallBxml  204 (answered calls; XML body)

and the OAuth 2.0 token endpoint (the real one is ``https://api.bandwidth.com/api/v1/oauth2/token``; the
sandbox root stands for both hosts):

    POST /api/v1/oauth2/token   client-credentials grant (RFC 6749 4.4)   200 {access_token, token_type, expires_in}

API requests authenticate with Basic auth of the account's API user or with ``Authorization: Bearer
<token>`` from the token endpoint (401 ``authentication-error`` otherwise, also for an account id the user
has no access to, as Bandwidth's error page says); JSON bodies only (415 otherwise); errors are
``voiceApiError`` bodies with the documented types and wording (see ``_bandwidth_resource``).

The token endpoint works as the official bandwidth-sdk expects (``Configuration.get_access_token``) and as
RFC 6749 section 5 says: the client authenticates with HTTP Basic (client_id = the API user, client_secret =
its password) or with ``client_id``/``client_secret`` form fields (not both: 400 ``invalid_request``); the
body is ``application/x-www-form-urlencoded`` with ``grant_type=client_credentials``.  Answers carry
``Cache-Control: no-store``: 200 ``{"access_token": <random opaque>, "token_type": "Bearer", "expires_in":
3600}``; 401 ``{"error": "invalid_client", "error_description": ...}`` with ``WWW-Authenticate: Basic
realm="bandwidth"`` for missing or wrong client credentials; 400 ``invalid_request`` for another content
type, a missing or repeated parameter; 400 ``unsupported_grant_type`` for any other grant; 405 (Allow:
POST) for other methods.  Tokens belong to one sandbox (engine), last 3600 real seconds and map to the
client they were issued to; an unknown or expired token gets the 401 of wrong credentials.

Where the documents leave room, the sandbox chooses:

* Call information is "near-realtime": getCallState and listCalls do not see a new call for its first
  0.3 simulated seconds (404 ``Call [id] not found``), while updateCall can remove it from the queue at once.
* ``{"state": "completed"}`` removes a queued call / cancels a ringing one (disconnectCause ``cancel``)
  and hangs up an answered one (``hangup``); after the end it is refused with 409, as is a redirect
  (``"state": "active"``) of a call that is not answered yet.
* A second API user, ``sandbox-no-voice`` (same password), has no Voice role: every request gets 403.
  It is still a valid OAuth client and gets tokens; API calls with them get the same 403.
* With rate limits on, a create beyond the account's calls per second is refused with 429, Retry-After
  and "Account call creation rate limit exceeded" (Bandwidth's documented answer).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import secrets
import shlex
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from launcher.core.models import CallPhase, Outcome
from launcher.core.providers.base import parse_time
from launcher.core.validate import validate
from launcher.sandbox.base import (
    ProviderSimulator,
    SandboxCredentials,
    basic_auth,
    bearer_token,
    json_values,
    media_type,
)
from launcher.sandbox.engine import Engine, SimCall
from launcher.sandbox.providers import _bandwidth_resource as wire

log = logging.getLogger(__name__)

BASE = "/api/v2"
NO_VOICE_USERNAME = "sandbox-no-voice"
PAGE_SIZE_DEFAULT = 1000
PAGE_SIZE_MAX = 10000
ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
TOKEN_PATH = "/api/v1/oauth2/token"
TOKEN_LIFETIME = 3600  # seconds, real time
FORM = "application/x-www-form-urlencoded"
CLIENT_CHALLENGE = {"WWW-Authenticate": 'Basic realm="bandwidth"'}

Handler = Callable[[Request], Awaitable[Response]]


def _safe(handler: Handler) -> Handler:
    """Unexpected failures become Bandwidth's 500 ``internal-error`` body instead of a bare text page."""
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except Exception:
            log.exception("bandwidth sandbox: %s %s failed", request.method, request.url.path)
            return wire.error(500, *wire.INTERNAL)
    return run


def _token_now() -> float:
    """Real seconds for token expiry (a module function so that tests can move time on)."""
    return time.monotonic()


def _is_json(request: Request) -> bool:
    kind = media_type(request)
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


class _Api:
    def __init__(self, simulator: BandwidthSimulator, engine: Engine) -> None:
        self.sim = simulator
        self.engine = engine
        self.tokens: dict[str, tuple[str, float]] = {}  # access token -> (client id, expiry on _token_now)

    # -- shared checks --------------------------------------------------------------------------------
    def valid_client(self, client_id: str, secret: str) -> bool:
        creds = self.sim.credentials
        return secret == creds.secret and client_id in (creds.username, NO_VOICE_USERNAME)

    def basic_client(self, request: Request) -> str | None:
        """The API user of valid Basic credentials."""
        given = basic_auth(request)
        return given[0] if given is not None and self.valid_client(*given) else None

    def token_client(self, request: Request) -> str | None:
        """The client a known, unexpired bearer token was issued to."""
        token = bearer_token(request)
        issued = self.tokens.get(token) if token is not None else None
        if token is None or issued is None:
            return None
        client_id, expires = issued
        if _token_now() >= expires:
            self.tokens.pop(token, None)
            return None
        return client_id

    def denied(self, request: Request, account_id: str | None) -> Response | None:
        creds = self.sim.credentials
        user = self.basic_client(request) or self.token_client(request)
        if user is None:
            return wire.error(401, *wire.UNAUTHORIZED)
        if account_id is not None and account_id != creds.account_id:
            return wire.error(401, *wire.UNAUTHORIZED)
        if user == NO_VOICE_USERNAME:
            return wire.error(403, *wire.FORBIDDEN)
        return None

    async def json_body(self, request: Request) -> tuple[dict[str, Any] | None, Response | None]:
        if not _is_json(request):
            return None, wire.unsupported_media(request.headers.get("content-type"))
        try:
            data = json_values(await request.body())
        except ValueError:
            return None, wire.error(400, "validation", wire.BAD_REQUEST)
        if not isinstance(data, dict):
            return None, wire.error(400, "validation", wire.BAD_REQUEST)
        return data, None

    def call_url(self, request: Request, account_id: str, call_id: str) -> str:
        root = str(request.base_url).rstrip("/")
        return f"{root}{BASE}/accounts/{account_id}/calls/{call_id}"

    def visible_call(self, account_id: str, call_id: str, now: float) -> SimCall | None:
        call = self.engine.get(self.sim.id, call_id)
        if call is None or call.account_id != account_id or not wire.visible(call, now):
            return None
        return call

    # -- /accounts/{accountId}/calls ------------------------------------------------------------------
    async def calls(self, request: Request) -> Response:
        if request.method == "POST":
            self.engine.count_create()
        account_id = request.path_params["accountId"]
        refused = self.denied(request, account_id)
        if refused is not None:
            return refused
        if request.method == "POST":
            return await self.create(request, account_id)
        if request.method in ("GET", "HEAD"):
            return self.listing(request, account_id)
        return wire.error(405, *wire.NOT_ALLOWED, headers={"Allow": "GET, POST"})

    async def create(self, request: Request, account_id: str) -> Response:
        data, refused = await self.json_body(request)
        if refused is not None or data is None:
            return refused or wire.error(400, "validation", wire.BAD_REQUEST)
        schema = self.sim.adapter.schema
        result = validate(schema, data)
        if not result.ok:
            return wire.error(400, "validation", wire.create_problem(schema, result, data))
        if self.engine.config.rate_limit:
            wait = self.engine.limiter.take(f"{self.sim.id}:{account_id}")
            if wait > 0:
                return wire.error(429, *wire.RATE_LIMITED, headers={"Retry-After": str(max(1, math.ceil(wait)))})
        values = result.values
        call_id = f"c-{self.engine.new_id(length=8)}-{self.engine.new_id(length=8)}-{uuid.uuid4()}"
        call = self.engine.create(self.sim.id, account_id, call_id, values["from"], values["to"],
                                  ring_timeout=values.get("callTimeout"), params=values)
        call.extra["errorId"] = str(uuid.uuid4())
        url = self.call_url(request, account_id, call_id)
        return wire.BandwidthJSON(wire.create_response(self.engine, call, url), status_code=201,
                                  headers={"Location": url})

    def listing(self, request: Request, account_id: str) -> Response:
        query = request.query_params
        raw_size = query.get("pageSize", str(PAGE_SIZE_DEFAULT))
        try:
            size = int(raw_size)
            offset = int(base64.urlsafe_b64decode(query["pageToken"]).decode("ascii")) if "pageToken" in query else 0
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return wire.error(400, "validation", wire.BAD_REQUEST)
        if not 1 <= size <= PAGE_SIZE_MAX:
            return wire.error(400, "validation", f"pageSize must be within the range [1, {PAGE_SIZE_MAX}], "
                                                 f"but was {size}")
        now = self.engine.clock.now()
        mine = [c for c in list(self.engine.calls.values())
                if c.provider == self.sim.id and c.account_id == account_id and wire.visible(c, now)]
        states = [wire.call_state(self.engine, c, now) for c in sorted(mine, key=lambda c: c.sequence)]
        for name in ("to", "from", "disconnectCause"):
            if name in query:
                states = [s for s in states if s[name] == query[name]]
        for name in ("minStartTime", "maxStartTime"):
            if name in query:
                bound = parse_time(query[name])
                if bound is None:
                    return wire.error(400, "validation", f"{name} must be an ISO 8601 date and time")
                states = [s for s in states if (moment := parse_time(s.get("startTime"))) is not None
                          and (moment >= bound if name == "minStartTime" else moment <= bound)]
        page = states[max(offset, 0):max(offset, 0) + size]
        headers = {}
        if offset + size < len(states):
            token = base64.urlsafe_b64encode(str(offset + size).encode("ascii")).decode("ascii")
            params = {k: v for k, v in query.items() if k != "pageToken"} | {"pageToken": token}
            url = f"{str(request.base_url).rstrip('/')}{request.url.path}?{urlencode(params)}"
            headers["Link"] = f'<{url}>; rel="next"'
        return wire.BandwidthJSON(page, headers=headers)

    # -- /accounts/{accountId}/calls/{callId} ---------------------------------------------------------
    async def call(self, request: Request) -> Response:
        account_id = request.path_params["accountId"]
        call_id = request.path_params["callId"]
        refused = self.denied(request, account_id)
        if refused is not None:
            return refused
        if request.method in ("GET", "HEAD"):
            now = self.engine.clock.now()
            call = self.visible_call(account_id, call_id, now)
            if call is None:
                return wire.not_found(call_id)
            return wire.BandwidthJSON(wire.call_state(self.engine, call, now))
        if request.method == "POST":
            return await self.update(request, account_id, call_id)
        return wire.error(405, *wire.NOT_ALLOWED, headers={"Allow": "GET, POST"})

    async def update(self, request: Request, account_id: str, call_id: str) -> Response:
        data, refused = await self.json_body(request)
        if refused is not None or data is None:
            return refused or wire.error(400, "validation", wire.BAD_REQUEST)
        problem = wire.update_problem(data)
        if problem is not None:
            return wire.error(400, "validation", problem)
        call = self.engine.get(self.sim.id, call_id)
        if call is None or call.account_id != account_id:
            return wire.not_found(call_id)
        now = self.engine.clock.now()
        phase = call.snapshot(now).phase
        if phase is CallPhase.ENDED:
            return wire.conflict(call_id)
        if data.get("state") == "completed":
            call.stop(now, Outcome.COMPLETED if phase is CallPhase.ANSWERED else Outcome.CANCELED)
        elif phase is not CallPhase.ANSWERED:
            return wire.conflict(call_id)  # "a call that has yet to be answered" cannot be redirected
        else:
            call.extra["redirects"] = [*call.extra.get("redirects", []), data]
        if data.get("tag") is not None:
            call.params["tag"] = data["tag"]
        return Response(status_code=200)

    async def bxml(self, request: Request) -> Response:
        """``updateCallBxml``: PUT an XML document that replaces an answered call's BXML -> 204."""
        account_id, call_id = request.path_params["accountId"], request.path_params["callId"]
        refused = self.denied(request, account_id)
        if refused is not None:
            return refused
        if request.method != "PUT":
            return wire.error(405, *wire.NOT_ALLOWED, headers={"Allow": "PUT"})
        content_type = request.headers.get("content-type")
        if (content_type or "").split(";", 1)[0].strip().lower() not in ("application/xml", "text/xml"):
            return wire.unsupported_media(content_type)
        document = (await request.body()).decode("utf-8", errors="replace").strip()
        if "<Bxml" not in document:
            return wire.error(400, "validation", "The BXML document must have a <Bxml> root element")
        now = self.engine.clock.now()
        call = self.visible_call(account_id, call_id, now)
        if call is None:
            return wire.not_found(call_id)
        if call.snapshot(now).phase is not CallPhase.ANSWERED:
            return wire.conflict(call_id)  # only an active call's BXML can be replaced
        call.extra["bxml"] = [*call.extra.get("bxml", []), document]
        return Response(status_code=204)

    # -- OAuth 2.0 token endpoint --------------------------------------------------------------------
    async def token(self, request: Request) -> Response:
        if request.method != "POST":
            return wire.oauth_error(405, "invalid_request", "Method Not Allowed: the token endpoint takes POST",
                                    headers={"Allow": "POST"})
        if media_type(request) != FORM:
            return wire.oauth_error(400, "invalid_request", f"The token request must be {FORM}")
        try:
            pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return wire.oauth_error(400, "invalid_request", "The token request is not UTF-8 text")
        form: dict[str, str] = {}
        for key, value in pairs:
            if key in form:  # RFC 6749 3.2: parameters must not be included more than once
                return wire.oauth_error(400, "invalid_request", f"Parameter {key} is included more than once")
            form[key] = value
        header = basic_auth(request)
        in_form = "client_id" in form or "client_secret" in form
        if header is not None and in_form:  # RFC 6749 2.3: one client authentication method per request
            return wire.oauth_error(400, "invalid_request", "Use either HTTP Basic or form client credentials")
        client_id, secret = header or (form.get("client_id", ""), form.get("client_secret", ""))
        if not self.valid_client(client_id, secret):
            return wire.oauth_error(401, "invalid_client", "Client authentication failed", headers=CLIENT_CHALLENGE)
        grant = form.get("grant_type")
        if not grant:
            return wire.oauth_error(400, "invalid_request", "Missing grant_type parameter")
        if grant != "client_credentials":
            return wire.oauth_error(400, "unsupported_grant_type", f"Unsupported grant type: {grant}")
        now = _token_now()
        for stale in [t for t, (_, expires) in self.tokens.items() if expires <= now]:
            self.tokens.pop(stale, None)
        access_token = secrets.token_urlsafe(32)
        self.tokens[access_token] = (client_id, now + TOKEN_LIFETIME)
        return wire.oauth_token(access_token, TOKEN_LIFETIME)

    async def unknown_path(self, request: Request) -> Response:
        refused = self.denied(request, None)
        return refused or wire.error(404, "validation", "Not Found")


class BandwidthSimulator(ProviderSimulator):
    id = "bandwidth"
    credentials = SandboxCredentials(account_id="9900000", secret="sandbox-password", username="sandbox-user")

    def base_path(self) -> str:
        return BASE

    def body_too_large(self, request: Request, limit: int) -> Response:
        """A ``voiceApiError``, as for every other refusal."""
        from launcher.sandbox.limits import body_too_large_text

        return wire.error(413, "validation", body_too_large_text(limit))

    def routes(self, engine: Engine) -> list[BaseRoute]:
        api = _Api(self, engine)
        calls = f"{BASE}/accounts/{{accountId}}/calls"
        one = calls + "/{callId}"
        # Every method reaches the handler, which answers 405 in Bandwidth's format.
        # The documented create URL ends with a slash (".../calls/"), so both spellings are served.
        return [
            Route(calls, _safe(api.calls), methods=ALL_METHODS),
            Route(calls + "/", _safe(api.calls), methods=ALL_METHODS),
            Route(one + "/bxml", _safe(api.bxml), methods=ALL_METHODS),
            Route(one, _safe(api.call), methods=ALL_METHODS),
            Route(one + "/", _safe(api.call), methods=ALL_METHODS),
            Route(BASE + "/{rest:path}", _safe(api.unknown_path), methods=ALL_METHODS),
            Route(TOKEN_PATH, _safe(api.token), methods=ALL_METHODS),  # outside /api/v2: no catch-all overlap
        ]

    def sample_values(self) -> dict[str, Any]:
        return {"to": "+15555550100", "from": "+15555550199", "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086",
                "answerUrl": "https://example.com/answer"}

    def banner_notes(self, base_url: str) -> list[tuple[str, str]]:
        creds = self.credentials
        return [("oauth2", f"client ID {creds.username}, client secret {creds.secret}, "
                           f"token URL {base_url.rstrip('/')}{TOKEN_PATH}")]

    def curl_recipe(self, base_url: str) -> str:
        creds = self.credentials
        url = f"{base_url.rstrip('/')}{BASE}/accounts/{creds.account_id}/calls"
        body = json.dumps({"from": "+15555551212", "to": "+15555551313", "answerUrl": "https://example.com/answer",
                           "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086"}, separators=(",", ":"))
        return (f"curl -sS -X POST {shlex.quote(url)} -u {shlex.quote(f'{creds.username}:{creds.secret}')} "
                f"-H 'Content-Type: application/json' --data-raw {shlex.quote(body)}")


SIMULATOR = BandwidthSimulator()
