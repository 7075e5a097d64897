"""Telephone endpoints: E.164 numbers (via libphonenumber), SIP URIs and provider-specific forms.

libphonenumber (``phonenumbers``, ~20-40 ms to import) is loaded on the first number that needs it,
not with this module: start-up paths that only import the validators do not pay for it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import phonenumbers

E164_EXAMPLE = "+15555551212"
E164_RE = re.compile(r"^\+[1-9]\d{1,14}\Z")  # \Z: "$" would also accept a trailing newline
# user part: anything but whitespace and '@'; host: a hostname, IPv4 or [IPv6], optional port;
# then optional ;params and ?headers.
SIP_URI_RE = re.compile(
    r"^(?P<scheme>sips?):(?:(?P<user>[^@\s:;?]+)(?::[^@\s]*)?@)?"
    r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
    r"(?::(?P<port>\d{1,5}))?(?P<params>;[^\s?]*)?(?:\?\S*)?\Z",
    re.IGNORECASE,
)
CLIENT_RE = re.compile(r"^client:[A-Za-z0-9_.@-]{1,256}\Z")
VISUAL_SEPARATORS = re.compile(r"[\s().\-/]")


@dataclass(frozen=True)
class PhoneCheck:
    """Outcome of reading a phone number: the E.164 form, or why it could not be read."""

    e164: str | None
    error: str | None = None


def looks_like_sip(text: str) -> bool:
    return text[:4].lower() == "sip:" or text[:5].lower() == "sips:"


# Control characters (Cc), format characters (Cf: bidi overrides such as U+202E, zero-width spaces and
# joiners, soft hyphens...), line and paragraph separators, private-use and unassigned code points.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn"})


def hidden_character_error(text: str) -> str | None:
    """None when ``text`` has no invisible or control character; otherwise a message naming the first.

    Such characters make a destination look like something other than what is dialled (U+202E shows
    ``sip:moc.evil@x`` reversed), so every value that becomes a destination is refused with them."""
    for char in text:
        if unicodedata.category(char) in HIDDEN_CATEGORIES:
            name = unicodedata.name(char, "control character")
            return (f"Contains an invisible or control character (U+{ord(char):04X} {name}) that hides what "
                    "would be dialled; remove it and type the address again.")
    return None


def sip_uri_error(text: str, allow_sips: bool = True) -> str | None:
    """None when ``text`` is a usable SIP URI, otherwise a message saying what is wrong."""
    hidden = hidden_character_error(text)
    if hidden:
        return hidden
    match = SIP_URI_RE.match(text)
    if not match:
        return "Use a SIP URI like sip:alice@example.com."
    if match.group("scheme").lower() == "sips" and not allow_sips:
        return "SIPS URIs are not supported here; use sip:."
    port = match.group("port")
    if port is not None and not 0 < int(port) < 65536:
        return f"Port {port} is out of range (1-65535)."
    return None


def parse_phone(text: str, region: str | None = None) -> PhoneCheck:
    """Read ``text`` as a phone number and return its E.164 form.

    Accepts what people type or paste: "+1 (555) 555-1212", "555-555-1212" with a default region,
    "00 44 20 7183 8750".  Possible-length checks come from libphonenumber; a number that is
    possible but not assigned (the 555 examples in the providers' docs) is accepted, as the
    providers accept it.
    """
    raw = text.strip()
    if not raw:
        return PhoneCheck(None, "Enter a phone number.")
    compact = VISUAL_SEPARATORS.sub("", raw)
    if not re.fullmatch(r"\+?\d+", compact):
        if re.search(r"[A-Za-z]", compact):
            return PhoneCheck(None, f"Phone numbers contain digits only. Use E.164 format, like {E164_EXAMPLE}.")
        return PhoneCheck(None, f"Use E.164 format, like {E164_EXAMPLE}.")
    if not compact.startswith("+") and compact.startswith("00") and len(compact) > 4:
        compact = "+" + compact[2:]
    if not compact.startswith("+") and not region:
        return PhoneCheck(None, f"Add the country code: use E.164 format, like {E164_EXAMPLE}.")
    import phonenumbers

    try:
        number = phonenumbers.parse(compact, None if compact.startswith("+") else region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            return PhoneCheck(None, f"Unknown country code. Use E.164 format, like {E164_EXAMPLE}.")
        if exc.error_type == phonenumbers.NumberParseException.TOO_LONG:
            return PhoneCheck(None, "Too many digits: E.164 numbers have at most 15 digits.")
        return PhoneCheck(None, f"Use E.164 format, like {E164_EXAMPLE}.")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not _reads_back(e164):  # e.g. +49000001: a trunk 0 is dropped again on every reading
        return PhoneCheck(None, f"This is not a possible number for {_country(number)}.")
    if not E164_RE.match(e164):
        return PhoneCheck(None, "Too many digits: E.164 numbers have at most 15 digits.")
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.TOO_SHORT:
        return PhoneCheck(None, f"Too few digits for {_country(number)}. Use E.164 format, like {E164_EXAMPLE}.")
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return PhoneCheck(None, f"Too many digits for {_country(number)}.")
    if reason not in (phonenumbers.ValidationResult.IS_POSSIBLE,
                      phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        return PhoneCheck(None, f"This is not a possible number for {_country(number)}.")
    return PhoneCheck(e164)


def _reads_back(e164: str) -> bool:
    """True when ``e164`` read again is itself: an E.164 form that changes when read is not a real number."""
    import phonenumbers

    try:
        again = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.format_number(again, phonenumbers.PhoneNumberFormat.E164) == e164


def _country(number: phonenumbers.PhoneNumber) -> str:
    import phonenumbers

    region = phonenumbers.region_code_for_number(number)
    return f"country code +{number.country_code}" + (f" ({region})" if region and region != "ZZ" else "")


def format_as_you_type(text: str, region: str) -> str:
    """National or international grouping for display while typing; digits are never dropped."""
    import phonenumbers

    formatter = phonenumbers.AsYouTypeFormatter(region or "US")
    result = ""
    for char in text:
        if char.isdigit() or char == "+":
            result = formatter.input_digit(char)
    return result or text


def is_valid_region(region: str) -> bool:
    import phonenumbers

    return region.upper() in phonenumbers.SUPPORTED_REGIONS
