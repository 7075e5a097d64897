"""OAuth 2.0 client-credentials tokens: fetched when first needed, reused until shortly before they expire.

A token is kept per token endpoint and client (the secret by its hash only), forgotten when a provider
answers 401 (revoked or expired early) so the next request fetches a fresh one.  Whatever goes wrong
while getting a token, the request it was for has not been sent.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from urllib.parse import urlsplit

from launcher.core.errors import ProviderError, TransportError
from launcher.core.http import Auth, HttpResponse, PreparedRequest
from launcher.core.providers.base import ProviderAdapter
from launcher.core.scrub import SCRUBBER

DEFAULT_TOKEN_LIFETIME_S = 3600.0  # when a token endpoint does not say
TOKEN_EXPIRY_MARGIN_S = 60.0  # a token is renewed this long before it expires

Send = Callable[[PreparedRequest], Awaitable[HttpResponse]]


class TokenCache:
    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str, str], tuple[str, float]] = {}  # token, valid until (monotonic)

    async def authorized(self, send: Send, adapter: ProviderAdapter, request: PreparedRequest) -> PreparedRequest:
        """``request`` with its OAuth 2.0 bearer token filled in (fetched with ``send``, or reused until
        shortly before it expires); other requests as they are."""
        auth = request.auth
        if auth is None or auth.scheme != "oauth2" or auth.token:
            return request
        key = _token_key(auth)
        cached = self._tokens.get(key)
        if cached is not None and cached[1] > time.monotonic():
            return replace(request, auth=replace(auth, token=cached[0]))
        token, lifetime = await _fetch_token(send, adapter, auth)
        self._tokens[key] = (token, time.monotonic() + max(0.0, lifetime - TOKEN_EXPIRY_MARGIN_S))
        return replace(request, auth=replace(auth, token=token))

    def forget(self, auth: Auth) -> None:
        """Drop the token ``auth`` was sent with: the next request fetches a new one."""
        self._tokens.pop(_token_key(auth), None)


async def _fetch_token(send: Send, adapter: ProviderAdapter, auth: Auth) -> tuple[str, float]:
    """The client-credentials grant.  Whatever goes wrong here, the request it is for was not sent."""
    host = urlsplit(auth.token_url).netloc
    try:
        response = await send(auth.token_request())
    except TransportError as exc:
        raise TransportError(f"Could not get an access token from {host}: {exc.message}", request_sent=False,
                             hint=f"Nothing was sent to place the call. {exc.hint}".strip()) from exc
    if response.status >= 300:
        error, description = _oauth_error(response)  # the status and ``error`` code are shown beside the text
        detail = description or error or f"HTTP {response.status}"
        raise ProviderError(
            f"{adapter.name} refused the OAuth 2.0 client credentials at {host}: {detail}.",
            http_status=response.status, code=error or None,
            hint="Check the profile's client ID and client secret (API credentials, not an API user).",
        )
    try:
        data = json.loads(response.body)
        token = data["access_token"]
        lifetime = float(data.get("expires_in", DEFAULT_TOKEN_LIFETIME_S))
        if not isinstance(token, str) or not token.strip():
            raise ValueError("empty access_token")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise TransportError(
            f"The token endpoint at {host} answered HTTP {response.status} without a usable access token "
            f"({type(exc).__name__}: {exc}).", request_sent=False, hint="Nothing was sent to place the call.",
        ) from None
    SCRUBBER.add(token)
    return token, lifetime


def _token_key(auth: Auth) -> tuple[str, str, str]:
    return auth.token_url, auth.username, hashlib.sha256(auth.secret.encode()).hexdigest()


def _oauth_error(response: HttpResponse) -> tuple[str, str]:
    """RFC 6749's ``error`` and ``error_description`` from a token endpoint's refusal ("" if unreadable)."""
    try:
        data = json.loads(response.body)
    except ValueError:
        return "", ""
    if not isinstance(data, dict) or not isinstance(data.get("error"), str):
        return "", ""
    description = data.get("error_description")
    return data["error"], description if isinstance(description, str) else ""
