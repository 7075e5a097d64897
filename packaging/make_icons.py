#!/usr/bin/env python3
"""Render resources/icons/call-launcher.svg into the PNG sizes desktops and installers use.

    .venv/bin/python packaging/make_icons.py          # writes resources/icons/call-launcher-<size>.png
    .venv/bin/python packaging/make_icons.py --check  # exit 1 if a committed PNG is missing or stale

Rendered with Qt's own SVG renderer on the offscreen platform, so no display and no extra tool is
needed.  The PNGs are committed: the app (launcher/ui/resources.py), the .deb, the tarball, the
Windows .ico and the macOS .icns all start from them.  Below 48 px the artwork is drawn from
``call-launcher-small.svg`` when it exists: the same design with less margin and bolder strokes,
because a scaled-down 256 px drawing turns to mush at 16 px.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "call-launcher.svg"
SMALL_SVG = ICONS / "call-launcher-small.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SMALL_BELOW = 48


def source_for(size: int) -> Path:
    return SMALL_SVG if size < SMALL_BELOW and SMALL_SVG.exists() else SVG


def render(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; only str works
    buffer.close()
    return bytes(data.data())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the committed PNGs are current")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 - QImage/QPainter need it
    stale = []
    for size in SIZES:
        target = ICONS / f"call-launcher-{size}.png"
        png = render(source_for(size), size)
        if args.check:  # compare pixels, not bytes: another Qt may compress the same image differently
            from PySide6.QtGui import QImage

            if not target.exists() or QImage(str(target)) != QImage.fromData(png):
                stale.append(target.name)
            continue
        if not target.exists() or target.read_bytes() != png:
            target.write_bytes(png)
            print(f"wrote {target.relative_to(ROOT)} ({len(png)} bytes)")
    if stale:
        print(f"make_icons: out of date: {', '.join(stale)}; run packaging/make_icons.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
