"""Child process for the cold-start benchmark: start a window, report its first paint, exit.

    python benchmarks/startup_child.py bare   a bare PySide6 main window (the yardstick)
    python benchmarks/startup_child.py app    Call Launcher through launcher.ui.app.run(), unchanged

The parent measures from just before it spawns this process to the moment the line
``painted WIDTHxHEIGHT`` arrives on stdout.  "First painted" is the first QEvent.Paint the main
window itself receives (an event filter on that window, installed right after it is constructed),
not a timer after show().  The bare window then leaves at once with os._exit: tear-down is not start-up.

The app goes on to "usable": once the work deferred past the first paint is done (the window's
``tabs_built``), a typed key (a real key press and release sent to the To field) must appear in that
field; then the line ``usable`` is written and the process leaves.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _watch_first_paint(window: Any, then: Any = None) -> None:
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is window and event.type() == QEvent.Type.Paint:
                _say(f"painted {window.width()}x{window.height()}")
                if then is None:
                    os._exit(0)
                window.removeEventFilter(self)
                then()
            return False

    window._first_paint_watcher = FirstPaint(window)
    window.installEventFilter(window._first_paint_watcher)


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Bare")
    window.setCentralWidget(QLabel("Hello"))
    window.resize(int(os.environ.get("BENCH_WIDTH", "1000")), int(os.environ.get("BENCH_HEIGHT", "700")))
    _watch_first_paint(window)
    window.show()
    app.exec()


def _type_into_to(window: Any) -> None:
    """Poll (from the event loop) until the deferred start-up work is done, then type into To."""
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    def attempt() -> None:
        if not getattr(window, "tabs_built", True):  # a window without deferred work is done at once
            QTimer.singleShot(0, attempt)
            return
        editor = window.form.editor("to")
        field = editor.focus_target() if editor is not None else None
        if field is None or not hasattr(field, "text"):
            sys.exit("no To field to type into")
        field.setFocus()
        field.end(False)
        before = field.text()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, Qt.Key.Key_7, Qt.KeyboardModifier.NoModifier, "7"))
        if field.text() != before + "7":
            _say(f"not usable: To was {before!r}, after typing 7 it is {field.text()!r}")
            os._exit(1)
        _say("usable")
        os._exit(0)

    QTimer.singleShot(0, attempt)


def app() -> None:
    """The real start path; the only addition is the paint watcher, installed when MainWindow is built."""
    from launcher.ui import main_window

    built = main_window.MainWindow.__init__

    def init_and_watch(self: Any, *args: Any, **kwargs: Any) -> None:
        built(self, *args, **kwargs)
        _watch_first_paint(self, then=lambda: _type_into_to(self))

    main_window.MainWindow.__init__ = init_and_watch  # type: ignore[method-assign]
    from launcher.ui.app import run

    run()


if __name__ == "__main__":
    {"bare": bare, "app": app}[sys.argv[1]]()
    sys.exit("the window was never painted")
