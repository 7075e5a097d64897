"""The generic validator: every field kind at its bounds, phone forms, nesting, unknown fields."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launcher.core.phone import format_as_you_type, parse_phone
from launcher.core.schema import Endpoint, FieldKind, FieldSpec, ProviderSchema
from launcher.core.validate import validate

SCHEMA = ProviderSchema(fields=(
    FieldSpec("to", "To", FieldKind.PHONE, required=True,
              endpoints=frozenset({Endpoint.E164, Endpoint.SIP, Endpoint.CLIENT})),
    FieldSpec("from", "From", FieldKind.PHONE, special_values=("Anonymous",)),
    FieldSpec("count", "Count", FieldKind.INT, minimum=1, maximum=600, unit="s"),
    FieldSpec("ratio", "Ratio", FieldKind.NUMBER, minimum=1, maximum=300, decimals=1),
    FieldSpec("note", "Note", FieldKind.TEXT, max_length=5, soft_max_length=3),
    FieldSpec("digits", "Digits", FieldKind.TEXT, pattern=r"[0-9wW#*]{1,4}", pattern_message="Digits only."),
    FieldSpec("hook", "Hook", FieldKind.URL),
    FieldSpec("secure", "Secure hook", FieldKind.URL, allow_https_only=True),
    FieldSpec("method", "Method", FieldKind.ENUM, choices=("GET", "POST"), choices_case_insensitive=True),
    FieldSpec("flag", "Flag", FieldKind.BOOL),
    FieldSpec("events", "Events", FieldKind.LIST, choices=("a", "b", "c"), max_items=2),
    FieldSpec("headers", "Headers", FieldKind.MAP, key_pattern=r"X-.+", key_message="Names start with X-.",
              max_items=2, item_max_length=4),
    FieldSpec("uri", "URI", FieldKind.SIP_URI),
    FieldSpec("target", "Target", FieldKind.OBJECT, children=(
        FieldSpec("type", "Type", FieldKind.ENUM, choices=("phone", "sip"), required=True),
        FieldSpec("number", "Number", FieldKind.PHONE),
    )),
))


def check(values: dict[str, Any], region: str | None = None) -> tuple[dict[str, Any], dict[str, list[str]]]:
    result = validate(SCHEMA, {"to": "+15555551212", **values}, region=region)
    return result.values, result.errors


@pytest.mark.parametrize(
    ("field", "good", "bad", "message"),
    [
        ("count", 1, 0, "Must be between 1 and 600 s."),
        ("count", 600, 601, "Must be between 1 and 600 s."),
        ("count", "42", "4.5", "Enter a whole number."),
        ("ratio", 1, 0.99, "Must be between 1 and 300."),
        ("ratio", "300", 300.01, "Must be between 1 and 300."),
        ("ratio", 12.5, "abc", "Enter a number, like 30 or 12.5."),
        ("note", "12345", "123456", "Use at most 5 characters (now 6)."),
        ("digits", "12w#", "12x", "Digits only."),
        ("hook", "https://example.com/a?b=c", "example.com/a", "Use a full URL starting with https://"),
        ("hook", "http://127.0.0.1:8080/x", "https://bad_host.com/", "Host names cannot contain underscores."),
        ("secure", "https://example.com", "http://example.com", "This URL must use https://."),
        ("method", "post", "PUT", "Choose one of: GET, POST."),
        ("flag", "yes", "maybe", "Use true or false."),
        ("events", ["a", "b"], ["a", "b", "c"], "At most 2 entries (now 3)."),
        ("events", "a,b", ["a", "z"], "'z' is not allowed."),
        ("headers", {"X-A": "1234"}, {"X-A": "12345"}, "longer than 4 characters"),
        ("headers", {"X-A": "1", "X-B": "2"}, {"X-A": "1", "X-B": "2", "X-C": "3"}, "At most 2 entries"),
        ("headers", {"X-Ok": "v"}, {"Bad": "v"}, "Names start with X-."),
        ("uri", "sip:alice@example.com:5060;transport=tls", "alice@example.com", "Use a SIP URI like"),
        ("from", "anonymous", "+1", "Use E.164 format"),
    ],
)
def test_each_kind_accepts_its_bound_and_rejects_just_past_it(field: str, good: Any, bad: Any, message: str) -> None:
    _, errors = check({field: good})
    assert errors == {}
    _, errors = check({field: bad})
    assert field in errors
    assert message in errors[field][0]


def test_normalized_values_are_typed_and_canonical() -> None:
    values, errors = check({"count": "30", "ratio": "2.5", "method": "post", "flag": "off", "from": "ANONYMOUS",
                            "events": "a, b"})
    assert errors == {}
    assert values == {"to": "+15555551212", "count": 30, "ratio": 2.5, "method": "POST", "flag": False,
                      "from": "Anonymous", "events": ["a", "b"]}


def test_soft_limit_warns_without_blocking() -> None:
    result = validate(SCHEMA, {"to": "+15555551212", "note": "1234"})
    assert result.ok
    assert result.warnings == {"note": ["Older documentation allows at most 3 characters."]}
    assert validate(SCHEMA, {"to": "+15555551212", "note": "123"}).warnings == {}


@pytest.mark.parametrize(
    ("typed", "region", "expected"),
    [
        ("(555) 555-1212", "US", "+15555551212"),
        ("+1 (555) 555-1212", None, "+15555551212"),
        ("020 7183 8750", "GB", "+442071838750"),
        ("0044 20 7183 8750", None, "+442071838750"),
    ],
)
def test_phone_numbers_normalize_with_the_region(typed: str, region: str | None, expected: str) -> None:
    assert parse_phone(typed, region).e164 == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("555-1212", "Add the country code"),
        ("+1555", "Too few digits"),
        ("+1234567890123456", "Too many digits"),
        ("call me", "digits only"),
        ("+999 1234567", "Unknown country code"),
    ],
)
def test_bad_phone_numbers_say_what_is_wrong(typed: str, message: str) -> None:
    _, errors = check({"to": typed})
    assert message in errors["to"][0]
    assert "Also accepted: a SIP URI" in errors["to"][0]


def test_endpoint_forms_are_only_accepted_where_allowed() -> None:
    assert check({"to": "client:alice"})[1] == {}
    assert check({"to": "sip:bob@example.com"})[1] == {}
    _, errors = check({"from": "sip:bob@example.com"})
    assert errors["from"] == ["From must be a phone number here, not a SIP URI."]


def test_nested_objects_report_dotted_paths_and_unknown_members() -> None:
    values, errors = check({"target": {"type": "web", "number": "+1 555 555 1212", "extra": 1}, "bogus": 2})
    assert errors["target.type"] == ["Choose one of: phone, sip."]
    assert errors["target.extra"] == ["Unknown field 'extra'."]
    assert errors["bogus"] == ["Unknown field 'bogus'."]
    assert values["target"] == {"number": "+15555551212"}
    _, errors = check({"target": {"number": "+15555551212"}})
    assert errors == {"target.type": ["Type is required."]}


def test_required_and_empty_values() -> None:
    result = validate(SCHEMA, {"to": "  ", "note": "", "events": [], "headers": {}})
    assert result.errors == {"to": ["To is required."]}
    assert result.values == {}


def test_values_of_the_wrong_shape_are_errors_not_crashes() -> None:
    _, errors = check({"target": "phone", "headers": ["X-A"], "events": {"a": 1}, "note": ["x"], "count": True})
    assert set(errors) == {"target", "headers", "events", "note", "count"}
    assert validate(SCHEMA, ["not", "a", "mapping"]).errors == {"": ["The request must be an object of named fields."]}  # type: ignore[arg-type]


def test_format_as_you_type_keeps_every_digit() -> None:
    assert format_as_you_type("5555551212", "US") == "(555) 555-1212"
    assert format_as_you_type("+442071838750", "US").replace(" ", "") == "+442071838750"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([f.name for f in SCHEMA.fields] + ["zzz"]), json_values, max_size=8),
       st.sampled_from([None, "US", "GB", "DE"]))
def test_no_input_crashes_the_validator(values: dict[str, Any], region: str | None) -> None:
    result = validate(SCHEMA, values, region=region)
    assert all(isinstance(m, str) and m for messages in result.errors.values() for m in messages)
    if result.ok:
        assert validate(SCHEMA, result.values, region=region).values == result.values


def test_a_fields_own_error_is_not_repeated_by_a_cross_field_rule() -> None:
    """An invalid Url is dropped from the readable values; the rule "set one of Url, Twiml or
    ApplicationSid" must not then also claim Url is missing."""
    from launcher.core.providers import get_adapter

    schema = get_adapter("twilio").schema
    base = {"To": "+15555551212", "From": "+15555551313"}
    invalid = validate(schema, {**base, "Url": "notaurl"})
    assert invalid.errors["Url"] == ["Use a full URL starting with https://, like https://example.com/voice."]
    missing = validate(schema, base)
    assert missing.errors["Url"] == ["Set one of Url, Twiml or ApplicationSid: Twilio needs instructions for the call."]
    assert not invalid.ok and not missing.ok
