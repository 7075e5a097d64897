"""The dial pad: keys, letters, hold-0-for-plus, backspace, keyboard input and font-relative size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from launcher.ui.form import DialPad


@pytest.fixture
def pad(qtbot: QtBot) -> DialPad:
    widget = DialPad()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def collect(pad: DialPad) -> list[str]:
    keys: list[str] = []
    pad.key_pressed.connect(keys.append)
    pad.backspace_pressed.connect(lambda: keys.append("⌫"))
    return keys


def test_keys_read_like_a_phone_and_have_accessible_names(pad: DialPad) -> None:
    assert pad.key("2").letters == "ABC" and pad.key("7").letters == "PQRS" and pad.key("9").letters == "WXYZ"
    assert pad.key("5").accessibleName() == "Dial 5"
    assert pad.key("*").accessibleName() == "Dial star"
    assert pad.key("#").accessibleName() == "Dial pound"
    assert pad.key("+").accessibleName() == "Dial plus"
    assert pad.key("0").accessibleDescription() == "Hold for +"
    assert pad.key("⌫").accessibleName() == "Delete last digit"
    assert pad.accessibleName() == "Dial pad"


def test_clicking_each_key_emits_it(pad: DialPad, qtbot: QtBot) -> None:
    keys = collect(pad)
    for symbol in "123456789*0#+⌫":
        qtbot.mouseClick(pad.key(symbol), Qt.MouseButton.LeftButton)
    assert keys == list("123456789*0#+⌫")


def test_holding_zero_gives_plus_instead_of_zero(pad: DialPad, qtbot: QtBot) -> None:
    keys = collect(pad)
    zero = pad.key("0")
    qtbot.mousePress(zero, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: keys == ["+"], timeout=3000)
    qtbot.mouseRelease(zero, Qt.MouseButton.LeftButton)
    assert keys == ["+"]
    qtbot.mouseClick(zero, Qt.MouseButton.LeftButton)  # a short tap is still 0
    assert keys == ["+", "0"]


def test_the_keyboard_dials_when_the_pad_has_focus(pad: DialPad, qtbot: QtBot) -> None:
    keys = collect(pad)
    pad.setFocus()
    qtbot.waitUntil(pad.hasFocus)
    qtbot.keyClicks(pad, "0123456789*#+x")  # letters are not dialled
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    assert keys == [*"0123456789*#+", "⌫"]


def test_a_typed_key_flashes_its_button(pad: DialPad, qtbot: QtBot) -> None:
    pad.setFocus()
    qtbot.keyClicks(pad, "5")
    assert pad.key("5").isDown()
    qtbot.waitUntil(lambda: not pad.key("5").isDown())


def test_keys_grow_with_the_font(pad: DialPad) -> None:
    before = pad.key("5").sizeHint()
    font = pad.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    pad.setFont(font)
    after = pad.key("5").sizeHint()
    assert after.width() > before.width() * 1.5 and after.height() > before.height() * 1.5
    assert pad.key("5").minimumSizeHint().height() >= pad.key("5").fontMetrics().height() * 2


def test_a_center_widget_sits_between_plus_and_backspace(pad: DialPad, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton

    call = QPushButton("Call")
    pad.set_center_widget(call)
    qtbot.waitUntil(call.isVisible)
    assert pad.key("+").geometry().right() < call.geometry().left()
    assert call.geometry().right() < pad.key("⌫").geometry().left()


@pytest.mark.parametrize("point_size", [9.0, 18.0])
def test_digit_and_letters_do_not_overlap_at_the_smallest_key(qtbot: QtBot, point_size: float) -> None:
    """At 100 % and 200 % a squeezed key still shows "2" above "ABC" and "0" above "+", apart."""
    from PySide6.QtGui import QFont, QFontMetrics

    from launcher.ui.form.dialpad import DialKey

    for symbol, letters in (("2", "ABC"), ("0", "+"), ("7", "PQRS")):
        key = DialKey(symbol, letters)
        qtbot.addWidget(key)
        font = QFont(key.font())
        font.setPointSizeF(point_size)
        key.setFont(font)
        key.resize(key.minimumSizeHint())
        big, symbol_rect, small, letters_rect = key.text_layout()
        assert not symbol_rect.intersects(letters_rect)
        assert symbol_rect.height() >= QFontMetrics(big).height()
        assert letters_rect.height() >= QFontMetrics(small).height()
        assert key.rect().contains(symbol_rect) and key.rect().contains(letters_rect)
        assert big.pointSizeF() > point_size
