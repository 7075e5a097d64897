"""Bandwidth Voice API v2 resources for the sandbox: ``voiceApiError`` bodies, the ``callState`` and
``createCallResponse`` JSON, and validation messages in Bandwidth's own wording.

Sources: the official specs (``createCallResponse``, ``callState``, ``updateCall``, ``voiceApiError``) and
Bandwidth's "Voice API Errors" page, whose examples give the error bodies below word for word.  Where
that page lists a validation message ("Invalid to: must be an E164 telephone number", "Missing at
least one required field. ...", "${0} must be within the range [${1}, ${2}], but was ${3}", ...) the
sandbox uses it; other problems found by the core validator read "Invalid <field>: <message>".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import JSONResponse

from launcher.core.models import CallPhase, Outcome
from launcher.core.phone import looks_like_sip
from launcher.core.schema import FieldKind, ProviderSchema
from launcher.core.validate import ValidationResult, is_empty
from launcher.sandbox.engine import Engine, SimCall


class BandwidthJSON(JSONResponse):
    media_type = "application/json;charset=UTF-8"  # what Bandwidth's Spring services send


# (type, description) of Bandwidth's documented error bodies
UNAUTHORIZED = ("authentication-error", "The credentials provided were invalid")
FORBIDDEN = ("authorization-error", "Access is denied")
NOT_ALLOWED = ("validation", "Method Not Allowed")
RATE_LIMITED = ("error", "Account call creation rate limit exceeded")
INTERNAL = ("internal-error", "An unknown internal error occurred")
BAD_REQUEST = "There is something wrong with the request"
REQUIRED = "Missing at least one required field. Required fields are [from, to, answerUrl, applicationId]"
# The error page shows ``"id": ""`` for 409 and 429 and ``null`` everywhere else.
EMPTY_ID_STATUSES = {409, 429}

STATE_NAMES = {
    CallPhase.QUEUED: "queued",
    CallPhase.RINGING: "initiated",
    CallPhase.ANSWERED: "answered",
    CallPhase.ENDED: "disconnected",
}
CAUSES = {
    Outcome.COMPLETED: "hangup",
    Outcome.BUSY: "busy",
    Outcome.NO_ANSWER: "timeout",
    Outcome.CANCELED: "cancel",
    Outcome.REJECTED: "rejected",
    Outcome.FAILED: "error",
}
FAILED_MESSAGE = "The call could not be completed: the destination is unreachable"
STATE_LAG = 0.3
"""Simulated seconds after creation during which getCallState and listCalls do not see a call yet
("near-realtime" call information: Bandwidth answers 404 for a new call for a moment)."""

METHOD_TARGETS = {"answerMethod": "answerUrl", "answerFallbackMethod": "answerFallbackUrl",
                  "disconnectMethod": "disconnectUrl", "redirectMethod": "redirectUrl",
                  "redirectFallbackMethod": "redirectFallbackUrl"}
UPDATE_STATES = ("active", "completed")
UPDATE_URLS = ("redirectUrl", "redirectFallbackUrl")
UPDATE_TEXTS = {"username": 1024, "password": 1024, "fallbackUsername": 1024, "fallbackPassword": 1024,
                "tag": 4096}


def error(status: int, kind: str, description: str, headers: Mapping[str, str] | None = None) -> BandwidthJSON:
    """A ``voiceApiError`` answer."""
    error_id = "" if status in EMPTY_ID_STATUSES else None
    return BandwidthJSON({"type": kind, "description": description, "id": error_id}, status_code=status,
                         headers=dict(headers or {}))


def unsupported_media(content_type: str | None) -> BandwidthJSON:
    """Spring's 415 wording; a body without a Content-Type is read as application/octet-stream."""
    shown = content_type if content_type else "application/octet-stream"
    return error(415, "validation", f"Content type '{shown}' not supported")


def not_found(call_id: str) -> BandwidthJSON:
    return error(404, "validation", f"Call [{call_id}] not found")


def conflict(call_id: str) -> BandwidthJSON:
    return error(409, "validation", f"Call [{call_id}] cannot be modified in its current state")


# -- OAuth 2.0 token endpoint (RFC 6749 section 5) ------------------------------------------------------
TOKEN_TYPE = "Bearer"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 5.1: token answers are not cached


def oauth_token(access_token: str, expires_in: int) -> JSONResponse:
    """RFC 6749 5.1 success answer of the client-credentials grant (no refresh token, as 4.4.3 advises)."""
    return JSONResponse({"access_token": access_token, "token_type": TOKEN_TYPE, "expires_in": expires_in},
                        headers=NO_STORE)


def oauth_error(status: int, code: str, description: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """RFC 6749 5.2 error answer (``invalid_request``, ``invalid_client``, ``unsupported_grant_type``, ...)."""
    return JSONResponse({"error": code, "error_description": description}, status_code=status,
                        headers={**NO_STORE, **(headers or {})})


def timestamp(engine: Engine, sim_seconds: float | None) -> str | None:
    """ISO 8601 in UTC with milliseconds, like ``2022-06-16T13:15:07.160Z``."""
    if sim_seconds is None:
        return None
    moment: datetime = engine.clock.wall(sim_seconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def visible(call: SimCall, now: float) -> bool:
    return now >= call.created + STATE_LAG


def _mask(value: Any) -> str | None:
    return "*****" if value else None


def create_response(engine: Engine, call: SimCall, call_url: str) -> dict[str, Any]:
    """``createCallResponse``: every property of the spec, passwords masked as in its example."""
    v = call.params
    return {
        "applicationId": v["applicationId"],
        "accountId": call.account_id,
        "callId": call.id,
        "to": call.to,
        "from": call.from_number,
        "enqueuedTime": timestamp(engine, call.created),
        "callUrl": call_url,
        "callTimeout": float(v.get("callTimeout", 30)),
        "callbackTimeout": float(v.get("callbackTimeout", 15)),
        "tag": v.get("tag"),
        "answerMethod": v.get("answerMethod", "POST"),
        "answerUrl": v["answerUrl"],
        "answerFallbackMethod": v.get("answerFallbackMethod", "POST"),
        "answerFallbackUrl": v.get("answerFallbackUrl"),
        "disconnectMethod": v.get("disconnectMethod", "POST"),
        "disconnectUrl": v.get("disconnectUrl"),
        "username": v.get("username"),
        "password": _mask(v.get("password")),
        "fallbackUsername": v.get("fallbackUsername"),
        "fallbackPassword": _mask(v.get("fallbackPassword")),
        "priority": v.get("priority", 5),
    }


def call_state(engine: Engine, call: SimCall, now: float) -> dict[str, Any]:
    """``callState`` of an outbound call at simulated time ``now``."""
    snap = call.snapshot(now)
    dialled = max(call.created, call.queued_until) + call.scenario.ring_after
    initiated = dialled if snap.phase is not CallPhase.QUEUED and (
        snap.ended_at is None or dialled < snap.ended_at) else None
    cause = CAUSES.get(snap.outcome) if snap.phase is CallPhase.ENDED and snap.outcome else None
    failed = cause == "error"
    events = [t for t in (call.created, initiated, snap.answered_at, snap.ended_at) if t is not None and t <= now]
    return {
        "applicationId": call.params.get("applicationId"),
        "accountId": call.account_id,
        "callId": call.id,
        "parentCallId": None,
        "to": call.to,
        "from": call.from_number,
        "direction": "outbound",
        "state": STATE_NAMES.get(snap.phase, "unknown"),
        "stirShaken": None,
        "identity": None,
        "enqueuedTime": timestamp(engine, call.created),
        "startTime": timestamp(engine, initiated),
        "answerTime": timestamp(engine, snap.answered_at),
        "endTime": timestamp(engine, snap.ended_at),
        "disconnectCause": cause,
        "errorMessage": FAILED_MESSAGE if failed else None,
        "errorId": call.extra.get("errorId") if failed else None,
        "lastUpdate": timestamp(engine, max(events)),
    }


# -- validation messages ------------------------------------------------------------------------------
def _java_number(value: float, integral: bool) -> str:
    """Numbers as Bandwidth's (Java) messages print them: 300.0 for doubles, 5 for integers."""
    return str(int(value)) if integral else repr(float(value))


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw)
    try:
        return float(str(raw).strip())
    except ValueError:
        return None


def _raw(values: Mapping[str, Any], path: str) -> Any:
    node: Any = values
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _bad_scheme(raw: Any) -> bool:
    return not isinstance(raw, str) or urlsplit(raw.strip()).scheme.lower() not in ("http", "https")


def create_problem(schema: ProviderSchema, result: ValidationResult, raw: Mapping[str, Any]) -> str:
    """The one description Bandwidth would give for a request our validator rejected."""
    for path in result.errors:
        spec = schema.field(path)
        if spec is not None and spec.required and is_empty(_raw(raw, path)):
            return REQUIRED
    path, messages = next(iter(result.errors.items()))
    return describe(schema, path, messages[0], _raw(raw, path))


def describe(schema: ProviderSchema, path: str, message: str, raw: Any) -> str:
    spec = schema.field(path)
    if spec is None:
        return f"Invalid {path}: {message}"
    if path in ("to", "from") and not (isinstance(raw, str) and looks_like_sip(raw)):
        return f"Invalid {path}: must be an E164 telephone number"
    value = _number(raw)
    if spec.kind in (FieldKind.NUMBER, FieldKind.INT) and value is not None and math.isfinite(value) \
            and spec.minimum is not None and spec.maximum is not None \
            and not spec.minimum <= value <= spec.maximum:
        integral = spec.kind is FieldKind.INT
        low, high = (_java_number(x, integral) for x in (spec.minimum, spec.maximum))
        return f"{path} must be within the range [{low}, {high}], but was {_java_number(value, integral)}"
    if spec.kind is FieldKind.URL and _bad_scheme(raw):
        return f"Invalid {path}: only http and https are allowed"
    if path in METHOD_TARGETS:
        return f"Invalid {METHOD_TARGETS[path]} method. Supported methods: [POST, GET]"
    if path == "tag" and isinstance(raw, str) and spec.max_length is not None and len(raw) > spec.max_length:
        return f"Could not create call: sendCallback tag must contain at most {spec.max_length} characters"
    return f"Invalid {path}: {message}"


def update_problem(body: Mapping[str, Any]) -> str | None:
    """Checks of an ``updateCall`` body (the spec's rules); None when it is acceptable.

    The official SDK always sends redirectMethod and redirectFallbackMethod (their defaults), also with
    ``"state": "completed"``, and Bandwidth accepts that; the URLs and tag are refused with completed.
    """
    state = body.get("state")
    state = "active" if state is None else state
    if state not in UPDATE_STATES:
        return f"Invalid state: must be one of [{', '.join(UPDATE_STATES)}], but was {state}"
    for name, target in METHOD_TARGETS.items():
        if name.startswith("redirect") and body.get(name) is not None and body[name] not in ("GET", "POST"):
            return f"Invalid {target} method. Supported methods: [POST, GET]"
    for name in UPDATE_URLS:
        if body.get(name) is not None and _bad_scheme(body[name]):
            return f"Invalid {name}: only http and https are allowed"
    for name, limit in UPDATE_TEXTS.items():
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            return f"Invalid {name}: must be a string"
        if isinstance(value, str) and len(value) > limit:
            return f"Invalid {name}: must contain at most {limit} characters"
    if state == "completed":
        for name in (*UPDATE_URLS, "tag"):
            if body.get(name) is not None:
                return f"Invalid {name}: not allowed when state is completed"
    elif not body.get("redirectUrl"):
        return "Invalid redirectUrl: required when state is active"
    return None
