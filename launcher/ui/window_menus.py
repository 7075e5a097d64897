"""Menus, actions and keyboard shortcuts of the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

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
        "cancel": _action(window, "C&ancel waiting", window.cancel_call, ["Esc"],
                          "Stop waiting for the provider's answer"),
        "hangup": _action(window, "&Hang up selected call", window.hang_up_selected, ["Ctrl+H"]),
        "focus_to": _action(window, "Go to &To", window.focus_to, ["Ctrl+L"], "Put the cursor in the To field"),
        "dialpad": _action(window, "&Dial pad", window.dialpad_button.toggle, ["Ctrl+D"]),
        "profiles": _action(window, "Edit &profiles…", window.edit_profiles, ["Ctrl+P"]),
        "search": _action(window, "&Search history", window.focus_history_search, ["Ctrl+F"]),
        "quit": _action(window, "&Quit", QApplication.quit, [QKeySequence(QKeySequence.StandardKey.Quit).toString()
                                                              or "Ctrl+Q"]),
        "about": _action(window, "&About Call Launcher", window.about),
    }
    actions["cancel"].setEnabled(False)
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(actions["profiles"])
    file_menu.addSeparator()
    file_menu.addAction(actions["quit"])
    call_menu = bar.addMenu("&Call")
    for key in ("call", "cancel", "hangup"):
        call_menu.addAction(actions[key])
    call_menu.addSeparator()
    call_menu.addAction(actions["focus_to"])
    call_menu.addAction(actions["dialpad"])
    view_menu = bar.addMenu("&View")
    for index, title in enumerate(("&Live calls", "&Request", "&History")):
        tab_action = _action(window, title, lambda checked=False, i=index: window.tabs.setCurrentIndex(i),
                             [f"Alt+{index + 1}"])
        view_menu.addAction(tab_action)
    view_menu.addSeparator()
    view_menu.addAction(actions["search"])
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions["about"])
    return actions
