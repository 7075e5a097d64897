"""The real window, driven as a person would, against the in-process sandbox (real ASGI, real SQLite)."""

from __future__ import annotations

import asyncio
import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from launcher.core.attempts import LiveCall
from launcher.core.history import AttemptStatus
from launcher.core.models import CallPhase, Outcome
from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import sandbox_client
from launcher.sandbox.engine import Engine
from launcher.ui.main_window import MainWindow
from launcher.view.context import build_context
from tests.support.sandbox_time import SandboxTime


@pytest.fixture
def sandbox_time() -> SandboxTime:
    """The sandbox's clock: calls move on only when a test advances it (answered at 4 s, ended at 24 s)."""
    return SandboxTime()


@pytest.fixture
def engine(sandbox_time: SandboxTime) -> Engine:
    return sandbox_time.engine()


class DesktopMessages:
    """Stands in for the desktop's notification area, which the offscreen platform does not have."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def show_message(self, title: str, message: str) -> None:
        self.shown.append((title, message))


@pytest.fixture
def desktop() -> DesktopMessages:
    return DesktopMessages()


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path,
           desktop: DesktopMessages) -> Iterator[MainWindow]:
    from keyring.backends import fail

    context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(fail.Keyring()))
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    main = MainWindow(context, settings, notifications=desktop)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    main.controller.cancel_all()
    qtbot.waitUntil(lambda: not main.controller.busy_tasks(), timeout=5000)
    context.history.close()


def select_profile(window: MainWindow, qtbot: QtBot, name: str) -> None:
    combo = window.profile_bar.combo
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(name))
    combo.setCurrentIndex(index)  # what choosing from the drop-down does
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == name)


def type_into(qtbot: QtBot, window: MainWindow, path: str, text: str) -> None:
    editor = window.form.editor(path)
    assert editor is not None, path
    target = editor.focus_target()
    target.setFocus()
    if hasattr(target, "selectAll"):
        target.selectAll()
        qtbot.keyClick(target, Qt.Key.Key_Delete)
    qtbot.keyClicks(target, text)


def placed_call(qtbot: QtBot, window: MainWindow) -> LiveCall:
    """The one call placed, once the provider has answered its create request."""
    qtbot.waitUntil(lambda: any(live.call is not None for live in window.controller.calls.values()), timeout=10000)
    (live,) = window.controller.calls.values()
    return live


def wait_for_phase(qtbot: QtBot, live: LiveCall, phase: CallPhase) -> None:
    qtbot.waitUntil(lambda: live.call is not None and live.call.phase is phase, timeout=10000)


def test_first_run_offers_sandbox_profiles_and_a_ready_form(window: MainWindow) -> None:
    names = [p.name for p in window.context.manager.all()]
    assert names[:4] == ["sandbox-twilio", "sandbox-bandwidth", "sandbox-catapult", "sandbox-jambonz"]
    assert window.profile is not None and window.profile.builtin
    assert window.form.validation_result().ok
    assert window.call_button.isEnabled()
    assert "About to send" in " ".join(w.text() for w in window.inspector.findChildren(type(window.status_label)))


def test_invalid_input_shows_inline_and_disables_call(window: MainWindow, qtbot: QtBot) -> None:
    type_into(qtbot, window, "To", "555")
    window.form.focus_field("From")
    qtbot.waitUntil(lambda: not window.call_button.isEnabled(), timeout=3000)
    row = window.form.row("To")
    assert row is not None
    qtbot.waitUntil(lambda: "E.164" in row.error_label.text(), timeout=3000)
    assert "To" in window.call_button.toolTip()
    type_into(qtbot, window, "To", "+15555550100")
    qtbot.waitUntil(window.call_button.isEnabled, timeout=3000)


@pytest.mark.parametrize("profile", ["sandbox-twilio", "sandbox-bandwidth", "sandbox-catapult", "sandbox-jambonz"])
def test_a_call_runs_to_the_end_and_lands_in_history(window: MainWindow, qtbot: QtBot, engine: Engine,
                                                      sandbox_time: SandboxTime, profile: str) -> None:
    select_profile(window, qtbot, profile)
    assert window.form.validation_result().ok, window.form.validation_result().errors
    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    live = placed_call(qtbot, window)
    sandbox_time.advance(5)  # answered at 4 s
    wait_for_phase(qtbot, live, CallPhase.ANSWERED)
    sandbox_time.advance(20)  # the callee hangs up at 24 s
    wait_for_phase(qtbot, live, CallPhase.ENDED)
    assert live.call is not None and live.call.outcome is Outcome.COMPLETED
    assert engine.create_requests == 1
    attempt = window.context.history.get(live.attempt_id)
    assert attempt.status is AttemptStatus.ENDED and attempt.provider == profile.removeprefix("sandbox-")
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() == 1, timeout=3000)


def test_click_and_key_storms_send_exactly_one_create_request(window: MainWindow, qtbot: QtBot,
                                                             engine: Engine) -> None:
    for _ in range(5):
        qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
        qtbot.keySequence(window, QKeySequence("Ctrl+Return"))
        window.form.submit_requested.emit()
    qtbot.waitUntil(lambda: engine.create_requests >= 1, timeout=5000)
    qtbot.waitUntil(lambda: not window.controller.submitting, timeout=5000)
    assert engine.create_requests == 1
    assert len(window.controller.calls) == 1


def test_hang_up_a_ringing_call(window: MainWindow, qtbot: QtBot, sandbox_time: SandboxTime) -> None:
    type_into(qtbot, window, "To", "+15555550002")  # rings until the ring timeout
    qtbot.waitUntil(window.call_button.isEnabled, timeout=3000)
    window.place_call()
    live = placed_call(qtbot, window)
    sandbox_time.advance(2)  # rings from 1 s
    wait_for_phase(qtbot, live, CallPhase.RINGING)
    assert live.can_hang_up
    window.calls_panel.select(live.attempt_id)
    window.hang_up_selected()
    wait_for_phase(qtbot, live, CallPhase.ENDED)
    assert live.call is not None and live.call.outcome is Outcome.CANCELED


def test_provider_refusal_is_shown_and_recorded(window: MainWindow, qtbot: QtBot) -> None:
    type_into(qtbot, window, "To", "+15005550001")  # Twilio's documented invalid-number magic number
    qtbot.waitUntil(window.call_button.isEnabled, timeout=3000)
    window.place_call()
    qtbot.waitUntil(lambda: any(live.status is AttemptStatus.REJECTED for live in window.controller.calls.values()),
                    timeout=10000)
    assert "21217" in window.status_label.text()
    live = next(iter(window.controller.calls.values()))
    assert window.context.history.get(live.attempt_id).error_code == "21217"
    row = window.form.row("To")
    assert row is not None
    qtbot.waitUntil(lambda: bool(row.error_label.text()), timeout=3000)


def test_switching_provider_keeps_shared_values(window: MainWindow, qtbot: QtBot) -> None:
    type_into(qtbot, window, "To", "+15555550123")
    select_profile(window, qtbot, "sandbox-bandwidth")
    assert window.adapter is not None and window.adapter.id == "bandwidth"
    assert window.form.validation_result().values["to"] == "+15555550123"


def test_history_search_filter_and_export(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window.place_call()
    qtbot.waitUntil(lambda: not window.controller.submitting, timeout=10000)
    qtbot.keySequence(window, QKeySequence("Ctrl+F"))
    assert window.tabs.currentWidget() is window.history_view
    qtbot.keyClicks(window.history_view.search_edit, "5550100")
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() == 1, timeout=3000)
    target = tmp_path / "calls.csv"
    monkeypatch.setattr(window.history_view, "choose_export_path", lambda kind: str(target))
    with qtbot.waitSignal(window.history_view.export_finished, timeout=10000):
        window.history_view.export("csv")
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and rows[0]["to"] == "+15555550100"


def test_call_ending_in_the_background_notifies(window: MainWindow, qtbot: QtBot,
                                                sandbox_time: SandboxTime, desktop: DesktopMessages) -> None:
    window.place_call()
    window.showMinimized()
    placed_call(qtbot, window)
    assert desktop.shown == []
    sandbox_time.advance(25)  # ended at 24 s
    qtbot.waitUntil(lambda: bool(desktop.shown), timeout=15000)
    assert desktop.shown == [("Call ended", "+15555550100 — They hung up")]


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    controls = [w for kind in (QAbstractButton, QComboBox, QLineEdit) for w in window.findChildren(kind)]
    unnamed = [f"{type(w).__name__} {w.objectName()!r}" for w in controls if w.isVisibleTo(window)
               and not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text().strip())]
    assert len(controls) > 20
    assert unnamed == []


def test_geometry_and_last_values_survive_a_restart(qtbot: QtBot, qloop: asyncio.AbstractEventLoop,
                                                   engine: Engine, tmp_path: Path) -> None:
    from keyring.backends import fail

    settings_path = str(tmp_path / "window.ini")

    def open_window() -> MainWindow:
        context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(fail.Keyring()))
        main = MainWindow(context, QSettings(settings_path, QSettings.Format.IniFormat))
        qtbot.addWidget(main)
        return main

    first = open_window()
    first.show()
    size = (max(first.minimumSizeHint().width(), first.minimumWidth()) + 8, 560)  # fits the 800 px test screen
    first.resize(*size)
    type_into(qtbot, first, "To", "+15555550142")
    sip_password = first.form.editor("SipAuthPassword")
    assert sip_password is not None
    sip_password.set_value("hunter2")
    qtbot.waitUntil(lambda: first.form.validation_result().values.get("To") == "+15555550142", timeout=3000)
    first.close()
    first.context.history.close()

    second = open_window()
    assert (second.width(), second.height()) == size
    assert second.form.validation_result().values.get("To") == "+15555550142"
    assert "SipAuthPassword" not in second.form.values()
    remembered = (Path(os.environ["CALL_LAUNCHER_HOME"]) / "config" / "last_values.json").read_text()
    assert "hunter2" not in remembered and "+1" in remembered
    second.close()
    second.context.history.close()


def test_several_calls_live_at_once_and_hang_up_one(window: MainWindow, qtbot: QtBot, engine: Engine,
                                                     sandbox_time: SandboxTime) -> None:
    for number in ("+15555550005", "+15555510005"):  # two long calls
        type_into(qtbot, window, "To", number)
        qtbot.waitUntil(window.call_button.isEnabled, timeout=3000)
        window.place_call()
        qtbot.waitUntil(lambda: not window.controller.submitting, timeout=5000)
    sandbox_time.advance(5)  # both answered at 4 s
    qtbot.waitUntil(lambda: sum(1 for live in window.controller.calls.values()
                                if live.call is not None and live.call.phase is CallPhase.ANSWERED) == 2,
                    timeout=15000)
    assert engine.create_requests == 2
    long_call = next(live for live in window.controller.calls.values() if live.call and live.call.to == "+15555550005")
    window.controller.hang_up(long_call.attempt_id)
    qtbot.waitUntil(lambda: long_call.call is not None and long_call.call.final, timeout=10000)
    assert long_call.call is not None and long_call.call.outcome is Outcome.COMPLETED
    other = next(live for live in window.controller.calls.values() if live is not long_call)
    assert other.call is not None and not other.call.final


def test_clear_ended_releases_the_calls_from_memory_and_history_keeps_them(
        window: MainWindow, qtbot: QtBot, sandbox_time: SandboxTime) -> None:
    select_profile(window, qtbot, "sandbox-twilio")
    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    live = placed_call(qtbot, window)
    sandbox_time.advance(25)  # answered at 4 s, ended at 24 s
    wait_for_phase(qtbot, live, CallPhase.ENDED)
    qtbot.waitUntil(lambda: window.calls_panel.clear_button.isEnabled(), timeout=3000)

    qtbot.mouseClick(window.calls_panel.clear_button, Qt.MouseButton.LeftButton)

    assert window.controller.calls == {}
    assert window.calls_panel.infos == {}
    assert window.context.history.get(live.attempt_id).status is AttemptStatus.ENDED
