"""Twilio's wire shapes for the sandbox: the Call and Account resources, error bodies and error codes.

Call JSON carries every property of ``api.v2010.account.call`` in the official OpenAPI file; the
engine's common timeline maps onto Twilio's ``call_enum_status`` like this::

    queued -> queued        ringing -> ringing        answered -> in-progress
    ended: completed -> completed, busy -> busy, no-answer -> no-answer, failed -> failed,
           canceled -> canceled, rejected -> busy (Twilio has no "rejected": a declined call is busy)

Error codes and messages are Twilio's own (https://www.twilio.com/docs/errors/<code>).
"""

from __future__ import annotations

import math
import re
import secrets
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from starlette.responses import JSONResponse

from launcher.core.models import CallPhase, Outcome
from launcher.sandbox.engine import Clock, SimCall

API_VERSION = "2010-04-01"
PRICE_PER_MINUTE = 0.014  # what the sandbox charges, in USD, per started minute of an answered call

STATUS_BY_OUTCOME: dict[Outcome, str] = {
    Outcome.COMPLETED: "completed",
    Outcome.BUSY: "busy",
    Outcome.NO_ANSWER: "no-answer",
    Outcome.FAILED: "failed",
    Outcome.CANCELED: "canceled",
    Outcome.REJECTED: "busy",
}
STATUS_BY_PHASE = {CallPhase.QUEUED: "queued", CallPhase.RINGING: "ringing", CallPhase.ANSWERED: "in-progress"}
CALL_SUBRESOURCES = {
    "notifications": "Notifications", "recordings": "Recordings", "payments": "Payments", "events": "Events",
    "siprec": "Siprec", "streams": "Streams", "transcriptions": "Transcriptions",
    "user_defined_message_subscriptions": "UserDefinedMessageSubscriptions",
    "user_defined_messages": "UserDefinedMessages",
}
ACCOUNT_SUBRESOURCES = {
    "available_phone_numbers": "AvailablePhoneNumbers", "calls": "Calls", "conferences": "Conferences",
    "incoming_phone_numbers": "IncomingPhoneNumbers", "notifications": "Notifications",
    "outgoing_caller_ids": "OutgoingCallerIds", "recordings": "Recordings", "transcriptions": "Transcriptions",
    "addresses": "Addresses", "signing_keys": "SigningKeys", "connect_apps": "ConnectApps", "sip": "SIP",
    "authorized_connect_apps": "AuthorizedConnectApps", "usage": "Usage", "keys": "Keys",
    "applications": "Applications", "short_codes": "SMS/ShortCodes", "queues": "Queues", "messages": "Messages",
    "balance": "Balance",
}

# -- errors ---------------------------------------------------------------------------------------
# Test-credential "magic numbers" for the Calls resource (https://www.twilio.com/docs/iam/test-credentials):
MAGIC_FROM = {"+15005550001": 21212}
MAGIC_TO = {"+15005550001": 21217, "+15005550002": 21214, "+15005550003": 21215, "+15005550004": 21216}

FIELD_CODES = {  # create parameters with their own error code; other parameters get 21200 (Calls resource)
    "To": 21211, "From": 21212, "Url": 21205, "SendDigits": 21206, "Timeout": 21208, "Method": 21209,
    "ApplicationSid": 21218, "StatusCallbackEvent": 21626,
}
GENERIC_CODE = 21200
NOT_IN_PROGRESS = 21220


def twilio_error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """Twilio's error body: ``{"code", "message", "more_info", "status"}``."""
    body = {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}
    return JSONResponse(body, status_code=status, headers=response_headers(headers))


def response_headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Twilio-Request-Id": "RQ" + secrets.token_hex(16), **(extra or {})}


def authenticate_error() -> JSONResponse:
    return twilio_error(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})


def not_found(path: str) -> JSONResponse:
    return twilio_error(404, 20404, f"The requested resource {path} was not found")


def magic_number_error(to: str, caller: str) -> tuple[int, str] | None:
    """The documented test-credential answers for magic To/From numbers, or None."""
    if to in MAGIC_TO:
        code = MAGIC_TO[to]
        return code, {
            21217: f"The phone number you are attempting to call, {to}, is not valid.",
            21214: "'To' phone number cannot be reached",
            21215: f"Account not authorized to call {to}. Perhaps you need to enable some international "
                   "permissions: https://www.twilio.com/console/voice/calls/geo-permissions/low-risk",
            21216: f"Account not allowed to call {to}",
        }[code]
    if caller in MAGIC_FROM:
        return MAGIC_FROM[caller], invalid_from_message(caller)
    return None


def invalid_from_message(caller: str) -> str:
    return f"The 'From' number {caller} is not a valid phone number, shortcode, or alphanumeric sender ID."


def validation_error(errors: dict[str, list[str]], raw: dict[str, Any]) -> tuple[int, str]:
    """The one error Twilio reports for a rejected create request: To first, then From, then the rest."""
    order = ["To", "From", *[name for name in errors if name not in ("To", "From")]]
    name = next(name for name in order if name in errors)
    detail = errors[name][0]
    value = raw.get(name)
    shown = value if isinstance(value, str) else ", ".join(value) if isinstance(value, list) else ""
    if name == "To":
        return (21201, "No 'To' number is specified") if not shown.strip() else \
            (21211, f"The 'To' number {shown} is not a valid phone number.")
    if name == "From":
        return (21213, "No 'From' number is specified") if not shown.strip() else \
            (21212, invalid_from_message(shown))
    if name == "Url" and not any(str(raw.get(key) or "").strip() for key in ("Url", "Twiml", "ApplicationSid")):
        return 21205, "Url parameter is required. For more information, see http://www.twilio.com/docs/api/twiml"
    if name == "Url":
        return 21205, f"Url is not a valid URL: {shown}"
    return FIELD_CODES.get(name, GENERIC_CODE), f"'{name}' is invalid. {detail}"


# -- resources --------------------------------------------------------------------------------------
def rfc2822(moment: datetime | None) -> str | None:
    return format_datetime(moment.replace(microsecond=0)) if moment else None


def formatted(endpoint: str) -> str:
    """How Twilio shows a number: (415) 867-5309 for North America, E.164 elsewhere, others as given."""
    match = re.fullmatch(r"\+1(\d{3})(\d{3})(\d{4})", endpoint)
    return f"({match[1]}) {match[2]}-{match[3]}" if match else endpoint


def stable_sid(prefix: str, seed: str) -> str:
    """A SID derived from ``seed`` (the same caller ID always has the same PN SID)."""
    import hashlib

    return prefix + hashlib.sha256(seed.encode()).hexdigest()[:32]


def account_uri(account_sid: str) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}"


def call_json(call: SimCall, now: float, clock: Clock) -> dict[str, Any]:
    snap = call.snapshot(now)
    status = STATUS_BY_OUTCOME[snap.outcome] if snap.outcome else STATUS_BY_PHASE.get(snap.phase, "queued")
    dialed = max(call.created, call.queued_until) + call.scenario.ring_after  # leaves the queue: dialing
    started = dialed if now >= dialed and (snap.ended_at is None or snap.ended_at >= dialed) else None
    moments = [m for m in (call.created, started, snap.ringing_at, snap.answered_at, snap.ended_at)
               if m is not None and m <= now]
    talk = (snap.ended_at - snap.answered_at) if snap.answered_at is not None and snap.ended_at is not None else None
    price = f"-{PRICE_PER_MINUTE * max(1, math.ceil(talk / 60)):.5f}" if talk is not None else None
    answered_by = "human" if call.params.get("MachineDetection") and snap.answered_at is not None else None
    base = f"{account_uri(call.account_id)}/Calls/{call.id}"

    def wall(moment: float | None) -> str | None:
        return rfc2822(clock.wall(moment)) if moment is not None else None

    return {
        "sid": call.id,
        "date_created": wall(call.created),
        "date_updated": wall(max(moments)),
        "parent_call_sid": None,
        "account_sid": call.account_id,
        "to": call.to,
        "to_formatted": formatted(call.to),
        "from": call.from_number,
        "from_formatted": formatted(call.from_number),
        "phone_number_sid": stable_sid("PN", call.from_number) if call.from_number.startswith("+") else None,
        "status": status,
        "start_time": wall(started),
        "end_time": wall(snap.ended_at),
        "duration": str(int(talk)) if talk is not None else None,
        "price": price,
        "price_unit": "USD",
        "direction": "outbound-api",
        "answered_by": answered_by,
        "api_version": API_VERSION,
        "forwarded_from": None,
        "group_sid": None,
        "caller_name": None,
        "queue_time": str(round((call.queued_until - call.created) * 1000)),
        "trunk_sid": None,
        "uri": f"{base}.json",
        "subresource_uris": {key: f"{base}/{name}.json" for key, name in CALL_SUBRESOURCES.items()},
    }


def account_json(account_sid: str, auth_token: str, clock: Clock) -> dict[str, Any]:
    created = rfc2822(clock.wall(0.0))
    uri = account_uri(account_sid)
    return {
        "auth_token": auth_token,
        "date_created": created,
        "date_updated": created,
        "friendly_name": "Call Launcher sandbox",
        "owner_account_sid": account_sid,
        "sid": account_sid,
        "status": "active",
        "subresource_uris": {key: f"{uri}/{name}.json" for key, name in ACCOUNT_SUBRESOURCES.items()},
        "type": "Full",
        "uri": f"{uri}.json",
    }
