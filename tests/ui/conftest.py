"""The window most UI tests open: built as the app builds it, on the in-process sandbox, with a keyring
that stores nothing; a test module overrides ``engine`` for another sandbox speed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import sandbox_client
from launcher.sandbox.engine import Engine, SandboxConfig
from launcher.ui.call_view import LiveCallsPanel
from launcher.ui.main_window import MainWindow
from launcher.view.context import build_context


@pytest.fixture
def engine() -> Engine:
    return Engine(SandboxConfig(speed=25.0))


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path) -> Iterator[MainWindow]:
    from keyring.backends import fail

    context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(fail.Keyring()))
    main = MainWindow(context, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()
    main.controller.cancel_all()
    qtbot.waitUntil(lambda: not main.controller.busy_tasks(), timeout=5000)
    context.history.close()


@pytest.fixture
def panel(qtbot: QtBot) -> LiveCallsPanel:
    """The live-calls panel holding the twelve calls on five profiles of ``test_live_calls_list``."""
    from datetime import timedelta

    from tests.ui.test_live_calls_list import T0, info

    widget = LiveCallsPanel(clock=lambda: T0 + timedelta(minutes=5))
    qtbot.addWidget(widget)
    widget.resize(900, 900)
    widget.show()
    qtbot.waitExposed(widget)
    for key in range(12):
        widget.upsert(info(key))
    return widget
