"""Bandwidth legacy "Catapult" Voice API v1 (``https://api.catapult.inetwork.com/v1``).

Create: ``POST /v1/users/{userId}/calls`` with a JSON body, Basic auth (API token : API secret);
the answer is ``201 Created`` with an empty body and the new call's URL in ``Location``.
Fetch: ``GET /v1/users/{userId}/calls/{callId}`` returns the call resource, whose ``state`` is one of
started, active, transferring, completed, rejected.  Hang up: ``POST`` the same URL with
``{"state": "completed"}`` (``{"state": "rejected"}`` rejects a ringing *incoming* call).
Errors are JSON ``{category, code, message, details: [{name, value}]}``; the outbound-call rate limit
answers 403 ``call-rate-limit``, other endpoints 429 with an ``X-RateLimit-Reset`` epoch-ms header.
"""

from __future__ import annotations

import json
import math
import re
import time
from typing import Any
from urllib.parse import quote

from launcher.core.errors import ConfigError, ProviderError, ResponseFormatError
from launcher.core.http import (
    GET_HEADERS,
    JSON_HEADERS,
    HttpResponse,
    PreparedRequest,
    json_body,
    snippet,
)
from launcher.core.models import Account, AccountSpec, CallPhase, CallResource, Outcome
from launcher.core.providers.base import HTTP_HINTS, ProviderAdapter, location_id, parse_time, retry_after
from launcher.core.providers.catapult_schema import SCHEMA
from launcher.core.schema import Values

DEFAULT_BASE_URL = "https://api.catapult.inetwork.com"

STATE_PHASES = {
    "started": CallPhase.RINGING,  # "Call is created but not answered."
    "active": CallPhase.ANSWERED,
    "transferring": CallPhase.ANSWERED,  # the answered call is being connected to another line
    "completed": CallPhase.ENDED,
    "rejected": CallPhase.ENDED,
}

# Hangup causes (apiCallbacks/hangup.md); anything else is an internal error.
CAUSE_OUTCOMES = {
    "NORMAL_CLEARING": Outcome.COMPLETED,
    "ORIGINATOR_CANCEL": Outcome.CANCELED,
    "USER_BUSY": Outcome.BUSY,
    "CALL_REJECTED": Outcome.REJECTED,
    "NO_ANSWER": Outcome.NO_ANSWER,
    "UNALLOCATED_NUMBER": Outcome.FAILED,
    "NORMAL_TEMPORARY_FAILURE": Outcome.FAILED,
}

# Error codes (errors.md) that name the request field they are about.
CODE_FIELDS = {
    "invalid-call-to-number": "to",
    "invalid-destination-number": "to",
    "number-access-denied": "from",
    "no-allocated-number": "from",
    "maximum-recording-value-request": "recordingMaxDuration",
    "callback-url-invalid": "callbackUrl",
    "invalid-call-conference-id": "conferenceId",
    "conference-not-found": "conferenceId",
    "conference-max-members": "conferenceId",
    "bridge-not-found": "bridgeId",
    "bridge-callIds-overflow": "bridgeId",
    "bridge-invalid-state": "bridgeId",
}

RATE_LIMIT_HINT = ("Catapult limits how fast calls are created (by default 1 call per second per number and per "
                   "account, averaged over 10 seconds). Wait a few seconds, then call again.")
CODE_HINTS = {
    "call-rate-limit": RATE_LIMIT_HINT,
    "rate-limit-reached": "Too many API requests; wait until the limit resets, then try again.",
    "too-many-requests": "Too many API requests; wait until the limit resets, then try again.",
    "insufficient-available-balance": "The account balance is too low for this call; add funds to the account.",
    "number-access-denied": "From must be a Bandwidth number allocated to this user; use one of its numbers.",
    "no-allocated-number": "This user has no phone numbers; allocate a Bandwidth number to use as From.",
    "user-access-denied": "Check the profile's User ID: the API token and secret belong to another user.",
    "user-not-found": "Check the profile's User ID (it starts with u-).",
    "invalid-destination-number": "The account may not call this country or region; ask Bandwidth to enable "
                                  "international calling, or call another number.",
    "invalid-call-to-number": "This number cannot be called; check To.",
    "call-not-found": "The call is not known for this user; check the profile's User ID.",
    "call-id-not-found": "The call is not known for this user; check the profile's User ID.",
    "call-invalid-state": "The call has already ended or cannot change to that state.",
    "call-update-conflict": "Another change to this call is in progress; try again in a moment.",
    "call-unavailable": "The call is still being set up; try again in a moment.",
    "call-creation-failure": "Bandwidth could not create the call; check From and To, then try again.",
    "callback-invalid-url": "Check Callback URL and Fallback URL: both must be full URLs like https://example.com/events.",
    "callback-url-invalid": "Check Callback URL: it must be a full URL like https://example.com/events.",
    "conference-max-members": "The conference is full.",
    "invalid-call-conference-id": "Check Conference ID.",
    "bridge-callIds-overflow": "A bridge holds at most two calls; use another bridge.",
}
CATEGORY_HINTS = {
    "limit": "A limit of the account was reached; wait a moment, then try again.",
    "credit": "The account balance is too low; add funds to the account.",
}

PROPERTY_RE = re.compile(r"resource property\s+[`'\"]?([A-Za-z][\w.]*)")
URL_PARAM_RE = re.compile(r"Invalid\s+[`'\"]?([A-Za-z]\w*)[`'\"]?\s+URL")
PER_PERIOD_RE = re.compile(r"calls per\s+(\d{1,6})\s+seconds")


class CatapultAdapter(ProviderAdapter):
    id = "catapult"
    name = "Bandwidth Catapult v1"
    order = 2
    docs_url = "https://dev.bandwidth.com/ap-docs/methods/calls/postCalls.html"
    schema = SCHEMA
    account = AccountSpec(
        account_label="User ID",
        username_label="API token",
        secret_label="API secret",
        default_base_url=DEFAULT_BASE_URL,
        account_pattern=r"u-[A-Za-z0-9]+",
        account_hint="The user ID of the Catapult account, like u-abc123def456 (shown with the API token "
                     "and secret on the account page).",
        auth_scheme="basic",
    )

    # -- requests ---------------------------------------------------------------------------------
    def calls_url(self, account: Account) -> str:
        if not account.account_id:
            raise ConfigError("Catapult profiles need a User ID (like u-abc123def456).")
        return f"{self.base_url(account)}/v1/users/{quote(account.account_id, safe='')}/calls"

    def call_url(self, account: Account, call_id: str) -> str:
        return f"{self.calls_url(account)}/{quote(call_id, safe='')}"

    def build_create(self, account: Account, values: Values) -> PreparedRequest:
        body: dict[str, Any] = {}
        for spec in self.schema.fields:
            if spec.name not in values or values[spec.name] is None:
                continue
            value = values[spec.name]
            if spec.name == "sipHeaders" and isinstance(value, dict):
                value = {str(k): _header_text(v) for k, v in value.items()}
            body[spec.name] = value
        return PreparedRequest("POST", self.calls_url(account), JSON_HEADERS, json_body(body),
                               self.auth(account), self.body_secrets(values))

    def build_fetch(self, account: Account, call: CallResource) -> PreparedRequest:
        return PreparedRequest("GET", self.call_url(account, call.call_id), GET_HEADERS, b"", self.auth(account))

    def build_hangup(self, account: Account, call: CallResource) -> PreparedRequest | None:
        if call.phase is CallPhase.ENDED:
            return None
        incoming = isinstance(call.raw, dict) and call.raw.get("direction") == "in"
        # "rejected" rejects an incoming call; "completed" hangs up (or cancels an outgoing call
        # that is still ringing: the SDKs' hangup() sends "completed" whatever the state).
        state = "rejected" if incoming and call.phase in (CallPhase.QUEUED, CallPhase.RINGING) else "completed"
        return PreparedRequest("POST", self.call_url(account, call.call_id), JSON_HEADERS,
                               json_body({"state": state}), self.auth(account))

    list_id_key = "id"

    def build_list(self, account: Account, limit: int) -> PreparedRequest | None:
        """GET /calls with ``size`` (1-1000): the user's calls, newest first."""
        size = max(1, min(limit, 1000))
        return PreparedRequest("GET", f"{self.calls_url(account)}?size={size}&sortOrder=desc", GET_HEADERS, b"",
                               self.auth(account))

    def build_test_connection(self, account: Account) -> PreparedRequest:
        return PreparedRequest("GET", self.calls_url(account) + "?size=1", GET_HEADERS, b"", self.auth(account))

    # -- responses --------------------------------------------------------------------------------
    def parse_create(self, response: HttpResponse, account: Account) -> CallResource:
        location = response.header("location")
        call_id = location_id(location)
        body: dict[str, Any] = {}
        if response.body.strip():
            try:
                data = json.loads(response.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                data = None  # the documented answer has no body; Location is what counts
            if isinstance(data, dict):
                body = data
        if (not call_id or call_id == "calls") and isinstance(body.get("id"), str) and body["id"].strip():
            call_id = body["id"].strip()
        if not call_id or call_id == "calls" or any(ch.isspace() for ch in call_id):
            raise ResponseFormatError(
                f"The create answer (HTTP {response.status}) has no Location header with the call id: "
                f"{snippet(location or response.text())}",
                http_status=response.status, raw={"location": location, "body": snippet(response.text(), 2000)},
            )
        raw = {**body, "id": call_id}
        if location:
            raw["location"] = location
        if isinstance(body.get("state"), str):
            return self._resource(body, account, call_id, raw)
        return CallResource(provider=self.id, call_id=call_id, phase=STATE_PHASES["started"],
                            provider_status="started", url=self.call_url(account, call_id), raw=raw,
                            from_number=_text(body.get("from")), to=_text(body.get("to")))

    def parse_call(self, response: HttpResponse, account: Account, previous: CallResource) -> CallResource:
        # (POST /calls/{callId} answers 200 without a body; the call service does not parse those.)
        try:
            data = response.json_object()
        except RecursionError:
            raise ResponseFormatError(f"The call resource (HTTP {response.status}) is nested too deeply to read.",
                                      http_status=response.status, raw=snippet(response.text(), 2000)) from None
        if not isinstance(data.get("state"), str) or not data["state"]:
            raise ResponseFormatError(
                f"The call resource (HTTP {response.status}) has no state: {snippet(response.text())}",
                http_status=response.status, raw=data,
            )
        call_id = data["id"] if isinstance(data.get("id"), str) and data["id"].strip() else previous.call_id
        return self._resource(data, account, str(call_id), data)

    def _resource(self, data: dict[str, Any], account: Account, call_id: str, raw: dict[str, Any]) -> CallResource:
        state = str(data["state"])
        phase = STATE_PHASES.get(state.lower(), CallPhase.UNKNOWN)
        answered_at = parse_time(data.get("activeTime"))
        ended_at = parse_time(data.get("endTime"))
        cause = _text(data.get("cause")) or _text(data.get("endReason"))
        outcome: Outcome | None = None
        if phase is CallPhase.ENDED:
            if state.lower() == "rejected":
                outcome = Outcome.REJECTED
            elif cause:
                outcome = CAUSE_OUTCOMES.get(cause.upper(), Outcome.FAILED)
            elif answered_at is not None or _positive(data.get("chargeableDuration")):
                outcome = Outcome.COMPLETED
            else:
                outcome = Outcome.NO_ANSWER
        duration = None
        if answered_at is not None and ended_at is not None:
            duration = max(0.0, (ended_at - answered_at).total_seconds())
        return CallResource(
            provider=self.id, call_id=call_id, phase=phase, provider_status=state, outcome=outcome,
            from_number=_text(data.get("from")), to=_text(data.get("to")),
            created_at=parse_time(data.get("startTime")), answered_at=answered_at, ended_at=ended_at,
            duration=duration, url=self.call_url(account, call_id), raw=raw, detail=cause,
        )

    def parse_error(self, response: HttpResponse) -> ProviderError:
        try:
            data = json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            return self._generic(response, _rate_limit_wait(response, []))
        code = _text(data.get("code"))
        category = _text(data.get("category"))
        message = _text(data.get("message"))
        details = _details(data.get("details"))
        if not (code or category or message):
            return self._generic(response, _rate_limit_wait(response, details))
        if not message:
            label = "Too many requests" if response.status == 429 else f"HTTP {response.status}"
            message = f"{label} ({code or category})."
        wait = _rate_limit_wait(response, details)
        if wait is None and code == "call-rate-limit":
            match = PER_PERIOD_RE.search(message)
            wait = float(match.group(1)) if match else None
        hint = (CODE_HINTS.get(code or "") or CATEGORY_HINTS.get(category or "")
                or HTTP_HINTS.get(response.status, ""))
        return ProviderError(message, http_status=response.status, code=code or category,
                             field=self._error_field(code, message, details), hint=hint, raw=data,
                             retry_after=wait)

    def _generic(self, response: HttpResponse, wait: float | None) -> ProviderError:
        error = self.generic_error(response)
        if error.retry_after is None:
            error.retry_after = wait
        return error

    def _error_field(self, code: str | None, message: str, details: list[tuple[str, str]]) -> str | None:
        if code in CODE_FIELDS:
            return CODE_FIELDS[code]
        for name, _value in details:
            path = self.field_for_param(name)
            if path:
                return path
        for pattern in (PROPERTY_RE, URL_PARAM_RE):
            match = pattern.search(message)
            if match:
                path = self.field_for_param(match.group(1))
                if path:
                    return path
        for spec in self.schema.fields:  # camelCase names only: "from" and "to" are ordinary words
            if spec.name != spec.name.lower() and re.search(rf"\b{re.escape(spec.name)}\b", message):
                return spec.name
        return None


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _details(value: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                detail = item.get("value")
                found.append((item["name"], detail if isinstance(detail, str) else json.dumps(detail)))
    return found


def _rate_limit_wait(response: HttpResponse, details: list[tuple[str, str]]) -> float | None:
    """Seconds to wait: Retry-After, else X-RateLimit-Reset / rateLimitResetTime (UNIX epoch in ms)."""
    wait = retry_after(response)
    if wait is not None:
        return wait
    reset = response.header("x-ratelimit-reset") or dict(details).get("rateLimitResetTime")
    if not reset or not re.fullmatch(r"\s*\d{1,20}(\.\d+)?\s*", reset):
        return None
    when = float(reset) / 1000.0
    if not math.isfinite(when):
        return None
    return max(0.0, when - time.time())


ADAPTER = CatapultAdapter()
