"""The Tests tab of the real window, driven with pytest-qt against the in-process sandbox."""

from __future__ import annotations

import asyncio
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from launcher.core.models import CallPhase
from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import sandbox_client
from launcher.sandbox.engine import Engine, SandboxConfig
from launcher.ui.main_window import MainWindow
from launcher.ui.tests_view import CallTestsView
from launcher.view.context import build_context

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "suites"
SPEED = 50.0
LONG_SUITE = """[defaults]
profile = "sandbox-twilio"
[defaults.set]
From = "+15005550006"
Url = "https://example.com/twiml"
[[test]]
name = "an hour long"
set.To = "+15555550005"
"""


@pytest.fixture
def engine() -> Engine:
    return Engine(SandboxConfig(speed=SPEED))


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path) -> Iterator[MainWindow]:
    from keyring.backends import fail

    context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(fail.Keyring()))
    main = MainWindow(context, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    main.tests_view.time_scale = lambda profile: SPEED
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.tests_view.stop()
    qtbot.waitUntil(lambda: not main.tests_view.running, timeout=10000)
    main.close()
    main.controller.cancel_all()
    qtbot.waitUntil(lambda: not main.controller.busy_tasks(), timeout=5000)
    context.history.close()


def rows(view: CallTestsView) -> list[tuple[str, str, str]]:
    items = [view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())]
    return [(item.text(0), item.text(2), item.text(3)) for item in items if item is not None]


def click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_run_all_shows_each_test_passing(window: MainWindow, qtbot: QtBot) -> None:
    view = window.tests_view
    window.tabs.setCurrentWidget(view)
    assert window.tabs.tabText(window.tabs.indexOf(view)) == "Tests"
    assert not view.run_all_button.isEnabled()
    assert view.open_suite(EXAMPLES / "sandbox-twilio.toml")
    names = [name for name, _, _ in rows(view)]
    assert rows(view) == [(name, "Pending", "") for name in names] and len(names) == 5
    click(qtbot, view.run_all_button)
    assert view.stop_button.isEnabled() and not view.run_all_button.isEnabled()
    qtbot.waitUntil(lambda: view.summary.text() == "5 passed, 0 failed", timeout=30000)
    assert rows(view) == [(name, "Passed", "") for name in names]
    calls = [view.item_for(name).data(4, Qt.ItemDataRole.UserRole) for name in names]
    assert [r.call_id or "" for r in view.results.values()] == calls
    assert all(call.startswith("CA") and len(call) == 34 for call in calls[:4]) and calls[4] == ""
    assert view.item_for(names[0]).text(4) == f"{calls[0][:6]}…{calls[0][-4:]}"
    for result in view.results.values():
        assert result.attempt_id is not None
        assert window.context.history.test_tag(result.attempt_id) == ("Twilio sandbox", result.test.name)


def test_failures_show_their_reason_and_run_failed_again_runs_only_them(window: MainWindow, qtbot: QtBot) -> None:
    view = window.tests_view
    assert view.open_suite(EXAMPLES / "fails-on-purpose.toml")
    assert not view.run_failed_button.isEnabled()
    click(qtbot, view.run_all_button)
    qtbot.waitUntil(lambda: view.summary.text() == "1 passed, 1 failed", timeout=30000)
    reason = "result: expected completed, got busy; answered_within 10s: the call was not answered"
    assert rows(view) == [("answered", "Passed", ""), ("busy line expected to complete", "Failed", reason)]
    before = window.context.history.count()
    click(qtbot, view.run_failed_button)
    qtbot.waitUntil(lambda: view.summary.text() == "0 passed, 1 failed", timeout=30000)
    assert window.context.history.count() == before + 1  # only the failed test placed a call

    failed = view.item_for("busy line expected to complete")
    assert failed is not None
    view.tree.itemActivated.emit(failed, 4)  # what double-clicking the call does
    assert window.tabs.currentWidget() is window.history_view
    call_id = failed.data(4, Qt.ItemDataRole.UserRole)
    assert call_id.startswith("CA") and window.history_view.search_edit.text() == call_id
    history = window.history_view
    qtbot.waitUntil(lambda: history.model.rowCount() == 1 and history.model.attempt_at(0).call_id == call_id,
                    timeout=5000)


def test_an_invalid_suite_lists_its_problems_and_cannot_run(window: MainWindow, tmp_path: Path) -> None:
    view = window.tests_view
    bad = tmp_path / "bad.toml"
    bad.write_text('[defaults]\nprofile = "nobody"\n[[test]]\nname = "a"\nexpect = { result = "fine" }\n',
                   encoding="utf-8")
    assert not view.open_suite(bad)
    assert view.title.text() == "bad.toml can't be run:"
    assert view.summary.text().splitlines() == [
        "bad.toml:2: Unknown profile 'nobody'; known profiles: sandbox-bandwidth, sandbox-catapult, sandbox-jambonz, "
        "sandbox-twilio.",
        "bad.toml:5: result 'fine' is not an outcome; use one of: completed, busy, no-answer, failed, canceled, "
        "rejected, refused.",
    ]
    assert rows(view) == []
    assert not view.run_all_button.isEnabled()
    assert window.context.history.count() == 0


def test_save_as_test_from_the_form_expects_the_outcome_the_call_had(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    view = window.tests_view
    suite = tmp_path / "mine.toml"
    shutil.copy(EXAMPLES / "fails-on-purpose.toml", suite)
    assert view.open_suite(suite)
    assert view.save_button is not None and not view.save_button.isEnabled()
    window.form.set_field_value("To", "+15555550001")
    click(qtbot, window.call_button)
    qtbot.waitUntil(view.save_button.isEnabled, timeout=20000)
    assert view.save_menu_action is not None and view.save_menu_action.isEnabled()
    assert view.save_menu_action in window.menuBar().actions()[1].menu().actions()  # type: ignore[attr-defined]
    click(qtbot, view.save_button)
    assert window.tabs.currentWidget() is view
    saved = tomllib.loads(suite.read_text(encoding="utf-8"))["test"][-1]
    assert saved == {"name": "+15555550001 busy", "profile": "sandbox-twilio",
                     "set": {"To": "+15555550001", "From": "+15005550006",
                             "Url": "https://demo.twilio.com/docs/voice.xml"},
                     "expect": {"result": "busy"}}
    assert [name for name, _, _ in rows(view)][-1] == "+15555550001 busy"
    busy = view.item_for("+15555550001 busy")
    assert busy is not None
    view.tree.setCurrentItem(busy)
    click(qtbot, view.run_one_button)
    qtbot.waitUntil(lambda: view.summary.text() == "1 passed, 0 failed", timeout=30000)


def test_save_as_test_from_a_history_row(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    view = window.tests_view
    suite = tmp_path / "mine.toml"
    shutil.copy(EXAMPLES / "fails-on-purpose.toml", suite)
    assert view.open_suite(suite)
    window.form.set_field_value("To", "+15005550002")  # Twilio refuses: 21214
    click(qtbot, window.call_button)
    qtbot.waitUntil(lambda: window.context.history.count() == 1 and window.context.history.query()[0].status.value
                    == "rejected", timeout=20000)
    window.history_view.refresh()
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() == 1, timeout=5000)
    window.history_view.select_row(0)
    assert view.history_action is not None and view.history_action in window.history_view.row_menu.actions()
    view.history_action.trigger()
    saved = tomllib.loads(suite.read_text(encoding="utf-8"))["test"][-1]
    assert saved["name"] == "+15005550002 refused"
    assert saved["expect"] == {"result": "refused", "error_code": "21214", "http_status": 400}
    assert rows(view)[-1] == ("+15005550002 refused", "Pending", "")


def test_stop_hangs_up_the_calls_the_run_placed(window: MainWindow, qtbot: QtBot, engine: Engine,
                                                tmp_path: Path) -> None:
    view = window.tests_view
    suite = tmp_path / "long.toml"
    suite.write_text(LONG_SUITE, encoding="utf-8")
    view.time_scale = lambda profile: 1.0  # the suite's timeout in real time: only Stop ends this call early
    assert view.open_suite(suite)
    click(qtbot, view.run_all_button)
    qtbot.waitUntil(lambda: any(c.snapshot(engine.clock.now()).phase is CallPhase.ANSWERED
                                for c in engine.calls.values()), timeout=20000)
    click(qtbot, view.stop_button)
    qtbot.waitUntil(lambda: not view.running, timeout=10000)
    assert view.summary.text() == "Stopped. Calls the run had placed were hung up."
    (call,) = engine.calls.values()
    assert call.stopped_at is not None
    assert view.run_all_button.isEnabled() and not view.stop_button.isEnabled()


def test_production_profiles_run_only_after_the_person_says_yes(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from launcher.core.profiles import Profile
    from launcher.sandbox.app import IN_PROCESS_URL
    from launcher.sandbox.providers.twilio import ACCOUNT_SID, AUTH_TOKEN

    prod = Profile(name="twilio-live", provider="twilio", account_id=ACCOUNT_SID, base_url=IN_PROCESS_URL,
                   label="PROD", color="#d32f2f")
    window.context.manager.save(prod, AUTH_TOKEN)
    suite = tmp_path / "prod.toml"
    suite.write_text('[[test]]\nname = "real"\nprofile = "twilio-live"\n'
                     'set = { To = "+15555550001", From = "+15005550006", Url = "https://example.com/twiml" }\n'
                     'expect = { result = "busy" }\n', encoding="utf-8")
    view = window.tests_view
    assert view.open_suite(suite)
    for answer in (QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes):
        click(qtbot, view.run_all_button)
        box = view.confirm_box
        assert box is not None
        qtbot.waitUntil(box.isVisible)
        assert box.text() == ("1 of these tests use the production profile twilio-live: their calls are real and "
                              "may cost money.")
        assert not view.running and window.context.history.count() == 0  # nothing placed while asking
        click(qtbot, box.button(answer))
    qtbot.waitUntil(lambda: view.summary.text() == "1 passed, 0 failed", timeout=30000)
    assert window.context.history.count() == 1
