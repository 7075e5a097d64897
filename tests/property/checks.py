"""Assertions shared by the property tests: messages are readable, normalized values obey their spec."""

from __future__ import annotations

import math
import re
from typing import Any

from launcher.core.phone import CLIENT_RE, E164_RE, looks_like_sip, sip_uri_error
from launcher.core.schema import Endpoint, FieldKind, FieldSpec
from launcher.core.validate import ValidationResult


def check_messages(result: ValidationResult) -> None:
    assert isinstance(result.errors, dict) and isinstance(result.warnings, dict)
    for bucket in (result.errors, result.warnings):
        for path, messages in bucket.items():
            assert isinstance(path, str)
            assert messages, f"empty message list for {path!r}"
            for message in messages:
                assert isinstance(message, str) and message.strip(), f"blank message for {path!r}"
    for line in result.summary():
        assert isinstance(line, str)


def _finite_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def within(spec: FieldSpec, value: Any) -> None:
    """Assert that a normalized ``value`` honours every constraint of ``spec``."""
    kind = spec.kind
    if kind in (FieldKind.INT, FieldKind.NUMBER):
        if kind is FieldKind.INT:
            assert isinstance(value, int) and not isinstance(value, bool)
        assert _finite_number(value)
        assert spec.minimum is None or value >= spec.minimum
        assert spec.maximum is None or value <= spec.maximum
    elif kind is FieldKind.BOOL:
        assert isinstance(value, bool)
    elif kind is FieldKind.ENUM:
        assert value in spec.choices
    elif kind is FieldKind.TEXT:
        assert isinstance(value, str) and value.strip()
        assert spec.min_length is None or len(value) >= spec.min_length
        assert spec.max_length is None or len(value) <= spec.max_length
        assert spec.pattern is None or re.fullmatch(spec.pattern, value)
    elif kind is FieldKind.LIST:
        assert isinstance(value, list) and value and all(isinstance(v, str) and v.strip() == v and v for v in value)
        assert len(set(value)) == len(value)
        assert spec.max_items is None or len(value) <= spec.max_items
        assert not spec.choices or all(v in spec.choices for v in value)
        assert spec.item_max_length is None or all(len(v) <= spec.item_max_length for v in value)
        assert spec.pattern is None or all(re.fullmatch(spec.pattern, v) for v in value)
    elif kind is FieldKind.MAP:
        assert isinstance(value, dict) and value
        assert spec.max_items is None or len(value) <= spec.max_items
        for key, item in value.items():
            assert isinstance(key, str) and key.strip()
            assert spec.key_pattern is None or re.fullmatch(spec.key_pattern, key)
            assert isinstance(item, (str, bool)) or _finite_number(item), f"map value {item!r}"
            assert spec.item_max_length is None or len(str(item)) <= spec.item_max_length
    elif kind is FieldKind.URL:
        assert isinstance(value, str) and not any(c.isspace() for c in value)
        assert value.lower().startswith(("https://",) if spec.allow_https_only else ("http://", "https://"))
        assert spec.max_length is None or len(value) <= spec.max_length
    elif kind is FieldKind.SIP_URI:
        assert isinstance(value, str) and sip_uri_error(value) is None
        assert not any(c.isspace() for c in value)
    elif kind is FieldKind.PHONE:
        assert isinstance(value, str) and value == value.strip()
        if value in spec.special_values:
            return
        if looks_like_sip(value):
            assert Endpoint.SIP in spec.endpoints and sip_uri_error(value) is None
        elif value.lower().startswith("client:"):
            assert Endpoint.CLIENT in spec.endpoints and CLIENT_RE.match(value)
        elif Endpoint.TEXT in spec.endpoints and not E164_RE.match(value):
            # any caller text is passed on as typed (jambonz `from`), within its length
            assert value and (spec.max_length is None or len(value) <= spec.max_length)
        elif Endpoint.BARE_NUMBER in spec.endpoints and not value.startswith("+"):
            assert re.fullmatch(r"[0-9]{1,20}", value), f"bare number {value!r} is not ASCII digits"
        else:
            assert re.fullmatch(r"\+[1-9][0-9]{1,14}", value) and E164_RE.match(value), f"{value!r} is not E.164"
    elif kind is FieldKind.OBJECT:
        assert isinstance(value, dict) and value
        for key, item in value.items():
            child = spec.child(key)
            assert child is not None
            within(child, item)


