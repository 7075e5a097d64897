"""View › Compact (Ctrl+Shift+M): a softphone-sized window — profile, To with dial pad, Call / Hang up,
the live call with its timer, recent calls — remembered across starts; nothing typed is lost."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import sandbox_client
from launcher.sandbox.engine import Engine, SandboxConfig
from launcher.ui.compact_layout import COMPACT_SIZE
from launcher.ui.main_window import MainWindow
from launcher.view.context import build_context


def digits(text: object) -> str:
    return "".join(c for c in str(text) if c.isdigit())


@pytest.fixture
def engine() -> Engine:
    return Engine(SandboxConfig(speed=25.0))


@pytest.fixture
def open_window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine,
                tmp_path: Path) -> Iterator[object]:
    from keyring.backends import fail

    opened: list[MainWindow] = []

    def make() -> MainWindow:
        context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(fail.Keyring()))
        main = MainWindow(context, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        opened.append(main)
        return main

    yield make
    from shiboken6 import isValid

    for main in opened:
        controller, history = main.controller, main.context.history
        if isValid(main):
            main.close()
        if isValid(controller):
            controller.cancel_all()
            qtbot.waitUntil(lambda: not controller.busy_tasks(), timeout=5000)  # noqa: B023 - waited for here
        history.close()


def test_compact_layout_is_a_small_softphone_and_is_remembered(open_window: object, qtbot: QtBot,
                                                              engine: Engine) -> None:
    window: MainWindow = open_window()  # type: ignore[operator]
    from_before = window.form.field_value("from")
    assert from_before
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+M"))
    assert window.layout_modes.compact and window.compact_action.isChecked()
    qtbot.waitUntil(lambda: window.width() <= COMPACT_SIZE.width() + 20, timeout=3000)
    assert window.height() <= COMPACT_SIZE.height() + 20

    to_editor, from_editor = window.form.editor("to"), window.form.editor("from")
    assert to_editor is not None and from_editor is not None
    assert to_editor.isVisible() and not from_editor.isVisible()  # To only; From keeps its value
    assert not window.tabs.isVisible()
    assert window.calls_panel.isVisible() and window.calls_panel.window() is window
    assert window.call_button.isVisible() and window.profile_bar.combo.isVisible()

    # The dial pad sits inline under To here, and types into it.
    window.dialpad_button.click()
    assert window.dialpad.isVisible() and window.dialpad.window() is window
    window.form.set_field_value("to", "+1555555010")
    qtbot.mouseClick(window.dialpad.key("0"), Qt.MouseButton.LeftButton)
    assert digits(window.form.field_value("to")) == "15555550100"

    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    card = window.calls_panel.card
    qtbot.waitUntil(lambda: card.status_label.text() == "In call", timeout=10000)
    assert card.hang_up_button.isVisible() and card.hang_up_button.isEnabled()
    assert not card.details_box.isVisible() and not window.calls_panel.raw_side.isVisible()
    qtbot.waitUntil(lambda: card.timer_label.text().startswith("0:0"), timeout=5000)
    qtbot.mouseClick(card.hang_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.status_label.text() == "You hung up", timeout=10000)
    assert engine.create_requests == 1

    # Remembered: the next start opens compact.
    window.close()
    again: MainWindow = open_window()  # type: ignore[operator]
    assert again.layout_modes.compact and again.compact_action.isChecked()
    assert again.width() <= COMPACT_SIZE.width() + 20

    # Back to the full layout: every field is there with its value.
    again.compact_action.trigger()
    assert not again.layout_modes.compact
    from_editor = again.form.editor("from")
    assert from_editor is not None and from_editor.isVisible()
    assert again.form.field_value("from") == from_before
    assert again.tabs.isVisible() and again.tabs.indexOf(again.calls_panel) == 0
    assert again.width() > COMPACT_SIZE.width() + 100


def test_the_full_layout_dial_pad_drops_down_without_squeezing_the_form(open_window: object,
                                                                      qtbot: QtBot) -> None:
    window: MainWindow = open_window()  # type: ignore[operator]
    form_height = window.form.height()
    window.dialpad_button.click()
    popup = window.dialpad_placement.popup
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert window.dialpad.window() is popup
    assert window.form.height() == form_height
    window.form.set_field_value("to", "+1555")
    qtbot.keyClick(window.dialpad, Qt.Key.Key_7)
    assert digits(window.form.field_value("to")) == "15557"
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=3000)
    assert not window.dialpad_button.isChecked()


def test_compact_dial_pad_during_a_call_takes_the_list_s_place_not_the_card_s(open_window: object,
                                                                           qtbot: QtBot) -> None:
    window: MainWindow = open_window()  # type: ignore[operator]
    window.layout_modes.set_compact(True)
    qtbot.waitUntil(lambda: window.width() <= COMPACT_SIZE.width() + 20, timeout=3000)
    window.form.set_field_value("to", "+15555550100")
    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    panel = window.calls_panel
    card = panel.card
    qtbot.waitUntil(lambda: card.status_label.text() == "In call", timeout=10000)
    assert panel.list_side.isVisible()

    window.dialpad_button.click()
    assert window.dialpad.isVisible()
    assert not panel.list_side.isVisible()  # the pad replaces the recent calls
    qtbot.waitUntil(lambda: card.timer_label.text().startswith("0:0"), timeout=5000)
    viewport = panel.card_scroll.viewport()
    for widget in (card.status_label, card.timer_label, card.hang_up_button):
        top = widget.mapTo(viewport, QPoint(0, 0)).y()
        assert widget.isVisible() and top >= 0 and top + widget.height() <= viewport.height(), widget.accessibleName()
    screen = window.screen()
    assert screen is not None and window.frameGeometry().height() <= screen.availableGeometry().height()

    window.dialpad_button.click()
    assert panel.list_side.isVisible()
