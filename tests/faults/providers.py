"""Per provider: a profile for a loopback server, valid values, and the provider's own answers.

The error bodies follow each adapter's ``parse_error`` and the sandbox simulators
(``launcher/sandbox/providers``), which copy the providers' documented shapes:

* Twilio: ``{"code", "message", "more_info", "status"}`` (20003 Authenticate, 20404, 20429, 2150x...);
* Bandwidth v2: ``voiceApiError`` ``{"type", "description", "id"}`` (``id`` is ``""`` for 409/429);
* Catapult v1: ``{"category", "code", "message", "details": [{"name", "value"}]}``;
* jambonz: ``{"msg"}``, express-validator ``{"errors": [{"msg", "path"}]}``, or plain-text
  ``Unauthorized`` / ``Not Found`` / ``Service Unavailable`` (Express ``sendStatus``).

Each error comes with the words the app must show for it (``expect``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from launcher.core.profiles import Profile
from launcher.sandbox.app import all_simulators
from tests.faults.server import Recorded, Reply

JSON = {"Content-Type": "application/json"}
CALL_ID = {
    "twilio": "CA" + "c0ffee00" * 4,
    "bandwidth": "c-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85",
    "catapult": "c-ci7gv2fzcqvzqbtl6yzq4ib",
    "jambonz": "9d2c2ff4-2b3e-4a9d-9f1e-5c8f0c7a1b2d",
}


@dataclass(frozen=True)
class ErrorAnswer:
    reply: Reply
    expect: tuple[str, ...]  # words the message must contain
    field: str | None = None  # the form field the refusal is about, when the provider names one


def _json(status: int, data: Any, headers: dict[str, str] | None = None,
          content_type: str = "application/json") -> Reply:
    return Reply(status, json.dumps(data).encode(), {"Content-Type": content_type, **(headers or {})})


def _text(status: int, text: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, text.encode(), {"Content-Type": "text/plain; charset=utf-8", **(headers or {})})


@dataclass(frozen=True)
class Kit:
    id: str
    create_suffix: str  # the create request's path ends with this (POST)
    account_id: str
    username: str
    api_prefix: str  # what the profile's base URL adds to the server's root
    errors: dict[int, ErrorAnswer]
    create_ok: Callable[[str], Reply]  # server root URL -> the provider's 201
    state: Callable[[bool], Reply]  # final? -> a fetch answer: the call ended, or moved on from its create state
    not_found: Reply  # the provider's 404 for a call it does not know (yet)
    cli_values: tuple[str, ...]

    @property
    def values(self) -> dict[str, Any]:
        """Valid form values: the ones the built-in sandbox profile starts with."""
        return all_simulators()[self.id].sample_values()

    def is_create(self, record: Recorded) -> bool:
        return record.method == "POST" and record.path.split("?", 1)[0].endswith(self.create_suffix)

    def is_fetch(self, record: Recorded) -> bool:
        return record.method == "GET"

    def base_url(self, server_url: str) -> str:
        return server_url + self.api_prefix

    def profile(self, server_url: str, name: str = "faulty") -> Profile:
        return Profile(name=name, provider=self.id, account_id=self.account_id, username=self.username,
                       base_url=self.base_url(server_url), label="FAULT", color="#6a1b9a")

    def script(self, on_create: Callable[[Recorded], Any],
               on_fetch: Callable[[Recorded], Any] | None = None) -> Callable[[Recorded], Any]:
        """A server script: ``on_create`` answers creates, fetches end the call (or ``on_fetch``)."""
        def answer(record: Recorded) -> Any:
            if self.is_create(record):
                return on_create(record)
            if self.is_fetch(record):
                return on_fetch(record) if on_fetch is not None else self.state(True)
            return Reply(200, b"{}", JSON)
        return answer


# -- Twilio ----------------------------------------------------------------------------------------
TWILIO_SID = all_simulators()["twilio"].credentials.account_id


def _twilio(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return _json(status, {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                          "status": status}, headers)


def _twilio_call(status: str) -> dict[str, Any]:
    ended = status == "completed"
    return {"sid": CALL_ID["twilio"], "account_sid": TWILIO_SID, "status": status, "to": "+15555550100",
            "from": "+15005550006", "direction": "outbound-api", "date_created": "Tue, 31 Aug 2010 20:36:28 +0000",
            "start_time": "Tue, 31 Aug 2010 20:36:29 +0000" if ended else None,
            "end_time": "Tue, 31 Aug 2010 20:36:44 +0000" if ended else None, "duration": "15" if ended else None}


TWILIO = Kit(
    id="twilio", create_suffix="/Calls.json", account_id=TWILIO_SID, username="", api_prefix="",
    errors={
        400: ErrorAnswer(_twilio(400, 21211, "The 'To' number +15555550100 is not a valid phone number."),
                         ("21211", "is not a valid phone number"), "To"),
        401: ErrorAnswer(_twilio(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'}),
                         ("20003", "Authenticate", "Auth Token")),
        403: ErrorAnswer(_twilio(403, 20403, "Forbidden"), ("20403", "Forbidden", "suspended")),
        404: ErrorAnswer(_twilio(404, 20404, f"The requested resource /2010-04-01/Accounts/{TWILIO_SID}/Calls.json "
                                             "was not found"), ("20404", "was not found")),
        409: ErrorAnswer(_twilio(409, 20409, "Conflict: the resource was changed by another request"),
                         ("20409", "Conflict")),
        415: ErrorAnswer(_twilio(415, 20415, "Unsupported Media Type"), ("20415", "Unsupported Media Type")),
        422: ErrorAnswer(_twilio(422, 20422, "Invalid Parameter"), ("20422", "Invalid Parameter")),
        429: ErrorAnswer(_twilio(429, 20429, "Too Many Requests", {"Retry-After": "7"}),
                         ("20429", "Too Many Requests", "wait 7 s")),
        500: ErrorAnswer(_twilio(500, 20500, "Internal Server Error"), ("20500", "Internal Server Error")),
        503: ErrorAnswer(_twilio(503, 20503, "Service Unavailable"), ("20503", "Service Unavailable")),
    },
    create_ok=lambda root: _json(201, _twilio_call("queued")),
    state=lambda final: _json(200, _twilio_call("completed" if final else "ringing")),
    not_found=_twilio(404, 20404, f"The requested resource /2010-04-01/Accounts/{TWILIO_SID}/Calls/"
                                  f"{CALL_ID['twilio']}.json was not found"),
    cli_values=("To=+15555550100", "From=+15005550006", "Url=https://demo.twilio.com/docs/voice.xml"),
)

# -- Bandwidth Voice v2 ------------------------------------------------------------------------------
BW = all_simulators()["bandwidth"].credentials
BW_TYPE = "application/json;charset=UTF-8"


def _bandwidth(status: int, kind: str, description: str, headers: dict[str, str] | None = None) -> Reply:
    error_id = "" if status in (409, 429) else None
    return _json(status, {"type": kind, "description": description, "id": error_id}, headers, BW_TYPE)


def _bandwidth_created(root: str) -> Reply:
    url = f"{root}/api/v2/accounts/{BW.account_id}/calls/{CALL_ID['bandwidth']}"
    body = {"applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086", "accountId": BW.account_id,
            "callId": CALL_ID["bandwidth"], "to": "+15555550100", "from": "+15555550199",
            "enqueuedTime": "2022-06-16T13:15:07.160Z", "callUrl": url, "callTimeout": 30.0,
            "callbackTimeout": 15.0, "answerMethod": "POST", "answerUrl": "https://example.com/answer",
            "disconnectMethod": "POST"}
    return _json(201, body, {"Location": url}, BW_TYPE)


def _bandwidth_state(final: bool) -> Reply:
    body: dict[str, Any] = {"applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086", "accountId": BW.account_id,
                            "callId": CALL_ID["bandwidth"], "to": "+15555550100", "from": "+15555550199",
                            "direction": "outbound", "state": "disconnected" if final else "initiated",
                            "enqueuedTime": "2022-06-16T13:15:07.160Z", "startTime": "2022-06-16T13:15:07.160Z"}
    if final:
        body |= {"answerTime": "2022-06-16T13:15:18.126Z", "endTime": "2022-06-16T13:15:38.126Z",
                 "disconnectCause": "hangup"}
    return _json(200, body, None, BW_TYPE)


BANDWIDTH = Kit(
    id="bandwidth", create_suffix=f"/accounts/{BW.account_id}/calls", account_id=BW.account_id,
    username=BW.username or "", api_prefix="/api/v2",
    errors={
        400: ErrorAnswer(_bandwidth(400, "validation", "Invalid answerUrl: only http and https are allowed."),
                         ("Invalid answerUrl: only http and https are allowed",), "answerUrl"),
        401: ErrorAnswer(_bandwidth(401, "authentication-error", "The credentials provided were invalid"),
                         ("authentication-error", "The credentials provided were invalid", "API username")),
        403: ErrorAnswer(_bandwidth(403, "authorization-error", "Access is denied"),
                         ("authorization-error", "Access is denied")),
        404: ErrorAnswer(_bandwidth(404, "validation", "Not Found"), ("Not Found", "Account ID")),
        409: ErrorAnswer(_bandwidth(409, "validation", f"Call [{CALL_ID['bandwidth']}] cannot be modified in its "
                                                       "current state"), ("cannot be modified in its current state",)),
        415: ErrorAnswer(_bandwidth(415, "validation", "Content type 'text/plain' not supported"),
                         ("Content type 'text/plain' not supported",)),
        422: ErrorAnswer(_bandwidth(422, "validation", "The request could not be processed"),
                         ("The request could not be processed",)),
        429: ErrorAnswer(_bandwidth(429, "error", "Account call creation rate limit exceeded", {"Retry-After": "7"}),
                         ("Account call creation rate limit exceeded", "wait 7 s")),
        500: ErrorAnswer(_bandwidth(500, "internal-error", "An unknown internal error occurred"),
                         ("internal-error", "An unknown internal error occurred")),
        503: ErrorAnswer(_bandwidth(503, "service-unavailable", "The service is temporarily unavailable"),
                         ("The service is temporarily unavailable",)),
    },
    create_ok=_bandwidth_created,
    state=_bandwidth_state,
    not_found=_bandwidth(404, "validation", f"Call [{CALL_ID['bandwidth']}] not found"),
    cli_values=("to=+15555550100", "from=+15555550199", "applicationId=7fc9698a-b04a-468b-9e8f-91238c0d0086",
                "answerUrl=https://example.com/answer"),
)

# -- Catapult v1 ---------------------------------------------------------------------------------------
CAT = all_simulators()["catapult"].credentials


def _catapult(status: int, category: str, code: str, message: str, *details: tuple[str, str],
              headers: dict[str, str] | None = None) -> Reply:
    items = [{"name": name, "value": value} for name, value in details]
    items += [{"name": "requestMethod", "value": "POST"},
              {"name": "requestPath", "value": f"users/{CAT.account_id}/calls"}]
    return _json(status, {"category": category, "code": code, "message": message, "details": items}, headers)


def _catapult_state(final: bool) -> Reply:
    body: dict[str, Any] = {"id": CALL_ID["catapult"], "direction": "out", "from": "+19195551212",
                            "to": "+15555550100", "state": "completed" if final else "active",
                            "startTime": "2017-01-26T16:10:11Z", "activeTime": "2017-01-26T16:10:23Z"}
    if final:
        body |= {"endTime": "2017-01-26T16:10:33Z", "chargeableDuration": 60}
    return _json(200, body)


CATAPULT = Kit(
    id="catapult", create_suffix=f"/v1/users/{CAT.account_id}/calls", account_id=CAT.account_id,
    username=CAT.username or "", api_prefix="",
    errors={
        400: ErrorAnswer(_catapult(400, "bad-request", "validation-error",
                                   "The call resource property callTimeout must be greater than 0",
                                   ("callTimeout", "0")),
                         ("validation-error", "callTimeout must be greater than 0"), "callTimeout"),
        401: ErrorAnswer(_catapult(401, "authorization", "unauthorized", "Invalid credentials: use the API token "
                                                                        "and API secret of the user as Basic auth."),
                         ("unauthorized", "Invalid credentials")),
        403: ErrorAnswer(_catapult(403, "limit", "call-rate-limit", "You can create 1 calls per 1 seconds, "
                                   "calculated as the average over 10 seconds. Your rate is: 2.0"),
                         ("call-rate-limit", "You can create 1 calls per 1 seconds", "wait 1 s")),
        404: ErrorAnswer(_catapult(404, "not-found", "user-not-found", f"The user {CAT.account_id} could not be found"),
                         ("user-not-found", "could not be found", "User ID")),
        409: ErrorAnswer(_catapult(409, "conflict", "call-update-conflict", "The call is being updated by another "
                                                                            "request"),
                         ("call-update-conflict", "being updated by another request")),
        415: ErrorAnswer(_catapult(415, "bad-request", "validation-error", "The media type 'text/plain' is not "
                                   "supported; send the body as application/json", ("Content-Type", "text/plain")),
                         ("media type 'text/plain' is not supported",)),
        422: ErrorAnswer(_catapult(422, "bad-request", "validation-error", "Invalid phone number", ("to", "+1555")),
                         ("validation-error", "Invalid phone number")),
        429: ErrorAnswer(_catapult(429, "limit", "too-many-requests", "Too many requests",
                                   headers={"Retry-After": "7"}),
                         ("too-many-requests", "wait 7 s")),
        500: ErrorAnswer(_catapult(500, "internal", "internal-server-error", "An internal server error occurred"),
                         ("internal-server-error", "An internal server error occurred")),
        503: ErrorAnswer(_catapult(503, "unavailable", "service-unavailable", "The service is unavailable"),
                         ("service-unavailable", "The service is unavailable")),
    },
    create_ok=lambda root: Reply(201, b"",
                                 {"Location": f"{root}/v1/users/{CAT.account_id}/calls/{CALL_ID['catapult']}"}),
    state=_catapult_state,
    not_found=_catapult(404, "not-found", "call-not-found", f"The call {CALL_ID['catapult']} could not be found",
                        ("callId", CALL_ID["catapult"])),
    cli_values=("from=+19195551212", "to=+15555550100"),
)

# -- jambonz / Cognigy VG ------------------------------------------------------------------------------
JZ = all_simulators()["jambonz"].credentials
JZ_TYPE = "application/json; charset=utf-8"


def _jambonz_state(final: bool) -> Reply:
    body = {"call_sid": CALL_ID["jambonz"], "account_sid": JZ.account_id, "direction": "outbound",
            "from": "+15083728299", "to": "+16172375089", "call_status": "completed" if final else "ringing",
            "sip_status": 200 if final else 180, "duration": 12 if final else 0}
    return _json(200, body, None, JZ_TYPE)


JAMBONZ = Kit(
    id="jambonz", create_suffix=f"/v1/Accounts/{JZ.account_id}/Calls", account_id=JZ.account_id, username="",
    api_prefix="",
    errors={
        400: ErrorAnswer(_json(400, {"msg": "missing from param"}, None, JZ_TYPE), ("missing from param",), "from"),
        401: ErrorAnswer(Reply(401, b"Unauthorized",
                               {"WWW-Authenticate": 'Bearer realm="Users", error="invalid_token"'}),
                         ("Unauthorized", "API key")),
        403: ErrorAnswer(_json(403, {"msg": "insufficient permissions"}, None, JZ_TYPE),
                         ("insufficient permissions", "Account SID")),
        404: ErrorAnswer(_text(404, "Not Found"), ("Not Found", "Account SID and base URL")),
        409: ErrorAnswer(_json(409, {"msg": "call is already being updated"}, None, JZ_TYPE),
                         ("call is already being updated",)),
        415: ErrorAnswer(_json(415, {"msg": "unsupported content type"}, None, JZ_TYPE),
                         ("unsupported content type",)),
        422: ErrorAnswer(_json(422, {"errors": [{"type": "field", "msg": "Invalid value", "path": "to",
                                                 "location": "body"}]}, None, JZ_TYPE),
                         ("Invalid value",), "to"),
        429: ErrorAnswer(_json(429, {"msg": "too many requests"}, {"Retry-After": "7"}, JZ_TYPE),
                         ("too many requests", "wait 7 s")),
        500: ErrorAnswer(_json(500, {"msg": "Error: connect ECONNREFUSED 127.0.0.1:3306"}, None, JZ_TYPE),
                         ("ECONNREFUSED 127.0.0.1:3306",)),
        503: ErrorAnswer(_text(503, "Service Unavailable"), ("Service Unavailable",)),
    },
    create_ok=lambda root: _json(201, {"sid": CALL_ID["jambonz"], "callId": "2d8c1f8e-5c50-123c-8f70-0242ac110002"},
                                 None, JZ_TYPE),
    state=_jambonz_state,
    not_found=_text(404, "Not Found"),
    cli_values=("application_sid=0e06a1b0-d49f-4fb8-b973-b5a3c6758de1", "from=+15083728299", "to.type=phone",
                "to.number=+16172375089"),
)

KITS: dict[str, Kit] = {kit.id: kit for kit in (TWILIO, BANDWIDTH, CATAPULT, JAMBONZ)}
PROVIDERS = tuple(KITS)
