"""A collapsible section: a header button with an arrow, a title and a status, over a body."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QSizePolicy, QToolButton, QVBoxLayout, QWidget


class Disclosure(QWidget):
    """Header + body; the header reads "Title · 2 set · 1 problem" so collapsed content is not hidden news."""

    toggled = Signal(bool)

    def __init__(self, title: str, body: QWidget, expanded: bool = False, framed: bool = False,
                 bold: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._status = ""
        self._help = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self._expanded = expanded
        self._initially_expanded = expanded
        self.header = QToolButton(self)
        self.header.setAutoRaise(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        if bold:
            font = self.header.font()
            font.setBold(True)
            self.header.setFont(font)
        layout.addWidget(self.header)
        self.frame = QFrame(self)
        frame_layout = QVBoxLayout(self.frame)
        if framed:
            self.frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame_layout.setContentsMargins(8, 6, 6, 6)
        else:
            frame_layout.setContentsMargins(0, 2, 0, 6)
        frame_layout.addWidget(body)
        layout.addWidget(self.frame)
        self.set_status("")
        self.header.clicked.connect(lambda: self.set_expanded(not self._expanded))
        self._apply()

    def _apply(self) -> None:
        expanded = self._expanded
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.frame.setVisible(expanded)
        self.header.setAccessibleDescription(("Expanded. " if expanded else "Collapsed. ") + self._help)

    def expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        if expanded != self._expanded:
            self._expanded = expanded
            self._apply()
            self.toggled.emit(expanded)

    def restore(self) -> None:
        """Back to how it started (a re-used form looks as if freshly built)."""
        self.set_expanded(self._initially_expanded)

    def set_help(self, text: str) -> None:
        self._help = text
        self.header.setToolTip(text)
        self._apply()

    def set_status(self, status: str) -> None:
        if status == self._status and self.header.text():
            return
        self._status = status
        text = f"{self.title}  ·  {status}" if status else self.title
        self.header.setText(text.replace("&", "&&"))
        self.header.setAccessibleName(text)

    def status(self) -> str:
        return self._status


def status_text(set_count: int, problems: int) -> str:
    parts = []
    if set_count:
        parts.append(f"{set_count} set")
    if problems:
        parts.append(f"{problems} problem" + ("s" if problems != 1 else ""))
    return "  ·  ".join(parts)
