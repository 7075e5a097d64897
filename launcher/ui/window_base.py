"""The main window as its helpers see it: its parts and commands, declared apart.

``MainWindow`` subclasses this.  ``window_menus``, ``control_names``, ``compact_layout`` and ``unchecked_send``
take a ``WindowBase``, so they need nothing from ``main_window`` and the modules import one way (no import circle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QPushButton, QTabWidget, QVBoxLayout

from launcher.core.profiles import Profile
from launcher.core.providers.base import ProviderAdapter
from launcher.ui.call_controller import CallController
from launcher.ui.call_view import LiveCallsPanel
from launcher.ui.dialpad_popup import DialPadPlacement
from launcher.ui.form.dialpad import DialPad
from launcher.ui.form.form import CallForm
from launcher.ui.profile_bar import ProfileBar
from launcher.view.context import AppContext

if TYPE_CHECKING:
    from launcher.ui.history_view import HistoryView  # built after the first paint, with its tab
    from launcher.ui.request_view import RequestInspector  # likewise


class LayoutToggle(Protocol):
    """What the menus need of the layout modes (``compact_layout.LayoutModes``, which takes the window)."""

    def toggle(self) -> None: ...


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
    settings: QSettings
    controller: CallController
    profile: Profile | None
    adapter: ProviderAdapter | None
    left_layout: QVBoxLayout
    dialpad_placement: DialPadPlacement
    compact_action: QAction
    layout_modes: LayoutToggle

    @property
    def inspector(self) -> RequestInspector:
        raise NotImplementedError

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

    def set_status(self, text: str, error: bool = False, topic: str = "") -> None:
        raise NotImplementedError
