"""Sending one request: checked before a byte leaves, read within a deadline, at most MAX_BODY_BYTES.

One long-lived ``httpx.AsyncClient`` is injected (tests bind it to the sandbox or to a loopback
server).  Redirects are never followed: a redirect would carry credentials to another place.
httpx itself is imported only once something is sent, so starting the window does not pay for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

from launcher.core.calls.transport_errors import transport_error
from launcher.core.errors import ProviderError, RequestNotSent, ResponseFormatError, TransportError
from launcher.core.http import HttpResponse, PreparedRequest, redact_text
from launcher.core.providers.base import HTTP_HINTS
from launcher.core.scrub import SCRUBBER
from launcher.core.sendable import check_sendable
from launcher.core.transport import request_url_problem

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 4 * 1024 * 1024
DEFAULT_TIMEOUT_S, DEFAULT_CONNECT_TIMEOUT_S = 15.0, 5.0

ClientFactory = Callable[[], "httpx.AsyncClient"]


def default_timeout() -> httpx.Timeout:
    """The timeouts requests are sent with unless a client says otherwise (imports httpx)."""
    import httpx

    return httpx.Timeout(DEFAULT_TIMEOUT_S, connect=DEFAULT_CONNECT_TIMEOUT_S)


def answer_deadline(timeout: httpx.Timeout) -> float | None:
    """How long one whole exchange may take: the connect timeout plus twice the read timeout.

    httpx's read timeout limits each wait for the next bytes, not the whole answer, so a server that
    drips its answer a few bytes at a time would otherwise hold a request (and the window's
    "Sending…") for ever.  None (no deadline) when the client has no read timeout either.
    """
    if timeout.read is None:
        return None
    return (timeout.connect or 0.0) + 2 * timeout.read


def remember_secrets(request: PreparedRequest) -> None:
    """Register every secret ``request`` carries with the scrubber, before it is sent or recorded."""
    for secret in request.body_secrets:
        SCRUBBER.add(secret)
    auth = request.auth
    if auth is not None:
        if auth.scheme == "bearer":
            SCRUBBER.add(auth.secret)
        else:  # basic, and oauth2's client credentials (sent as Basic to the token endpoint)
            SCRUBBER.add_basic(auth.username, auth.secret)
        SCRUBBER.add(auth.token)


class RequestSender:
    """``client``: the AsyncClient to send with, or a function that makes it on first use (so that
    starting the app does not import httpx), or None for a client of its own (closed by ``aclose``)."""

    def __init__(self, client: httpx.AsyncClient | ClientFactory | None = None,
                 timeout: httpx.Timeout | None = None, deadline: float | None = None) -> None:
        self._own_client = client is None
        self._deadline = deadline
        self._client: httpx.AsyncClient | None = None if client is None or callable(client) else client
        self._factory: ClientFactory | None = client if callable(client) else None
        self._timeout = timeout

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            if self._factory is not None:
                self._client = self._factory()
            else:
                from launcher.core.routing import new_client

                self._client = new_client(self._timeout or default_timeout())
        return self._client

    @property
    def deadline(self) -> float | None:
        """Seconds one whole exchange may take (see :func:`answer_deadline`)."""
        return self._deadline if self._deadline is not None else answer_deadline(self.client.timeout)

    @property
    def client_built(self) -> bool:
        """Whether the client exists yet (a factory's client is only made when first needed)."""
        return self._client is not None

    async def aclose(self) -> None:
        if self._own_client and self._client is not None:
            await self._client.aclose()

    async def send(self, request: PreparedRequest) -> HttpResponse:
        """Send ``request`` once and read the answer (at most MAX_BODY_BYTES, all within ``deadline``)."""
        deadline = self.deadline
        try:
            async with asyncio.timeout(deadline):
                return await self._send_once(request)
        except TimeoutError:
            raise TransportError(
                f"The answer did not arrive in full within {deadline:g} s: the server answers too slowly.",
                request_sent=True, hint="The request was sent; the call may or may not have been placed.",
            ) from None

    async def _send_once(self, request: PreparedRequest) -> HttpResponse:
        import httpx

        problem = request_url_problem(request.url, carries_credentials=request.auth is not None)
        if problem is not None:
            raise TransportError(problem, request_sent=False, hint="Nothing was sent.")
        remember_secrets(request)
        check_sendable(request)  # a secret or address HTTP cannot carry: refused before a byte leaves
        try:
            httpx_request = self.client.build_request(
                request.method, request.url, headers=request.all_headers(reveal=True), content=request.body
            )
        except (httpx.InvalidURL, UnicodeError, ValueError, TypeError) as exc:
            raise RequestNotSent(f"The request could not be built: {exc}", hint="Nothing was sent.") from None
        log.debug("sending %s %s", request.method, redact_text(request.url, request.secrets()))
        try:
            response = await self.client.send(httpx_request, stream=True, follow_redirects=False)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise transport_error(exc, request_sent=False) from exc
        except httpx.ProxyError as exc:  # the proxy refused the CONNECT tunnel: nothing reached the provider
            raise TransportError(f"The proxy refused to connect to {urlsplit(request.url).hostname} ({exc}).",
                                 request_sent=False, hint="Check the system's proxy settings (HTTPS_PROXY, "
                                 "NO_PROXY).") from exc
        except httpx.UnsupportedProtocol as exc:
            raise TransportError(f"Unsupported URL: {exc}", request_sent=False) from exc
        except httpx.TransportError as exc:
            raise transport_error(exc, request_sent=True) from exc
        body, too_big = await _read_body(response)
        if too_big:
            text = (f"The answer (HTTP {response.status_code}) is larger than "
                    f"{MAX_BODY_BYTES // (1024 * 1024)} MB; it was not read.")
            if response.status_code >= 400:  # an error status is a refusal, whatever its body
                raise ProviderError(text, http_status=response.status_code,
                                    hint=HTTP_HINTS.get(response.status_code, ""))
            raise ResponseFormatError(text, http_status=response.status_code)
        headers = {name.lower(): value for name, value in response.headers.items()}
        return HttpResponse(response.status_code, headers, body)


async def _read_body(response: httpx.Response) -> tuple[bytes, bool]:
    """The streamed answer's body and whether it was cut off at MAX_BODY_BYTES; the response is closed."""
    import httpx

    body = bytearray()
    too_big = False
    chunks = cast(AsyncGenerator[bytes, None], response.aiter_bytes())
    try:
        async for chunk in chunks:
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                too_big = True
                break
    except httpx.TransportError as exc:
        raise transport_error(exc, request_sent=True) from exc
    finally:
        # After a ``break`` the layers of httpx/httpcore generators under ``chunks`` are left suspended;
        # the garbage collector finalizes them outside this task, where closing the connection would
        # fail ("async generator ignored GeneratorExit" / "cancel scope in a different task").  Closing
        # the response first, here, leaves them nothing to await when they are finalized.
        await response.aclose()
        await chunks.aclose()
    return bytes(body), too_big
