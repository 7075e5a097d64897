"""Catapult v1 simulator helpers: the call resource, its events and the API's error bodies.

Sources: Bandwidth/ap-docs ``methods/calls/getCallsCallId.md`` and ``getCalls.md`` (properties;
absent values are left out, as in the examples), ``apiCallbacks/hangup.md`` (hangup causes) and
``errors.md`` / ``rateLimits/callRateLimits.md`` (error body, categories, codes, message templates).
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from launcher.core.models import CallPhase, Outcome
from launcher.core.schema import FieldKind, ProviderSchema
from launcher.sandbox.engine import Clock, Engine, SimCall, Snapshot

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # ids look like c-isw3qup6gvr3ywcsentygnq
DEFAULT_CALL_TIMEOUT = 60  # postCalls.md: callTimeout default 60 s
BILLING_INCREMENT = 60  # the doc examples bill a 2-3 s call as chargeableDuration 60

# The hangup cause of each way a call can end (apiCallbacks/hangup.md).
CAUSES = {
    Outcome.COMPLETED: "NORMAL_CLEARING",
    Outcome.CANCELED: "ORIGINATOR_CANCEL",
    Outcome.BUSY: "USER_BUSY",
    Outcome.REJECTED: "CALL_REJECTED",
    Outcome.NO_ANSWER: "NO_ANSWER",
    Outcome.FAILED: "UNALLOCATED_NUMBER",
}
# Call properties echoed from the create request when they were given.
ECHOED = ("callbackUrl", "callbackHttpMethod", "callbackTimeout", "fallbackUrl", "bridgeId", "conferenceId",
          "recordingMaxDuration", "tag", "sipHeaders")


def new_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(ID_ALPHABET) for _ in range(25))


def timestamp(clock: Clock, sim_seconds: float) -> str:
    """ISO 8601 in UTC with milliseconds, like 2013-02-08T13:15:47.587Z."""
    moment: datetime = clock.wall(sim_seconds)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def state_of(snap: Snapshot) -> str:
    if snap.phase is CallPhase.ANSWERED:
        return "active"
    if snap.phase is CallPhase.ENDED:
        return "rejected" if snap.outcome is Outcome.REJECTED else "completed"
    return "started"  # "Call is created but not answered" (queued or ringing)


def call_resource(call: SimCall, snap: Snapshot, clock: Clock, call_url: str) -> dict[str, Any]:
    """The call as GET /v1/users/{userId}/calls/{callId} shows it."""
    params = call.params
    data: dict[str, Any] = {
        "id": call.id,
        "direction": "out",
        "from": call.from_number,
        "to": call.to,
        "state": state_of(snap),
        "startTime": timestamp(clock, call.created),
    }
    if snap.answered_at is not None:
        data["activeTime"] = timestamp(clock, snap.answered_at)
    if snap.ended_at is not None:
        data["endTime"] = timestamp(clock, snap.ended_at)
        talk = snap.ended_at - snap.answered_at if snap.answered_at is not None else 0.0
        data["chargeableDuration"] = math.ceil(talk / BILLING_INCREMENT) * BILLING_INCREMENT if talk > 0 else 0
        # Not a documented call property: the hangup cause of the hangup event / the call's "hangup" event.
        data["cause"] = CAUSES.get(snap.outcome or Outcome.FAILED, "NORMAL_CLEARING")
    data["callTimeout"] = params.get("callTimeout", DEFAULT_CALL_TIMEOUT)
    for name in ECHOED:
        if name in params:
            data[name] = params[name]
    data.update({
        "recordingEnabled": bool(params.get("recordingEnabled", False)),
        "recordingFileFormat": params.get("recordingFileFormat", "wav"),
        "transcriptionEnabled": bool(params.get("transcriptionEnabled", False)),
        "events": f"{call_url}/events",
        "recordings": f"{call_url}/recordings",
        "transcriptions": f"{call_url}/transcriptions",
    })
    return data


def call_events(call: SimCall, snap: Snapshot, clock: Clock) -> list[dict[str, Any]]:
    """GET .../calls/{callId}/events: create, answer, hangup (with its cause)."""
    ids: list[str] = call.extra.setdefault("event_ids", [new_id("ev-") for _ in range(3)])
    events = [{"id": ids[0], "time": timestamp(clock, call.created), "name": "create"}]
    if snap.answered_at is not None:
        events.append({"id": ids[1], "time": timestamp(clock, snap.answered_at), "name": "answer"})
    if snap.ended_at is not None:
        events.append({"id": ids[2], "time": timestamp(clock, snap.ended_at), "name": "hangup",
                       "data": CAUSES.get(snap.outcome or Outcome.FAILED, "NORMAL_CLEARING")})
    return events


def request_path(request: Request) -> str:
    """The path as Catapult reports it in error details: "users/u-asdf/calls"."""
    path = request.url.path
    return path[len("/v1/"):] if path.startswith("/v1/") else path.lstrip("/")


def error(request: Request, status: int, category: str, code: str, message: str,
          *details: tuple[str, str], headers: dict[str, str] | None = None) -> JSONResponse:
    """Catapult's error body: {category, code, message, details: [{name, value}]}."""
    items = [{"name": name, "value": value} for name, value in details]
    items += [
        {"name": "requestMethod", "value": request.method},
        {"name": "remoteAddress", "value": request.client.host if request.client else "127.0.0.1"},
        {"name": "requestPath", "value": request_path(request)},
    ]
    body = {"category": category, "code": code, "message": message, "details": items}
    return JSONResponse(body, status_code=status, headers=headers)


def bad_request(request: Request, message: str, *details: tuple[str, str]) -> JSONResponse:
    return error(request, 400, "bad-request", "validation-error", message, *details)


def create_problem(request: Request, schema: ProviderSchema, raw: dict[str, Any], user_id: str,
                   errors: dict[str, list[str]]) -> JSONResponse:
    """The first problem our validator found, answered as Catapult answers it (one error per request)."""
    order = [spec.name for spec in schema.fields]
    path = min(errors, key=lambda p: order.index(p.split(".")[0]) if p.split(".")[0] in order else len(order))
    name = path.split(".")[0]
    text = errors[path][0]
    value = raw.get(name)
    shown = value if isinstance(value, str) else ("" if value is None else str(value))
    spec = schema.field(name)
    prop = f"The call resource property {name}"
    if spec is None:
        return bad_request(request, "Bad parameters", (name, shown))
    if value is None or (isinstance(value, str) and not value.strip()):
        if name in ("bridgeId", "conferenceId"):  # only the cross-field rule reaches here
            return bad_request(request, f"{prop} is not valid: {text}", (name, shown))
        return bad_request(request, f"{prop} is required.", (name, shown))
    if name == "to":
        return error(request, 403, "forbidden", "invalid-call-to-number", f"Cannot make a call to number {shown}")
    if name == "from":
        return error(request, 401, "authorization", "number-access-denied",
                     f"User {user_id} does not have permission to use number {shown}")
    if name == "callbackUrl":
        return error(request, 400, "bad-request", "callback-url-invalid",
                     f"The callback URL {shown} is not a valid URL")
    if name == "fallbackUrl":
        return bad_request(request, f"Invalid {name} URL. {name} is not a valid URL", (name, shown))
    if spec.kind is FieldKind.ENUM:
        return bad_request(request, f"{prop} must be one of the following values: {', '.join(spec.choices)}")
    number = _number(value) if spec.kind is FieldKind.INT else None
    if number is not None:
        if spec.minimum is not None and number < spec.minimum:
            return bad_request(request, f"{prop} must be greater than {int(spec.minimum) - 1}")
        if spec.maximum is not None and number > spec.maximum:
            return bad_request(request, f"{prop} exceeds the limit of {int(spec.maximum)}")
    if spec.kind is FieldKind.MAP and isinstance(value, dict) and spec.max_items and len(value) > spec.max_items:
        return bad_request(request, f"{prop} exceeds the limit of {spec.max_items}")
    return bad_request(request, f"{prop} is not valid: {text}", (name, shown))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class CatapultCalls(Protocol):
    """What the routes beside the call API need of it (``catapult.CatapultApi``): its engine and shared checks."""

    engine: Engine

    def check_auth(self, request: Request, user_id: str) -> Response | None: ...

    def find(self, request: Request, user_id: str, call_id: str) -> SimCall | Response: ...

    def read_json(self, request: Request, body: bytes) -> dict[str, Any] | Response: ...
