"""The exactly-once rule: one press of Call sends at most one create request that may reach the provider.

A request is sent again only when the transport proves that nothing left this machine — the connection
was never made (``TransportError.request_sent`` is False) — and then once, after a short pause.  Never
after a byte may have arrived: not after a timeout once connected, a dropped connection, a drip-fed or
oversized answer, nor after any HTTP answer at all (a 429 or 503 may have placed the call too).  A
redirect is refused rather than followed (it would carry credentials elsewhere), an error status becomes
the provider's error, and an OAuth token the provider refuses (401) is forgotten for the next request.

Every request to a provider goes through :func:`exchange`; fetches, lists and hang-ups are safe to repeat,
and the follow loop (``follow.py``) decides about repeating those.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from launcher.core.calls.oauth_tokens import TokenCache
from launcher.core.errors import ProviderError, TransportError
from launcher.core.http import HttpResponse, PreparedRequest
from launcher.core.providers.base import ProviderAdapter

UNSENT_RETRY_PAUSE_S = 0.25

Send = Callable[[PreparedRequest], Awaitable[HttpResponse]]


async def exchange(send: Send, tokens: TokenCache, adapter: ProviderAdapter, request: PreparedRequest, *,
                   retry_unsent: bool) -> HttpResponse:
    """Authorize ``request``, send it with ``send`` (again once only if provably unsent and ``retry_unsent``)
    and return a 2xx answer; anything else raises."""
    request = await tokens.authorized(send, adapter, request)
    try:
        return await _send_checked(send, adapter, request, retry_unsent=retry_unsent)
    except ProviderError as exc:
        if exc.http_status == 401 and request.auth is not None and request.auth.scheme == "oauth2":
            tokens.forget(request.auth)  # revoked or expired early: fetch anew next time
        raise


async def _send_checked(send: Send, adapter: ProviderAdapter, request: PreparedRequest, *,
                        retry_unsent: bool) -> HttpResponse:
    attempts = 2 if retry_unsent else 1
    for attempt in range(attempts):
        try:
            response = await send(request)
        except TransportError as exc:
            if exc.request_sent or attempt + 1 >= attempts:
                raise
            await asyncio.sleep(UNSENT_RETRY_PAUSE_S)
            continue
        if 300 <= response.status < 400:
            raise ProviderError(
                f"The server answered with a redirect (HTTP {response.status}) to "
                f"{response.header('location') or 'another address'}; redirects are not followed "
                "because they would carry your credentials elsewhere.",
                http_status=response.status, hint="Check the profile's base URL.",
            )
        if response.status >= 400:
            raise adapter.parse_error(response)
        return response
    raise AssertionError("unreachable")
