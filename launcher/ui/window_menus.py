"""Menus, actions and keyboard shortcuts of the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from launcher.ui import messages
from launcher.ui.help_windows import QuickSwitcher, sandbox_dialog, shortcuts_dialog, user_guide_dialog
from launcher.ui.unchecked_send import send_without_local_checks

if TYPE_CHECKING:
    from launcher.ui.main_window import MainWindow


def _action(window: MainWindow, text: str, slot: object, shortcuts: list[str] | None = None,
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcuts:
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_menus(window: MainWindow) -> dict[str, QAction]:
    actions = {
        "call": _action(window, "&Call", window.place_call, ["Ctrl+Return", "Ctrl+Enter"],
                        "Place the call with the form's values"),
        "cancel": _action(window, "&" + messages.STOP_WAITING, window.cancel_call, ["Esc"],
                          "Stop waiting for the provider's answer"),
        "hangup": _action(window, "&Hang up selected call", window.hang_up_selected, ["Ctrl+H"]),
        "unchecked": _action(window, "Send &without local checks…", lambda: send_without_local_checks(window),
                             tip="For engineers: send what the form's checks refuse, so the provider answers "
                                 "for itself"),
        "focus_to": _action(window, "Go to &To", window.focus_to, ["Ctrl+L"], "Put the cursor in the To field"),
        "dialpad": _action(window, "&Dial pad", window.dialpad_button.toggle, ["Ctrl+D"]),
        "profiles": _action(window, "Edit &profiles…", window.edit_profiles, ["Ctrl+P"]),
        "search": _action(window, "&Search history", window.focus_history_search, ["Ctrl+F"]),
        "quit": _action(window, "&Quit", QApplication.quit, [QKeySequence(QKeySequence.StandardKey.Quit).toString()
                                                              or "Ctrl+Q"]),
        "switch_profile": _action(window, "S&witch profile…", lambda: open_quick_switcher(window), ["Ctrl+K"],
                                  "Find a profile by typing a few letters of its name"),
        "shortcuts": _action(window, "&Keyboard shortcuts", lambda: _show(window, shortcuts_dialog(
            [*window.menu_actions.values(), *window.tab_actions], window)), ["F1", "Ctrl+/"]),
        "sandbox": _action(window, "&Sandbox numbers", lambda: _show(window, sandbox_dialog(window)),
                           tip="Which numbers give which outcome in the sandbox"),
        "guide": _action(window, "&User guide", lambda: _show(window, user_guide_dialog(window))),
        "about": _action(window, "&About Call Launcher", window.about),
    }
    actions["cancel"].setEnabled(False)
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(actions["switch_profile"])
    file_menu.addAction(actions["profiles"])
    file_menu.addSeparator()
    file_menu.addAction(actions["quit"])
    call_menu = bar.addMenu("&Call")
    for key in ("call", "cancel", "hangup"):
        call_menu.addAction(actions[key])
    call_menu.addSeparator()
    call_menu.addAction(actions["unchecked"])
    call_menu.addSeparator()
    call_menu.addAction(actions["focus_to"])
    call_menu.addAction(actions["dialpad"])
    view_menu = bar.addMenu("&View")
    window.tab_actions = []
    for index, title in enumerate(("&Live calls", "&Request", "&History")):
        tab_action = _action(window, title, lambda checked=False, i=index: window.tabs.setCurrentIndex(i),
                             [f"Alt+{index + 1}"])
        view_menu.addAction(tab_action)
        window.tab_actions.append(tab_action)
    view_menu.addSeparator()
    view_menu.addAction(actions["search"])
    help_menu = bar.addMenu("&Help")
    for key in ("shortcuts", "sandbox", "guide"):
        help_menu.addAction(actions[key])
    help_menu.addSeparator()
    help_menu.addAction(actions["about"])
    return actions


def _show(window: MainWindow, dialog: QDialog) -> None:
    """One help window at a time; opened with open(), never exec()."""
    previous = getattr(window, "help_window", None)
    if previous is not None:
        previous.close()
    window.help_window = dialog
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _result: setattr(window, "help_window", None))
    dialog.open()


def open_quick_switcher(window: MainWindow) -> QuickSwitcher:
    """The Ctrl+K popup over the window: choosing a profile selects it in the profile bar."""
    from launcher.ui.profile_bar import profile_title

    bar = window.profile_bar
    current = bar.current_profile()
    switcher = QuickSwitcher(window.context.manager.all(), profile_title, current.id if current else None,
                             bar.select_profile, window)
    switcher.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    geometry = window.geometry()
    switcher.move(geometry.x() + (geometry.width() - switcher.width()) // 2, geometry.y() + geometry.height() // 6)
    window.quick_switcher = switcher
    switcher.finished.connect(lambda _result: setattr(window, "quick_switcher", None))
    switcher.open()
    return switcher


# -- View › Compact ---------------------------------------------------------------------------------
def add_compact_action(window: MainWindow) -> QAction:
    """View › Compact (Ctrl+Shift+M): the small softphone layout; checked while it is on."""
    action = _action(window, "&Compact layout", window.layout_modes.toggle, ["Ctrl+Shift+M"],
                     "A small window: profile, To with dial pad, Call and Hang up, the live call, recent calls")
    action.setCheckable(True)
    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text() == "&View"), None)
    if isinstance(view_menu, QMenu) and view_menu.actions():
        first = view_menu.actions()[0]
        view_menu.insertAction(first, action)
        view_menu.insertSeparator(first)
    return action
