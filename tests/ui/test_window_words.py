"""The window's words, status line, Help windows, profile switcher and control names, driven as a
person would against the in-process sandbox."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QStatusTipEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QLineEdit, QMenu, QTextBrowser, QWidget
from pytestqt.qtbot import QtBot

from launcher.core.profiles import Profile
from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import sandbox_client
from launcher.sandbox.engine import Engine, SandboxConfig
from launcher.ui.control_names import CONTROL_NAMES
from launcher.ui.help_windows import QuickSwitcher
from launcher.ui.main_window import MainWindow
from launcher.view import messages
from launcher.view.context import build_context


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[MainWindow]:
    from keyring.backends import fail

    context = build_context(client=sandbox_client(engine=Engine(SandboxConfig(speed=25.0))),
                            keyring=KeyringSecrets(fail.Keyring()))
    main = MainWindow(context, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    main.controller.cancel_all()
    qtbot.waitUntil(lambda: not main.controller.busy_tasks(), timeout=5000)
    context.history.close()


def retype(qtbot: QtBot, window: MainWindow, meaning: str, text: str) -> None:
    editor = window.form.editor(meaning)
    assert editor is not None
    target = editor.focus_target()
    target.setFocus()
    target.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(target, Qt.Key.Key_Delete)
    qtbot.keyClicks(target, text)


def test_fix_fields_message_goes_once_the_form_is_valid(window: MainWindow, qtbot: QtBot) -> None:
    retype(qtbot, window, "to", "555")
    editor = window.form.editor("to")
    assert editor is not None
    qtbot.keyClick(editor.focus_target(), Qt.Key.Key_Return)  # Enter in a field submits the form
    assert window.status_label.text() == "Fix the highlighted fields first."
    retype(qtbot, window, "to", "+15555550100")
    qtbot.waitUntil(window.call_button.isEnabled, timeout=3000)
    assert window.status_label.text() == ""


def test_calling_status_names_the_number_not_the_endpoint(window: MainWindow, qtbot: QtBot) -> None:
    retype(qtbot, window, "to", "+15555550100")
    qtbot.waitUntil(window.call_button.isEnabled, timeout=3000)
    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    assert window.status_label.text() == "Calling +15555550100…"


def test_keyring_notice_stays_after_a_status_tip(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.secrets_notice.text() != "", timeout=3000)
    assert window.secrets_notice.text() == "Secrets: this session only (no OS keyring)"
    QApplication.sendEvent(window, QStatusTipEvent(""))  # what a menu or a file dialog does on its way out
    window.statusBar().showMessage("Saved", 10)
    qtbot.wait(30)
    assert window.secrets_notice.isVisible() and window.secrets_notice.text().startswith("Secrets:")


def test_one_name_for_escape(window: MainWindow) -> None:
    assert window.cancel_button.text() == "Stop waiting"
    assert window.menu_actions["cancel"].text().replace("&", "") == "Stop waiting"
    assert window.cancel_button.accessibleName() == "Stop waiting"


def test_help_shortcuts_window_lists_the_window_actions(window: MainWindow, qtbot: QtBot) -> None:
    window.menu_actions["shortcuts"].trigger()
    dialog = window.help_window
    assert dialog is not None and dialog.objectName() == "shortcutsWindow" and dialog.isVisible()
    rows = dialog.rows()  # type: ignore[attr-defined]
    assert ["Stop waiting", "Esc"] in rows and ["Switch profile", "Ctrl+K"] in rows
    assert ["Search history", "Ctrl+F"] in rows and ["History", "Alt+3"] in rows and ["Tests", "Alt+4"] in rows


def test_alt_4_opens_the_tests_tab_from_the_view_menu(window: MainWindow, qtbot: QtBot) -> None:
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert isinstance(view_menu, QMenu)
    titles = [a.text() for a in view_menu.actions() if not a.isSeparator()]
    start = titles.index("&Live calls")
    assert titles[start:start + 4] == ["&Live calls", "&Request", "&History", "&Tests"]
    tests_action = window.tab_actions[3]
    assert tests_action.shortcut().toString() == "Alt+4"
    tests_action.trigger()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Tests"


def test_the_shortcuts_window_shows_every_row_without_scrolling(window: MainWindow, qtbot: QtBot) -> None:
    window.menu_actions["shortcuts"].trigger()
    dialog = window.help_window
    assert dialog is not None
    qtbot.waitExposed(dialog)
    table = dialog.table  # type: ignore[attr-defined]
    last = table.rowCount() - 1
    assert not table.verticalScrollBar().isVisible()
    assert table.visualRect(table.model().index(last, 0)).bottom() <= table.viewport().height()
    assert dialog.frameGeometry().height() <= dialog.screen().availableGeometry().height()


def test_help_sandbox_numbers_and_user_guide(window: MainWindow, qtbot: QtBot) -> None:
    window.menu_actions["sandbox"].trigger()
    dialog = window.help_window
    assert dialog is not None and dialog.objectName() == "sandboxNumbersWindow"
    rows = dialog.rows()  # type: ignore[attr-defined]
    assert ["…0001", "busy", "rings briefly, then busy"] in rows and rows[0][0] == "any other number"
    window.menu_actions["guide"].trigger()
    guide = window.help_window
    assert guide is not None and guide.objectName() == "userGuideWindow" and not dialog.isVisible()
    browser = guide.findChild(QTextBrowser)
    assert browser is not None and "Quick start" in browser.toPlainText()


def test_ctrl_k_switches_profile_from_the_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    switcher = window.quick_switcher
    assert isinstance(switcher, QuickSwitcher) and switcher.isVisible()
    qtbot.waitUntil(switcher.search.hasFocus)
    qtbot.keyClicks(switcher.search, "jambonz")
    assert switcher.visible_titles() and all("jambonz" in t.casefold() for t in switcher.visible_titles())
    qtbot.keyClick(switcher.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.provider == "jambonz")
    assert window.quick_switcher is None


def test_every_named_control_is_found_by_its_stable_name(window: MainWindow, qtbot: QtBot) -> None:
    for provider in ("twilio", "jambonz"):
        combo = window.profile_bar.combo
        combo.setCurrentIndex(combo.findData(f"sandbox-{provider}"))
        qtbot.waitUntil(lambda: window.profile is not None and window.profile.provider == provider)  # noqa: B023
        found = {name: window.findChild(QWidget, name) for name in CONTROL_NAMES}
        assert {name: w.accessibleName() if w else None for name, w in found.items()} == CONTROL_NAMES
        assert len({id(w) for w in found.values()}) == len(CONTROL_NAMES)


IMPLEMENTATION_WORDS = re.compile(
    r"Errno|\.json\b|profile/[0-9a-f]|Traceback|httpx|Exception|\bNone\b|keyring\.backends")


def visible_texts(root: QWidget) -> list[str]:
    """Every text a person can see or hover in ``root``: labels, buttons, fields, tips, combo items, headers."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
    return [text for text in texts if text]


def test_no_implementation_words_on_screen_even_after_a_network_failure(window: MainWindow, qtbot: QtBot) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = Profile(name="Local", provider="twilio", account_id="AC" + "0" * 32, base_url=f"http://127.0.0.1:{port}")
    window.context.manager.save(profile, "secret")
    window._profiles_changed(profile.id)
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.id == profile.id)
    retype(qtbot, window, "to", "+15555550100")
    qtbot.waitUntil(window.call_button.isEnabled, timeout=3000)
    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status_label.text().startswith("Can't reach"), timeout=10_000)
    assert window.status_label.text() == (f"Can't reach 127.0.0.1:{port} — the connection was refused. Is the server "
                                          "running and the port right? Nothing was sent.")
    window.tabs.setCurrentWidget(window.history_view)
    window.history_view.refresh()
    qtbot.waitUntil(lambda: window.history_view.model.rowCount() == 1)
    texts = visible_texts(window) + [str(window.history_view.model.index(0, c).data(role) or "")
                                     for c in range(window.history_view.model.columnCount())
                                     for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]
    assert [text for text in texts if IMPLEMENTATION_WORDS.search(text)] == []
    assert "Not sent" in texts


def test_message_catalogue_has_no_implementation_words() -> None:
    texts = [value for value in vars(messages).values() if isinstance(value, str)]
    texts += [*messages.RESULT_WORDS.values(), *messages.RESULT_HELP.values()]
    texts += [messages.calling("+15555550100"), messages.no_secret("Support"), messages.exported("8 calls", "/tmp/x"),
              messages.keyring_refused("Support", "the keyring is locked and was not unlocked.")]
    assert [text for text in texts if IMPLEMENTATION_WORDS.search(text)] == []


def test_ctrl_k_works_from_inside_the_to_field(window: MainWindow, qtbot: QtBot) -> None:
    editor = window.form.editor("to")
    assert editor is not None
    field = editor.focus_target()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    before = field.text()  # type: ignore[attr-defined]
    qtbot.keyClick(field, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.quick_switcher, QuickSwitcher) and window.quick_switcher.isVisible()
    assert field.text() == before  # type: ignore[attr-defined]
