"""The two layouts of the window and the switch between them (View › Compact, Ctrl+Shift+M).

Full (engineers): profile header; the whole form beside live calls, request and history tabs.
Compact (support staff, about 380×640, like a softphone): profile header; To with the dial pad;
Call / Hang up; the live call with its timer; recent calls.  Every field keeps its value in compact
mode — the form is only folded to To.  The mode and each mode's window geometry are remembered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, QTimer
from PySide6.QtWidgets import QSizePolicy

from launcher.ui.window_geometry import default_size, fit_to_screen
from launcher.view import messages

if TYPE_CHECKING:
    from launcher.ui.window_base import WindowBase

COMPACT_SIZE = QSize(380, 640)
SETTING = "window/compact"
GEOMETRY_KEYS = {False: "window/geometry", True: "window/compact_geometry"}


class LayoutModes:
    def __init__(self, window: WindowBase) -> None:
        self.window = window
        self.compact = False
        self._follows_pad = False

    def _show_calls_list(self) -> None:
        """In compact, the open dial pad takes the recent-calls list's place, never the live card's."""
        if not self._follows_pad:  # the pad's button is made after this object
            self.window.dialpad_button.toggled.connect(self._show_calls_list)
            self._follows_pad = True
        pad_open = self.compact and self.window.dialpad_button.isChecked()
        self.window.calls_panel.list_side.setVisible(not pad_open)

    def toggle(self) -> None:
        self.set_compact(not self.compact)

    def set_compact(self, compact: bool, *, restoring: bool = False) -> None:
        window = self.window
        if compact == self.compact:
            return
        if not restoring:
            self.save_geometry()
        self.compact = compact
        panel = window.calls_panel
        if compact:
            index = window.tabs.indexOf(panel)
            if index >= 0:
                window.tabs.removeTab(index)
            window.left_layout.addWidget(panel, 1)
            panel.show()
        else:
            window.left_layout.removeWidget(panel)
            window.tabs.insertTab(0, panel, messages.LIVE_CALLS)
            window.tabs.setCurrentWidget(panel)
        window.left_layout.setStretchFactor(window.form, 0 if compact else 1)
        window.form.set_compact(compact)
        window.tabs.setVisible(not compact)
        window.profile_bar.set_compact(compact)
        panel.set_compact(compact)
        window.dialpad_placement.set_compact(compact)
        self._show_calls_list()
        notice = getattr(window, "secrets_notice", None)
        if notice is not None:  # a long note must not hold the small window open (its tooltip has it all)
            policy = QSizePolicy.Policy.Ignored if compact else QSizePolicy.Policy.Preferred
            notice.setSizePolicy(policy, QSizePolicy.Policy.Preferred)
        window.compact_action.setChecked(compact)
        window.settings.setValue(SETTING, compact)
        self.restore_geometry()
        # Hidden panes give up their minimum size only once the layouts have run: size again then.
        QTimer.singleShot(0, window, self.restore_geometry)

    def save_geometry(self) -> None:
        self.window.settings.setValue(GEOMETRY_KEYS[self.compact], self.window.saveGeometry())

    def restore_geometry(self) -> None:
        window = self.window
        for widget in (window.centralWidget(), window):
            layout = widget.layout() if widget is not None else None
            if layout is not None:
                layout.invalidate()
                layout.activate()  # the new minimum size, before resizing to the mode's size
        geometry = window.settings.value(GEOMETRY_KEYS[self.compact])
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            window.restoreGeometry(geometry)
        else:
            screen = window.screen()
            if self.compact:
                window.resize(COMPACT_SIZE)
            elif screen is not None:
                window.resize(default_size(screen.availableGeometry()))
        fit_to_screen(window)
