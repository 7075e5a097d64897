"""*Check profile* in the real profile editor, against the in-process sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import IN_PROCESS_URL, sandbox_client
from launcher.sandbox.providers.twilio import ACCOUNT_SID, AUTH_TOKEN
from launcher.ui.main_window import MainWindow
from launcher.ui.profile_check import ProfileCheck
from launcher.ui.profile_editor import ProfileEditor
from launcher.view.context import build_context
from tests.ui.test_profiles_ui import fill_twilio

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[MainWindow]:
    from keyring.backends import fail

    context = build_context(client=sandbox_client(), keyring=KeyringSecrets(fail.Keyring()))
    main = MainWindow(context, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    context.history.close()


def open_editor(window: MainWindow, qtbot: QtBot) -> tuple[ProfileEditor, ProfileCheck]:
    window.edit_profiles()
    editor = window._editor
    assert editor is not None
    qtbot.waitExposed(editor)
    return editor, window._profile_check


def run_check(qtbot: QtBot, check: ProfileCheck) -> list[str]:
    qtbot.mouseClick(check.button, Qt.MouseButton.LeftButton)
    assert check.button.text() == "Checking…" and not check.button.isEnabled()
    qtbot.waitUntil(check.button.isEnabled, timeout=10000)
    return check.plain_lines()


def test_check_profile_lists_each_check_and_the_from_number_of_the_form(window: MainWindow, qtbot: QtBot) -> None:
    editor, check = open_editor(window, qtbot)
    assert check.button.accessibleName() == "Check profile"
    fill_twilio(qtbot, editor, name="sandbox copy", sid=ACCOUNT_SID, secret=AUTH_TOKEN, base_url=IN_PROCESS_URL)
    assert run_check(qtbot, check) == [
        "✓ Profile settings complete",
        "✓ Credentials accepted by sandbox.localhost (HTTP 200)",
        "– From number No From number given to check.",
        "Nothing failed.",
    ]
    editor.form.secret_edit.setText("wrong-token")
    lines = run_check(qtbot, check)
    assert lines[1].startswith("✗ Credentials ") and "20003" in lines[1]
    assert lines[-1] == "Fix what failed before calling."

    editor.form.secret_edit.setText(AUTH_TOKEN)
    with qtbot.waitSignal(editor.profiles_changed):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    window.profile_bar.select_profile(next(p.id for p in window.context.manager.all() if p.name == "sandbox copy"))
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "sandbox copy")
    window.form.set_field_value("From", "+15555550100")
    window.form.set_field_value("Url", "not a url")
    lines = run_check(qtbot, check)
    assert lines[2] == (f"✗ From number +15555550100 is neither a phone number of account {ACCOUNT_SID} nor a "
                        "verified caller ID: Twilio will refuse calls from it (error 21210).")
    assert lines[3].startswith("✗ Url not a url: ")
    editor.close()


def test_check_profile_is_offered_exactly_when_test_connection_is(window: MainWindow, qtbot: QtBot) -> None:
    editor, check = open_editor(window, qtbot)
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    assert editor.form.name_edit.text() == ""
    assert not editor.test_button.isEnabled()
    assert not check.button.isEnabled()
    fill_twilio(qtbot, editor, name="sandbox copy", sid=ACCOUNT_SID, secret=AUTH_TOKEN, base_url=IN_PROCESS_URL)
    assert editor.test_button.isEnabled() and check.button.isEnabled()
    editor.form.account_edit.setText("")
    assert not editor.test_button.isEnabled() and not check.button.isEnabled()
