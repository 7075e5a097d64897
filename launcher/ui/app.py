"""Start the window: QApplication + qasync loop, one instance per user, closed cleanly on quit."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping


def _link_opener_class() -> type:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QFileOpenEvent

    class LinkOpener(QObject):
        def __init__(self, window: QObject) -> None:
            super().__init__(window)
            self.window = window

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
                url = event.url().toString() or event.file()
                if url:
                    self.window.handle_message({"link": url})  # type: ignore[attr-defined]
                    return True
            return False

    return LinkOpener


def display_problem(env: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why the window cannot open here, or None.  Checked before Qt starts: with no display Qt aborts
    the process with a message about platform plugins that explains nothing."""
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return ("call-launcher: no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the "
            "window cannot open.\nStart it from a desktop session, or use the command line: "
            "'call-launcher call --help', 'call-launcher sandbox'.")


def run(link: str | None = None) -> int:
    problem = display_problem(os.environ)
    if problem:
        print(problem, file=sys.stderr)
        return 1

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

    from launcher.ui.collector import GuiThreadCollector
    from launcher.ui.main_window import MainWindow
    from launcher.ui.resources import app_icon
    from launcher.view.context import build_context

    LinkOpener = _link_opener_class()

    app.setWindowIcon(app_icon())
    collector = GuiThreadCollector(app)
    collector.start()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    context = build_context()
    window = MainWindow(context, defer_tabs=True)  # Request, History, Tests: right after the first paint
    instance.message_received.connect(window.handle_message)
    opener = LinkOpener(window)  # macOS delivers tel:/sip: links as FileOpen events
    app.installEventFilter(opener)
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
    collector.stop()
    return 0
