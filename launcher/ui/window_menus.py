"""Menus, actions and keyboard shortcuts of the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from launcher.ui.help_windows import QuickSwitcher, sandbox_dialog, shortcuts_dialog, user_guide_dialog
from launcher.ui.unchecked_send import send_without_local_checks
from launcher.view import messages

if TYPE_CHECKING:
    from launcher.ui.window_base import WindowBase


def _action(window: WindowBase, text: str, slot: object, shortcuts: list[str] | None = None,
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


def build_menus(window: WindowBase) -> dict[str, QAction]:
    actions = {
        "call": _action(window, messages.MENU_CALL, window.place_call, ["Ctrl+Return", "Ctrl+Enter"],
                        messages.ACTION_CALL_TIP),
        "cancel": _action(window, "&" + messages.STOP_WAITING, window.cancel_call, ["Esc"],
                          messages.ACTION_STOP_WAITING_TIP),
        "hangup": _action(window, messages.ACTION_HANG_UP, window.hang_up_selected, ["Ctrl+H"]),
        "unchecked": _action(window, messages.ACTION_UNCHECKED, lambda: send_without_local_checks(window),
                             tip=messages.ACTION_UNCHECKED_TIP),
        "focus_to": _action(window, messages.ACTION_FOCUS_TO, window.focus_to, ["Ctrl+L"],
                            messages.ACTION_FOCUS_TO_TIP),
        "dialpad": _action(window, messages.ACTION_DIAL_PAD, window.dialpad_button.toggle, ["Ctrl+D"]),
        "profiles": _action(window, messages.ACTION_PROFILES, window.edit_profiles, ["Ctrl+P"]),
        "search": _action(window, messages.ACTION_SEARCH, window.focus_history_search, ["Ctrl+F"]),
        "quit": _action(window, messages.ACTION_QUIT, QApplication.quit,
                        [QKeySequence(QKeySequence.StandardKey.Quit).toString() or "Ctrl+Q"]),
        "switch_profile": _action(window, messages.ACTION_SWITCH_PROFILE, lambda: open_quick_switcher(window),
                                  ["Ctrl+K"], messages.ACTION_SWITCH_PROFILE_TIP),
        "shortcuts": _action(window, messages.ACTION_SHORTCUTS, lambda: _show(window, shortcuts_dialog(
            [*window.menu_actions.values(), *window.tab_actions], window)), ["F1", "Ctrl+/"]),
        "sandbox": _action(window, messages.ACTION_SANDBOX, lambda: _show(window, sandbox_dialog(window)),
                           tip=messages.ACTION_SANDBOX_TIP),
        "guide": _action(window, messages.ACTION_GUIDE, lambda: _show(window, user_guide_dialog(window))),
        "about": _action(window, messages.ACTION_ABOUT, window.about),
    }
    actions["cancel"].setEnabled(False)
    bar = window.menuBar()
    file_menu = bar.addMenu(messages.MENU_FILE)
    file_menu.addAction(actions["switch_profile"])
    file_menu.addAction(actions["profiles"])
    file_menu.addSeparator()
    file_menu.addAction(actions["quit"])
    call_menu = bar.addMenu(messages.MENU_CALL)
    for key in ("call", "cancel", "hangup"):
        call_menu.addAction(actions[key])
    call_menu.addSeparator()
    call_menu.addAction(actions["unchecked"])
    call_menu.addSeparator()
    call_menu.addAction(actions["focus_to"])
    call_menu.addAction(actions["dialpad"])
    view_menu = bar.addMenu(messages.MENU_VIEW)
    window.tab_actions = []
    for index, title in enumerate(("&Live calls", "&Request", "&History")):
        tab_action = _action(window, title, lambda checked=False, i=index: window.tabs.setCurrentIndex(i),
                             [f"Alt+{index + 1}"])
        view_menu.addAction(tab_action)
        window.tab_actions.append(tab_action)
    view_menu.addSeparator()
    view_menu.addAction(actions["search"])
    help_menu = bar.addMenu(messages.MENU_HELP)
    for key in ("shortcuts", "sandbox", "guide"):
        help_menu.addAction(actions[key])
    help_menu.addSeparator()
    help_menu.addAction(actions["about"])
    return actions


def _show(window: WindowBase, dialog: QDialog) -> None:
    """One help window at a time; opened with open(), never exec()."""
    previous = getattr(window, "help_window", None)
    if previous is not None:
        previous.close()
    window.help_window = dialog
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _result: setattr(window, "help_window", None))
    dialog.open()


def open_quick_switcher(window: WindowBase) -> QuickSwitcher:
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
def add_compact_action(window: WindowBase) -> QAction:
    """View › Compact (Ctrl+Shift+M): the small softphone layout; checked while it is on."""
    action = _action(window, messages.ACTION_COMPACT, window.layout_modes.toggle, ["Ctrl+Shift+M"],
                     messages.ACTION_COMPACT_TIP)
    action.setCheckable(True)
    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text() == "&View"), None)
    if isinstance(view_menu, QMenu) and view_menu.actions():
        first = view_menu.actions()[0]
        view_menu.insertAction(first, action)
        view_menu.insertSeparator(first)
    return action
