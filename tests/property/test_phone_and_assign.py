"""Properties of launcher.core.phone (numbers, SIP URIs) and launcher.core.assign (the CLI's --set).

Neither ever raises on arbitrary text; what they accept has the documented shape; and a valid request
written as --set assignments reads back (assign, then validate) to exactly the same values.
"""

from __future__ import annotations

import json
import re
import string
from typing import Any

import phonenumbers
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from launcher.core.assign import apply_assignments
from launcher.core.phone import format_as_you_type, is_valid_region, looks_like_sip, parse_phone, sip_uri_error
from launcher.core.schema import FieldKind, FieldSpec, ProviderSchema
from launcher.core.validate import validate
from tests.property import strategies as S
from tests.property.checks import check_messages
from tests.property.profiles import profile
from tests.property.provider_values import ADAPTERS, valid_requests

PROFILE = profile()
PROVIDERS = sorted(ADAPTERS)
E164 = re.compile(r"\+[1-9][0-9]{1,14}")

phone_like = st.one_of(
    st.text(max_size=40),
    st.text("+0123456789 ()-./", max_size=30),
    st.text("+0123456789٠١٢٣٤٥٦٧٨٩０１２３", max_size=25),
    st.from_regex(r"(\+|00)?[0-9 ()-]{1,40}", fullmatch=True),
    st.integers(0, 10**30).map(lambda n: f"+{n}"),
    st.sampled_from(["", " ", "+", "00", "0044", "+1 (555) 555-1212", "555-555-1212", "tel:+15555551212",
                     "+" + "9" * 300, "1" * 300, "+15555551212\n", "\u200b+15555551212"]),
)
regions = st.one_of(st.none(), st.sampled_from(["US", "GB", "DE", "IN", "", "zz", "ZZ", "001", "us"]),
                    st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)), st.text(max_size=4))


# -- phone numbers -------------------------------------------------------------------------------------------
@PROFILE
@given(text=phone_like, region=regions)
@example("+49000000", None)  # read again, libphonenumber dropped a zero on every round
@example("+49000001", None)
def test_parse_phone_never_raises(text: str, region: str | None) -> None:
    check = parse_phone(text, region)
    assert (check.e164 is None) != (check.error is None), check
    if check.e164 is not None:
        assert E164.fullmatch(check.e164), check.e164
        assert parse_phone(check.e164, region).e164 == check.e164, "E.164 output must read back as itself"
    else:
        assert isinstance(check.error, str) and check.error.strip()


@PROFILE
@given(pair=st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)).flatmap(
    lambda region: st.tuples(st.just(region), S.phone_numbers(region))))
def test_parse_phone_reads_example_numbers(pair: tuple[str, tuple[str, str]]) -> None:
    region, (text, e164) = pair
    assert parse_phone(text, region).e164 == e164


@PROFILE
@given(text=st.one_of(phone_like, st.text(max_size=30)), region=regions)
def test_format_as_you_type_keeps_every_digit(text: str, region: str | None) -> None:
    shown = format_as_you_type(text, region or "")
    assert isinstance(shown, str)
    typed = [c for c in text if c in string.digits]
    if typed and all(c in string.digits + "+ ()-" for c in text):
        assert [c for c in shown if c in string.digits] == typed, shown
    assert isinstance(is_valid_region(region or ""), bool)


# -- SIP URIs ---------------------------------------------------------------------------------------------------
sip_like = st.one_of(
    st.text(max_size=40),
    st.text(max_size=30).map(lambda s: "sip:" + s),
    S.sip_uris().flatmap(lambda uri: st.sampled_from([uri, uri + "\n", " " + uri, uri + " x", uri.replace("@", "@@"),
                                                       uri + ":99999", uri.replace("sip", "sIpS", 1)])),
    st.sampled_from(["sip:", "sips:", "sip:@", "sip:a@", "sip:a@b:0", "sip:a@b:65535", "sip:a@b:65536",
                     "sip:a@[::1]", "sip:a@[zz]", "sip:a b@c", "sip:a@b;x", "sip:a@b?c=d", "SIP:A@B"]),
)


@PROFILE
@given(text=sip_like, allow_sips=st.booleans())
@example("sip:alice@example.com\n", True)  # "$" in the pattern once let a trailing newline through
@example("sips:alice@example.com", False)
def test_sip_uri_check_never_raises(text: str, allow_sips: bool) -> None:
    message = sip_uri_error(text, allow_sips)
    assert isinstance(looks_like_sip(text), bool)
    if message is None:
        assert looks_like_sip(text), text
        assert not any(c.isspace() for c in text), f"accepted a SIP URI with white space: {text!r}"
        assert allow_sips or not text.lower().startswith("sips:")
    else:
        assert isinstance(message, str) and message.strip()


@PROFILE
@given(uri=S.sip_uris())
def test_sip_uris_are_accepted(uri: str) -> None:
    assert sip_uri_error(uri) is None


# -- --set assignments ---------------------------------------------------------------------------------------
def _paths(schema: ProviderSchema) -> list[str]:
    return [path for path, _spec in schema.walk()]


def assignments(schema: ProviderSchema) -> st.SearchStrategy[list[str]]:
    paths = _paths(schema)
    path = st.one_of(
        st.sampled_from(paths),
        st.sampled_from(paths).map(str.lower),
        st.sampled_from(paths).map(lambda p: p + ".x"),
        st.sampled_from(paths).map(lambda p: p[:-1]),
        st.text(max_size=12),
    )
    value = st.one_of(
        st.text(max_size=30),
        S.json_values.map(json.dumps),
        st.sampled_from(["{", "[", "{}", "[]", "null", "{\"a\": {\"b\": 1}}", "[1, [2]]", "true", " [1] "]),
        st.integers(1, 100_000).map(lambda n: "[" * n),
        st.integers(1, 5000).map(lambda n: "[" * n + "]" * n),
    )
    item = st.one_of(st.text(max_size=40), st.tuples(path, value).map(lambda pv: f"{pv[0]}={pv[1]}"))
    return st.lists(item, max_size=8)


@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(data=st.data())
def test_assignments_never_raise(provider: str, data: st.DataObject) -> None:
    schema = ADAPTERS[provider].schema
    texts = data.draw(assignments(schema), label="assignments")
    values, problems = apply_assignments(schema, texts)
    assert isinstance(values, dict)
    for path, messages in problems.items():
        assert isinstance(path, str)
        assert messages and all(isinstance(m, str) and m.strip() for m in messages)
    check_messages(validate(schema, values, "US"))


def _leaf(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_assignments(specs: tuple[FieldSpec, ...], values: dict[str, Any], prefix: str = "") -> list[str]:
    """Normalized values written the way the README documents --set."""
    out: list[str] = []
    for spec in specs:
        if spec.name not in values:
            continue
        value, path = values[spec.name], prefix + spec.name
        if spec.kind is FieldKind.OBJECT:
            out += as_assignments(spec.children, value, path + ".")
        elif spec.kind is FieldKind.MAP:
            out.append(f"{path}={json.dumps(value)}")
        elif spec.kind is FieldKind.LIST:
            if any(item.strip()[:1] in ("[", "{") for item in value):
                out.append(f"{path}={json.dumps(value)}")  # one flag per item would read it as JSON
            else:
                out += [f"{path}={item}" for item in value]
        else:
            out.append(f"{path}={_leaf(value)}")
    return out


@pytest.mark.parametrize("provider", PROVIDERS)
@PROFILE
@given(data=st.data())
def test_valid_requests_survive_the_command_line(provider: str, data: st.DataObject) -> None:
    adapter = ADAPTERS[provider]
    values, region = data.draw(valid_requests(adapter), label="values, region")
    result = validate(adapter.schema, values, region)
    assert result.ok, result.errors
    texts = as_assignments(adapter.schema.fields, result.values)
    parsed, problems = apply_assignments(adapter.schema, texts)
    assert not problems, problems
    again = validate(adapter.schema, parsed, region)
    assert again.ok, again.errors
    assert again.values == result.values


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("text", ["tag=" + "[" * 100_000, "tag=" + "{\"a\":" * 50_000, "to=" + "[" * 3000 + "]" * 3000,
                                  "=", "==", ".=x", "to.=x", "to..type=phone", "\udcff=1", "tag.\udcff=\udcff"],
                         ids=["deep-list", "deep-object", "deep-valid", "empty", "equals", "dot", "trailing-dot",
                              "double-dot", "surrogate", "surrogate-key"])
def test_awkward_assignments(provider: str, text: str) -> None:
    """--set texts that once raised (JSON nested too deeply for the parser) are reported as problems."""
    schema = ADAPTERS[provider].schema
    values, problems = apply_assignments(schema, [text])
    for messages in problems.values():
        assert messages and all(m.strip() for m in messages)
    check_messages(validate(schema, values, "US"))
