"""A line edit that shows the start of a value set from code, so "+1555…" never reads "…50100"."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget


class LineEdit(QLineEdit):
    """QLineEdit whose programmatic ``setText`` leaves the start in view unless the user is editing.

    Qt puts the cursor at the end of set text, which scrolls a long number or URL so that its
    beginning is hidden; while the field has focus the cursor stays where Qt puts it.
    """

    def __init__(self, text: str | QWidget | None = None, parent: QWidget | None = None) -> None:
        if isinstance(text, str):
            super().__init__(text, parent)
            self.home(False)
        else:
            super().__init__(text if text is not None else parent)

    def setText(self, text: str | None, /) -> None:
        super().setText(text)
        if not self.hasFocus():
            self.home(False)
