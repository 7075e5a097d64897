"""Keep the window on the screen it opens on: a default size that fits, and restored geometry clamped.

At ``QT_SCALE_FACTOR=2`` a 1600×1000 screen is 800×500 logical pixels; a fixed default of 1280×800
(or a geometry saved on a bigger screen) would put Call off-screen.  Everything here works in the
screen's *available* logical geometry (without panels and docks).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1280, 800)
SCREEN_SHARE = 0.9  # a new window takes at most this much of the available width and height


def default_size(available: QRect, preferred: QSize = PREFERRED) -> QSize:
    """The preferred size, shrunk to a share of the available area when that is smaller."""
    return QSize(min(preferred.width(), int(available.width() * SCREEN_SHARE)),
                 min(preferred.height(), int(available.height() * SCREEN_SHARE)))


def fitted(frame: QRect, available: QRect) -> QRect:
    """``frame`` made no larger than ``available`` and moved (not shrunk further) to lie inside it."""
    width, height = min(frame.width(), available.width()), min(frame.height(), available.height())
    left = min(max(frame.left(), available.left()), available.right() - width + 1)
    top = min(max(frame.top(), available.top()), available.bottom() - height + 1)
    return QRect(left, top, width, height)


def fit_to_screen(window: QWidget) -> None:
    """Shrink and move ``window`` so its frame (title bar included) lies within its screen's available area."""
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = frame.width() - window.width()
    extra_h = frame.height() - window.height()
    target = fitted(frame, available)
    if target.size() != frame.size():
        window.resize(max(1, target.width() - extra_w), max(1, target.height() - extra_h))
    if target.topLeft() != frame.topLeft():
        window.move(target.topLeft())
