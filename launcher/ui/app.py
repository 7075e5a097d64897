"""Start the window: QApplication + qasync loop, context built once, closed cleanly on quit."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence


def run(argv: Sequence[str] | None = None) -> int:
    import qasync
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from launcher import __version__
    from launcher.ui.context import build_context
    from launcher.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    assert isinstance(app, QApplication)
    app.setApplicationName("Call Launcher")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("call-launcher")
    from launcher.ui.resources import app_icon

    icon: QIcon = app_icon()
    app.setWindowIcon(icon)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    context = build_context()
    window = MainWindow(context)
    window.show()
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    with loop:
        loop.run_until_complete(closing.wait())
        loop.run_until_complete(window.controller.shutdown())
        loop.run_until_complete(context.aclose())
    return 0
