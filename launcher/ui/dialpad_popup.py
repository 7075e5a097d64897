"""Where the dial pad lives: a drop-down under the Dial pad button in the full layout (so it never
squeezes the form), inline under To in the compact layout (where it is the point of the window)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QFrame, QPushButton, QVBoxLayout, QWidget

from launcher.ui.form.dialpad import DialPad
from launcher.ui.form.style import em


class DialPadPopup(QFrame):
    """A pop-up frame holding the dial pad; closes on Esc or a click elsewhere (that click is not replayed)."""

    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_NoMouseReplay)
        self.setAccessibleName("Dial pad")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)

    def hold(self, pad: DialPad) -> None:
        layout = self.layout()
        assert layout is not None
        layout.addWidget(pad)
        pad.show()

    def open_below(self, anchor: QWidget) -> None:
        self.resize(em(self, 16), em(self, 19))
        below = anchor.mapToGlobal(QPoint(0, anchor.height() + 2))
        above = anchor.mapToGlobal(QPoint(0, -self.height() - 2))
        screen = anchor.screen()
        fits_below = screen is None or below.y() + self.height() <= screen.availableGeometry().bottom()
        self.move(below if fits_below else above)
        self.show()
        pad = self.findChild(DialPad)
        if pad is not None:
            pad.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.closed.emit()


class DialPadPlacement:
    """Moves the one DialPad between the pop-up (full layout) and its inline slot (compact layout)."""

    def __init__(self, pad: DialPad, inline_slot: QVBoxLayout, button: QPushButton, parent: QWidget) -> None:
        self.pad, self.slot, self.button = pad, inline_slot, button
        self.popup = DialPadPopup(parent)
        self.popup.closed.connect(self._popup_closed)
        self.compact = False
        self.button.toggled.connect(self._toggled)
        self._place()

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.popup.hide()
            self._place()

    def _place(self) -> None:
        if self.compact:
            self.slot.addWidget(self.pad)
            self.pad.setVisible(self.button.isChecked())
        else:
            self.popup.hold(self.pad)
            if self.button.isChecked():
                self.button.setChecked(False)

    def _toggled(self, shown: bool) -> None:
        if self.compact:
            self.pad.setVisible(shown)
        elif shown:
            self.popup.open_below(self.button)
        else:
            self.popup.hide()

    def _popup_closed(self) -> None:
        if not self.compact and self.button.isChecked():
            self.button.setChecked(False)
