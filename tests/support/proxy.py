"""A recording HTTP proxy on 127.0.0.3 (another loopback address): it notes the head of every request it
receives (a forwarded ``GET http://...`` or a ``CONNECT host:443``) and refuses each with 502."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PROXY_HOST = "127.0.0.3"


class RecordingProxy:
    def __init__(self) -> None:
        self.heads: list[str] = []  # the request line and headers of each request, as received
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._handle, PROXY_HOST, 0)
        self.url = f"http://{PROXY_HOST}:{server.sockets[0].getsockname()[1]}"
        self._ready.set()
        async with server:
            await self._stop.wait()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.heads.append(head.decode("latin-1"))
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    def start(self) -> None:
        self._thread.start()
        assert self._ready.wait(10), "the proxy did not start"

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
        self._loop.close()

    def environment(self) -> dict[str, str]:
        """Every proxy variable a client may read, upper and lower case, all pointing here."""
        names = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
        return {**{name: self.url for name in names}, **{name.lower(): self.url for name in names}}


@contextmanager
def recording_proxy() -> Iterator[RecordingProxy]:
    proxy = RecordingProxy()
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
