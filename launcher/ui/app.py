"""Start the window: QApplication + qasync loop, one instance per user, closed cleanly on quit."""

from __future__ import annotations

import asyncio
import sys


def run(link: str | None = None) -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    from launcher import __version__
    from launcher.ui.single_instance import InstanceServer, hand_over

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Call Launcher")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("call-launcher")
    if hand_over({"link": link or ""}):
        return 0  # the running window took it
    instance = InstanceServer()
    instance.listen()

    from launcher.ui.context import build_context
    from launcher.ui.main_window import MainWindow
    from launcher.ui.resources import app_icon

    app.setWindowIcon(app_icon())
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    context = build_context()
    window = MainWindow(context)
    instance.message_received.connect(window.handle_message)
    window.show()
    if link:
        window.open_link(link)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    with loop:
        loop.run_until_complete(closing.wait())
        loop.run_until_complete(window.controller.shutdown())
        loop.run_until_complete(context.aclose())
    instance.close()
    return 0
