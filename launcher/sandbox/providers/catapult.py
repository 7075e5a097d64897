"""Simulator of Bandwidth's legacy "Catapult" Voice API v1 (``https://api.catapult.inetwork.com``).

Endpoints (paths as on the real host; the sandbox root stands for the base URL):

* ``POST /v1/users/{userId}/calls`` - JSON only; ``201 Created``, empty body, ``Location`` = the call URL.
* ``GET  /v1/users/{userId}/calls`` - the user's calls, newest first (``page``, ``size``, ``sortOrder``,
  ``from``, ``to``, ``bridgeId``, ``conferenceId``), a JSON array.
* ``GET  /v1/users/{userId}/calls/{callId}`` - the call resource (state started/active/completed/rejected).
* ``POST /v1/users/{userId}/calls/{callId}`` - ``{"state": "completed"}`` hangs up an active call or
  cancels a started one; ``recordingEnabled``/``recordingFileFormat`` change recording; ``200``, empty body.
  Once the call has ended: ``403 call-invalid-state``.
* ``GET  .../calls/{callId}/events`` (create, answer, hangup with its cause), ``/recordings``,
  ``/transcriptions`` (always empty here).
* ``/audio``, ``/dtmf``, ``/gather`` and ``/events/{eventId}``: see ``_catapult_control``.

Auth is HTTP Basic ``API token : API secret``.  Errors use Catapult's
``{category, code, message, details: [{name, value}]}``; with rate limits on, creating calls faster
than 1 per second per user answers ``403 call-rate-limit`` (rateLimits/callRateLimits.md).
"""

from __future__ import annotations

import secrets
import shlex
import time
from collections import deque
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from launcher.core.models import CallPhase, Outcome
from launcher.core.validate import validate
from launcher.sandbox.base import ProviderSimulator, SandboxCredentials, basic_auth, json_values, media_type
from launcher.sandbox.engine import Engine, SimCall
from launcher.sandbox.providers._catapult_control import CallControl
from launcher.sandbox.providers._catapult_resource import (
    DEFAULT_CALL_TIMEOUT,
    bad_request,
    call_events,
    call_resource,
    create_problem,
    error,
    new_id,
    state_of,
)
from launcher.sandbox.providers._preflight import catapult_routes as preflight_routes

PROVIDER = "catapult"
UPDATE_STATES = ("rejected", "active", "completed", "transferring")
MAX_PAGE_SIZE = 1000


class CatapultApi:
    """The routes of one sandbox (one engine): per-engine state lives here, not in the simulator."""

    def __init__(self, simulator: CatapultSimulator, engine: Engine) -> None:
        self.sim = simulator
        self.engine = engine
        self.recent: dict[str, deque[float]] = {}  # create attempts per user, for "Your rate is"

    # -- shared checks ----------------------------------------------------------------------------
    def check_auth(self, request: Request, user_id: str) -> Response | None:
        creds = self.sim.credentials
        given = basic_auth(request)
        expected = (creds.username or "", creds.secret)
        if given is None or not (secrets.compare_digest(given[0], expected[0])
                                 and secrets.compare_digest(given[1], expected[1])):
            return error(request, 401, "authorization", "unauthorized",
                         "Invalid credentials: use the API token and API secret of the user as Basic auth.")
        if user_id != creds.account_id:
            return error(request, 401, "authorization", "user-access-denied",
                         f"User {creds.account_id} does not have permission to access user {user_id}")
        return None

    def base(self, request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def call_url(self, request: Request, call_id: str) -> str:
        return f"{self.base(request)}/v1/users/{self.sim.credentials.account_id}/calls/{call_id}"

    def find(self, request: Request, user_id: str, call_id: str) -> SimCall | Response:
        call = self.engine.get(PROVIDER, call_id)
        if call is None or call.account_id != user_id:
            return error(request, 404, "not-found", "call-not-found", f"The call {call_id} could not be found",
                         ("callId", call_id))
        return call

    @staticmethod
    def read_json(request: Request, body: bytes) -> dict[str, Any] | Response:
        kind = media_type(request)
        if kind != "application/json":
            return error(request, 415, "bad-request", "validation-error",
                         f"The media type '{kind or 'none'}' is not supported; send the body as application/json",
                         ("Content-Type", request.headers.get("content-type", "")))
        try:
            data = json_values(body) if body.strip() else {}
        except ValueError:
            return bad_request(request, "Bad parameters")
        if not isinstance(data, dict):
            return bad_request(request, "Bad parameters")
        return data

    # -- /v1/users/{userId}/calls -----------------------------------------------------------------
    async def calls(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.create(request)
        return await self.list_calls(request)

    async def create(self, request: Request) -> Response:
        self.engine.count_create()
        user_id = request.path_params["userId"]
        denied = self.check_auth(request, user_id)
        if denied is not None:
            return denied
        data = self.read_json(request, await request.body())
        if isinstance(data, Response):
            return data
        result = validate(self.sim.adapter.schema, data)
        if not result.ok:
            return create_problem(request, self.sim.adapter.schema, data, user_id, result.errors)
        limited = self.rate_limited(request, user_id)
        if limited is not None:
            return limited
        values = result.values
        call_id = new_id("c-")
        self.engine.create(PROVIDER, user_id, call_id, values["from"], values["to"],
                           ring_timeout=values.get("callTimeout", DEFAULT_CALL_TIMEOUT), params=values)
        return Response(status_code=201, headers={"Location": self.call_url(request, call_id)})

    def rate_limited(self, request: Request, user_id: str) -> Response | None:
        now = time.monotonic()
        recent = self.recent.setdefault(user_id, deque())
        recent.append(now)
        while recent and recent[0] < now - 10:
            recent.popleft()
        if not self.engine.config.rate_limit or self.engine.limiter.take(user_id) <= 0:
            return None
        per_second = self.engine.config.calls_per_second
        rate = sum(1 for moment in recent if moment >= now - 1)
        return error(request, 403, "limit", "call-rate-limit",
                     f"You can create {per_second:g} calls per 1 seconds, calculated as the average over 10 "
                     f"seconds. Your rate is: {rate:.1f}")

    async def list_calls(self, request: Request) -> Response:
        user_id = request.path_params["userId"]
        denied = self.check_auth(request, user_id)
        if denied is not None:
            return denied
        query = request.query_params
        try:
            page = int(query.get("page", "0"))
            size = int(query.get("size", "25"))
        except ValueError:
            return bad_request(request, "Bad parameters")
        if page < 0:
            return bad_request(request, "The call resource property page must be greater than -1")
        if not 1 <= size <= MAX_PAGE_SIZE:
            return bad_request(request, f"The call resource property size exceeds the limit of {MAX_PAGE_SIZE}"
                               if size > MAX_PAGE_SIZE else "The call resource property size must be greater than 0")
        order = query.get("sortOrder", "desc")
        if order not in ("asc", "desc"):
            return bad_request(request, "The call resource property sortOrder must be one of the following "
                                        "values: asc, desc")
        calls = [c for c in list(self.engine.calls.values()) if c.provider == PROVIDER and c.account_id == user_id]
        for name in ("from", "to", "bridgeId", "conferenceId"):
            if query.get(name):
                calls = [c for c in calls if self.filter_value(c, name) == query[name]]
        calls.sort(key=lambda c: c.sequence, reverse=order == "desc")
        now = self.engine.clock.now()
        chunk = calls[page * size:(page + 1) * size]
        body = [call_resource(c, c.snapshot(now), self.engine.clock, self.call_url(request, c.id)) for c in chunk]
        url = f"{self.base(request)}{request.url.path}"
        links = [f'<{url}?{urlencode({**query, "page": 0, "size": size})}>; rel="first"']
        if (page + 1) * size < len(calls):
            links.append(f'<{url}?{urlencode({**query, "page": page + 1, "size": size})}>; rel="next"')
        return JSONResponse(body, headers={"Link": ", ".join(links)})

    @staticmethod
    def filter_value(call: SimCall, name: str) -> Any:
        return {"from": call.from_number, "to": call.to}.get(name, call.params.get(name))

    # -- /v1/users/{userId}/calls/{callId} ---------------------------------------------------------
    async def call(self, request: Request) -> Response:
        user_id, call_id = request.path_params["userId"], request.path_params["callId"]
        denied = self.check_auth(request, user_id)
        if denied is not None:
            return denied
        found = self.find(request, user_id, call_id)
        if isinstance(found, Response):
            return found
        if request.method == "POST":
            return await self.update(request, found)
        now = self.engine.clock.now()
        return JSONResponse(call_resource(found, found.snapshot(now), self.engine.clock,
                                          self.call_url(request, found.id)))

    async def update(self, request: Request, call: SimCall) -> Response:
        data = self.read_json(request, await request.body())
        if isinstance(data, Response):
            return data
        problem = self.update_problem(request, data)
        if problem is not None:
            return problem
        now = self.engine.clock.now()
        snap = call.snapshot(now)
        if snap.phase is CallPhase.ENDED:
            return error(request, 403, "forbidden", "call-invalid-state",
                         f"Unable to update call {call.id}. You can't update the call's state after being set "
                         f"to {state_of(snap)}.", ("callId", call.id))
        state = data.get("state")
        if state in ("rejected", "active"):  # only for incoming calls; these are all outgoing
            return error(request, 403, "forbidden", "call-invalid-state",
                         f"Unable to update call {call.id}. Invalid call state {state}", ("callId", call.id))
        if state == "transferring":
            if snap.phase is not CallPhase.ANSWERED:
                return error(request, 403, "forbidden", "call-invalid-state",
                             f"Unable to update call {call.id}. Invalid call state {state_of(snap)}",
                             ("callId", call.id))
            return error(request, 503, "unavailable", "call-transfer-error",
                         f"Call {call.id} could not be transferred to {data.get('transferTo', '')}")
        for name in ("recordingEnabled", "recordingFileFormat"):
            if name in data:
                call.params[name] = data[name]
        if state == "completed":
            answered = snap.phase is CallPhase.ANSWERED
            call.stop(now, Outcome.COMPLETED if answered else Outcome.CANCELED)
        return Response(status_code=200)

    @staticmethod
    def update_problem(request: Request, data: dict[str, Any]) -> Response | None:
        state = data.get("state")
        if state is not None and state not in UPDATE_STATES:
            return bad_request(request, "The call resource property state must be one of the following values: "
                                        + ", ".join(UPDATE_STATES), ("state", str(state)))
        if "recordingEnabled" in data:
            value = data["recordingEnabled"]
            if isinstance(value, str) and value.strip().lower() in ("true", "false"):
                data["recordingEnabled"] = value.strip().lower() == "true"
            elif not isinstance(value, bool):
                return bad_request(request, "Bad parameters", ("recordingEnabled", str(value)))
        if "recordingFileFormat" in data and data["recordingFileFormat"] not in ("wav", "mp3"):
            return bad_request(request, "The call resource property recordingFileFormat must be one of the "
                                        "following values: wav, mp3")
        if state == "transferring" and not data.get("transferTo"):
            return bad_request(request, "The call resource property transferTo is required.")
        return None

    # -- sub-resources ----------------------------------------------------------------------------
    async def sub_resource(self, request: Request) -> Response:
        user_id, call_id = request.path_params["userId"], request.path_params["callId"]
        denied = self.check_auth(request, user_id)
        if denied is not None:
            return denied
        found = self.find(request, user_id, call_id)
        if isinstance(found, Response):
            return found
        if request.url.path.rstrip("/").endswith("/events"):
            snap = found.snapshot(self.engine.clock.now())
            return JSONResponse(call_events(found, snap, self.engine.clock))
        return JSONResponse([])  # no recordings or transcriptions in the sandbox


class CatapultSimulator(ProviderSimulator):
    id = PROVIDER
    credentials = SandboxCredentials(
        account_id="u-sandboxcatapult7user2q4x",
        username="t-sandboxcatapult7token2q4",
        secret="sandboxcatapultsecret7publicnotreal2q4x5",
    )

    def body_too_large(self, request: Request, limit: int) -> Response:
        """Catapult's {category, code, message, details} error body."""
        from launcher.sandbox.limits import body_too_large_text
        from launcher.sandbox.providers._catapult_resource import error

        return error(request, 413, "bad-request", "request-entity-too-large", body_too_large_text(limit))

    def routes(self, engine: Engine) -> list[BaseRoute]:
        api = CatapultApi(self, engine)
        control = CallControl(api)
        calls = "/v1/users/{userId}/calls"
        one = calls + "/{callId}"
        routes: list[BaseRoute] = []
        for suffix in ("", "/"):  # the docs write both .../calls and .../calls/
            routes += [
                Route(calls + suffix, api.calls, methods=["GET", "POST"]),
                Route(one + suffix, api.call, methods=["GET", "POST"]),
                Route(one + "/events" + suffix, api.sub_resource, methods=["GET"]),
                Route(one + "/recordings" + suffix, api.sub_resource, methods=["GET"]),
                Route(one + "/transcriptions" + suffix, api.sub_resource, methods=["GET"]),
                Route(one + "/audio" + suffix, control.audio, methods=["POST"]),
                Route(one + "/dtmf" + suffix, control.dtmf, methods=["POST"]),
                Route(one + "/gather" + suffix, control.create_gather, methods=["POST"]),
                Route(one + "/gather/{gatherId}" + suffix, control.gather, methods=["GET", "POST"]),
                Route(one + "/events/{eventId}" + suffix, control.event, methods=["GET"]),
            ]
        return routes + preflight_routes(api)

    def sample_values(self) -> dict[str, Any]:
        return {"from": "+19195551212", "to": "+15555550100"}

    def curl_recipe(self, base_url: str) -> str:
        creds = self.credentials
        url = f"{base_url.rstrip('/')}/v1/users/{creds.account_id}/calls"
        body = '{"from": "+19195551212", "to": "+19195550100"}'
        return (f"curl -i -X POST {shlex.quote(url)} -u {shlex.quote(f'{creds.username}:{creds.secret}')} "
                f"-H 'Content-type: application/json' -d {shlex.quote(body)}")


SIMULATOR = CatapultSimulator()
