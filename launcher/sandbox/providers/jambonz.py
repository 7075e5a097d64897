"""Simulator of the jambonz REST API for calls, as Cognigy Voice Gateway exposes it.

Endpoints (the sandbox root stands for the API host; the adapter adds ``/v1``):

* ``POST /v1/Accounts/{AccountSid}/Calls`` - create: ``201 {"sid", "callId"}``.
* ``GET  /v1/Accounts/{AccountSid}/Calls`` - the account's live calls, a JSON array (filters
  ``direction``, ``from``, ``to``, ``callStatus``).
* ``GET  /v1/Accounts/{AccountSid}/Calls/{CallSid}`` - the live call (call_status trying, ringing,
  in-progress, completed, busy, no-answer, failed), or ``404 Not Found``.
* ``PUT`` (and the legacy ``POST``) ``.../Calls/{CallSid}`` - ``{"call_status": "completed"}`` hangs up
  an answered call, ``"no-answer"`` cancels one not answered yet: ``202 Accepted``; refused with
  ``422 {"msg"}`` in any other state, as the feature server refuses it.
* ``DELETE .../Calls/{CallSid}`` - forgets the call record (``204``), as jambonz's deleteCall does.

Auth is ``Authorization: Bearer <API key>``; failures are passport's plain ``401 Unauthorized``.
A malformed SID in the path answers ``400 {"msg": "Bad request"}``; another account's SID
``403 {"msg": "insufficient permissions"}``.  Errors are ``{"msg": ...}`` with jambonz's own words.

jambonz keeps a call only while it is live: here an ended call stays readable (with its final
call_status) for RETAIN_SECONDS simulated seconds, then answers 404 like an unknown one.
jambonz documents no REST rate limit for calls, so ``SandboxConfig.rate_limit`` has no effect here.
"""

from __future__ import annotations

import json
import secrets
import shlex
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from launcher.core.models import CallPhase, Outcome
from launcher.core.validate import validate
from launcher.sandbox.base import ProviderSimulator, SandboxCredentials, bearer_token, media_type
from launcher.sandbox.engine import Engine, SimCall, Snapshot
from launcher.sandbox.providers._jambonz_resource import (
    ACCOUNT_SID,
    API_KEY,
    API_KEYS,
    APPLICATION_SID,
    COMMON_HEADERS,
    UUID_RE,
    BodyError,
    call_json,
    create_problem,
    destination,
    known_only,
    normalize_hooks,
    parse_body,
    send_status,
    sip_call_id,
    truthy,
    unauthorized,
    update_problem,
    validator_message,
)
from launcher.sandbox.providers._preflight import jambonz_routes as preflight_routes

PROVIDER = "jambonz"
DEFAULT_RING_TIMEOUT = 60  # jambonz's default "timeout"
RETAIN_SECONDS = 5.0  # simulated seconds an ended call stays fetchable
JSON_TYPE = "application/json; charset=utf-8"


def json_response(status: int, data: Any) -> Response:
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return Response(body, status_code=status, media_type=JSON_TYPE, headers=COMMON_HEADERS)


def msg(status: int, message: str) -> Response:
    return json_response(status, {"msg": message})


class JambonzApi:
    """The routes of one sandbox (one engine)."""

    def __init__(self, simulator: JambonzSimulator, engine: Engine) -> None:
        self.sim = simulator
        self.engine = engine

    # -- shared checks ----------------------------------------------------------------------------
    def guard(self, request: Request) -> Response | None:
        """Bearer auth (passport), then parseAccountSid and validateRequest, in jambonz's order."""
        token = bearer_token(request)
        if token is None:
            return unauthorized('Bearer realm="Users"')
        if not any(secrets.compare_digest(token.encode(), key.encode()) for key in API_KEYS):
            return unauthorized('Bearer realm="Users", error="invalid_token"')
        account_sid = request.path_params["account_sid"]
        if not UUID_RE.match(account_sid):
            return msg(400, "Bad request")
        if account_sid != self.sim.credentials.account_id:
            return msg(403, "insufficient permissions")
        return None

    def live(self, call_sid: str) -> tuple[SimCall, Snapshot] | None:
        """The call as retrieveCall finds it: None once forgotten (deleted, or ended a while ago)."""
        call = self.engine.get(PROVIDER, call_sid)
        if call is None or call.account_id != self.sim.credentials.account_id or call.extra.get("deleted"):
            return None
        now = self.engine.clock.now()
        snap = call.snapshot(now)
        if snap.ended_at is not None and now >= snap.ended_at + RETAIN_SECONDS:
            return None
        return call, snap

    async def read_body(self, request: Request) -> Any:
        return parse_body(media_type(request), await request.body())

    # -- /Calls -----------------------------------------------------------------------------------
    async def calls(self, request: Request) -> Response:
        if request.method == "POST":
            self.engine.count_create()
        denied = self.guard(request)
        if denied is not None:
            return denied
        if request.method == "POST":
            return await self.create(request)
        return self.list_calls(request)

    async def create(self, request: Request) -> Response:
        try:
            body = await self.read_body(request)
        except BodyError as exc:
            return msg(exc.status, exc.message)
        problem = create_problem(body)
        if problem is not None:
            return msg(400, problem)
        schema = self.sim.adapter.schema
        result = validate(schema, known_only(schema.fields, normalize_hooks(body)))
        if not result.ok:
            return msg(400, validator_message(result.errors))
        values = result.values
        call_sid = str(uuid.uuid4())
        call = self.engine.create(
            PROVIDER, self.sim.credentials.account_id, call_sid, from_number=str(values["from"]),
            to=destination(values["to"]), ring_timeout=values.get("timeout") or DEFAULT_RING_TIMEOUT,
            params=values,
        )
        call.extra.update(call_id=sip_call_id(), trace_id=secrets.token_hex(16))
        answer_at, limit = call.answer_time(), values.get("timeLimit")
        if answer_at is not None and limit:  # rest:dial ends the call timeLimit seconds after answer
            call.stop(answer_at + float(limit), Outcome.COMPLETED)
        return json_response(201, {"sid": call_sid, "callId": call.extra["call_id"]})

    def list_calls(self, request: Request) -> Response:
        wanted = {key: request.query_params.get(name) for key, name in (
            ("direction", "direction"), ("from", "from"), ("to", "to"), ("call_status", "callStatus"))}
        found = []
        for call in sorted(list(self.engine.calls.values()), key=lambda c: c.sequence):
            live = self.live(call.id) if call.provider == PROVIDER else None
            if live is None:
                continue
            data = call_json(*live)
            if all(value in (None, "") or str(data.get(key)) == value for key, value in wanted.items()):
                found.append(data)
        return json_response(200, found)

    # -- /Calls/{CallSid} -------------------------------------------------------------------------
    async def call(self, request: Request) -> Response:
        denied = self.guard(request)
        if denied is not None:
            return denied
        call_sid = request.path_params["call_sid"]
        if not UUID_RE.match(call_sid):
            return msg(400, "Bad request")
        if request.method == "GET":
            live = self.live(call_sid)
            return json_response(200, call_json(*live)) if live else send_status(404)
        if request.method == "DELETE":
            live = self.live(call_sid)
            if live is None:
                return send_status(404)
            live[0].extra["deleted"] = True
            return send_status(204)
        return await self.update(request, call_sid)

    async def update(self, request: Request, call_sid: str) -> Response:
        try:
            body = await self.read_body(request)
        except BodyError as exc:
            return msg(exc.status, exc.message)
        problem = update_problem(body)
        if problem is not None:
            return msg(400, problem)
        live = self.live(call_sid)
        if live is None:
            return send_status(404)
        call, snap = live
        # From here on the feature server answers (jambonz-feature-server update-call.js).
        if truthy(body.get("call_status_hook")) and not truthy(body.get("call_hook")):
            return msg(400, "call_status_hook can be updated only when call_hook is also being updated "
                            f"for call_sid {call_sid}")
        if snap.phase is CallPhase.ENDED:
            return msg(422, f"call session is gone for call_sid {call_sid}")
        incompatible = f"current call state is incompatible with requested action for call_sid {call_sid}"
        now = self.engine.clock.now()
        status = body.get("call_status")
        if status == "completed":
            if snap.phase is not CallPhase.ANSWERED:  # needs a stable (answered) dialog
                return msg(422, incompatible)
            call.stop(now, Outcome.COMPLETED)
        elif status == "no-answer":
            if snap.phase not in (CallPhase.QUEUED, CallPhase.RINGING):  # only while the INVITE is pending
                return msg(422, incompatible)
            call.stop(now, Outcome.NO_ANSWER)  # CANCEL -> 487 Request Terminated -> no-answer
        elif truthy(body.get("sip_request")):
            return json_response(200, {"status": 200, "reason": "OK"})
        else:
            call.extra.setdefault("updates", []).append(body)
        return send_status(202)


class JambonzSimulator(ProviderSimulator):
    id = PROVIDER
    credentials = SandboxCredentials(account_id=ACCOUNT_SID, secret=API_KEY)

    def body_too_large(self, request: Request, limit: int) -> Response:
        """jambonz-api-server's {"msg": ...} error body, with its body parser's wording."""
        return msg(413, "request entity too large")

    def routes(self, engine: Engine) -> list[BaseRoute]:
        api = JambonzApi(self, engine)
        return [
            # Express matches a path with or without a trailing slash: the Node client lists with ".../Calls/".
            Route("/v1/Accounts/{account_sid}/Calls", api.calls, methods=["GET", "POST"]),
            Route("/v1/Accounts/{account_sid}/Calls/", api.calls, methods=["GET", "POST"]),
            Route("/v1/Accounts/{account_sid}/Calls/{call_sid}", api.call, methods=["GET", "PUT", "POST", "DELETE"]),
            *preflight_routes(self, engine),
            Route("/v1/Accounts/{account_sid}/Calls/{call_sid}/", api.call, methods=["GET", "PUT", "POST", "DELETE"]),
        ]

    def sample_values(self) -> dict[str, Any]:
        return {"application_sid": APPLICATION_SID, "from": "+15083728299",
                "to": {"type": "phone", "number": "+16172375089"}}

    def curl_recipe(self, base_url: str) -> str:
        """The Cognigy seed's curl, filled in with the sandbox account."""
        base = base_url.rstrip("/")
        base = base[:-3] if base.lower().endswith("/v1") else base
        body = json.dumps(self.sample_values())
        args = ["curl", "--location", "--request", "POST", f"{base}/v1/Accounts/{ACCOUNT_SID}/Calls",
                "--header", f"Authorization: Bearer {API_KEY}", "--header", "Accept: application/json",
                "--header", "Content-Type: application/json", "--data-raw", body]
        return " ".join(shlex.quote(arg) for arg in args)


SIMULATOR = JambonzSimulator()
