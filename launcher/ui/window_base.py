"""The main window as its menus and control names see it: its parts and commands, declared apart.

``MainWindow`` subclasses this.  ``window_menus`` and ``control_names`` take a ``WindowBase``, so they need
nothing from ``main_window`` and the modules import one way (no import circle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QPushButton, QTabWidget

from launcher.ui.call_view import LiveCallsPanel
from launcher.ui.form.dialpad import DialPad
from launcher.ui.form.form import CallForm
from launcher.ui.profile_bar import ProfileBar
from launcher.view.context import AppContext

if TYPE_CHECKING:
    from launcher.ui.history_view import HistoryView  # built after the first paint, with its tab


class WindowBase(QMainWindow):
    context: AppContext
    form: CallForm
    dialpad: DialPad
    dialpad_button: QPushButton
    call_button: QPushButton
    cancel_button: QPushButton
    calls_panel: LiveCallsPanel
    profile_bar: ProfileBar
    tabs: QTabWidget
    menu_actions: dict[str, QAction]
    tab_actions: list[QAction]
    help_window: QDialog | None
    quick_switcher: QDialog | None

    @property
    def history_view(self) -> HistoryView:
        raise NotImplementedError

    def place_call(self, *_ignored: object) -> object:
        raise NotImplementedError

    def cancel_call(self) -> None:
        raise NotImplementedError

    def hang_up_selected(self) -> None:
        raise NotImplementedError

    def focus_to(self) -> None:
        raise NotImplementedError

    def focus_history_search(self) -> None:
        raise NotImplementedError

    def edit_profiles(self) -> None:
        raise NotImplementedError

    def about(self) -> None:
        raise NotImplementedError
