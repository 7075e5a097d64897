"""Transport failures in words: which host, what probably went wrong, and whether the request left.

httpx's exceptions carry the library's and the OS's texts ("[Errno -2] Name or service not known");
:func:`transport_error` turns one into a :class:`TransportError` a person can act on, and says whether
anything may have reached the provider (``request_sent``), which decides whether a create may be retried.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from launcher.core.errors import TransportError

if TYPE_CHECKING:
    import httpx


def transport_error(exc: httpx.HTTPError, *, request_sent: bool) -> TransportError:
    """``exc`` as a TransportError; a connect failure always means nothing was sent."""
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


def _root_causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


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
