"""Sending requests: create exactly once, follow a call until it ends, hang up.

One long-lived ``httpx.AsyncClient`` is injected (tests bind it to the sandbox or to a loopback
server).  Redirects are never followed: a redirect would carry credentials to another place.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from launcher.core.errors import CallError, ProviderError, RequestNotSent, ResponseFormatError, TransportError
from launcher.core.http import Auth, HttpResponse, PreparedRequest, redact_text
from launcher.core.models import Account, CallResource
from launcher.core.providers.base import HTTP_HINTS, ProviderAdapter
from launcher.core.scrub import SCRUBBER
from launcher.core.sendable import check_sendable
from launcher.core.transport import check_call_address, request_url_problem
from launcher.core.waits import DEFAULT_MAX_WAIT_S as DEFAULT_MAX_WAIT_S
from launcher.core.waits import format_wait
from launcher.core.waits import parse_wait as parse_wait

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 4 * 1024 * 1024
DEFAULT_TIMEOUT_S, DEFAULT_CONNECT_TIMEOUT_S = 15.0, 5.0
DEFAULT_TOKEN_LIFETIME_S = 3600.0  # when a token endpoint does not say
TOKEN_EXPIRY_MARGIN_S = 60.0  # a token is renewed this long before it expires

if TYPE_CHECKING:
    import httpx

    DEFAULT_TIMEOUT: httpx.Timeout


def __getattr__(name: str) -> Any:
    """``DEFAULT_TIMEOUT`` is made on first use: httpx is imported only once something is sent."""
    if name == "DEFAULT_TIMEOUT":
        import httpx

        return httpx.Timeout(DEFAULT_TIMEOUT_S, connect=DEFAULT_CONNECT_TIMEOUT_S)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class PollPolicy:
    """How often to ask for a call's state: starts fast, backs off, tolerates a few failures."""

    first_delay: float = 0.5
    max_delay: float = 5.0
    factor: float = 1.5
    not_found_grace: int = 5  # 404s tolerated right after creation (Bandwidth answers 404 briefly)
    max_failures: int = 6  # consecutive transport failures before giving up
    max_retry_after: float = 60.0  # a provider's Retry-After is honoured up to this many seconds
    max_polls: int = 100_000
    max_wait: float | None = DEFAULT_MAX_WAIT_S  # seconds of following before giving up (None: no limit)


class FollowLimitReached(CallError):
    """Following stopped at the overall limit while the call was not final; ``call`` is the last state seen."""

    def __init__(self, call: CallResource, waited: float) -> None:
        self.call = call
        self.waited = waited
        self.message = (f"Stopped following after {format_wait(waited)}: the call was still {call.phase.value} "
                        f"(last state from the provider: {call.provider_status or 'none'}).")
        self.hint = "Only the launcher stopped, not the call; refresh it or check it with the provider."
        super().__init__(f"{self.message} {self.hint}")


UpdateCallback = Callable[[CallResource], Awaitable[None] | None]


ClientFactory = Callable[[], "httpx.AsyncClient"]


def answer_deadline(timeout: httpx.Timeout) -> float | None:
    """How long one whole exchange may take: the connect timeout plus twice the read timeout.

    httpx's read timeout limits each wait for the next bytes, not the whole answer, so a server that
    drips its answer a few bytes at a time would otherwise hold a request (and the window's
    "Sending…") for ever.  None (no deadline) when the client has no read timeout either.
    """
    if timeout.read is None:
        return None
    return (timeout.connect or 0.0) + 2 * timeout.read


class CallService:
    """``client``: the AsyncClient to send with, or a function that makes it on first use (so that
    starting the app does not import httpx), or None for a client of its own (closed by ``aclose``)."""

    def __init__(self, client: httpx.AsyncClient | ClientFactory | None = None,
                 timeout: httpx.Timeout | None = None, deadline: float | None = None) -> None:
        self._own_client = client is None
        self._deadline = deadline
        self._client: httpx.AsyncClient | None = None if client is None or callable(client) else client
        self._factory: ClientFactory | None = client if callable(client) else None
        self._timeout = timeout
        self._tokens: dict[tuple[str, str, str], tuple[str, float]] = {}  # OAuth 2.0: token, valid until

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            if self._factory is not None:
                self._client = self._factory()
            else:
                import httpx

                from launcher.core.routing import new_client

                timeout = self._timeout or httpx.Timeout(DEFAULT_TIMEOUT_S, connect=DEFAULT_CONNECT_TIMEOUT_S)
                self._client = new_client(timeout)
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
            raise _transport_error(exc, request_sent=False) from exc
        except httpx.ProxyError as exc:  # the proxy refused the CONNECT tunnel: nothing reached the provider
            raise TransportError(f"The proxy refused to connect to {urlsplit(request.url).hostname} ({exc}).",
                                 request_sent=False, hint="Check the system's proxy settings (HTTPS_PROXY, "
                                 "NO_PROXY).") from exc
        except httpx.UnsupportedProtocol as exc:
            raise TransportError(f"Unsupported URL: {exc}", request_sent=False) from exc
        except httpx.TransportError as exc:
            raise _transport_error(exc, request_sent=True) from exc
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
            raise _transport_error(exc, request_sent=True) from exc
        finally:
            # After a ``break`` the layers of httpx/httpcore generators under ``chunks`` are left suspended;
            # the garbage collector finalizes them outside this task, where closing the connection would
            # fail ("async generator ignored GeneratorExit" / "cancel scope in a different task").  Closing
            # the response first, here, leaves them nothing to await when they are finalized.
            await response.aclose()
            await chunks.aclose()
        if too_big:
            text = (f"The answer (HTTP {response.status_code}) is larger than "
                    f"{MAX_BODY_BYTES // (1024 * 1024)} MB; it was not read.")
            if response.status_code >= 400:  # an error status is a refusal, whatever its body
                raise ProviderError(text, http_status=response.status_code,
                                    hint=HTTP_HINTS.get(response.status_code, ""))
            raise ResponseFormatError(text, http_status=response.status_code)
        headers = {name.lower(): value for name, value in response.headers.items()}
        return HttpResponse(response.status_code, headers, bytes(body))

    async def _exchange(
        self, adapter: ProviderAdapter, request: PreparedRequest, *, retry_unsent: bool
    ) -> HttpResponse:
        request = await self._authorized(adapter, request)
        try:
            return await self._send_checked(adapter, request, retry_unsent=retry_unsent)
        except ProviderError as exc:
            if exc.http_status == 401 and request.auth is not None and request.auth.scheme == "oauth2":
                self._tokens.pop(_token_key(request.auth), None)  # revoked or expired early: fetch anew next time
            raise

    async def _authorized(self, adapter: ProviderAdapter, request: PreparedRequest) -> PreparedRequest:
        """``request`` with its OAuth 2.0 bearer token filled in (fetched, or reused until shortly
        before it expires); other requests as they are."""
        auth = request.auth
        if auth is None or auth.scheme != "oauth2" or auth.token:
            return request
        key = _token_key(auth)
        cached = self._tokens.get(key)
        if cached is not None and cached[1] > time.monotonic():
            return replace(request, auth=replace(auth, token=cached[0]))
        token, lifetime = await self._fetch_token(adapter, auth)
        self._tokens[key] = (token, time.monotonic() + max(0.0, lifetime - TOKEN_EXPIRY_MARGIN_S))
        return replace(request, auth=replace(auth, token=token))

    async def _fetch_token(self, adapter: ProviderAdapter, auth: Auth) -> tuple[str, float]:
        """The client-credentials grant.  Whatever goes wrong here, the request it is for was not sent."""
        host = urlsplit(auth.token_url).netloc
        try:
            response = await self.send(auth.token_request())
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

    async def _send_checked(
        self, adapter: ProviderAdapter, request: PreparedRequest, *, retry_unsent: bool
    ) -> HttpResponse:
        attempts = 2 if retry_unsent else 1
        for attempt in range(attempts):
            try:
                response = await self.send(request)
            except TransportError as exc:
                if exc.request_sent or attempt + 1 >= attempts:
                    raise
                await asyncio.sleep(0.25)
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

    async def create(self, adapter: ProviderAdapter, account: Account, request: PreparedRequest) -> CallResource:
        """Send a create request built by ``adapter.build_create``: retried only if never sent."""
        response = await self._exchange(adapter, request, retry_unsent=True)
        return adapter.parse_create(response, account)

    async def fetch(self, adapter: ProviderAdapter, account: Account, call: CallResource) -> CallResource:
        request = adapter.build_fetch(account, call)
        check_call_address(request.url, adapter.calls_url(account))
        response = await self._exchange(adapter, request, retry_unsent=True)
        return adapter.parse_call(response, account, call)

    async def hangup(self, adapter: ProviderAdapter, account: Account, call: CallResource) -> CallResource | None:
        """Send the hang-up that fits ``call``'s state.  When the answer shows the call moved on since
        (answered after we last looked: Twilio ignores "canceled" then) and is still live, send the
        request that fits the new state, once."""
        updated = await self._hangup_once(adapter, account, call)
        if updated is not None and not updated.final and updated.phase is not call.phase:
            return await self._hangup_once(adapter, account, updated) or updated
        return updated

    async def _hangup_once(self, adapter: ProviderAdapter, account: Account,
                           call: CallResource) -> CallResource | None:
        request = adapter.build_hangup(account, call)
        if request is None:
            return None
        check_call_address(request.url, adapter.calls_url(account))
        response = await self._exchange(adapter, request, retry_unsent=True)
        if response.body.strip():
            try:
                return adapter.parse_call(response, account, call)
            except ResponseFormatError:
                return None
        return None

    async def list_calls(
        self, adapter: ProviderAdapter, account: Account, request: PreparedRequest
    ) -> list[CallResource]:
        """Send a list request built by ``adapter.build_list`` and read the calls it lists."""
        response = await self._exchange(adapter, request, retry_unsent=True)
        return adapter.parse_list(response, account)

    async def test_connection(self, adapter: ProviderAdapter, account: Account) -> HttpResponse:
        return await self._exchange(adapter, adapter.build_test_connection(account), retry_unsent=True)

    async def follow(
        self,
        adapter: ProviderAdapter,
        account: Account,
        call: CallResource,
        on_update: UpdateCallback | None = None,
        policy: PollPolicy | None = None,
    ) -> CallResource:
        """Poll until the call reaches a final state; returns the last known resource.  Raises
        FollowLimitReached when ``policy.max_wait`` passes first."""
        policy = policy or PollPolicy()
        delay = policy.first_delay
        failures = 0
        not_found = 0
        current = call
        loop = asyncio.get_running_loop()
        give_up_at = None if policy.max_wait is None else loop.time() + policy.max_wait
        for _ in range(policy.max_polls):
            if current.final:
                return current
            if give_up_at is not None:
                remaining = give_up_at - loop.time()
                if remaining <= 0:
                    raise FollowLimitReached(current, policy.max_wait or 0.0)
                delay = min(delay, remaining)
            await asyncio.sleep(delay)
            try:
                updated = await self.fetch(adapter, account, current)
            except ProviderError as exc:
                if exc.http_status == 404:
                    gone = adapter.call_gone(current)
                    if gone is not None:
                        if on_update is not None:
                            result = on_update(gone)
                            if asyncio.iscoroutine(result):
                                await result
                        return gone
                    if not_found < policy.not_found_grace:
                        not_found += 1
                        continue
                if exc.http_status in (429, 500, 502, 503, 504) and failures < policy.max_failures:
                    failures += 1
                    asked = min(exc.retry_after or 0.0, policy.max_retry_after)
                    delay = max(delay, asked, min(policy.max_delay, delay * policy.factor))
                    continue
                raise
            except (TransportError, ResponseFormatError):  # a fetch is safe to repeat
                failures += 1
                if failures > policy.max_failures:
                    raise
                delay = min(policy.max_delay, delay * policy.factor)
                continue
            failures = 0
            changed = (updated.provider_status, updated.phase) != (current.provider_status, current.phase)
            current = updated
            if changed and on_update is not None:
                result = on_update(current)
                if asyncio.iscoroutine(result):
                    await result
            delay = policy.first_delay if changed else min(policy.max_delay, delay * policy.factor)
        return current


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


def _root_causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _transport_error(exc: httpx.HTTPError, *, request_sent: bool) -> TransportError:
    import socket
    import ssl

    import httpx

    chain = _root_causes(exc)
    detail = _plain(next((str(c) for c in reversed(chain) if str(c)), type(exc).__name__))
    host = _host(exc)
    # Before anything was sent: name the host the request went to and the likely cause, in words;
    # never the library's text or an errno, and never a setting the person may not have typed.
    if isinstance(exc, httpx.ConnectTimeout):  # (the cause's text is the async library's, not for people)
        return TransportError(f"Can't reach {host} — no answer{_after(exc, 'connect')}. Offline, or a proxy or "
                              "firewall in the way?", request_sent=False, hint="Nothing was sent.")
    if isinstance(exc, httpx.ConnectError):
        lowered = detail.lower()
        if any(isinstance(c, ssl.SSLError) for c in chain) or "certificate" in lowered:
            reason = next((c.verify_message for c in chain if isinstance(c, ssl.SSLCertVerificationError)
                           and c.verify_message), detail)
            return TransportError(f"{host}'s TLS certificate was not accepted ({reason}).", request_sent=False,
                                  hint="The connection is not trusted, so nothing was sent.")
        if any(isinstance(c, socket.gaierror) for c in chain) or "name or service not known" in lowered:
            return TransportError(f"Can't reach {host} — offline, or a proxy? The name {host} was not found.",
                                  request_sent=False, hint="Nothing was sent.")
        if any(isinstance(c, ConnectionRefusedError) for c in chain) or "refused" in lowered:
            return TransportError(f"Can't reach {_host(exc, port=True)} — the connection was refused. Is the "
                                  "server running and the port right?", request_sent=False, hint="Nothing was sent.")
        return TransportError(f"Can't reach {host} — offline, or a proxy? ({detail})", request_sent=False,
                              hint="Nothing was sent.")
    if isinstance(exc, httpx.ReadTimeout):
        return TransportError(f"No answer in time: {_host(exc)} did not answer{_after(exc, 'read')}.",
                              request_sent=request_sent,
                              hint="The request was sent; the call may or may not have been placed.")
    if isinstance(exc, httpx.WriteTimeout):
        return TransportError(f"Sending the request to {_host(exc)} timed out{_after(exc, 'write')}.",
                              request_sent=request_sent,
                              hint="Part of the request may have arrived; the call may or may not have been placed.")
    return TransportError(f"The connection failed ({detail}).", request_sent=request_sent,
                          hint="The request may have reached the provider; check before calling again.")


def _host(exc: httpx.HTTPError, *, port: bool = False) -> str:
    """The host the failed request went to ("the server" when the exception does not say); with
    ``port``, host:port when the port is not the scheme's default."""
    try:
        url = exc.request.url
    except RuntimeError:  # raised by httpx when the exception carries no request
        return "the server"
    host = url.host or "the server"
    return f"{host}:{url.port}" if port and url.host and url.port else host


_LIBRARY_TAGS = re.compile(r"\[(?:Errno\s*-?\d+|SSL(?:: [A-Z_]+)?)\]\s*")


def _plain(detail: str) -> str:
    """An OS or TLS library's text without its tags ("[Errno -2] ", "[SSL: CERTIFICATE_VERIFY_FAILED] ")."""
    return _LIBRARY_TAGS.sub("", detail).strip() or detail


def _after(exc: httpx.HTTPError, kind: str) -> str:
    """" within 5 s" from the timeout the request was sent with, or ""."""
    try:
        seconds = exc.request.extensions.get("timeout", {}).get(kind)
    except RuntimeError:
        return ""
    return f" within {seconds:g} s" if isinstance(seconds, (int, float)) else ""
