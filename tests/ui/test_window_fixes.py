"""Window bugs seen in use, each driven through the real window or widget: colours, size, profile
switching on redial, times the provider does not give, the status line."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from launcher.core.history import Attempt, AttemptStatus
from launcher.core.models import CallPhase, CallResource, Outcome
from launcher.core.profiles import Profile
from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import all_simulators, sandbox_client
from launcher.sandbox.engine import Engine, SandboxConfig
from launcher.ui.call_view import LiveCallsPanel
from launcher.ui.main_window import MainWindow
from launcher.ui.window_geometry import fitted
from launcher.view.context import build_context
from launcher.view.live_call import LiveCallInfo, local_time

DARK = {
    QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f1f1f", QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#353535", QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.Mid: "#555555", QPalette.ColorRole.Light: "#505050",
    QPalette.ColorRole.Highlight: "#2f65ca", QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#8a8a8a",
}


@pytest.fixture
def engine() -> Engine:
    return Engine(SandboxConfig(speed=25.0))


def open_window(qtbot: QtBot, engine: Engine, tmp_path: Path) -> MainWindow:
    from keyring.backends import fail

    context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(fail.Keyring()))
    main = MainWindow(context, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def close_window(main: MainWindow, qtbot: QtBot) -> None:
    main.close()
    main.controller.cancel_all()
    qtbot.waitUntil(lambda: not main.controller.busy_tasks(), timeout=5000)
    main.context.history.close()


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path) -> Iterator[MainWindow]:
    main = open_window(qtbot, engine, tmp_path)
    yield main
    close_window(main, qtbot)


@pytest.fixture
def dark_app() -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    palette = QPalette(before)
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    yield app
    app.setPalette(before)


# -- bug: dark palette buttons ------------------------------------------------------------------------
def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def drawn_colours(widget: QWidget) -> tuple[QColor, QColor]:
    """(background, text) as painted in its window: the commonest colour inside the border, and the
    colour used for at least 3 pixels that contrasts most with it."""
    top = widget.window()
    image = top.grab(QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())).toImage()
    counts: Counter[int] = Counter()
    for y in range(4, image.height() - 4):
        for x in range(4, image.width() - 4):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    background = QColor(counts.most_common(1)[0][0])
    candidates = [QColor(rgb) for rgb, count in counts.items() if count >= 3]
    text = max(candidates, key=lambda colour: contrast(colour, background))
    return background, text


def distance(a: QColor, b: QColor) -> int:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue()))


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_button_state_reads_and_disabled_looks_disabled(
        qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path,
        dark_app: QApplication, dark: bool) -> None:
    if not dark:
        dark_app.setPalette(dark_app.style().standardPalette())
    main = open_window(qtbot, engine, tmp_path)
    try:
        window_colour = main.palette().color(QPalette.ColorRole.Window)
        main.calls_panel.upsert(jambonz_info(CallPhase.RINGING, "ringing"))  # shows the card and its Hang up
        qtbot.waitUntil(main.calls_panel.card.hang_up_button.isVisible, timeout=3000)
        buttons: list[QPushButton] = [main.call_button, main.cancel_button, main.calls_panel.card.hang_up_button]
        for button in buttons:
            for enabled in (True, False):
                button.setEnabled(enabled)
                background, text = drawn_colours(button)
                assert contrast(background, text) >= 3.0, (button.text(), enabled, background.name(), text.name())
                if enabled:  # a filled button: something to press
                    assert distance(background, window_colour) > 6, (button.text(), background.name())
                else:  # flat: the window shows through, nothing invites a press
                    assert distance(background, window_colour) <= 2, (button.text(), background.name())
    finally:
        close_window(main, qtbot)


# -- bug: window larger than the screen -----------------------------------------------------------------
def test_a_first_window_fits_the_available_screen_with_call_on_it(window: MainWindow, qtbot: QtBot) -> None:
    screen = window.screen()
    assert screen is not None
    available = screen.availableGeometry()
    qtbot.waitUntil(lambda: available.contains(window.frameGeometry()), timeout=3000)
    button = QRect(window.call_button.mapTo(window, QPoint(0, 0)), window.call_button.size())
    assert window.rect().contains(button)


def test_a_restored_geometry_from_a_bigger_screen_is_brought_inside(
        qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path) -> None:
    big = QWidget()
    big.setGeometry(QRect(300, 200, 2600, 1700))
    saved = big.saveGeometry()
    big.deleteLater()
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("window/geometry", QByteArray(saved))
    settings.sync()
    main = open_window(qtbot, engine, tmp_path)
    try:
        screen = main.screen()
        assert screen is not None
        qtbot.waitUntil(lambda: screen.availableGeometry().contains(main.frameGeometry()), timeout=3000)
    finally:
        close_window(main, qtbot)


def test_fitted_moves_then_shrinks() -> None:
    available = QRect(0, 0, 800, 500)
    assert fitted(QRect(600, 400, 300, 200), available) == QRect(500, 300, 300, 200)
    assert fitted(QRect(-50, -20, 2560, 1600), available) == QRect(0, 0, 800, 500)
    assert fitted(QRect(10, 10, 100, 100), available) == QRect(10, 10, 100, 100)


# -- bug: "Call again" from another (production) profile -----------------------------------------------
def production_copy(window: MainWindow) -> Profile:
    manager = window.context.manager
    builtin = next(p for p in manager.all() if p.name == "sandbox-twilio")
    prod = dataclasses.replace(builtin, name="support-prod", label="PROD", color="#d32f2f", builtin=False,
                               id="prod0000abcd")
    manager.save(prod, manager.secret_for(builtin))
    window.profile_bar.reload()
    return prod


def question(qtbot: QtBot, window: MainWindow, title: str) -> QMessageBox:
    qtbot.waitUntil(lambda: any(box.isVisible() and box.windowTitle() == title
                                for box in window.findChildren(QMessageBox)), timeout=3000)
    return next(box for box in window.findChildren(QMessageBox) if box.isVisible() and box.windowTitle() == title)


def press(qtbot: QtBot, box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if b.text().replace("&", "") == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_call_again_never_switches_profile_silently_and_production_asks(
        window: MainWindow, qtbot: QtBot, engine: Engine) -> None:
    prod = production_copy(window)
    select = window.profile_bar.select_profile
    assert window.profile is not None and window.profile.name == "sandbox-twilio"
    now = datetime.now(UTC)
    values = all_simulators()["twilio"].sample_values()
    attempt = Attempt(id=77, started_at=now, updated_at=now, profile=prod.name, profile_id=prod.id,
                      provider="twilio", from_number=values.get("From"), to=values.get("To"),
                      status=AttemptStatus.ENDED, values=values)

    window.history_view.redial_requested.emit(attempt)
    box = question(qtbot, window, "Call with another profile?")
    assert "support-prod" in box.text()
    assert window.profile.name == "sandbox-twilio"  # nothing switched yet
    assert engine.create_requests == 0
    press(qtbot, box, "Cancel")
    qtbot.waitUntil(lambda: not window.asking, timeout=3000)
    assert window.profile.name == "sandbox-twilio" and engine.create_requests == 0

    window.history_view.redial_requested.emit(attempt)
    press(qtbot, question(qtbot, window, "Call with another profile?"), "Switch and call")
    confirm = question(qtbot, window, "Call on a production profile?")
    assert window.profile.name == "support-prod"
    assert values["To"] in confirm.text()
    for _ in range(3):  # presses while asked are not calls
        window.place_call()
    assert engine.create_requests == 0
    press(qtbot, confirm, "Call")
    qtbot.waitUntil(lambda: engine.create_requests == 1, timeout=5000)
    qtbot.waitUntil(lambda: not window.controller.submitting, timeout=5000)
    assert engine.create_requests == 1

    # Call on the production profile from the form asks each time; Cancel sends nothing.
    window.place_call()
    press(qtbot, question(qtbot, window, "Call on a production profile?"), "Cancel")
    qtbot.waitUntil(lambda: not window.asking, timeout=3000)
    assert engine.create_requests == 1
    assert select("prod0000abcd")


# -- bug: times the provider does not give ---------------------------------------------------------------
T0 = datetime(2026, 3, 2, 14, 30, 0, tzinfo=UTC)


def jambonz_info(phase: CallPhase, status: str, outcome: Outcome | None = None) -> LiveCallInfo:
    call = CallResource(provider="jambonz", call_id="c1", phase=phase, provider_status=status, outcome=outcome,
                        to="+15555550100", created_at=None, answered_at=None, ended_at=None)
    return LiveCallInfo(key=1, profile_name="vg", profile_color="", provider_name="jambonz", to="+15555550100",
                        from_number="+15005550006", call=call, state_text=status, error=None,
                        can_hang_up=not call.final, hanging_up=False, started_at=T0)


def test_times_the_provider_does_not_give_are_the_times_the_app_saw(qtbot: QtBot) -> None:
    clock = [T0]
    panel = LiveCallsPanel(clock=lambda: clock[0])
    qtbot.addWidget(panel)
    panel.upsert(jambonz_info(CallPhase.RINGING, "early-media"))
    clock[0] = T0 + timedelta(seconds=4)
    panel.upsert(jambonz_info(CallPhase.ANSWERED, "in-progress"))
    card = panel.card
    assert card.answered_label.text() == f"{local_time(T0 + timedelta(seconds=4), T0)} (seen)"
    assert "first saw" in card.answered_label.toolTip() and "jambonz gave no time" in card.answered_label.toolTip()
    clock[0] = T0 + timedelta(seconds=14)
    card._show_duration()
    assert card.duration_label.text() == "0:10"
    panel.upsert(jambonz_info(CallPhase.ENDED, "completed", Outcome.COMPLETED))
    assert card.ended_label.text() == f"{local_time(T0 + timedelta(seconds=14), T0)} (seen)"
    assert card.duration_label.text() == "0:10"

    # A busy call: never answered (no time), ended when the app saw it end.
    busy = dataclasses.replace(jambonz_info(CallPhase.ENDED, "busy", Outcome.BUSY), key=2)
    clock[0] = T0 + timedelta(seconds=30)
    panel.upsert(busy)
    panel.select(2)
    assert card.answered_label.text() == "—" and card.answered_label.toolTip() == ""
    assert card.ended_label.text() == f"{local_time(T0 + timedelta(seconds=30), T0)} (seen)"


# -- bug: Catapult's status line lost the number -----------------------------------------------------------
def test_status_line_names_the_number_for_every_provider(window: MainWindow, qtbot: QtBot) -> None:
    combo = window.profile_bar.combo
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).startswith("sandbox-catapult")))
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "sandbox-catapult")
    number = window.form.field_value("to")
    assert number
    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(live.call is not None for live in window.controller.calls.values()), timeout=5000)
    assert window.status_label.text().startswith(f"Bandwidth Catapult v1: {number} ")


# -- the disabled Call's tooltip: a short list ----------------------------------------------------------
def test_disabled_call_tooltip_is_a_short_list(window: MainWindow, qtbot: QtBot) -> None:
    window.form.set_field_value("To", "555")
    window.form.set_field_value("From", "")
    qtbot.waitUntil(lambda: not window.call_button.isEnabled(), timeout=3000)
    lines = window.call_button.toolTip().splitlines()
    assert lines[0] == "Can't call yet:"
    assert len(lines) == 3 and all(line.startswith("• ") for line in lines[1:])
    assert lines[1].startswith("• To") and lines[2].startswith("• From")
    assert all(len(line) <= 74 for line in lines)
