"""Bandwidth Voice API v2: ``https://voice.bandwidth.com/api/v2/accounts/{accountId}/calls``.

JSON bodies.  Two ways to authenticate, chosen per profile: an API user with HTTP Basic (what both
specs and the seeds show; Bandwidth retires API users on 2 December 2026) or OAuth 2.0 client
credentials (the newer spec): client id + secret exchanged at ``https://api.bandwidth.com/api/v1/oauth2/token``
for a bearer token.  With a custom base URL (the sandbox, a proxy) the token endpoint is
``/api/v1/oauth2/token`` on that same host, so credentials never go to a host the profile does not name.

Lifecycle (``callState.state``): queued -> initiated (ringing out) -> answered -> disconnected, the
outcome read from ``disconnectCause``.  Hang-up is ``POST {callUrl}`` with ``{"state": "completed"}``,
which "hangs up the call if it is answered, cancels it if it is an unanswered outbound call".
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from launcher.core.errors import ProviderError, ResponseFormatError
from launcher.core.http import GET_HEADERS, JSON_HEADERS, Auth, HttpResponse, PreparedRequest, json_body, snippet
from launcher.core.models import Account, AccountSpec, AuthOption, CallPhase, CallResource, Outcome
from launcher.core.providers.bandwidth_schema import SCHEMA
from launcher.core.providers.base import HTTP_HINTS, ProviderAdapter, location_id, parse_time, retry_after
from launcher.core.schema import Values

LIST_HOURS, LIST_PAGE_SIZE = 24, 1000  # what `calls` asks listCalls for (it lists oldest first)

DEFAULT_BASE_URL = "https://voice.bandwidth.com/api/v2"
TOKEN_PATH = "/api/v1/oauth2/token"
TOKEN_URL = "https://api.bandwidth.com" + TOKEN_PATH

PHASES = {
    "queued": CallPhase.QUEUED,
    "initiated": CallPhase.RINGING,
    "answered": CallPhase.ANSWERED,
    "disconnected": CallPhase.ENDED,
}

OUTCOMES = {
    "hangup": Outcome.COMPLETED,
    "busy": Outcome.BUSY,
    "timeout": Outcome.NO_ANSWER,
    "cancel": Outcome.CANCELED,
    "rejected": Outcome.REJECTED,
}
"""disconnectCause -> Outcome; every other cause (callback-error, invalid-bxml, application-error,
account-limit, node-capacity-exceeded, error, unknown, future ones) is a failure."""

HINTS = {
    401: "Check the profile's API username and password (Bandwidth API credentials with Voice access).",
    403: "The API user may lack Voice access to this account, or the from number or application "
         "does not belong to it.",
    404: "Check the Account ID and base URL of the profile; call details are kept only 7 days after a call ends.",
    409: "The call cannot be changed in its current state; it may already have ended.",
}

# Common words among the wire names are only taken as field names when the text clearly names a field.
_PLAIN_WORDS = {"to", "from", "tag", "mode", "uui", "privacy", "priority", "username", "password"}
_MENTION = (r"(?:(?<=['\"`])NAME(?=['\"`])"
            r"|(?<=\b[Ii]nvalid )NAME\b|\bNAME(?=\s*:|\s+(?:field|parameter|property|attribute|value|must|is|"
            r"cannot|can't|should|may|was|has|exceeds|too))"
            r"|(?<=\b[Tt]he )NAME(?= number\b))")


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value.strip() else None


class BandwidthAdapter(ProviderAdapter):
    id = "bandwidth"
    name = "Bandwidth Voice v2"
    order = 1
    docs_url = "https://dev.bandwidth.com/apis/voice/#operation/createCall"
    schema = SCHEMA
    account = AccountSpec(
        account_label="Account ID",
        secret_label="API password",
        username_label="API username",
        default_base_url=DEFAULT_BASE_URL,
        account_pattern=r"\d{1,12}",
        account_hint="The Bandwidth Account ID is a number, like 9900000.",
        auth_scheme="basic",
        auth_options=(
            AuthOption("", "API user (Basic)", "API username", "API password",
                       note="Bandwidth retires API users on 2 December 2026; use API credentials (OAuth 2.0)."),
            AuthOption("oauth2", "API credentials (OAuth 2.0)", "Client ID", "Client secret"),
        ),
        recommended_auth="oauth2",
    )

    def token_url(self, account: Account) -> str:
        base = self.base_url(account)
        if base == DEFAULT_BASE_URL:
            return TOKEN_URL
        parts = urlsplit(base)
        return f"{parts.scheme}://{parts.netloc}{TOKEN_PATH}"

    def auth(self, account: Account) -> Auth:
        if account.auth == "oauth2":
            return Auth("oauth2", username=account.username or "", secret=account.secret or "",
                        token_url=self.token_url(account))
        return super().auth(account)

    # -- URLs -------------------------------------------------------------------------------------
    def calls_url(self, account: Account) -> str:
        return f"{self.base_url(account)}/accounts/{quote(account.account_id.strip(), safe='')}/calls"

    def call_url(self, account: Account, call: CallResource) -> str:
        """The call's URL: the one Bandwidth returned when it lies under the profile's base URL (credentials
        never go to another host), otherwise built from the call id."""
        base = self.calls_url(account)
        if call.url and call.url.startswith(base + "/") and "?" not in call.url and "#" not in call.url:
            return call.url
        return f"{base}/{quote(call.call_id, safe='')}"

    # -- requests ---------------------------------------------------------------------------------
    def build_create(self, account: Account, values: Values) -> PreparedRequest:
        return PreparedRequest(
            "POST", self.calls_url(account), headers=JSON_HEADERS, body=json_body(dict(values)),
            auth=self.auth(account), body_secrets=self.body_secrets(values),
        )

    def build_fetch(self, account: Account, call: CallResource) -> PreparedRequest:
        return PreparedRequest("GET", self.call_url(account, call), headers=GET_HEADERS, auth=self.auth(account))

    def build_hangup(self, account: Account, call: CallResource) -> PreparedRequest | None:
        """``{"state": "completed"}`` ends a call in any state but disconnected: it removes a queued call,
        cancels one that is ringing and hangs up an answered one."""
        if call.phase.final:
            return None
        return PreparedRequest("POST", self.call_url(account, call), headers=JSON_HEADERS,
                               body=json_body({"state": "completed"}), auth=self.auth(account))

    list_id_key = "callId"

    def build_list(self, account: Account, limit: int) -> PreparedRequest | None:
        """``listCalls`` lists oldest first, so: every call started in the last 24 hours (up to 1000), of
        which the caller keeps the newest."""
        since = (datetime.now(UTC) - timedelta(hours=LIST_HOURS)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return PreparedRequest("GET", f"{self.calls_url(account)}?minStartTime={since}&pageSize={LIST_PAGE_SIZE}",
                               headers=GET_HEADERS, auth=self.auth(account))

    def build_test_connection(self, account: Account) -> PreparedRequest:
        """List at most one call (``listCalls`` with ``pageSize=1``): read-only, works on an empty account."""
        return PreparedRequest("GET", self.calls_url(account) + "?pageSize=1", headers=GET_HEADERS,
                               auth=self.auth(account))

    # -- responses --------------------------------------------------------------------------------
    def parse_create(self, response: HttpResponse, account: Account) -> CallResource:
        """201 ``createCallResponse`` plus ``Location``; every call starts queued."""
        location = response.header("location")
        if not response.body.strip():
            call_id = location_id(location)
            if not call_id:
                raise ResponseFormatError(f"The create answer (HTTP {response.status}) has neither a body nor "
                                          "a Location header naming the call.", http_status=response.status)
            data: dict[str, Any] = {"callId": call_id, "callUrl": location}
        else:
            data = response.json_object()
        call_id = _text(data, "callId") or location_id(location)
        if not call_id:
            raise ResponseFormatError(f"The create answer (HTTP {response.status}) does not name the call: "
                                      f"{snippet(response.text())}", http_status=response.status, raw=data)
        call = CallResource(provider=self.id, call_id=call_id, phase=CallPhase.QUEUED, provider_status="queued")
        url = _text(data, "callUrl") or location
        call.url = self.call_url(account, replace(call, url=url))
        call.from_number = _text(data, "from")
        call.to = _text(data, "to")
        call.created_at = parse_time(data.get("enqueuedTime")) or parse_time(data.get("startTime"))
        call.raw = data
        return call

    def parse_call(self, response: HttpResponse, account: Account, previous: CallResource) -> CallResource:
        """A ``callState`` (GET) or the bodiless 200 of an update (then the call is as it was)."""
        if not response.body.strip():
            return replace(previous)
        data = response.json_object()
        state = data.get("state")
        if not isinstance(state, str) or not state:
            raise ResponseFormatError(f"The call state answer (HTTP {response.status}) has no state: "
                                      f"{snippet(response.text())}", http_status=response.status, raw=data)
        phase = PHASES.get(state.lower(), CallPhase.UNKNOWN)
        cause = _text(data, "disconnectCause")
        error_message = _text(data, "errorMessage")
        answered_at = parse_time(data.get("answerTime"))
        ended_at = parse_time(data.get("endTime"))
        outcome = None
        if phase is CallPhase.ENDED:
            if cause is None:
                outcome = Outcome.COMPLETED if answered_at and not error_message else Outcome.FAILED
            else:
                outcome = OUTCOMES.get(cause.lower(), Outcome.FAILED)
        duration = None
        if answered_at and ended_at and ended_at >= answered_at:
            duration = (ended_at - answered_at).total_seconds()
        detail = ": ".join(part for part in (cause, error_message) if part) or None
        call = CallResource(
            provider=self.id,
            call_id=_text(data, "callId") or previous.call_id,
            phase=phase,
            provider_status=state,
            outcome=outcome,
            from_number=_text(data, "from") or previous.from_number,
            to=_text(data, "to") or previous.to,
            created_at=parse_time(data.get("enqueuedTime")) or parse_time(data.get("startTime"))
            or previous.created_at,
            answered_at=answered_at,
            ended_at=ended_at,
            duration=duration,
            raw=data,
            detail=detail,
        )
        call.url = self.call_url(account, replace(call, url=previous.url))
        return call

    def parse_error(self, response: HttpResponse) -> ProviderError:
        """``voiceApiError`` ``{"type", "description", "id"}``; anything else gets a generic error."""
        try:
            data = json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return self.generic_error(response)
        if not isinstance(data, dict):
            return self.generic_error(response)
        kind = _text(data, "type")
        description = _text(data, "description") or _text(data, "message") or _text(data, "error")
        if not kind and not description:
            return self.generic_error(response)
        error_id = _text(data, "id")
        hint = HINTS.get(response.status) or HTTP_HINTS.get(response.status, "")
        if error_id:
            hint = f"{hint} Bandwidth error id: {error_id}.".strip()
        return ProviderError(
            description or kind or f"HTTP {response.status}",
            http_status=response.status,
            code=kind,
            field=self.field_in_text(description),
            hint=hint,
            raw=data,
            retry_after=retry_after(response),
        )

    def field_in_text(self, text: str | None) -> str | None:
        """The schema path of the field an error description names ("Invalid answerUrl: ..."), if any."""
        if not text:
            return None
        best: tuple[int, int, int, str] | None = None
        for path, spec in self.schema.walk():
            names = [path] if "." not in path else [path, spec.name]
            for via_leaf, name in enumerate(names):
                if name in _PLAIN_WORDS or len(name) < 4:
                    pattern = _MENTION.replace("NAME", re.escape(name))
                else:
                    pattern = rf"(?<![A-Za-z0-9_.]){re.escape(name)}(?![A-Za-z0-9_])"
                match = re.search(pattern, text)
                if match is None:
                    continue
                # earliest mention wins; at the same place the longer (more specific) name, then a
                # top-level field over a nested one with the same leaf name ("username")
                key = (match.start(), -len(name), via_leaf, path)
                if best is None or key < best:
                    best = key
        return best[3] if best else None


ADAPTER = BandwidthAdapter()
