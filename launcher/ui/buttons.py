"""Button looks for the window's emphasised buttons, in every state, on light and dark palettes.

A disabled button styled from palette roles vanished on dark palettes (``palette(mid)`` is nearly the
window colour there) while a disabled plain button kept its fill and looked pressable.  One rule for
all of them here: enabled buttons are filled (saturated colours carrying white text for primary and
danger, the palette's button colours for secondary); a disabled one is *flat* — no fill, a dashed
outline and a grey that keeps over 4:1 contrast with the window.  Widgets that use these call
:func:`style_button` again when their palette changes (dark mode toggled at run time).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QPushButton, QWidget

from launcher.ui.resources import ui_icon

DISABLED_GREY = {False: "#6b6b6b", True: "#9a9a9a"}  # on a light / dark window
OUTLINE_GREY = "#888888"


@dataclass(frozen=True)
class ButtonColors:
    fill: str
    hover: str
    text: str
    border: str


KINDS: dict[str, ButtonColors] = {
    "primary": ButtonColors("#2e7d32", "#388e3c", "#ffffff", "#1b5e20"),
    "danger": ButtonColors("#c62828", "#d32f2f", "#ffffff", "#8e1b1b"),
    # The base (field) colour: lighter than the window on light palettes, darker on dark ones.
    "secondary": ButtonColors("palette(base)", "palette(alternate-base)", "palette(text)", OUTLINE_GREY),
}


def palette_is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def button_sheet(kind: str, dark: bool, bold: bool = True, padding: str = "6px 18px") -> str:
    colors = KINDS[kind]
    grey = DISABLED_GREY[dark]
    weight = "font-weight: bold;" if bold else ""
    return (
        f"QPushButton {{ background: {colors.fill}; color: {colors.text}; border: 1px solid {colors.border};"
        f" border-radius: 6px; padding: {padding}; {weight} }}"
        f" QPushButton:hover {{ background: {colors.hover}; }}"
        f" QPushButton:pressed {{ background: {colors.border}; }}"
        " QPushButton:focus { border: 2px solid palette(highlight); }"
        f" QPushButton:disabled {{ background: transparent; color: {grey}; border: 1px dashed {grey}; }}"
    )


def style_button(button: QPushButton, kind: str, *, bold: bool = True, padding: str = "6px 18px") -> QPushButton:
    """Give ``button`` the ``kind`` look ("primary", "danger" or "secondary") in every state."""
    if kind not in KINDS:
        raise ValueError(f"unknown button kind {kind!r}")
    sheet = button_sheet(kind, palette_is_dark(button.palette()), bold, padding)
    if button.styleSheet() != sheet:
        button.setStyleSheet(sheet)
    button.setProperty("button_kind", (kind, bold, padding))
    return button


def set_icon(button: QAbstractButton, name: str) -> None:
    """Put icon ``name`` from the window's set on ``button``, in the colour of the button's text."""
    kind = button.property("button_kind")
    if kind and kind[0] in ("primary", "danger"):
        color = QColor(KINDS[kind[0]].text)
    else:
        color = button.palette().color(QPalette.ColorRole.ButtonText)
    disabled = QColor(DISABLED_GREY[palette_is_dark(button.palette())])  # as the flat disabled text
    button.setIcon(ui_icon(name, color, disabled=disabled))
    button.setProperty("icon_name", name)


def restyle_buttons(root: QWidget) -> None:
    """Re-apply every styled button's look and icon under ``root`` for the current palette."""
    for button in root.findChildren(QAbstractButton):
        spec = button.property("button_kind")
        if spec and isinstance(button, QPushButton):
            style_button(button, spec[0], bold=spec[1], padding=spec[2])
        if button.property("icon_name"):
            set_icon(button, str(button.property("icon_name")))
