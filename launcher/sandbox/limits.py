"""A bound on what one request can make the sandbox hold (the engine bounds the calls it keeps).

``BodyLimit`` reads every request body itself, a chunk at a time, before the route sees it: a body
that declares (Content-Length) or turns out (chunked, or a length that lies) to be larger than the
limit is answered 413 in the provider's own error shape as soon as that is known, and the rest is
never read.  A body within the limit is handed to the route whole.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1024 * 1024  # far above any create request (Twilio's largest is ~20 KB of TwiML)

TooLarge = Callable[[Request, int], Response]


def body_too_large_text(limit: int) -> str:
    return f"Request body too large: the limit is {limit // 1024} KiB."


def generic_too_large(request: Request, limit: int) -> Response:
    return JSONResponse({"error": body_too_large_text(limit)}, status_code=413)


class BodyLimit:
    """ASGI middleware: at most ``limit`` body bytes per request; ``routes`` pairs each route with the
    function that answers 413 for it (the first route that matches the path decides)."""

    def __init__(self, app: ASGIApp, limit: int, routes: list[tuple[BaseRoute, TooLarge]]) -> None:
        self.app = app
        self.limit = limit
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.limit:
            await self._refuse(scope, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: only a disconnect can come
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        answer: TooLarge = generic_too_large
        for route, too_large in self.routes:
            match, _ = route.matches(scope)
            if match is not Match.NONE:
                answer = too_large
                break
        response = answer(Request(scope), self.limit)
        response.headers["Connection"] = "close"  # the rest of the body is never read

        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, no_body, send)


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0  # the server itself refuses a malformed length
    return 0

