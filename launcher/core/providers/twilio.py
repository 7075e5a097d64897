"""Twilio Programmable Voice (REST API 2010-04-01).

Requests are form-encoded with PascalCase parameter names, list parameters as repeated keys
(``StatusCallbackEvent=initiated&StatusCallbackEvent=ringing``) and booleans as ``true``/``false``.
Authentication is HTTP Basic: the Account SID and Auth Token, or an API Key SID (SK...) and its
secret with the Account SID still in the URL.

Call states (``call_enum_status``) onto the common timeline::

    queued, initiated -> queued      ringing -> ringing      in-progress -> answered
    completed / busy / no-answer / failed / canceled -> ended (outcome of the same name)

Errors are JSON ``{"code": 21211, "message": ..., "more_info": ..., "status": 400}``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from launcher.core.errors import ProviderError, ResponseFormatError
from launcher.core.http import (
    FORM_HEADERS,
    GET_HEADERS,
    HttpResponse,
    PreparedRequest,
    form_body,
)
from launcher.core.models import Account, AccountSpec, CallPhase, CallResource, Outcome
from launcher.core.providers.base import HTTP_HINTS, ProviderAdapter, parse_seconds, parse_time, retry_after
from launcher.core.providers.twilio_schema import ACCOUNT_SID_PATTERN, SCHEMA
from launcher.core.schema import FieldKind, Values

API_VERSION = "2010-04-01"

STATES: dict[str, tuple[CallPhase, Outcome | None]] = {
    "queued": (CallPhase.QUEUED, None),
    "initiated": (CallPhase.QUEUED, None),  # reported by status callbacks, not a call_enum_status value
    "ringing": (CallPhase.RINGING, None),
    "in-progress": (CallPhase.ANSWERED, None),
    "completed": (CallPhase.ENDED, Outcome.COMPLETED),
    "busy": (CallPhase.ENDED, Outcome.BUSY),
    "no-answer": (CallPhase.ENDED, Outcome.NO_ANSWER),
    "failed": (CallPhase.ENDED, Outcome.FAILED),
    "canceled": (CallPhase.ENDED, Outcome.CANCELED),
}

# Twilio error codes (https://www.twilio.com/docs/api/errors/<code>) -> the parameter they name.
ERROR_FIELDS: dict[int, str] = {
    21201: "To",  # No 'To' number specified
    21211: "To",  # Invalid 'To' phone number
    21214: "To",  # 'To' phone number cannot be reached
    21215: "To",  # Geo permissions do not allow calling this number
    21216: "To",  # Number is blocked
    21217: "To",  # Phone number does not appear to be valid
    21219: "To",  # 'To' number not verified (trial account)
    21210: "From",  # 'From' phone number not verified
    21212: "From",  # Invalid caller phone number
    21213: "From",  # Caller phone number is required
    21205: "Url",  # Invalid URL
    21208: "Timeout",  # Invalid Timeout
    21209: "Method",  # Invalid Method
    21218: "ApplicationSid",  # Invalid ApplicationSid
    21626: "StatusCallbackEvent",  # Invalid 'StatusCallbackEvent'
}

ERROR_HINTS: dict[int, str] = {
    20003: "Check the profile's Account SID and Auth Token (or API Key SID and secret); test credentials "
           "cannot reach live resources, and a suspended account is refused.",
    20403: "The account may be suspended or closed; contact Twilio support.",
    20404: "Check the Account SID and base URL of the profile; the call may belong to another account.",
    20429: "Too many concurrent requests: wait a moment, then try again.",
    21205: "Use a full public URL like https://example.com/voice.xml. With an ApplicationSid, the "
           "application needs a valid Voice URL.",
    21210: "Use a Twilio number of this account or a verified caller ID as From. With test credentials "
           "only +15005550006 works.",
    21212: "Use a Twilio number or verified caller ID in E.164 format, like +15555551212.",
    21213: "Set From to a Twilio number or verified caller ID.",
    21211: "Use E.164 format, like +15555551212.",
    21215: "Enable the destination country in the Console's Voice Geographic Permissions.",
    21216: "Twilio blocks calls to this number; ask Twilio support if the call is legitimate.",
    21217: "Check the number; use E.164 format, like +15555551212.",
    21219: "Trial accounts can only call verified numbers: verify it in the Console or upgrade the account.",
    21218: "Check the Application SID: the application must exist in this account.",
    21220: "The call is no longer in a state that allows this change; it may have ended already.",
}

QUOTED_NAME = re.compile(r"""['"]([A-Za-z][A-Za-z0-9_]*)['"]|^([A-Z][A-Za-z]+) (?:is|must|parameter)\b""")


class TwilioAdapter(ProviderAdapter):
    id = "twilio"
    name = "Twilio"
    order = 0
    docs_url = "https://www.twilio.com/docs/voice/api/call-resource"
    schema = SCHEMA
    account = AccountSpec(
        account_label="Account SID",
        secret_label="Auth Token or API Key secret",
        username_label="API Key SID (optional)",
        username_defaults_to_account=True,
        default_base_url="https://api.twilio.com",
        account_pattern=ACCOUNT_SID_PATTERN,
        account_hint="34 characters: AC followed by 32 hex digits (Twilio Console, Account Info).",
        auth_scheme="basic",
    )

    # -- requests ---------------------------------------------------------------------------------
    def _account_url(self, account: Account) -> str:
        return f"{self.base_url(account)}/{API_VERSION}/Accounts/{quote(account.account_id, safe='')}"

    def calls_url(self, account: Account) -> str:
        return f"{self._account_url(account)}/Calls"

    def call_url(self, account: Account, call_id: str) -> str:
        return f"{self.calls_url(account)}/{quote(call_id, safe='')}.json"

    def encode(self, values: Values) -> list[tuple[str, str]]:
        """Form pairs in schema order: lists as repeated keys, booleans as true/false."""
        pairs: list[tuple[str, str]] = []
        for spec in self.schema.fields:
            value = values.get(spec.name)
            if value is None:
                continue
            if spec.kind is FieldKind.LIST and isinstance(value, (list, tuple)):
                pairs += [(spec.name, str(item)) for item in value]
            elif isinstance(value, bool):
                pairs.append((spec.name, "true" if value else "false"))
            else:
                pairs.append((spec.name, str(value)))
        return pairs

    def build_create(self, account: Account, values: Values) -> PreparedRequest:
        return PreparedRequest(
            method="POST",
            url=f"{self._account_url(account)}/Calls.json",
            headers=FORM_HEADERS,
            body=form_body(self.encode(values)),
            auth=self.auth(account),
            body_secrets=self.body_secrets(values),
        )

    def build_fetch(self, account: Account, call: CallResource) -> PreparedRequest:
        return PreparedRequest("GET", self.call_url(account, call.call_id), GET_HEADERS, auth=self.auth(account))

    def build_hangup(self, account: Account, call: CallResource) -> PreparedRequest | None:
        if call.phase is CallPhase.ENDED:
            return None
        # canceled ends a call that has not been answered; completed hangs up a live one.
        status = "canceled" if call.phase in (CallPhase.QUEUED, CallPhase.RINGING) else "completed"
        return PreparedRequest(
            "POST", self.call_url(account, call.call_id), FORM_HEADERS,
            body=form_body([("Status", status)]), auth=self.auth(account),
        )

    list_key = "calls"

    def build_list(self, account: Account, limit: int) -> PreparedRequest | None:
        """``calls.list()``: newest first, one page of at most ``limit`` (PageSize 1-1000)."""
        size = max(1, min(limit, 1000))
        return PreparedRequest("GET", f"{self._account_url(account)}/Calls.json?PageSize={size}", GET_HEADERS,
                               auth=self.auth(account))

    def build_test_connection(self, account: Account) -> PreparedRequest:
        return PreparedRequest("GET", f"{self._account_url(account)}.json", GET_HEADERS, auth=self.auth(account))

    # -- responses --------------------------------------------------------------------------------
    def parse_create(self, response: HttpResponse, account: Account) -> CallResource:
        return self._call(response, account, None)

    def parse_call(self, response: HttpResponse, account: Account, previous: CallResource) -> CallResource:
        return self._call(response, account, previous)

    def _call(self, response: HttpResponse, account: Account, previous: CallResource | None) -> CallResource:
        data = response.json_object()
        sid = data.get("sid")
        if not isinstance(sid, str) or not sid.strip():
            if previous is None:
                raise ResponseFormatError("Twilio's answer has no call SID ('sid').",
                                          http_status=response.status, raw=data)
            sid = previous.call_id
        status = data.get("status")
        if not isinstance(status, str) or not status.strip():
            raise ResponseFormatError("Twilio's answer has no call status ('status').",
                                      http_status=response.status, raw=data)
        phase, outcome = STATES.get(status.strip().lower(), (CallPhase.UNKNOWN, None))
        answered = phase is CallPhase.ANSWERED or outcome is Outcome.COMPLETED
        answered_by = _text(data.get("answered_by"))
        return CallResource(
            provider=self.id,
            call_id=sid,
            phase=phase,
            provider_status=status,
            outcome=outcome,
            from_number=_text(data.get("from")),
            to=_text(data.get("to")),
            created_at=parse_time(data.get("date_created")),
            answered_at=parse_time(data.get("start_time")) if answered else None,
            ended_at=parse_time(data.get("end_time")) if phase is CallPhase.ENDED else None,
            duration=_seconds(data.get("duration")),
            url=self.call_url(account, sid),
            raw=data,
            detail=f"Answered by: {answered_by}" if answered_by else None,
        )

    def parse_error(self, response: HttpResponse) -> ProviderError:
        try:
            data: Any = response.json()
        except ResponseFormatError:
            return self.generic_error(response)
        if not isinstance(data, dict):
            return self.generic_error(response)
        code = _code(data.get("code"))
        message = _text(data.get("message"))
        if code is None and message is None:
            return self.generic_error(response)
        field = ERROR_FIELDS.get(code) if code is not None else None
        if field is None and message:
            field = self._field_in_message(message)
        hint = ERROR_HINTS.get(code, "") if code is not None else ""
        return ProviderError(
            message or f"Twilio error {code}.",
            http_status=response.status,
            code=str(code) if code is not None else None,
            field=field,
            more_info=_text(data.get("more_info")) or (f"https://www.twilio.com/docs/errors/{code}" if code else None),
            hint=hint or HTTP_HINTS.get(response.status, ""),
            raw=data,
            retry_after=retry_after(response),
        )

    def _field_in_message(self, message: str) -> str | None:
        for match in QUOTED_NAME.finditer(message):
            found = self.field_for_param(match.group(1) or match.group(2))
            if found:
                return found
        return None


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    return None


def _seconds(value: Any) -> float | None:
    return parse_seconds(value, max_integer_digits=9)


ADAPTER = TwilioAdapter()
