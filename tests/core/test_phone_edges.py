"""Phone numbers and SIP URIs at the edges a small change of ``launcher.core.phone`` would move."""

from __future__ import annotations

import dataclasses

import pytest

from launcher.core.phone import PhoneCheck, _reads_back, hidden_character_error, parse_phone, sip_uri_error

HIDES = "that hides what would be dialled; remove it and type the address again."


def test_a_sip_uri_with_a_hidden_character_names_it() -> None:
    assert sip_uri_error("sip:moc.evil\u202e@x.com") == (
        f"Contains an invisible or control character (U+202E RIGHT-TO-LEFT OVERRIDE) {HIDES}")


def test_a_control_character_without_a_name_is_called_one() -> None:
    assert hidden_character_error("+1555\x07") == (
        f"Contains an invisible or control character (U+0007 control character) {HIDES}")
    assert hidden_character_error("sip:alice@example.com") is None


@pytest.mark.parametrize(("typed", "message"), [
    # a length between the country's shortest and longest that no number of it has
    ("+40 222 222 2", "This is not a possible number for country code +40 (RO)."),
    # +7 numbers that fit neither Russia nor Kazakhstan: no region to name
    ("+7 222 222 22222", "This is not a possible number for country code +7."),
])
def test_a_length_the_country_never_uses_is_not_possible(typed: str, message: str) -> None:
    assert parse_phone(typed) == PhoneCheck(None, message)


def test_a_phone_check_is_an_immutable_value() -> None:
    check = parse_phone("+1 555 555 1212")
    assert check == PhoneCheck("+15555551212")
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.e164 = "+15555550000"  # type: ignore[misc]


@pytest.mark.parametrize(("char", "named"), [
    ("\x07", "U+0007 control character"),  # Cc
    ("\u200b", "U+200B ZERO WIDTH SPACE"),  # Cf
    ("\u2028", "U+2028 LINE SEPARATOR"),  # Zl
    ("\u2029", "U+2029 PARAGRAPH SEPARATOR"),  # Zp
    ("\ue000", "U+E000 control character"),  # Co: private use, no name
    ("\u0378", "U+0378 control character"),  # Cn: unassigned
])
def test_every_hidden_category_is_refused(char: str, named: str) -> None:
    assert hidden_character_error(f"sip:al{char}ice@example.com") == (
        f"Contains an invisible or control character ({named}) {HIDES}")


def test_more_digits_than_any_number_has_are_refused_before_reading() -> None:
    # 19 national digits: libphonenumber refuses to read it at all (over 17)
    assert parse_phone("+1" + "5" * 19) == PhoneCheck(None, "Too many digits: E.164 numbers have at most 15 digits.")


def test_a_form_that_cannot_be_read_again_does_not_read_back() -> None:
    assert _reads_back("+999") is False
    assert _reads_back("+15555551212") is True
