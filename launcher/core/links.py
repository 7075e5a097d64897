"""Click-to-call links: tel: (RFC 3966), callto: and sip:/sips: URIs -> a destination for the form.

    tel:+1-201-555-0123;ext=42              -> phone +12015550123, extension 42
    tel:555-1313;phone-context=+1-914       -> phone +19145551313 (the context's digits prefix it)
    tel:(555) 555-1313                      -> read with the profile's region
    callto:+15555551313, callto://+15555551313
    sip:alice@example.com;transport=tls     -> the SIP URI as given
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from launcher.core.phone import parse_phone, sip_uri_error

LINK_RE = re.compile(r"^(?P<scheme>tel|callto|sips?):(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
# RFC 3966: visual separators in numbers
SEPARATORS = re.compile(r"[-.()\s]")
PARAM_NAME = re.compile(r"^[A-Za-z0-9-]+$")


class LinkError(ValueError):
    """A link that cannot be used, with a message for people."""


@dataclass(frozen=True)
class LinkTarget:
    kind: str  # "phone" or "sip"
    value: str  # E.164 number or SIP URI
    extension: str | None = None
    original: str = ""


def looks_like_link(text: str) -> bool:
    return bool(LINK_RE.match(text.strip()))


def parse_link(text: str, region: str | None = None) -> LinkTarget:
    """Read a click-to-call link; raise LinkError with a clear reason for anything else.

    ``region`` (the profile's default region) reads local numbers such as ``tel:555-1313`` or
    ``callto:5551313`` that carry no country code.
    """
    original = text.strip()
    match = LINK_RE.match(original)
    if not match:
        raise LinkError(f"'{_clip(original)}' is not a phone link: expected tel:, callto: or sip:.")
    scheme = match.group("scheme").lower()
    rest = match.group("rest")
    if scheme in ("sip", "sips"):
        uri = f"{scheme}:{unquote(rest.removeprefix('//'))}"
        problem = sip_uri_error(uri)
        if problem:
            raise LinkError(f"'{_clip(original)}' is not a usable SIP address: {problem}")
        return LinkTarget("sip", uri, None, original)
    rest = unquote(rest).removeprefix("//").strip()
    if scheme == "callto":
        rest = rest.split("?", 1)[0]
        if "@" in rest or not re.search(r"\d", rest):
            raise LinkError(f"'{_clip(original)}' names a contact, not a phone number.")
        return _phone(rest, {}, region, original)
    number, params = _tel_parts(rest, original)
    return _phone(number, params, region, original)


def _tel_parts(rest: str, original: str) -> tuple[str, dict[str, str]]:
    parts = rest.split(";")
    number = parts[0]
    params: dict[str, str] = {}
    for part in parts[1:]:
        if not part:
            continue
        name, _, value = part.partition("=")
        name = name.strip().lower()
        if not PARAM_NAME.match(name):
            raise LinkError(f"'{_clip(original)}' has a malformed parameter '{_clip(part)}'.")
        if name in params:
            raise LinkError(f"'{_clip(original)}' repeats the parameter '{name}'.")
        params[name] = value.strip()
    if not number:
        raise LinkError(f"'{_clip(original)}' has no number.")
    return number, params


def _phone(number: str, params: dict[str, str], region: str | None, original: str) -> LinkTarget:
    compact = SEPARATORS.sub("", number)
    if not re.fullmatch(r"\+?[0-9]+", compact):
        raise LinkError(f"'{_clip(original)}' does not contain a phone number (only digits, +, and - . ( ) "
                        "are allowed).")
    extension = params.get("ext")
    if extension is not None:
        extension = SEPARATORS.sub("", extension)
        if not re.fullmatch(r"[0-9*#]{1,20}", extension):
            raise LinkError(f"'{_clip(original)}' has an extension that is not digits: '{params['ext']}'.")
    context = params.get("phone-context")
    if not compact.startswith("+") and context and context.startswith("+"):
        compact = SEPARATORS.sub("", context) + compact  # RFC 3966 global-number-digits prefix
    check = parse_phone(compact, region)
    if check.e164 is None:
        raise LinkError(f"'{_clip(original)}': {check.error}")
    return LinkTarget("phone", check.e164, extension or None, original)


def _clip(text: str, limit: int = 80) -> str:
    """``text`` as people wrote it (percent-escapes decoded: 'John Smith', not 'John%20Smith'), shortened."""
    text = "".join(char if char.isprintable() else "?" for char in unquote(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"
