"""Where a request may go and how it gets there: one rule set for every request the app sends
(create, follow, hang up, OAuth token, test connection).

- A base URL never carries ``user:password@``: it would silently replace the profile's credentials
  and travel and be logged in clear.
- Credentials go only over https, except to loopback: an IP literal in 127.0.0.0/8 or ``::1``, or
  the names ``localhost`` and ``*.localhost``.  Those names are loopback by definition (RFC 6761):
  they are connected to 127.0.0.1 (then ::1) directly, never looked up in DNS, so no resolver can send
  them elsewhere.  Any other name is not loopback, whatever it resolves to.
- Loopback is always reached directly.  https to another host may go through the system's proxy
  (``HTTPS_PROXY``/``ALL_PROXY``, minus ``NO_PROXY``) in a CONNECT tunnel, so the proxy sees the host
  name, never the request.  Plain http is never sent through a proxy.
- An address a provider returns for a call is followed only when it stays on the profile's origin,
  inside the account's call collection, as exactly one plain path segment.

This module is pure Python; :mod:`launcher.core.routing` applies the routing rule to httpx.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from launcher.core.errors import CallError, InsecureTransportError

LOCALHOST_ADDRESSES = ("127.0.0.1", "::1")
DEFAULT_PORTS = {"http": 80, "https": 443}
UNEXPECTED_CALL_ADDRESS = "the provider returned an unexpected call address"
USERINFO_MESSAGE = (
    "A base URL must not contain a user name or password (user:password@host): they would replace the "
    "profile's credentials and be sent and logged in clear. Remove them from the URL and put the "
    "credentials in the profile."
)


class UnexpectedCallAddress(CallError):
    """A provider answered with a call address outside the account's call collection."""

    def __init__(self, address: str) -> None:
        self.message = f"{UNEXPECTED_CALL_ADDRESS} ({without_userinfo(address)[:200]})."
        self.hint = "Nothing was sent there; check the call with the provider."
        super().__init__(f"{self.message} {self.hint}")


def is_localhost_name(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


@functools.lru_cache(maxsize=64)  # asked several times per request; parsing an address is not free
def is_loopback_host(host: str) -> bool:
    """Loopback by its text alone: a loopback IP literal, or localhost / *.localhost (never resolved)."""
    if is_localhost_name(host):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def without_userinfo(url: str) -> str:
    """``url`` with any ``user:password@`` removed (safe to show or log)."""
    return re.sub(r"(?<=//)[^/?#@]*@", "", url, count=1)


def check_base_url(url: str, *, carries_credentials: bool = True) -> str:
    """Return ``url`` without a trailing slash, or raise if it is unusable or insecure.

    Credentials go only over https, except to loopback hosts (the sandbox, a local test server).
    """
    text = url.strip()
    shown = without_userinfo(text)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        raise InsecureTransportError(f"'{shown}' is not a valid URL.") from None
    if "@" in parts.netloc:
        raise InsecureTransportError(USERINFO_MESSAGE)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureTransportError(f"'{shown}' is not a valid base URL; use https://host[:port].")
    if parts.query or parts.fragment:
        raise InsecureTransportError(f"The base URL '{shown}' must not contain ? or #.")
    if carries_credentials and parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InsecureTransportError(
            f"Refusing to send credentials over plain http to {parts.hostname}. "
            "Use https://, or http:// only for a server on this machine (127.0.0.1, localhost)."
        )
    return text.rstrip("/")


def request_url_problem(url: str, *, carries_credentials: bool) -> str | None:
    """Why a request to ``url`` must not be sent (None when it may): the last check before sending."""
    try:
        check_base_url(urlsplit(url)._replace(query="", fragment="").geturl(), carries_credentials=carries_credentials)
    except InsecureTransportError as exc:
        return str(exc)
    return None


# -- proxies ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    """How a request reaches its host: ``proxy`` (its URL, possibly with proxy credentials) or directly."""

    proxy: str | None
    reason: str

    @property
    def proxy_shown(self) -> str | None:
        return without_userinfo(self.proxy) if self.proxy else None

    def describe(self) -> str:
        if self.proxy:
            return f"Proxy: {self.proxy_shown} (CONNECT tunnel)"
        return f"Proxy: none ({self.reason})"


def system_proxies() -> dict[str, str]:
    """The system's proxy settings (environment variables first, then the platform's settings)."""
    import urllib.request  # http.client, email: only needed once something may be sent

    return {key.lower(): value for key, value in urllib.request.getproxies().items() if value}


def route_for(url: str, proxies: dict[str, str] | None = None) -> Route:
    """The one routing rule: loopback directly, https through the system proxy if any, http directly."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if is_loopback_host(host):
        return Route(None, "loopback is always reached directly")
    if parts.scheme != "https":
        return Route(None, "plain http is never sent through a proxy")
    proxies = system_proxies() if proxies is None else proxies
    proxy = proxies.get("https") or proxies.get("all")
    if not proxy:
        return Route(None, "no system proxy is set")
    if _bypassed(host, proxies.get("no", "")):
        return Route(None, f"{host} is listed in NO_PROXY")
    if "://" not in proxy:
        proxy = f"http://{proxy}"
    if urlsplit(proxy).scheme not in ("http", "https"):
        return Route(None, f"the system proxy {without_userinfo(proxy)} is not an HTTP proxy; connecting directly")
    return Route(proxy, "")


def _bypassed(host: str, no_proxy: str) -> bool:
    """Whether NO_PROXY (``*``, or comma-separated names, ``.example.com`` or ``example.com``) covers ``host``."""
    host = host.lower().rstrip(".")
    for entry in (item.strip().lower() for item in no_proxy.split(",")):
        name = entry.split(":", 1)[0].lstrip(".") if not entry.startswith("[") else entry
        if entry == "*" or (name and (host == name or host.endswith("." + name))):
            return True
    return False


# -- addresses a provider returns -----------------------------------------------------------------
def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(parts.scheme.lower())


def check_call_address(url: str, collection_url: str) -> str:
    """``url`` if it names one call inside ``collection_url`` (same origin, the collection's path plus one
    plain segment: no dot segment, encoded or not, no encoded slash, no query); else UnexpectedCallAddress."""
    try:
        parts = urlsplit(url)
        same_origin = "@" not in parts.netloc and _origin(url) == _origin(collection_url)
    except ValueError:
        raise UnexpectedCallAddress(url) from None
    prefix = urlsplit(collection_url).path.rstrip("/") + "/"
    segment = parts.path[len(prefix):] if parts.path.startswith(prefix) else ""
    decoded = unquote(segment)
    if (not same_origin or parts.query or parts.fragment or "?" in url or "#" in url or not segment
            or "/" in segment or decoded.strip(".") == "" or any(ch in decoded for ch in "/\\%")
            or any(ch.isspace() or not ch.isprintable() for ch in decoded)):
        raise UnexpectedCallAddress(url)
    return url
