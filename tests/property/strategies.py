"""Hypothesis strategies shared by the property tests.

* :func:`valid_value` derives, from any :class:`FieldSpec`, raw input that the validator must accept
  (in the forms people and programs send: typed values, strings from ``--set`` or a form body,
  phone numbers as people write them).
* :data:`junk` is anything at all a caller might pass: wrong types, huge and non-finite numbers,
  bytes, deep nesting.
* :data:`bodies` and :data:`headers` are HTTP answers no provider should send but some will.
"""

from __future__ import annotations

import json
import string
from functools import cache
from typing import Any

import phonenumbers
from hypothesis import strategies as st

from launcher.core.phone import HIDDEN_CATEGORIES, hidden_character_error
from launcher.core.schema import Endpoint, FieldKind, FieldSpec
from launcher.core.validate import is_destination_group

# -- phone numbers ------------------------------------------------------------------------------------
NUMBER_TYPES = (
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.VOIP,
)


@cache
def example_numbers() -> tuple[tuple[str, phonenumbers.PhoneNumber], ...]:
    """(region, example number) for every region and common number type libphonenumber knows."""
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in NUMBER_TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None and phonenumbers.is_possible_number(number):
                found.append((region, number))
    return tuple(found)


@st.composite
def phone_numbers(draw: st.DrawFn, region: str | None = None) -> tuple[str, str]:
    """(text as typed, its E.164 form): E.164, international, 00-prefixed, or national for ``region``."""
    pool = example_numbers()
    if region is not None and draw(st.booleans()):
        local = [item for item in pool if item[0] == region]
        pool = tuple(local) or pool
    number_region, number = draw(st.sampled_from(pool))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    forms = [e164, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
             "00" + e164[1:], f"  {e164} "]
    if number_region == region:
        forms.append(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
    return draw(st.sampled_from(forms)), e164


# -- hosts, URLs, SIP URIs ----------------------------------------------------------------------------
_label = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?", fullmatch=True)
hostnames = st.one_of(
    st.lists(_label, min_size=1, max_size=3).map(lambda labels: ".".join([*labels, "example"])),
    st.sampled_from(["localhost", "127.0.0.1", "10.1.2.3", "[::1]", "[2001:db8::7]", "API.Example.COM"]),
)
_path_text = st.text(string.ascii_letters + string.digits + "-._~/", max_size=30)
_query = st.lists(st.tuples(st.text(string.ascii_letters, min_size=1, max_size=6),
                            st.text(string.ascii_letters + string.digits, max_size=8)), max_size=3)


@st.composite
def urls(draw: st.DrawFn, https_only: bool = False, max_length: int | None = None) -> str:
    scheme = "https" if https_only else draw(st.sampled_from(["https", "http", "HTTPS", "Http"]))
    port = draw(st.one_of(st.none(), st.integers(1, 65535)))
    query = draw(_query)
    text = (f"{scheme}://{draw(hostnames)}{'' if port is None else f':{port}'}/{draw(_path_text)}"
            + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else ""))
    if max_length is not None and len(text) > max_length:
        text = f"{scheme}://h.example/"
    return text


@st.composite
def sip_uris(draw: st.DrawFn, allow_sips: bool = True) -> str:
    scheme = draw(st.sampled_from(["sip", "sips", "SIP"] if allow_sips else ["sip", "SIP"]))
    user = draw(st.one_of(st.none(), st.text(string.ascii_letters + string.digits + "+._-!~*", min_size=1,
                                              max_size=12)))
    port = draw(st.one_of(st.none(), st.integers(1, 65535)))
    params = draw(st.sampled_from(["", ";transport=tcp", ";transport=udp;lr", ";user=phone"]))
    return (f"{scheme}:{'' if user is None else user + '@'}{draw(hostnames)}"
            f"{'' if port is None else f':{port}'}{params}")


clients = st.text(string.ascii_letters + string.digits + "_", min_size=1, max_size=20).map(lambda s: f"client:{s}")


# -- values derived from a FieldSpec ------------------------------------------------------------------
def _cases(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word, word.upper(), word.lower(), word.capitalize()])


def _bounds(spec: FieldSpec, span: float = 10**6) -> tuple[float, float]:
    """The spec's range, an open side replaced by one ``span`` away from the other side (or zero)."""
    low, high = spec.minimum, spec.maximum
    if low is None:
        low = (min(high, 0) if high is not None else 0) - span
    if high is None:
        high = max(low, 0) + span
    return low, high


def _int_bounds(spec: FieldSpec) -> tuple[int, int]:
    low, high = _bounds(spec)
    return int(-(-low // 1)), int(high // 1)


def _text_strategy(spec: FieldSpec, visible_only: bool = False) -> st.SearchStrategy[str]:
    low = max(spec.min_length or 1, 1)
    high = spec.max_length if spec.max_length is not None else max(low, 40)
    if spec.pattern is not None:
        return st.from_regex(spec.pattern, fullmatch=True).filter(
            lambda s: low <= len(s) <= high and s.strip() != ""
            and (not visible_only or hidden_character_error(s.strip()) is None))
    alphabet = st.characters(exclude_categories=("Cs", *HIDDEN_CATEGORIES)) if visible_only else st.characters(  # type: ignore[arg-type]
        codec="utf-8")
    return st.text(alphabet, min_size=low, max_size=min(high, max(low, 60))).filter(lambda s: s.strip() != "")


def _list_strategy(spec: FieldSpec) -> st.SearchStrategy[Any]:
    size = spec.max_items if spec.max_items is not None else 6
    if spec.choices:
        items: st.SearchStrategy[str] = st.sampled_from(spec.choices)
        if spec.choices_case_insensitive:
            items = items.flatmap(_cases)
        lists = st.lists(items, min_size=1, max_size=size, unique_by=str.lower)
    else:
        base = (st.from_regex(spec.pattern, fullmatch=True) if spec.pattern is not None
                else st.text(max_size=spec.item_max_length or 20))
        items = base.filter(lambda s: s != "" and s == s.strip()
                            and (spec.item_max_length is None or len(s) <= spec.item_max_length))
        lists = st.lists(items, min_size=1, max_size=size, unique=True)
    # --set and form bodies give lists as one separated string when the items allow it
    return lists.flatmap(lambda xs: st.sampled_from([xs, tuple(xs)] + (
        [", ".join(xs), " ".join(xs)] if all(x.isprintable() and "," not in x and not any(c.isspace() for c in x)
                                              for x in xs) else [])))


map_values = st.one_of(st.text(max_size=20), st.integers(-10**12, 10**12), st.booleans(),
                       st.floats(allow_nan=False, allow_infinity=False))


def _map_strategy(spec: FieldSpec) -> st.SearchStrategy[dict[str, Any]]:
    keys = (st.from_regex(spec.key_pattern, fullmatch=True) if spec.key_pattern is not None
            else st.text(min_size=1, max_size=12)).filter(lambda k: k.strip() != "")
    values = map_values
    if spec.item_max_length is not None:
        limit = spec.item_max_length
        values = values.filter(lambda v: len(str(v)) <= limit)
    return st.dictionaries(keys, values, min_size=1, max_size=spec.max_items if spec.max_items is not None else 4)


def _phone_strategy(spec: FieldSpec, region: str | None) -> st.SearchStrategy[str]:
    options: list[st.SearchStrategy[str]] = [phone_numbers(region).map(lambda pair: pair[0])]
    if Endpoint.SIP in spec.endpoints:
        options.append(sip_uris())
    if Endpoint.CLIENT in spec.endpoints:
        options.append(clients)
    if Endpoint.BARE_NUMBER in spec.endpoints:
        options.append(st.from_regex(r"\+?[0-9]{1,20}", fullmatch=True).filter(
            lambda s: not s.startswith("+") or (3 <= len(s) <= 16 and s[1] != "0")))
    if spec.special_values:
        options.append(st.sampled_from(spec.special_values).flatmap(_cases))
    return st.one_of(options)


def valid_value(spec: FieldSpec, region: str | None = "US", in_destination: bool = False) -> st.SearchStrategy[Any]:
    """Raw input the validator must accept for ``spec`` on its own (cross-field rules aside); text members
    of a destination group (``in_destination``) hold no invisible or control character."""
    kind = spec.kind
    if kind is FieldKind.OBJECT:  # an empty group counts as not set
        members = valid_object(spec.children, region, in_destination or is_destination_group(spec))
        return members.filter(lambda found: bool(found) or not spec.required)
    if kind is FieldKind.BOOL:
        return st.one_of(st.booleans(), st.sampled_from(["true", "False", " yes ", "NO", "on", "off", "1", "0"]))
    if kind is FieldKind.INT:
        low, high = _int_bounds(spec)
        return st.integers(low, high).flatmap(lambda n: st.sampled_from([n, str(n), f" {n} ", float(n)]))
    if kind is FieldKind.NUMBER:
        bottom, top = _bounds(spec)
        options: list[st.SearchStrategy[Any]] = [st.floats(bottom, top, allow_nan=False, allow_infinity=False)]
        if -(-bottom // 1) <= top // 1:
            ints = st.integers(int(-(-bottom // 1)), int(top // 1))
            options += [ints, ints.map(str)]
        return st.one_of(options)
    if kind is FieldKind.ENUM:
        choices = st.sampled_from(spec.choices)
        if spec.choices_case_insensitive:
            choices = choices.flatmap(_cases)
        return choices.flatmap(lambda c: st.sampled_from([c, f" {c} "] + ([int(c)] if c.isdigit() else [])))
    if kind is FieldKind.LIST:
        return _list_strategy(spec)
    if kind is FieldKind.MAP:
        return _map_strategy(spec)
    if kind is FieldKind.PHONE:
        return _phone_strategy(spec, region)
    if kind is FieldKind.SIP_URI:
        return sip_uris()
    if kind is FieldKind.URL:
        return urls(spec.allow_https_only, spec.max_length)
    return _text_strategy(spec, visible_only=in_destination and not spec.secret)


def valid_object(specs: tuple[FieldSpec, ...], region: str | None = "US",
                 in_destination: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Every required member, and any of the optional ones, each valid on its own."""
    return st.fixed_dictionaries(
        {spec.name: valid_value(spec, region, in_destination) for spec in specs if spec.required},
        optional={spec.name: valid_value(spec, region, in_destination) for spec in specs if not spec.required},
    )


# -- junk -----------------------------------------------------------------------------------------------
# (ints over 4300 digits cannot even be printed in a failure report: tests name them explicitly)
HUGE = st.sampled_from([10**19, -(10**19), 2**63, 10**400, -(10**400), 10**4000, 1e308, 1.7976931348623157e308])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), HUGE, st.floats(), st.text(max_size=30), st.binary(max_size=10),
    st.sampled_from(["", " ", "\x00", "true", "NaN", "-inf", "1e999", "+15555551212", "sip:a@b", "https://x",
                     "9" * 30, "١٢٣", "\u200b", "{", "[1, 2]",
                     "\udcff", "x\ud800y"]),  # lone surrogates: what undecodable bytes in argv become
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                            st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4)),
    max_leaves=12,
)


# -- HTTP answers ---------------------------------------------------------------------------------------
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), HUGE,
              st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=15,
)
DATES = st.one_of(
    st.sampled_from(["Tue, 31 Aug 2010 20:36:28 +0000", "Wed, 21 Oct 2015 07:28:00 -0000",
                     "Wed, 21 Oct 2015 07:28:00 GMT",
                     "2024-01-01T10:00:00Z", "2024-01-01T10:00:00.123+02:00", "2024-01-01", "0001-01-01T00:00:00",
                     "9999-12-31T23:59:59-23:59", "Fri, 31 Dec 9999 23:59:59 -1200", "Mon, 01 Jan 0001 00:00:00 +1200",
                     "31 Aug 2010", "not a date", "Z", "2024-13-45T99:99:99Z"]),
    st.datetimes().map(lambda d: d.isoformat()),
    st.integers(-(10**16), 10**16),
)
NUMBERS = st.one_of(st.integers(), HUGE, st.floats(),
                    st.sampled_from(["15", " 12.5 ", "-3", "1e9", "NaN", "Infinity", "9" * 400]))
STATUS_WORDS = st.sampled_from([
    "queued", "initiated", "ringing", "in-progress", "completed", "busy", "no-answer", "failed", "canceled",
    "answered", "disconnected", "started", "active", "transferring", "rejected", "trying", "early-media",
    "alerting", "COMPLETED", "", " ", "weird",
])
CALL_KEYS = ("sid", "callId", "id", "call_sid", "status", "state", "call_status", "callState", "from", "to",
             "date_created", "start_time", "end_time", "startTime", "answerTime", "endTime", "enqueuedTime",
             "activeTime", "attempted_at", "answered_at", "terminated_at", "created_at", "duration",
             "chargeableDuration", "disconnectCause", "cause", "endReason", "errorMessage", "answered_by",
             "direction", "callUrl", "sip_status", "sip_reason")
ERROR_KEYS = ("code", "message", "more_info", "status", "type", "description", "id", "error", "msg", "errors",
              "category", "details")


def _key_value(key: str) -> st.SearchStrategy[Any]:
    if key in ("duration", "chargeableDuration", "sip_status", "code", "status"):
        extra: st.SearchStrategy[Any] = NUMBERS
    elif key.endswith(("time", "Time", "_at", "created")):
        extra = DATES
    elif key in ("status", "state", "call_status", "callState"):
        extra = STATUS_WORDS
    elif key in ("errors", "details"):
        extra = st.lists(st.dictionaries(st.sampled_from(["msg", "path", "param", "name", "value"]), json_values,
                                         max_size=3), max_size=3)
    else:
        extra = st.text(max_size=20)
    return st.one_of(extra, STATUS_WORDS, json_values)


call_objects = st.fixed_dictionaries({}, optional={key: _key_value(key) for key in CALL_KEYS})
error_objects = st.fixed_dictionaries({}, optional={key: _key_value(key) for key in ERROR_KEYS})


def _dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


bodies = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=100).map(str.encode),
    json_values.map(_dumps),
    call_objects.map(_dumps),
    error_objects.map(_dumps),
    st.sampled_from([b"", b" ", b"null", b"{}", b"[]", b'"x"', b"{\"sid\":", b"<html><title>502</title></html>",
                     b"\xff\xfe\x00", b"1e999", b"NaN", b"-Infinity", b"9" * 5000,
                     b'{"duration": ' + b"9" * 400 + b"}"]),
    st.integers(1, 200_000).map(lambda n: b"[" * n),
    st.integers(1, 50_000).map(lambda n: b'{"a":' * n),
    st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),  # valid JSON, too deep for some readers
    st.integers(1, 5000).map(lambda n: b'{"sid":' * n + b'"x"' + b"}" * n),
)
header_values = st.one_of(
    st.text(max_size=40), DATES.map(str), NUMBERS.map(str),
    st.sampled_from(["", "0", "-1", "3", "1.5", "inf", "-inf", "nan", "1e999", "99999999999999999999",
                     "https://api.example.com/v1/calls/c-123", "/calls/", "calls", "/", "?x=1", "https://x/a b"]),
)
headers = st.dictionaries(
    st.sampled_from(["location", "retry-after", "x-ratelimit-reset", "content-type", "x-other"]), header_values,
    max_size=4,
)
statuses = st.one_of(st.integers(100, 599), st.sampled_from([200, 201, 202, 204, 400, 401, 404, 409, 429, 503]))
