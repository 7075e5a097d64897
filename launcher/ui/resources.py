"""Icons and other files from resources/ (next to the package in a checkout, bundled when frozen)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


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
