"""Properties of launcher.core.validate over randomly constrained FieldSpecs of every kind.

For any spec and any input: validation never raises and every message is a non-empty string.  When it
accepts, the normalized value honours every constraint of the spec and validates again to itself.
Values built to be valid are accepted, and every bound is accepted exactly at the bound and refused
just past it.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from launcher.core.schema import Endpoint, FieldKind, FieldSpec, ProviderSchema
from launcher.core.validate import ValidationResult, validate
from tests.property import strategies as S
from tests.property.checks import check_messages, within
from tests.property.profiles import profile

PROFILE = profile()
NAME = "f"

PATTERNS = [r"[a-z]+", r"[0-9A-F]{2,8}", r"\S+", r"[^,]*", r"[A-Za-z][A-Za-z0-9_-]*", r"x|yy|zzz"]
KEY_PATTERNS = [r"X-[A-Za-z0-9-]{1,20}", r"[a-z]+", r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"]
choice_words = st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=10)


# -- random specs -----------------------------------------------------------------------------------------
def _ordered(a: Any, b: Any) -> tuple[Any, Any]:
    if a is not None and b is not None and a > b:
        return b, a
    return a, b


@st.composite
def specs(draw: st.DrawFn, kind: FieldKind | None = None, depth: int = 0) -> FieldSpec:
    kinds = [k for k in FieldKind if depth == 0 or k is not FieldKind.OBJECT]
    kind = kind or draw(st.sampled_from(kinds))
    extra: dict[str, Any] = {"required": draw(st.booleans())}
    if kind is FieldKind.INT:
        extra["minimum"], extra["maximum"] = _ordered(draw(st.none() | st.integers(-10**9, 10**9)),
                                                      draw(st.none() | st.integers(-10**9, 10**9)))
    elif kind is FieldKind.NUMBER:
        bound = st.none() | st.floats(-1e9, 1e9, allow_nan=False) | st.integers(-1000, 1000)
        extra["minimum"], extra["maximum"] = _ordered(draw(bound), draw(bound))
        extra["decimals"] = draw(st.integers(0, 3))
    elif kind is FieldKind.TEXT:
        extra["min_length"], extra["max_length"] = _ordered(draw(st.none() | st.integers(0, 20)),
                                                            draw(st.none() | st.integers(1, 60)))
        extra["pattern"] = draw(st.none() | st.sampled_from(PATTERNS))
        extra["soft_max_length"] = draw(st.none() | st.integers(0, 60))
    elif kind is FieldKind.ENUM:
        extra["choices"] = tuple(draw(st.lists(choice_words, min_size=1, max_size=5, unique=True)))
        extra["choices_case_insensitive"] = draw(st.booleans())
    elif kind is FieldKind.LIST:
        if draw(st.booleans()):
            extra["choices"] = tuple(draw(st.lists(choice_words, min_size=1, max_size=6, unique_by=str.lower)))
            extra["choices_case_insensitive"] = draw(st.booleans())
        else:
            extra["pattern"] = draw(st.none() | st.sampled_from(PATTERNS[:3]))
        extra["max_items"] = draw(st.none() | st.integers(1, 6))
        longest = max((len(c) for c in extra.get("choices", ())), default=1)
        extra["item_max_length"] = draw(st.none() | st.integers(longest, 30))
    elif kind is FieldKind.MAP:
        extra["key_pattern"] = draw(st.none() | st.sampled_from(KEY_PATTERNS))
        extra["max_items"] = draw(st.none() | st.integers(1, 5))
        extra["item_max_length"] = draw(st.none() | st.integers(1, 30))
    elif kind is FieldKind.URL:
        extra["allow_https_only"] = draw(st.booleans())
        extra["max_length"] = draw(st.none() | st.integers(30, 200))
    elif kind is FieldKind.PHONE:
        extra["endpoints"] = frozenset(draw(st.sets(st.sampled_from(list(Endpoint)), min_size=0, max_size=4))
                                       | {Endpoint.E164})
        extra["special_values"] = tuple(draw(st.lists(st.sampled_from(["Anonymous", "Private", "Restricted"]),
                                                      max_size=2, unique=True)))
    elif kind is FieldKind.OBJECT:
        children = draw(st.lists(specs(depth=1), min_size=1, max_size=4, unique_by=lambda s: s.name))
        extra["children"] = tuple(children)
    name = NAME if depth == 0 else draw(st.from_regex(r"[a-z]{1,6}", fullmatch=True))
    return FieldSpec(name, draw(st.sampled_from(["Field", "Ring timeout", "X"])), kind, **extra)


def schema_of(spec: FieldSpec) -> ProviderSchema:
    return ProviderSchema(fields=(spec,))


def accepted(spec: FieldSpec, raw: Any, region: str | None = "US") -> ValidationResult:
    result = validate(schema_of(spec), {NAME: raw}, region)
    check_messages(result)
    return result


def check_any(spec: FieldSpec, raw: Any, region: str | None = "US") -> ValidationResult:
    """The properties every input must keep."""
    result = accepted(spec, raw, region)
    if result.ok:
        if NAME in result.values:
            within(spec, result.values[NAME])
        again = validate(schema_of(spec), result.values, region)
        check_messages(again)
        assert again.ok, f"normalized {result.values!r} no longer validates: {again.errors}"
        assert again.values == result.values, "validation is not idempotent"
    else:
        assert NAME not in result.values or spec.kind is FieldKind.OBJECT
    return result


# -- properties ---------------------------------------------------------------------------------------------
@PROFILE
@given(spec=specs(), raw=S.junk, region=st.sampled_from(["US", "GB", None, "", "zz", "DE"]))
def test_junk_never_raises(spec: FieldSpec, raw: Any, region: str | None) -> None:
    check_any(spec, raw, region)


@PROFILE
@given(spec=specs(), values=st.dictionaries(st.one_of(st.just(NAME), st.text(max_size=5)), S.junk, max_size=4))
def test_whole_request_junk_never_raises(spec: FieldSpec, values: dict[str, Any]) -> None:
    result = validate(schema_of(spec), values, "US")
    check_messages(result)
    for key in values:
        if key != NAME:
            assert key in result.errors, "an unknown field must be reported"


@PROFILE
@given(values=S.junk)
def test_non_mapping_request_is_reported(values: Any) -> None:
    result = validate(ProviderSchema(fields=(FieldSpec(NAME, "F", FieldKind.TEXT),)), values)
    check_messages(result)
    if not isinstance(values, Mapping):
        assert not result.ok and "" in result.errors


@PROFILE
@given(data=st.data(), spec=specs())
def test_valid_by_construction_is_accepted(data: st.DataObject, spec: FieldSpec) -> None:
    raw = data.draw(S.valid_value(spec, "US"), label="raw")
    result = check_any(spec, raw)
    assert result.ok, f"{raw!r} refused: {result.errors}"


@PROFILE
@given(spec=specs(FieldKind.PHONE), pair=S.phone_numbers("US"))
def test_phone_fields_normalize_to_e164(spec: FieldSpec, pair: tuple[str, str]) -> None:
    raw, e164 = pair
    result = check_any(spec, raw)
    assert result.ok, result.errors
    bare = Endpoint.BARE_NUMBER in spec.endpoints and re.fullmatch(r"\+?\d{1,20}", raw.strip())
    assert result.values[NAME] == (raw.strip() if bare else e164)


# -- bounds -------------------------------------------------------------------------------------------------
def _is_refused(spec: FieldSpec, raw: Any) -> bool:
    result = check_any(spec, raw)
    return not result.ok


@PROFILE
@given(spec=specs(FieldKind.INT), form=st.sampled_from([int, str, float]))
def test_int_bounds(spec: FieldSpec, form: type) -> None:
    def as_input(n: int) -> Any:
        return form(n) if form is not float or abs(n) < 2**52 else n

    for bound, past in ((spec.minimum, -1), (spec.maximum, 1)):
        if bound is None:
            continue
        at = int(bound)
        result = check_any(spec, as_input(at))
        assert result.ok and result.values[NAME] == at, result.errors
        assert _is_refused(spec, as_input(at + past))


@PROFILE
@given(spec=specs(FieldKind.NUMBER), as_text=st.booleans())
def test_number_bounds(spec: FieldSpec, as_text: bool) -> None:
    for bound, direction in ((spec.minimum, -math.inf), (spec.maximum, math.inf)):
        if bound is None:
            continue
        at = float(bound)
        result = check_any(spec, repr(at) if as_text and "e" not in repr(at) else at)
        assert result.ok and result.values[NAME] == at, result.errors
        assert _is_refused(spec, math.nextafter(at, direction))
        assert _is_refused(spec, at + (1 if direction > 0 else -1))


@PROFILE
@given(spec=specs(FieldKind.TEXT), fill=st.sampled_from(["a", "Z", "7", "é"]))
def test_text_length_bounds(spec: FieldSpec, fill: str) -> None:
    spec = FieldSpec(NAME, "Text", FieldKind.TEXT, min_length=spec.min_length, max_length=spec.max_length)
    if spec.max_length is not None:
        assert accepted(spec, fill * spec.max_length).ok == (spec.max_length >= (spec.min_length or 0))
        assert _is_refused(spec, fill * (spec.max_length + 1))
    if spec.min_length:
        at = accepted(spec, fill * spec.min_length)
        assert at.ok == (spec.max_length is None or spec.min_length <= spec.max_length)
        if spec.min_length > 1:
            assert _is_refused(spec, fill * (spec.min_length - 1))


@PROFILE
@given(spec=specs(FieldKind.LIST), data=st.data())
def test_list_bounds(spec: FieldSpec, data: st.DataObject) -> None:
    limit = data.draw(st.integers(1, 6))
    items = (list(spec.choices) if spec.choices else [f"i{n}" for n in range(8)])
    spec = FieldSpec(NAME, "List", FieldKind.LIST, choices=spec.choices, max_items=limit,
                     item_max_length=spec.item_max_length)
    if len(items) >= limit and all(len(i) <= (spec.item_max_length or 99) for i in items[:limit + 1]):
        assert accepted(spec, items[:limit]).ok
        if len(items) > limit:
            assert _is_refused(spec, items[:limit + 1])
    length = spec.item_max_length
    if length is not None and not spec.choices:
        spec = FieldSpec(NAME, "List", FieldKind.LIST, item_max_length=length)
        assert accepted(spec, ["x" * length]).ok
        assert _is_refused(spec, ["x" * (length + 1)])


@PROFILE
@given(limit=st.integers(1, 6), length=st.integers(1, 30), value=st.sampled_from(["v", 7, True, 1.5]))
def test_map_bounds(limit: int, length: int, value: Any) -> None:
    spec = FieldSpec(NAME, "Map", FieldKind.MAP, max_items=limit, item_max_length=length)
    if len(str(value)) <= length:
        assert accepted(spec, {f"k{n}": value for n in range(limit)}).ok
        assert _is_refused(spec, {f"k{n}": value for n in range(limit + 1)})
    assert accepted(spec, {"k": "x" * length}).ok
    assert _is_refused(spec, {"k": "x" * (length + 1)})


@PROFILE
@given(length=st.integers(24, 300), https_only=st.booleans())
def test_url_length_bound(length: int, https_only: bool) -> None:
    spec = FieldSpec(NAME, "URL", FieldKind.URL, max_length=length, allow_https_only=https_only)
    head = "https://example.com/"
    assert accepted(spec, head + "p" * (length - len(head))).ok
    assert _is_refused(spec, head + "p" * (length - len(head) + 1))
    assert accepted(spec, "http://example.com/").ok != https_only


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), -float("inf"), 10**400, -(10**5000), "1e999", "nan"],
                         ids=["nan", "inf", "-inf", "10^400", "-10^5000", "1e999-text", "nan-text"])
@pytest.mark.parametrize("kind", [FieldKind.INT, FieldKind.NUMBER])
def test_non_finite_and_huge_numbers_are_refused_not_raised(kind: FieldKind, raw: Any) -> None:
    spec = FieldSpec(NAME, "N", kind)
    result = check_any(spec, raw)
    assert not result.ok
