"""Call › Send without local checks…: the real window against the in-process sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from launcher.core.history import AttemptStatus
from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import sandbox_client
from launcher.sandbox.engine import Engine, SandboxConfig
from launcher.ui.main_window import MainWindow
from launcher.view.context import build_context
from tests.ui.test_main_window import type_into


@pytest.fixture
def engine() -> Engine:
    return Engine(SandboxConfig(speed=25.0))


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path) -> Iterator[MainWindow]:
    from keyring.backends import fail

    context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(fail.Keyring()))
    main = MainWindow(context, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    main.controller.cancel_all()
    qtbot.waitUntil(lambda: not main.controller.busy_tasks(), timeout=5000)
    context.history.close()


def confirmation(window: MainWindow) -> QMessageBox:
    box = window.findChild(QMessageBox, "uncheckedSendConfirm")
    assert isinstance(box, QMessageBox) and box.isVisible()
    return box


def test_the_action_asks_then_sends_once_and_marks_history(window: MainWindow, qtbot: QtBot, engine: Engine) -> None:
    action = window.menu_actions["unchecked"]
    assert action.text() == "Send &without local checks…"
    type_into(qtbot, window, "Timeout", "0")
    qtbot.waitUntil(lambda: not window.call_button.isEnabled(), timeout=3000)
    action.trigger()
    box = confirmation(window)
    assert "Timeout: " in box.text() and "marked in the history" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "uncheckedSendConfirm") is None)
    assert engine.create_requests == 0  # cancelled: nothing sent
    action.trigger()
    box = confirmation(window)
    send = next(b for b in box.buttons() if b.text() == "Send anyway")
    send.click()
    qtbot.waitUntil(lambda: window.context.history.count() == 1
                    and window.context.history.query()[0].status is AttemptStatus.REJECTED, timeout=5000)
    (attempt,) = window.context.history.query()
    assert engine.create_requests == 1  # the provider (sandbox) judged it: Timeout 0 is refused
    assert attempt.skipped_checks and attempt.skipped_checks[0].startswith("Timeout: ")
    assert attempt.values["Timeout"] == 0


def test_with_nothing_to_skip_it_is_an_ordinary_call(window: MainWindow, qtbot: QtBot, engine: Engine) -> None:
    window.menu_actions["unchecked"].trigger()
    assert window.findChild(QMessageBox, "uncheckedSendConfirm") is None
    qtbot.waitUntil(lambda: engine.create_requests == 1, timeout=5000)
    (attempt,) = window.context.history.query()
    assert attempt.skipped_checks == []
