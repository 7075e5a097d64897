"""A transport made on its first request: creating the app's HTTP client costs nothing at start-up."""

from __future__ import annotations

from collections.abc import Callable

import httpx


class LazyTransport(httpx.AsyncBaseTransport):
    """A transport built on its first request, so that creating the client costs nothing at start-up:
    no sandbox app until the sandbox is used, no TLS context (CA bundle) until a real provider is."""

    def __init__(self, build: Callable[[], httpx.AsyncBaseTransport]) -> None:
        self._build = build
        self._transport: httpx.AsyncBaseTransport | None = None

    @property
    def transport(self) -> httpx.AsyncBaseTransport:
        if self._transport is None:
            self._transport = self._build()
        return self._transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.transport.handle_async_request(request)

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()
