"""Validation: values -> normalized values + {field path: [messages]}.

Pure and quick: the GUI calls it on every (debounced) edit, the CLI before sending, the sandbox on
every request it receives.  Values may arrive as typed Python values (from the form, from JSON) or
as strings (from ``--set`` or a form-encoded body); each field is coerced to its kind first, then
checked against its constraints, then the provider's cross-field rules run on what was readable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from launcher.core.phone import (
    CLIENT_RE,
    E164_RE,
    hidden_character_error,
    looks_like_sip,
    parse_phone,
    sip_uri_error,
)
from launcher.core.schema import Endpoint, FieldKind, FieldSpec, ProviderSchema, Values

TRUE_WORDS = {"true", "yes", "on", "1"}
FALSE_WORDS = {"false", "no", "off", "0"}
HOSTNAME_RE = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                         r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")
IPV6_HOST_RE = re.compile(r"^[0-9A-Fa-f:.]+$")


@dataclass
class ValidationResult:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, path: str, message: str) -> None:
        messages = self.errors.setdefault(path, [])
        if message not in messages:
            messages.append(message)

    def add_warning(self, path: str, message: str) -> None:
        messages = self.warnings.setdefault(path, [])
        if message not in messages:
            messages.append(message)

    def summary(self) -> list[str]:
        return [f"{path}: {message}" for path, messages in self.errors.items() for message in messages]


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def validate(schema: ProviderSchema, values: Values, region: str | None = None) -> ValidationResult:
    """Check ``values`` against ``schema``; ``region`` reads national phone numbers (e.g. "US")."""
    result = ValidationResult()
    if not isinstance(values, Mapping):
        result.add_error("", "The request must be an object of named fields.")
        return result
    result.values = _validate_members(schema.fields, values, "", region, result)
    own_errors = set(result.errors)
    for rule in schema.rules:
        for path, message in rule(result.values):
            if path not in own_errors:  # a field's own problem comes first; the rules see it once it is fixed
                result.add_error(path, message)
    for rule in schema.warning_rules:
        for path, message in rule(result.values):
            result.add_warning(path, message)
    return result


def _validate_members(
    specs: tuple[FieldSpec, ...], values: Mapping[str, Any], prefix: str,
    region: str | None, result: ValidationResult, in_destination: bool = False,
) -> dict[str, Any]:
    known = {spec.name for spec in specs}
    for key in values:
        if key not in known:
            result.add_error(f"{prefix}{key}", f"Unknown field '{key}'.")
    clean: dict[str, Any] = {}
    for spec in specs:
        path = f"{prefix}{spec.name}"
        raw = values.get(spec.name)
        if is_empty(raw):
            if spec.required:
                result.add_error(path, f"{spec.label} is required.")
            continue
        try:
            _check_destination_text(spec, raw, in_destination)
            value = _coerce(spec, raw, path, region, result, in_destination)
        except _Invalid as exc:
            result.add_error(path, exc.message)
            continue
        if value is not None:
            clean[spec.name] = value
        elif spec.required:  # only blanks after normalization (e.g. a list of empty entries)
            result.add_error(path, f"{spec.label} is required.")
    return clean


def _coerce(spec: FieldSpec, raw: Any, path: str, region: str | None, result: ValidationResult,
            in_destination: bool = False) -> Any:
    kind = spec.kind
    if kind is FieldKind.OBJECT:
        if not isinstance(raw, Mapping):
            raise _Invalid(f"{spec.label} must be a group of fields.")
        nested = _validate_members(spec.children, raw, path + ".", region, result,
                                   in_destination or is_destination_group(spec))
        return nested or None
    if kind is FieldKind.LIST:
        return _check_list(spec, raw)
    if kind is FieldKind.MAP:
        return _check_map(spec, raw)
    if kind is FieldKind.BOOL:
        return _check_bool(raw)
    if kind is FieldKind.INT:
        return _check_range(spec, _read_int(spec, raw))
    if kind is FieldKind.NUMBER:
        return _check_range(spec, _read_number(spec, raw))
    text = _read_text(raw)
    if kind is FieldKind.PHONE:
        return _check_phone(spec, text, region)
    if kind is FieldKind.SIP_URI:
        message = sip_uri_error(text.strip())
        if message:
            raise _Invalid(message)
        return text.strip()
    if kind is FieldKind.URL:
        return _check_url(spec, text.strip())
    if kind is FieldKind.ENUM:
        return _check_enum(spec, text.strip())
    return _check_text(spec, text, path, result)


DESTINATION_KINDS = frozenset({FieldKind.PHONE, FieldKind.SIP_URI})


def is_destination_group(spec: FieldSpec) -> bool:
    """A group of fields that together name whom to dial (jambonz ``to``): one member is a number or SIP URI."""
    return spec.kind is FieldKind.OBJECT and any(child.kind in DESTINATION_KINDS for child in spec.children)


def _check_destination_text(spec: FieldSpec, raw: Any, in_destination: bool) -> None:
    """The one rule for every value that becomes a destination (phone, SIP URI, client, and every text
    member of a destination group): no invisible or control character.  Secrets are not shown, so
    they are left alone."""
    if not isinstance(raw, str) or spec.secret:
        return
    if spec.kind in DESTINATION_KINDS or (in_destination and spec.kind is not FieldKind.OBJECT):
        message = hidden_character_error(raw.strip())
        if message:
            raise _Invalid(message)


def _read_text(raw: Any, message: str = "Enter text here.") -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)) or (
            isinstance(raw, float) and not math.isfinite(raw)):
        raise _Invalid(message)
    try:
        text = str(raw)
    except ValueError:  # an int too long to write out
        raise _Invalid("This number is too long.") from None
    return _sendable(text)


def _sendable(text: str) -> str:
    """``text`` if it can be sent (encoded as UTF-8); lone surrogates, which undecodable bytes in a command
    line become, cannot."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _Invalid("Contains characters that are not valid text (undecodable bytes?); type it again.") from None
    return text


def _check_text(spec: FieldSpec, text: str, path: str, result: ValidationResult) -> str:
    if spec.min_length is not None and len(text) < spec.min_length:
        raise _Invalid(f"Use at least {spec.min_length} characters (now {len(text)}).")
    if spec.max_length is not None and len(text) > spec.max_length:
        raise _Invalid(f"Use at most {spec.max_length} characters (now {len(text)}).")
    if spec.pattern is not None and not re.fullmatch(spec.pattern, text):
        raise _Invalid(spec.pattern_message or f"Does not match the expected format {spec.pattern}.")
    if spec.soft_max_length is not None and len(text) > spec.soft_max_length:
        result.add_warning(path, spec.soft_max_note or f"Older documentation allows at most "
                                                       f"{spec.soft_max_length} characters.")
    return text


def _check_phone(spec: FieldSpec, text: str, region: str | None) -> str:
    value = text.strip()
    endpoints = spec.endpoints
    for special in spec.special_values:
        if value.lower() == special.lower():
            return special
    if looks_like_sip(value):
        if Endpoint.SIP not in endpoints:
            raise _Invalid(f"{spec.label} must be a phone number here, not a SIP URI.")
        message = sip_uri_error(value)
        if message:
            raise _Invalid(message)
        return value
    if value.lower().startswith("client:"):
        if Endpoint.CLIENT not in endpoints:
            raise _Invalid(f"{spec.label} must be a phone number here, not a client identifier.")
        if not CLIENT_RE.match(value):
            raise _Invalid("Use client:NAME with letters, digits and _ only, like client:alice.")
        return value
    if Endpoint.BARE_NUMBER in endpoints and re.fullmatch(r"\+?[0-9]{1,20}", value):  # ASCII digits only
        # Forwarded as typed (jambonz sends it in the SIP From user part), but an E.164-looking
        # value still has to be possible.
        if value.startswith("+") and not E164_RE.match(value) and Endpoint.TEXT not in endpoints:
            raise _Invalid("Use E.164 format, like +15555551212, or digits only.")
        return value
    check = parse_phone(value, region)
    if check.e164 is None and Endpoint.TEXT in endpoints:
        if spec.max_length is not None and len(value) > spec.max_length:
            raise _Invalid(f"Use at most {spec.max_length} characters (now {len(value)}).")
        return value
    if check.e164 is None:
        raise _Invalid(_phone_hint(spec, check.error or "Not a phone number."))
    return check.e164


def _phone_hint(spec: FieldSpec, message: str) -> str:
    extra = []
    if Endpoint.SIP in spec.endpoints:
        extra.append("a SIP URI like sip:alice@example.com")
    if Endpoint.CLIENT in spec.endpoints:
        extra.append("client:NAME")
    if spec.special_values:
        extra.append(" / ".join(spec.special_values))
    if not extra:
        return message
    return f"{message} Also accepted: {', '.join(extra)}."


def _check_url(spec: FieldSpec, text: str) -> str:
    if any(ch.isspace() for ch in text):
        raise _Invalid("A URL cannot contain spaces.")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise _Invalid("Not a valid URL. Use a full address like https://example.com/voice.") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise _Invalid("Use a full URL starting with https://, like https://example.com/voice.")
    host = parts.hostname or ""
    if not host:
        raise _Invalid("The URL has no host name.")
    if "_" in host:
        raise _Invalid("Host names cannot contain underscores.")
    if not (HOSTNAME_RE.match(host) or (":" in host and IPV6_HOST_RE.match(host))):
        raise _Invalid(f"'{host}' is not a valid host name.")
    if spec.allow_https_only and parts.scheme.lower() != "https":
        raise _Invalid("This URL must use https://.")
    if spec.max_length is not None and len(text) > spec.max_length:
        raise _Invalid(f"Use at most {spec.max_length} characters (now {len(text)}).")
    return text


def _check_enum(spec: FieldSpec, text: str) -> str:
    if text in spec.choices:
        return text
    if spec.choices_case_insensitive:
        for choice in spec.choices:
            if choice.lower() == text.lower():
                return choice
    raise _Invalid(f"Choose one of: {', '.join(spec.choices)}.")


def _check_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise _Invalid("Use true or false.")


MAX_INT_DIGITS = 18  # as typed; a typed (JSON, form) value gets the same limit


def _read_int(spec: FieldSpec, raw: Any) -> int:
    if isinstance(raw, bool):
        raise _Invalid("Enter a whole number.")
    value: int | None = None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and (digits := re.fullmatch(r"\s*([+-]?)(\d+)\s*", raw)):
        if len(digits[2].lstrip("0")) > MAX_INT_DIGITS:  # a whole number, too long to convert safely
            _too_large(spec, negative=digits[1] == "-")
        value = int(raw)
    if value is None:
        raise _Invalid("Enter a whole number.")
    if abs(value) >= 10**MAX_INT_DIGITS:
        _too_large(spec, negative=value < 0)
    return value


def _too_large(spec: FieldSpec, negative: bool) -> None:
    """A whole number beyond every limit: say the field's range when it has one, else the digit limit."""
    _check_range(spec, -math.inf if negative else math.inf)
    raise _Invalid(f"Enter a whole number of at most {MAX_INT_DIGITS} digits.")


NUMBER_TEXT = r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*"  # also what str(float) writes: 1e-05


def _read_number(spec: FieldSpec, raw: Any) -> float | int:
    if isinstance(raw, bool):
        raise _Invalid("Enter a number.")
    value: float
    if isinstance(raw, (int, float)) or (isinstance(raw, str) and re.fullmatch(NUMBER_TEXT, raw)):
        try:
            value = float(raw)
        except OverflowError:  # an int beyond the float range
            raise _Invalid("Enter a finite number.") from None
    else:
        raise _Invalid("Enter a number, like 30 or 12.5.")
    if not math.isfinite(value):
        raise _Invalid("Enter a finite number.")
    return int(value) if value.is_integer() else value


def _check_range(spec: FieldSpec, value: float | int) -> float | int:
    low, high = spec.minimum, spec.maximum
    unit = f" {spec.unit}" if spec.unit else ""
    if low is not None and high is not None and not low <= value <= high:
        raise _Invalid(f"Must be between {_num(low)} and {_num(high)}{unit}.")
    if low is not None and value < low:
        raise _Invalid(f"Must be at least {_num(low)}{unit}.")
    if high is not None and value > high:
        raise _Invalid(f"Must be at most {_num(high)}{unit}.")
    return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _check_list(spec: FieldSpec, raw: Any) -> list[str]:
    if isinstance(raw, str):
        items = [part.strip() for part in re.split(r"[,\s]+", _sendable(raw)) if part.strip()]
    elif isinstance(raw, (list, tuple)):
        items = []
        for item in raw:
            text = _read_text(item, "Each entry must be text.").strip()
            if text:
                items.append(text)
    else:
        raise _Invalid("Enter a list of values.")
    if spec.max_items is not None and len(items) > spec.max_items:
        raise _Invalid(f"At most {spec.max_items} entries (now {len(items)}).")
    if spec.choices:
        canonical = []
        for item in items:
            match = next((c for c in spec.choices if c == item or (spec.choices_case_insensitive
                                                                  and c.lower() == item.lower())), None)
            if match is None:
                raise _Invalid(f"'{item}' is not allowed. Choose from: {', '.join(spec.choices)}.")
            canonical.append(match)
        items = canonical
    if len(set(items)) != len(items):
        raise _Invalid("Each entry may appear only once.")
    if spec.item_max_length is not None:
        for item in items:
            if len(item) > spec.item_max_length:
                shown = item if len(item) <= 20 else item[:20] + "…"
                raise _Invalid(f"'{shown}' is longer than {spec.item_max_length} characters.")
    if spec.pattern is not None:
        for item in items:
            if not re.fullmatch(spec.pattern, item):
                raise _Invalid(spec.pattern_message or f"'{item}' does not match {spec.pattern}.")
    return items or None  # type: ignore[return-value]


def _check_map(spec: FieldSpec, raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        raise _Invalid(f"{spec.label} must be a set of name/value pairs.")
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not key.strip():
            raise _Invalid("Every entry needs a name.")
        _sendable(key)
        if spec.key_pattern is not None and not re.fullmatch(spec.key_pattern, key):
            raise _Invalid(spec.key_message or f"'{key}' is not an allowed name.")
        if not _map_scalar(value):
            raise _Invalid(f"The value of '{key}' must be text, a number or true/false.")
        if isinstance(value, str):
            _sendable(value)
        if spec.item_max_length is not None and len(str(value)) > spec.item_max_length:
            raise _Invalid(f"The value of '{key}' is longer than {spec.item_max_length} characters.")
        clean[key] = value
    if spec.max_items is not None and len(clean) > spec.max_items:
        raise _Invalid(f"At most {spec.max_items} entries (now {len(clean)}).")
    return clean or None


def _map_scalar(value: object) -> bool:
    """Text, true/false, or a number that JSON can carry (finite, at most MAX_INT_DIGITS digits)."""
    if isinstance(value, (str, bool)):
        return True
    if isinstance(value, int):
        return abs(value) < int(10**MAX_INT_DIGITS)  # int ** int is typed Any
    return isinstance(value, float) and math.isfinite(value)
