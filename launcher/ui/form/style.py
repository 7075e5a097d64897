"""Colours for messages and error frames, derived from the current palette (light and dark themes)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget


def _palette(widget: QWidget | None = None) -> QPalette:
    return widget.palette() if widget is not None else QApplication.palette()


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def error_color(widget: QWidget | None = None) -> QColor:
    """A red that reads on the window background of the current theme."""
    return QColor("#ff8a80") if is_dark(_palette(widget)) else QColor("#c62828")


def warning_color(widget: QWidget | None = None) -> QColor:
    """A softer amber for advice that does not block a call."""
    return QColor("#ffd54f") if is_dark(_palette(widget)) else QColor("#8a6500")


def muted_color(widget: QWidget | None = None) -> QColor:
    return _palette(widget).color(QPalette.ColorRole.PlaceholderText)


def em(widget: QWidget, count: float) -> int:
    """``count`` widths of the letter M in the widget's font: sizes that follow the font, not pixels."""
    return round(widget.fontMetrics().horizontalAdvance("M") * count)


def set_text_color(label: QLabel, color: QColor) -> None:
    """Colour a label's text; only touches the style sheet when the colour really changes."""
    sheet = f"color: {color.name()};"
    if label.styleSheet() != sheet:
        label.setStyleSheet(sheet)


def muted_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    set_text_color(label, muted_color(label))
    return label
