"""Bandwidth Voice API v2 simulator, served under ``/api/v2`` (the real base is
``https://voice.bandwidth.com/api/v2``):

    POST /api/v2/accounts/{accountId}/calls            createCall    201 + Location + createCallResponse
    GET  /api/v2/accounts/{accountId}/calls            listCalls     200 [callState, ...] (+ Link: next)
    GET  /api/v2/accounts/{accountId}/calls/{callId}   getCallState  200 callState
    POST /api/v2/accounts/{accountId}/calls/{callId}   updateCall    200, no body

Basic auth with the account's API user (401 ``authentication-error`` otherwise, also for an account id
the user has no access to, as Bandwidth's error page says); JSON bodies only (415 otherwise); errors are
``voiceApiError`` bodies with the documented types and wording (see ``_bandwidth_wire``).

Where the documents leave room, the sandbox chooses:

* Call information is "near-realtime": getCallState and listCalls do not see a new call for its first
  0.3 simulated seconds (404 ``Call [id] not found``), while updateCall can remove it from the queue at once.
* ``{"state": "completed"}`` removes a queued call / cancels a ringing one (disconnectCause ``cancel``)
  and hangs up an answered one (``hangup``); after the end it is refused with 409, as is a redirect
  (``"state": "active"``) of a call that is not answered yet.
* A second API user, ``sandbox-no-voice`` (same password), has no Voice role: every request gets 403.
* With rate limits on, a create beyond the account's calls per second is refused with 429, Retry-After
  and "Account call creation rate limit exceeded" (Bandwidth's documented answer).
* OAuth2 bearer tokens (newer spec) are not simulated: they get the 401 of wrong credentials.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import shlex
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from launcher.core.models import CallPhase, Outcome
from launcher.core.validate import validate
from launcher.sandbox.base import ProviderSimulator, SandboxCredentials, basic_auth, json_values, media_type
from launcher.sandbox.engine import Engine, SimCall
from launcher.sandbox.providers import _bandwidth_wire as wire

log = logging.getLogger(__name__)

BASE = "/api/v2"
NO_VOICE_USERNAME = "sandbox-no-voice"
PAGE_SIZE_DEFAULT = 1000
PAGE_SIZE_MAX = 10000
ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

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


def _is_json(request: Request) -> bool:
    kind = media_type(request)
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


class _Api:
    def __init__(self, simulator: BandwidthSimulator, engine: Engine) -> None:
        self.sim = simulator
        self.engine = engine

    # -- shared checks --------------------------------------------------------------------------------
    def denied(self, request: Request, account_id: str | None) -> Response | None:
        creds = self.sim.credentials
        given = basic_auth(request)
        if given is None or given[1] != creds.secret or given[0] not in (creds.username, NO_VOICE_USERNAME):
            return wire.error(401, *wire.UNAUTHORIZED)
        if account_id is not None and account_id != creds.account_id:
            return wire.error(401, *wire.UNAUTHORIZED)
        if given[0] == NO_VOICE_USERNAME:
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

    async def unknown_path(self, request: Request) -> Response:
        refused = self.denied(request, None)
        return refused or wire.error(404, "validation", "Not Found")


class BandwidthSimulator(ProviderSimulator):
    id = "bandwidth"
    credentials = SandboxCredentials(account_id="9900000", secret="sandbox-password", username="sandbox-user")

    def base_path(self) -> str:
        return BASE

    def routes(self, engine: Engine) -> list[BaseRoute]:
        api = _Api(self, engine)
        calls = f"{BASE}/accounts/{{accountId}}/calls"
        one = calls + "/{callId}"
        # Every method reaches the handler, which answers 405 in Bandwidth's format.
        # The documented create URL ends with a slash (".../calls/"), so both spellings are served.
        return [
            Route(calls, _safe(api.calls), methods=ALL_METHODS),
            Route(calls + "/", _safe(api.calls), methods=ALL_METHODS),
            Route(one, _safe(api.call), methods=ALL_METHODS),
            Route(one + "/", _safe(api.call), methods=ALL_METHODS),
            Route(BASE + "/{rest:path}", _safe(api.unknown_path), methods=ALL_METHODS),
        ]

    def sample_values(self) -> dict[str, Any]:
        return {"to": "+15555550100", "from": "+15555550199", "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086",
                "answerUrl": "https://example.com/answer"}

    def curl_recipe(self, base_url: str) -> str:
        creds = self.credentials
        url = f"{base_url.rstrip('/')}{BASE}/accounts/{creds.account_id}/calls"
        body = json.dumps({"from": "+15555551212", "to": "+15555551313", "answerUrl": "https://example.com/answer",
                           "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086"}, separators=(",", ":"))
        return (f"curl -sS -X POST {shlex.quote(url)} -u {shlex.quote(f'{creds.username}:{creds.secret}')} "
                f"-H 'Content-Type: application/json' --data-raw {shlex.quote(body)}")


SIMULATOR = BandwidthSimulator()
