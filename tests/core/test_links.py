"""tel: (RFC 3966), callto: and sip: links."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from launcher.core.links import LinkError, LinkTarget, looks_like_link, parse_link


@pytest.mark.parametrize(
    ("link", "region", "expected"),
    [
        ("tel:+15555551313", None, LinkTarget("phone", "+15555551313")),
        ("tel:+1-555-555-1313", None, LinkTarget("phone", "+15555551313")),
        ("tel:+1.555.555.1313", None, LinkTarget("phone", "+15555551313")),
        ("tel:+1(555)555-1313", None, LinkTarget("phone", "+15555551313")),
        ("tel:%2B15555551313", None, LinkTarget("phone", "+15555551313")),
        ("tel://+15555551313", None, LinkTarget("phone", "+15555551313")),
        ("TEL:+44 20 7183 8750", None, LinkTarget("phone", "+442071838750")),
        ("tel:+1-201-555-0123;ext=42", None, LinkTarget("phone", "+12015550123", "42")),
        ("tel:+1-201-555-0123;ext=4-2;isub=1411", None, LinkTarget("phone", "+12015550123", "42")),
        ("tel:555-1313;phone-context=+1-914", None, LinkTarget("phone", "+19145551313")),
        ("tel:(555) 555-1313", "US", LinkTarget("phone", "+15555551313")),
        ("tel:020 7183 8750", "GB", LinkTarget("phone", "+442071838750")),
        ("callto:+15555551313", None, LinkTarget("phone", "+15555551313")),
        ("callto://+15555551313", None, LinkTarget("phone", "+15555551313")),
        ("callto:5555551313", "US", LinkTarget("phone", "+15555551313")),
        ("sip:alice@example.com", None, LinkTarget("sip", "sip:alice@example.com")),
        ("sip:+15555551313@gw.example.com;user=phone", None,
         LinkTarget("sip", "sip:+15555551313@gw.example.com;user=phone")),
        ("sips:bob@example.com:5061;transport=tls", None, LinkTarget("sip", "sips:bob@example.com:5061;transport=tls")),
    ],
)
def test_links_are_read_as_a_destination(link: str, region: str | None, expected: LinkTarget) -> None:
    target = parse_link(link, region)
    assert (target.kind, target.value, target.extension) == (expected.kind, expected.value, expected.extension)
    assert target.original == link


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("http://example.com", "is not a phone link"),
        ("tel:", "has no number"),
        ("tel:call-me-maybe", "does not contain a phone number"),
        ("tel:+1555", "Too few digits"),
        ("tel:5555551313", "Add the country code"),
        ("tel:+15555551313;ext=abc", "extension that is not digits"),
        ("tel:+15555551313;ext=1;ext=2", "repeats the parameter"),
        ("tel:+15555551313;=x", "malformed parameter"),
        ("callto:alice.smith", "names a contact"),
        ("sip:", "not a usable SIP address"),
        ("sip:alice@", "not a usable SIP address"),
    ],
)
def test_junk_is_rejected_with_a_clear_reason(link: str, message: str) -> None:
    with pytest.raises(LinkError) as caught:
        parse_link(link)
    assert message in str(caught.value)


def test_looks_like_link() -> None:
    assert looks_like_link("tel:+1") and looks_like_link(" SIP:a@b") and looks_like_link("callto:1")
    assert not looks_like_link("providers") and not looks_like_link("--version")


@given(st.text(max_size=60), st.sampled_from([None, "US", "GB"]))
def test_no_input_crashes_the_parser(text: str, region: str | None) -> None:
    for candidate in (text, f"tel:{text}", f"callto:{text}", f"sip:{text}"):
        try:
            target = parse_link(candidate, region)
        except LinkError as exc:
            assert str(exc)
        else:
            assert target.kind in ("phone", "sip") and target.value


@pytest.mark.parametrize(("link", "message"), [
    ("tel:John%20Smith", "'tel:John Smith' does not contain a phone number (only digits, +, and - . ( ) are allowed)."),
    ("callto:Jane%20Doe%40work", "'callto:Jane Doe@work' names a contact, not a phone number."),
    ("tel:a%0Ab", "'tel:a?b' does not contain a phone number (only digits, +, and - . ( ) are allowed)."),
])
def test_a_link_is_quoted_as_people_wrote_it_not_percent_encoded(link: str, message: str) -> None:
    with pytest.raises(LinkError) as caught:
        parse_link(link)
    assert str(caught.value) == message
