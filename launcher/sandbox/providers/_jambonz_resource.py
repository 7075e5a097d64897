"""jambonz simulator helpers: the sandbox account, request bodies, the api-server's own checks, the call resource.

Sources (jambonz/jambonz-api-server ``app.js``, ``lib/routes/api/accounts.js``, ``lib/routes/error.js``;
jambonz/jambonz-feature-server ``lib/http-routes/api/create-call.js``, ``update-call.js``,
``lib/session/call-info.js``; jambonz/realtimedb-helpers ``update-call-status.js``):

* bodies go through ``express.json()`` (strict, 100 kB) and ``express.urlencoded({extended: true})``;
  any other content type leaves the body empty (``{}``), so the route's own checks answer;
* the live call resource is the feature server's CallInfo as stored in redis: snake_cased, nulls
  dropped, ``sip_status`` and ``duration`` coerced to integers; ``duration`` only once completed.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import Response

from launcher.core.models import CallPhase, Outcome
from launcher.core.schema import FieldKind, FieldSpec
from launcher.sandbox.engine import SimCall, Snapshot

# The values of the jambonz docs' examples, so that they run against the sandbox as written.
ACCOUNT_SID = "fef61e75-cec3-496c-a7bc-8368e4d02a04"
API_KEY = "9404e5f7-9a77-4bcc-b0fa-5665ace28ab3"
API_KEYS = (API_KEY, "38700987-c7a4-4685-a5bb-af378f9734de", "9604e5f7-9a77-4bcc-b0fa-5665ace28ab3")
APPLICATION_SID = "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1"
# Headers every answer carries in jambonz-api-server (nocache, cors, helmet).
COMMON_HEADERS = {
    "Cache-Control": "no-store, no-cache, must-revalidate, proxy-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
    "Surrogate-Control": "no-store",
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
}
STATUS_TEXT = {202: "Accepted", 404: "Not Found", 500: "Internal Server Error"}
# `uuid` npm package validate(): RFC 4122 versions 1-8, plus the nil and max UUIDs.
UUID_RE = re.compile(r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|"
                     r"0{8}-0{4}-0{4}-0{4}-0{12}|f{8}-f{4}-f{4}-f{4}-f{12})$", re.I)
BODY_LIMIT = 100 * 1024  # body-parser's default limit
SPEECH_FIELDS = ("speech_synthesis_vendor", "speech_synthesis_language", "speech_synthesis_voice",
                 "speech_recognizer_vendor", "speech_recognizer_language")
SPEECH_MESSAGE = ("either application_sid or set of speech_synthesis_vendor, speech_synthesis_language, "
                  "speech_synthesis_voice, speech_recognizer_vendor, speech_recognizer_language required")
TARGET_MEMBER = {"phone": "number", "teams": "number", "user": "name", "sip": "sipUri"}
UPDATE_OPTIONS = ("call_hook", "child_call_hook", "call_status", "listen_status", "transcribe_status",
                  "conf_hold_status", "conf_mute_status", "mute_status", "sip_request", "record", "tag", "dtmf",
                  "conferenceParticipantAction", "dub")
UPDATE_ENUMS = {"call_status": ("completed", "no-answer"), "listen_status": ("pause", "silence", "resume"),
                "mute_status": ("mute", "unmute"), "conf_hold_status": ("hold", "unhold"),
                "conf_mute_status": ("mute", "unmute")}
SERVICE_URL = "http://10.0.0.21:3000"  # the feature server that "handles" sandbox calls
FS_SIP_ADDRESS = "10.0.0.21:5070"


class BodyError(Exception):
    """A body the Express body parsers refuse: answered by the app's error handler."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# -- JavaScript semantics the checks depend on -------------------------------------------------------
def truthy(value: Any) -> bool:
    if value is None or value is False or value == "":
        return False
    return not (isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0)


def js_string(value: Any) -> str:
    """How a template literal shows a value: `${value}`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    return str(value)


def js_stringify(value: Any) -> str:
    """JSON.stringify, with undefined (a missing property) shown as ``undefined``."""
    return "undefined" if value is _MISSING else json.dumps(value, separators=(",", ":"), ensure_ascii=False)


_MISSING = object()


# -- bodies ------------------------------------------------------------------------------------------
def parse_body(content_type: str, body: bytes) -> Any:
    """req.body as Express would hand it to the route; raises BodyError as body-parser does."""
    if content_type not in ("application/json", "application/x-www-form-urlencoded"):
        return {}
    if len(body) > BODY_LIMIT:
        raise BodyError(413, "request entity too large")
    text = body.decode("utf-8", errors="replace")
    if content_type == "application/x-www-form-urlencoded":
        return form_object(text)
    stripped = text.lstrip(" \t\n\r")
    if not stripped:
        return {}
    if stripped[0] not in "{[":  # strict mode: objects and arrays only
        raise BodyError(400, f"Unexpected token {stripped[0]} in JSON at position {len(text) - len(stripped)}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise BodyError(400, "Unexpected end of JSON input") from None
        raise BodyError(400, f"Unexpected token {text[exc.pos]} in JSON at position {exc.pos}") from None


def form_object(text: str) -> dict[str, Any]:
    """The `qs` (extended) reading of a form body: a[b]=1 nests, a[]=1 and repeated keys make lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        head, bracket, rest = key.partition("[")
        parts = [head, *re.findall(r"\[([^\]]*)\]", bracket + rest)] if head and bracket else [key]
        node = root
        for part in parts[:-2]:
            node = _child(node, part)
        name, leaf = (parts[-2], parts[-1]) if len(parts) > 1 else (None, parts[-1])
        if name is not None and (leaf == "" or leaf.isdigit()):
            node[name] = [*_as_list(node.get(name)), value]
            continue
        if name is not None:
            node = _child(node, name)
        existing = node.get(leaf)
        node[leaf] = [*_as_list(existing), value] if leaf in node and not isinstance(existing, dict) else value
    return root


def _child(node: dict[str, Any], name: str) -> dict[str, Any]:
    child = node.get(name)
    if not isinstance(child, dict):
        child = node[name] = {}
    return child


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


# -- create ------------------------------------------------------------------------------------------
def normalize_hooks(body: dict[str, Any]) -> dict[str, Any]:
    """String hooks become {url, method: POST}, as the api-server does before forwarding."""
    values = dict(body)
    for hook in ("call_hook", "call_status_hook"):
        if isinstance(values.get(hook), str):
            values[hook] = {"url": values[hook], "method": "POST"}
    return values


def create_problem(body: Any) -> str | None:
    """The api-server's validateCreateCall, in its order and words (400 {"msg"})."""
    obj: dict[str, Any] = body if isinstance(body, dict) else {}
    if not truthy(obj.get("from")):
        return "missing from parameter"
    to = obj.get("to", _MISSING)
    if not valid_target(to):
        return f"missing or invalid to property: {js_stringify(to)}"
    application = obj.get("application_sid")
    if truthy(application):
        if not (isinstance(application, str) and UUID_RE.match(application)):
            return f"application_sid not found {js_string(application)}"
        return None  # the application's own hooks and speech settings replace the request's
    if not all(truthy(obj.get(name)) for name in SPEECH_FIELDS):
        return SPEECH_MESSAGE
    if not truthy(obj.get("call_hook")):
        return "either call_hook or application_sid required"
    values = normalize_hooks(obj)
    for hook in ("call_hook", "call_status_hook"):
        node = values.get(hook)
        if isinstance(node, list) or (isinstance(node, dict) and not isinstance(node.get("url"), str)):
            return f"{hook} must be string or an object containing a url property"
    for hook in ("call_hook", "call_status_hook"):
        node = values.get(hook)
        if truthy(node):
            url = node.get("url") if isinstance(node, dict) else None
            if not (isinstance(url, str) and re.match(r"^(?:https?|wss?):", url)):
                return f"{hook} url be an absolute url"
    return None


def known_only(specs: tuple[FieldSpec, ...], values: dict[str, Any]) -> dict[str, Any]:
    """The members the schema knows: jambonz passes other properties along and nothing reads them."""
    known = {spec.name: spec for spec in specs}
    kept: dict[str, Any] = {}
    for key, value in values.items():
        spec = known.get(key)
        if spec is None:
            continue
        nested = spec.kind is FieldKind.OBJECT and isinstance(value, dict)
        kept[key] = known_only(spec.children, value) if nested else value
    return kept


def valid_target(to: Any) -> bool:
    """validateTo: a target object whose type names a member that is a string."""
    if not isinstance(to, dict) or not isinstance(to.get("type"), str):
        return False
    member = TARGET_MEMBER.get(to["type"])
    return member is not None and isinstance(to.get(member), str)


def validator_message(errors: dict[str, list[str]]) -> str:
    """The first problem our validator found, named like express-validator names fields."""
    path, messages = next(iter(errors.items()))
    return f"Invalid {path or 'body'}: {messages[0]}"


def destination(to: dict[str, Any]) -> str:
    member = TARGET_MEMBER.get(str(to.get("type")), "number")
    return str(to.get(member) or "")


def sip_call_id() -> str:
    """A Call-ID like drachtio's (a time-based UUID), with a random node instead of this host's MAC."""
    return str(uuid.uuid1(node=secrets.randbits(48) | 0x010000000000))


# -- update ------------------------------------------------------------------------------------------
def update_problem(body: Any) -> str | None:
    """The api-server's validateUpdateCall (400 {"msg"})."""
    opts: dict[str, Any] = body if isinstance(body, dict) else {}
    count = sum(1 for name in UPDATE_OPTIONS if truthy(opts.get(name)))
    if count == 0 and not truthy(opts.get("whisper")):
        return "no valid options supplied to updateCall"
    if count == 2 and not ((truthy(opts.get("call_hook")) and truthy(opts.get("child_call_hook")))
                           or (truthy(opts.get("conf_hold_status")) and truthy(opts.get("waitHook")))):
        return "multiple options are not allowed in updateCall"
    if count > 2:
        return "multiple options are not allowed in updateCall"
    for name, allowed in UPDATE_ENUMS.items():
        if truthy(opts.get(name)) and opts.get(name) not in allowed:
            return f"invalid {name}"
    sip = opts.get("sip_request")
    if truthy(sip) and not (isinstance(sip, dict) and all(truthy(sip.get(k)) for k in
                                                          ("method", "content_type", "content"))):
        return "sip_request requires method, content_type and content properties"
    record = opts.get("record")
    if truthy(record) and not (isinstance(record, dict) and truthy(record.get("action"))):
        return "record requires action property"
    dtmf = opts.get("dtmf")
    if truthy(dtmf) and not (isinstance(dtmf, dict) and truthy(dtmf.get("digit"))):
        return "invalid dtmf"
    if isinstance(record, dict) and record.get("action") == "startCallRecording" \
            and not truthy(record.get("siprecServerURL")):
        return "record requires siprecServerURL property when starting recording"
    tag = opts.get("tag")
    if truthy(tag) and not isinstance(tag, dict):
        return "invalid tag data"
    return None


# -- the call resource -------------------------------------------------------------------------------
def status_of(call: SimCall, snap: Snapshot) -> tuple[str, int, str]:
    """(call_status, sip_status, sip_reason) as the feature server reports them."""
    if snap.phase is CallPhase.QUEUED:
        return "trying", 100, "Trying"
    if snap.phase is CallPhase.RINGING:
        return "ringing", 180, "Ringing"
    if snap.phase is CallPhase.ANSWERED:
        return "in-progress", 200, "OK"
    outcome = snap.outcome
    if outcome is Outcome.COMPLETED or (outcome is not None and snap.answered_at is not None):
        return "completed", 200, "OK"
    if outcome is Outcome.BUSY:
        return "busy", 486, "Busy Here"
    if outcome is Outcome.REJECTED:  # jambonz reports a 603 Decline as busy
        return "busy", 603, "Decline"
    if outcome is Outcome.FAILED:
        return "failed", 503, "Service Unavailable"
    return "no-answer", 487, "Request Terminated"  # ring timeout or canceled with "no-answer"


def call_json(call: SimCall, snap: Snapshot) -> dict[str, Any]:
    """GET .../Calls/{CallSid}: CallInfo.toJSON() + serviceUrl, as retrieveCall returns it."""
    status, sip_status, sip_reason = status_of(call, snap)
    data: dict[str, Any] = {
        "service_url": SERVICE_URL,
        "call_sid": call.id,
        "direction": "outbound",
        "from": call.from_number,
        "to": call.to,
        "call_id": call.extra["call_id"],
        "sip_status": sip_status,
        "sip_reason": sip_reason,
        "call_status": status,
        "account_sid": call.account_id,
        "trace_id": call.extra["trace_id"],
        "application_sid": call.params.get("application_sid"),
        "fs_sip_address": FS_SIP_ADDRESS,
        "caller_name": call.params.get("callerName") or "",
    }
    if status == "completed" and snap.answered_at is not None and snap.ended_at is not None:
        data["duration"] = int(snap.ended_at - snap.answered_at)  # moment().diff(connectTime, "seconds")
    return {key: value for key, value in data.items() if value is not None}


def send_status(status: int) -> Response:
    """Express's res.sendStatus: the reason phrase as plain text (204: no body)."""
    if status == 204:
        return Response(status_code=204, headers=COMMON_HEADERS)
    return Response(STATUS_TEXT.get(status, str(status)), status_code=status,
                    media_type="text/plain; charset=utf-8", headers=COMMON_HEADERS)


def unauthorized(challenge: str) -> Response:
    """passport-http-bearer's failure: 401, a challenge header, body "Unauthorized", no content type."""
    return Response(b"Unauthorized", status_code=401, headers={**COMMON_HEADERS, "WWW-Authenticate": challenge})
