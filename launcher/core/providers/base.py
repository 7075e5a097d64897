"""The adapter contract every provider implements.

An adapter turns validated values into the provider's exact HTTP request and the provider's answers
into :class:`CallResource` or :class:`ProviderError`.  It does no I/O: the call service sends what it
builds.  Adding a provider means adding one module in this package that defines ``ADAPTER``.
"""

from __future__ import annotations

import json
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from launcher.core.errors import InsecureTransportError, ProviderError, ResponseFormatError
from launcher.core.http import Auth, HttpResponse, PreparedRequest, check_base_url, snippet
from launcher.core.models import Account, AccountSpec, CallPhase, CallResource
from launcher.core.schema import ProviderSchema, Values, secret_paths

HTTP_HINTS = {
    400: "The provider rejected the request; check the highlighted fields.",
    401: "Check the profile's credentials.",
    403: "The credentials are valid but not allowed to do this, or a limit was reached.",
    404: "Check the account id and base URL of the profile.",
    405: "The provider does not allow this method on this URL; check the base URL.",
    409: "The call is in a state that does not allow this change.",
    415: "The provider expects another content type.",
    422: "The provider could not process the values; check the highlighted fields.",
    429: "Too many requests: wait before trying again.",
    500: "The provider had an internal error; try again later.",
    502: "The provider's gateway failed; try again later.",
    503: "The provider is unavailable right now; try again later.",
    504: "The provider's gateway timed out; the call may or may not have been placed.",
}


class ProviderAdapter(ABC):
    id: str  # short stable identifier used in profiles and the CLI ("twilio")
    name: str  # display name
    schema: ProviderSchema
    account: AccountSpec
    docs_url: str = ""
    order: int = 50  # position in provider lists

    # -- requests ---------------------------------------------------------------------------------
    @abstractmethod
    def calls_url(self, account: Account) -> str:
        """The account's call collection: every call's address lies directly under it, one segment deep
        (the call service follows and hangs up only such addresses)."""

    @abstractmethod
    def build_create(self, account: Account, values: Values) -> PreparedRequest:
        """The create-call request for already validated, normalized ``values``."""

    @abstractmethod
    def build_fetch(self, account: Account, call: CallResource) -> PreparedRequest:
        """GET the call's current state."""

    @abstractmethod
    def build_hangup(self, account: Account, call: CallResource) -> PreparedRequest | None:
        """The request that ends the call in its current state; None when it cannot be ended."""

    def build_list(self, account: Account, limit: int) -> PreparedRequest | None:
        """GET the account's most recent calls (at most ``limit``); None when the API cannot list them."""
        return None

    list_key: str | None = None  # the member of the list answer holding the calls (None: the answer is a list)
    list_id_key: str = "sid"  # the member of a listed call holding its id

    @abstractmethod
    def build_test_connection(self, account: Account) -> PreparedRequest:
        """One harmless authenticated request that proves the credentials work."""

    # -- responses --------------------------------------------------------------------------------
    @abstractmethod
    def parse_create(self, response: HttpResponse, account: Account) -> CallResource:
        """The call resource from a successful create answer."""

    @abstractmethod
    def parse_call(self, response: HttpResponse, account: Account, previous: CallResource) -> CallResource:
        """The call resource from a successful fetch (or update) answer."""

    @abstractmethod
    def parse_error(self, response: HttpResponse) -> ProviderError:
        """One ProviderError from the provider's own error body, whatever shape it has."""

    def parse_list(self, response: HttpResponse, account: Account) -> list[CallResource]:
        """The calls of a list answer, each read as a fetch answer of that call is read."""
        data = response.json()
        items = data.get(self.list_key) if self.list_key and isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ResponseFormatError(f"The list answer (HTTP {response.status}) holds no list of calls.",
                                      http_status=response.status, raw=snippet(response.text(), 2000))
        calls = []
        for item in items:
            if not isinstance(item, dict):
                continue
            item_id = str(item.get(self.list_id_key) or "")
            known = CallResource(self.id, item_id, CallPhase.UNKNOWN, "")
            body = json.dumps(item).encode()
            calls.append(self.parse_call(HttpResponse(200, {"content-type": "application/json"}, body), account, known))
        return calls

    def destination_values(self, kind: str, value: str) -> dict[str, str]:
        """Form values (path -> value) that dial ``value`` ("phone" or "sip") — for tel:/sip: links.

        Raises ValueError when this provider cannot dial that kind of destination.
        """
        from launcher.core.schema import Endpoint

        path = self.schema.by_meaning("to")
        spec = self.schema.field(path) if path else None
        if path is None or spec is None:
            raise ValueError(f"{self.name} has no destination field.")
        if kind == "sip" and Endpoint.SIP not in spec.endpoints:
            raise ValueError(f"{self.name} cannot call SIP addresses; pick a profile whose provider can.")
        return {path: value}

    def endpoint_text(self, values: Values, meaning: str) -> str | None:
        """The number or address that the field meaning ``meaning`` ("from", "to") holds in ``values``, as
        text for history and display; None when the provider has no such field or it is empty."""
        path = self.schema.by_meaning(meaning)
        if path is None:
            return None
        node: Any = values
        for part in path.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        return None if node is None or isinstance(node, Mapping) else str(node)

    def call_gone(self, call: CallResource) -> CallResource | None:
        """What a 404 on fetch means for a call that was seen before.

        Most providers keep ended calls, so a 404 is an error (None).  Providers that forget a call
        once it ends (jambonz) return the call as ended with an unknown outcome.
        """
        return None

    # -- shared helpers -----------------------------------------------------------------------------
    def base_url(self, account: Account) -> str:
        url = account.base_url or self.account.default_base_url
        if not url:
            raise InsecureTransportError(f"{self.name} profiles need a base URL (for example https://api.example.com).")
        return check_base_url(url, carries_credentials=True)

    def auth(self, account: Account) -> Auth:
        if self.account.auth_scheme == "bearer":
            return Auth("bearer", secret=account.secret or "")
        username = account.username or (account.account_id if self.account.username_defaults_to_account else "")
        return Auth("basic", username=username, secret=account.secret or "")

    def body_secrets(self, values: Values) -> tuple[str, ...]:
        found: list[str] = []
        for path in secret_paths(self.schema):
            node: Any = values
            for part in path.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, str) and node:
                found.append(node)
        return tuple(found)

    def generic_error(self, response: HttpResponse, message: str | None = None, **extra: Any) -> ProviderError:
        """An error for bodies the provider's format does not explain (HTML pages, empty bodies)."""
        text = message or (f"HTTP {response.status}: {snippet(response.text())}")
        extra.setdefault("hint", HTTP_HINTS.get(response.status, ""))
        return ProviderError(text, http_status=response.status, raw=snippet(response.text(), 2000),
                             retry_after=retry_after(response), **extra)

    def field_for_param(self, param: str | None) -> str | None:
        """Map a parameter name that appears in an error to a schema path, when there is one."""
        if not param:
            return None
        if self.schema.field(param) is not None:
            return param
        lowered = param.lower().replace("_", "")
        for path, _spec in self.schema.walk():
            if path.lower().replace("_", "").replace(".", "") == lowered.replace(".", ""):
                return path
        return None


def retry_after(response: HttpResponse) -> float | None:
    value = response.header("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP-date is GMT even when the zone is missing
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return max(0.0, seconds) if math.isfinite(seconds) else None


def parse_seconds(value: Any, max_integer_digits: int | None = None) -> float | None:
    """A duration from a response: a finite, non-negative number or its decimal text, else None.
    ``max_integer_digits`` bounds the text form (None: any length)."""
    if isinstance(value, bool):
        return None
    digits = r"\d+" if max_integer_digits is None else rf"\d{{1,{max_integer_digits}}}"
    text = isinstance(value, str) and re.fullmatch(rf"\s*{digits}(\.\d+)?\s*", value)
    if not (isinstance(value, (int, float)) or text):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond the float range
        return None
    return number if math.isfinite(number) and number >= 0 else None


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 or RFC 2822 timestamps as aware datetimes; None for anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def location_id(location: str | None) -> str | None:
    """The last path segment of a Location header (Catapult and Bandwidth put the call id there)."""
    if not location:
        return None
    segment = location.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return segment if segment and not any(ch.isspace() for ch in segment) else None
