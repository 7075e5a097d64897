"""The app's httpx transport: applies :func:`launcher.core.transport.route_for` to every request.

The client never reads proxy settings itself (``trust_env=False``); this transport picks, per request,
the direct connection or a CONNECT tunnel through the system's https proxy, and connects
``localhost``/``*.localhost`` to 127.0.0.1 then ::1 without asking DNS (the Host header and the TLS
server name keep the name).

Plain-http requests (only ever to loopback: credentials never travel over http elsewhere) go through a
transport of their own whose TLS context trusts nothing, so a run that talks only to a local server
does not load the CA bundle (~50 ms); were it ever asked to do TLS it would refuse every certificate.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from launcher.core.transport import LOCALHOST_ADDRESSES, is_localhost_name, route_for


class RoutedTransport(httpx.AsyncBaseTransport):
    def __init__(self, **options: Any) -> None:
        self._options = options  # for every underlying AsyncHTTPTransport (verify, http2, ...)
        self._transports: dict[tuple[str | None, bool], httpx.AsyncHTTPTransport] = {}

    def _transport(self, proxy: str | None, tls: bool) -> httpx.AsyncHTTPTransport:
        """The transport for a route; ``tls`` False: for plain-http requests, without the CA bundle."""
        key = (proxy, tls or "verify" in self._options)
        if key not in self._transports:
            options = self._options if key[1] else {**self._options, "verify": _trusts_nothing()}
            self._transports[key] = httpx.AsyncHTTPTransport(proxy=proxy, **options)
        return self._transports[key]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if is_localhost_name(host):
            return await self._to_localhost(request, host)
        tls = request.url.scheme != "http"
        return await self._transport(route_for(str(request.url)).proxy, tls).handle_async_request(request)

    async def _to_localhost(self, request: httpx.Request, name: str) -> httpx.Response:
        direct = self._transport(None, request.url.scheme != "http")
        for index, address in enumerate(LOCALHOST_ADDRESSES):
            extensions = dict(request.extensions)
            if request.url.scheme == "https":
                extensions["sni_hostname"] = name
            pinned = httpx.Request(request.method, request.url.copy_with(host=address), headers=request.headers,
                                   stream=request.stream, extensions=extensions)
            try:
                return await direct.handle_async_request(pinned)
            except httpx.ConnectError:
                if index + 1 == len(LOCALHOST_ADDRESSES):
                    raise
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        for transport in self._transports.values():
            await transport.aclose()


def _trusts_nothing() -> ssl.SSLContext:
    """A client TLS context with verification on and no trusted certificate: fails closed."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def new_client(timeout: httpx.Timeout | float, **options: Any) -> httpx.AsyncClient:
    """An AsyncClient whose every request follows the routing rule (redirects never followed)."""
    return httpx.AsyncClient(transport=RoutedTransport(), trust_env=False, timeout=timeout,
                             follow_redirects=False, **options)
