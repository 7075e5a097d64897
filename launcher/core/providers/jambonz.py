"""Cognigy Voice Gateway / jambonz: ``POST {base}/v1/Accounts/{AccountSid}/Calls`` with a Bearer API key.

* Base URL: required on the profile (a jambonz or Voice Gateway API host); a trailing ``/v1`` is
  accepted and stripped, so ``https://api.jambonz.cloud`` and ``https://api.jambonz.cloud/v1`` both
  work.
* Create: JSON body, 201 ``{"sid": ..., "callId": ...}`` (call SID + SIP Call-ID of the INVITE).
* Fetch: ``GET .../Calls/{CallSid}`` -> the call as jambonz keeps it while active (``call_status``:
  trying, ringing, early-media, in-progress, completed, failed, busy, no-answer, queued).
* Hang up: ``PUT .../Calls/{CallSid}`` ``{"call_status": "completed"}`` for an answered call,
  ``"no-answer"`` for one that is still ringing (docs ``rest/calls.md``; the server also takes the
  legacy ``POST`` that the swagger documents); answered with 202 Accepted (older docs: 204).
* Errors: ``{"msg": ...}`` (400/403/422/480/500), ``{"status": "fail", "message": ...}`` (403),
  express-validator ``{"errors": [{"msg", "path"}]}``, or plain text (401 Unauthorized, 404 Not Found).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from launcher.core.errors import ProviderError, ResponseFormatError
from launcher.core.http import (
    GET_HEADERS,
    JSON_HEADERS,
    HttpResponse,
    PreparedRequest,
    json_body,
)
from launcher.core.models import Account, AccountSpec, CallPhase, CallResource, Outcome
from launcher.core.providers.base import HTTP_HINTS, ProviderAdapter, parse_seconds, parse_time, retry_after
from launcher.core.providers.jambonz_schema import NUMERIC_ENUMS, SCHEMA, UUID_PATTERN
from launcher.core.schema import FieldKind, FieldSpec, Values

STATES: dict[str, tuple[CallPhase, Outcome | None]] = {
    "queued": (CallPhase.QUEUED, None),
    "trying": (CallPhase.QUEUED, None),
    "ringing": (CallPhase.RINGING, None),
    "early-media": (CallPhase.RINGING, None),
    "alerting": (CallPhase.RINGING, None),
    "in-progress": (CallPhase.ANSWERED, None),
    "completed": (CallPhase.ENDED, Outcome.COMPLETED),
    "busy": (CallPhase.ENDED, Outcome.BUSY),
    "no-answer": (CallPhase.ENDED, Outcome.NO_ANSWER),
    "failed": (CallPhase.ENDED, Outcome.FAILED),
}

# Messages of jambonz-api-server validateCreateCall / validateUpdateCall -> the field they are about.
MESSAGE_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"missing from param", re.I), "from"),
    (re.compile(r"invalid to property", re.I), "to"),
    (re.compile(r"either application_sid or set of speech", re.I), "application_sid"),
    (re.compile(r"either call_hook or application_sid", re.I), "application_sid"),
    (re.compile(r"application_sid not found", re.I), "application_sid"),
    (re.compile(r"^call_status_hook\b", re.I), "call_status_hook.url"),
    (re.compile(r"^call_hook\b", re.I), "call_hook.url"),
)
STATUS_HINTS = {
    401: "Check the API key of the profile: an account-level API key from the Voice Gateway / "
         "jambonz portal, sent as a Bearer token.",
    403: "The API key is not allowed to use this account: check the profile's Account SID.",
    404: "Check the Account SID and base URL. jambonz keeps only active calls: a call that has "
         "ended is no longer found.",
    480: "The platform has no feature server available right now; try again shortly.",
}

TARGET_MEMBERS = {"phone": "number", "teams": "number", "sip": "sipUri", "user": "name"}  # to.type -> member


class JambonzAdapter(ProviderAdapter):
    id = "jambonz"
    name = "Cognigy VG / jambonz"
    order = 3
    docs_url = "https://api.jambonz.org"
    schema = SCHEMA
    account = AccountSpec(
        account_label="Account SID",
        secret_label="API key",
        default_base_url=None,
        base_url_required=True,
        account_pattern=UUID_PATTERN,
        account_hint="The account's SID, a UUID like fef61e75-cec3-496c-a7bc-8368e4d02a04 (portal: "
                     "Accounts). Base URL: your API host, like https://api.jambonz.cloud.",
        auth_scheme="bearer",
    )

    # -- URLs ---------------------------------------------------------------------------------------
    def api_root(self, account: Account) -> str:
        """``{base}/v1`` whether or not the profile's base URL already ends in /v1."""
        base = self.base_url(account)
        if base.lower().endswith("/v1"):
            base = base[:-3].rstrip("/")
        return f"{base}/v1"

    def calls_url(self, account: Account) -> str:
        return f"{self.api_root(account)}/Accounts/{quote(account.account_id, safe='')}/Calls"

    def call_url(self, account: Account, call_id: str) -> str:
        return f"{self.calls_url(account)}/{quote(call_id, safe='')}"

    # -- requests -----------------------------------------------------------------------------------
    def build_create(self, account: Account, values: Values) -> PreparedRequest:
        body = encode(self.schema.fields, values, "")
        return PreparedRequest("POST", self.calls_url(account), JSON_HEADERS, json_body(body),
                               self.auth(account), self.body_secrets(body))

    def build_fetch(self, account: Account, call: CallResource) -> PreparedRequest:
        return PreparedRequest("GET", self.call_url(account, call.call_id), GET_HEADERS,
                               auth=self.auth(account))

    def build_hangup(self, account: Account, call: CallResource) -> PreparedRequest | None:
        if call.phase is CallPhase.ENDED:
            return None
        status = "no-answer" if call.phase in (CallPhase.QUEUED, CallPhase.RINGING) else "completed"
        return PreparedRequest("PUT", self.call_url(account, call.call_id), JSON_HEADERS,
                               json_body({"call_status": status}), self.auth(account))

    list_id_key = "call_sid"

    def build_list(self, account: Account, limit: int) -> PreparedRequest | None:
        """GET .../Calls: the account's live calls (jambonz keeps no record of ended ones)."""
        return PreparedRequest("GET", self.calls_url(account), GET_HEADERS, auth=self.auth(account))

    def build_test_connection(self, account: Account) -> PreparedRequest:
        return PreparedRequest("GET", self.calls_url(account), GET_HEADERS, auth=self.auth(account))

    # -- responses ----------------------------------------------------------------------------------
    def parse_create(self, response: HttpResponse, account: Account) -> CallResource:
        data = response.json_object()
        sid = data.get("sid")
        if not isinstance(sid, str) or not sid.strip():
            raise ResponseFormatError(f"The create answer (HTTP {response.status}) has no call sid.",
                                      http_status=response.status, raw=data)
        return CallResource(provider=self.id, call_id=sid, phase=CallPhase.QUEUED,
                            provider_status="trying", url=self.call_url(account, sid), raw=data)

    def parse_call(self, response: HttpResponse, account: Account, previous: CallResource) -> CallResource:
        if response.status in (202, 204):
            data = _json_or_none(response)
            if not isinstance(data, dict) or "call_status" not in data:
                # The update (hang-up) was accepted; the call's new state comes with the next fetch.
                return replace(previous, raw={"call_sid": previous.call_id,
                                              "call_status": previous.provider_status,
                                              "update_http_status": response.status})
        data = response.json_object()
        status = data.get("call_status")
        if not isinstance(status, str) or not status.strip():
            raise ResponseFormatError(f"The call answer (HTTP {response.status}) has no call_status.",
                                      http_status=response.status, raw=data)
        phase, outcome = STATES.get(status.strip().lower(), (CallPhase.UNKNOWN, None))
        call_id = data.get("call_sid")
        sip_status = data.get("sip_status")
        reason = data.get("sip_reason")
        detail = reason if isinstance(reason, str) and reason.strip() else None
        if phase is CallPhase.ENDED and outcome is not Outcome.COMPLETED and _scalar(sip_status):
            detail = f"SIP {sip_status}" + (f" {detail}" if detail else "")
        return CallResource(
            provider=self.id,
            call_id=call_id if isinstance(call_id, str) and call_id.strip() else previous.call_id,
            phase=phase,
            provider_status=status,
            outcome=outcome,
            from_number=_text(data.get("from")) or previous.from_number,
            to=_text(data.get("to")) or previous.to,
            created_at=_time(data.get("attempted_at")) or _time(data.get("created_at")) or previous.created_at,
            answered_at=_time(data.get("answered_at")) or previous.answered_at,
            ended_at=_time(data.get("terminated_at")) or previous.ended_at,
            duration=_number(data.get("duration")),
            url=self.call_url(account, previous.call_id),
            raw=data,
            detail=detail,
        )

    def destination_values(self, kind: str, value: str) -> dict[str, str]:
        """jambonz dials a target object: its type decides the member that carries the address."""
        if kind == "sip":
            return {"to.type": "sip", "to.sipUri": value}
        return {"to.type": "phone", "to.number": value}

    def endpoint_text(self, values: Values, meaning: str) -> str | None:
        """jambonz dials a target object: the destination is the member its type uses (number, SIP URI or
        user name), else whichever is set."""
        target = values.get("to")
        if meaning != "to" or not isinstance(target, Mapping):
            return super().endpoint_text(values, meaning)
        member = TARGET_MEMBERS.get(str(target.get("type")))
        keys = (member,) if member else ("number", "sipUri", "name")
        return next((str(target[key]) for key in keys if target.get(key)), None)

    def call_gone(self, call: CallResource) -> CallResource | None:
        """jambonz forgets a call once it has ended, so a 404 on fetch means it ended, how is unknown."""
        return replace(call, phase=CallPhase.ENDED, outcome=None, provider_status="gone",
                       detail="The call has ended; jambonz no longer knows it, so its outcome is unknown.")

    def parse_error(self, response: HttpResponse) -> ProviderError:
        try:
            return self._parse_error(response)
        except Exception:  # the body was not in any format jambonz uses
            return self.generic_error(response, hint=self._hint(response.status))

    def _parse_error(self, response: HttpResponse) -> ProviderError:
        data = _json_or_none(response)
        message: str | None = None
        field: str | None = None
        if isinstance(data, dict):
            for key in ("msg", "message", "error"):
                if isinstance(data.get(key), str) and data[key].strip():
                    message = data[key].strip()
                    break
            errors = data.get("errors")
            if message is None and isinstance(errors, list):  # express-validator (feature server)
                items = [e for e in errors if isinstance(e, dict)]
                texts = [e["msg"].strip() for e in items if isinstance(e.get("msg"), str) and e["msg"].strip()]
                params = [e.get("path") or e.get("param") for e in items]
                message = "; ".join(texts) or None
                field = next((self.field_for_param(p) for p in params if isinstance(p, str)
                              and self.field_for_param(p)), None)
        if message is None:
            return self.generic_error(response, hint=self._hint(response.status))
        field = field or self._field_in(message)
        hint = self._hint(response.status)
        if message == "Bad request" and response.status == 400:
            hint = "The Account SID or call SID in the URL is not a valid UUID; check the profile."
        return ProviderError(message, http_status=response.status, field=field, hint=hint,
                             raw=data, retry_after=retry_after(response))

    def _field_in(self, message: str) -> str | None:
        for pattern, path in MESSAGE_FIELDS:
            if pattern.search(message):
                return path
        # feature server: "Invalid timeout"; the sandbox: "Invalid to.number: <why>"
        match = re.match(r"^invalid ([\w.]+)(?:$|:)", message.strip(), re.I)
        if match:
            return self.field_for_param(match.group(1))
        return None

    @staticmethod
    def _hint(status: int) -> str:
        return STATUS_HINTS.get(status, HTTP_HINTS.get(status, ""))


# -- helpers --------------------------------------------------------------------------------------
def encode(specs: tuple[FieldSpec, ...], values: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The JSON body: only the fields set, in schema order; nested objects as objects."""
    body: dict[str, Any] = {}
    for spec in specs:
        value = values.get(spec.name)
        if value is None:
            continue
        path = prefix + spec.name
        if spec.kind is FieldKind.OBJECT:
            if isinstance(value, Mapping):
                nested = encode(spec.children, value, path + ".")
                if nested:
                    body[spec.name] = nested
            continue
        if path in NUMERIC_ENUMS and isinstance(value, str) and value.isdigit():
            value = int(value)
        body[spec.name] = value
    return body


def _json_or_none(response: HttpResponse) -> Any:
    try:
        return response.json()
    except ResponseFormatError:
        return None


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and str(value) != ""


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: Any) -> float | None:
    """A duration in seconds: a finite, non-negative number (or its text), else None."""
    return parse_seconds(value)


def _time(value: Any) -> datetime | None:
    """ISO/RFC 2822 strings, or epoch milliseconds (jambonz CDR style)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_time(value)


ADAPTER = JambonzAdapter()
