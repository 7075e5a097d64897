"""Icons and other files from resources/ (next to the package in a checkout, bundled when frozen)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen_root) / "resources"] if frozen_root else []
    here = Path(__file__).resolve()
    candidates += [here.parents[2] / "resources", here.parents[1] / "resources"]
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    return candidates[-1]


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    icons = resources_dir() / "icons"
    for png in sorted(icons.glob("call-launcher-*.png")):
        icon.addFile(str(png))
    svg = icons / "call-launcher.svg"
    if svg.exists():
        icon.addFile(str(svg))
    return icon


UI_ICONS = ("call", "hang-up", "dialpad", "profiles", "copy", "compact", "raw", "cancel")


def ui_icon(name: str, color: QColor, size: int = 24, disabled: QColor | None = None) -> QIcon:
    """One of the window's icons (resources/icons/ui/<name>.svg, one set, MIT licensed) drawn in
    ``color`` — the text colour of the button that carries it, so it follows light and dark palettes."""
    from PySide6.QtSvg import QSvgRenderer

    if name not in UI_ICONS:
        raise ValueError(f"unknown icon {name!r}")
    renderer = QSvgRenderer(str(resources_dir() / "icons" / "ui" / f"{name}.svg"))
    icon = QIcon()
    modes = [(QIcon.Mode.Normal, color)] + ([(QIcon.Mode.Disabled, disabled)] if disabled is not None else [])
    for mode, tint in modes:
        for scale in (1, 2):
            pixmap = QPixmap(size * scale, size * scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.fillRect(pixmap.rect(), tint)
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            icon.addPixmap(pixmap, mode)
    return icon
