"""Child process for the cold-start benchmark: start a window, report its first paint, exit.

    python benchmarks/startup_child.py bare   a bare PySide6 main window (the yardstick)
    python benchmarks/startup_child.py app    Call Launcher through launcher.ui.app.run(), unchanged

The parent measures from just before it spawns this process to the moment the line
``painted WIDTHxHEIGHT`` arrives on stdout.  "First painted" is the first QEvent.Paint the main
window itself receives (an event filter on that window, installed right after it is constructed),
not a timer after show().  The process then leaves at once with os._exit: tear-down is not start-up.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _watch_first_paint(window: Any) -> None:
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is window and event.type() == QEvent.Type.Paint:
                sys.stdout.write(f"painted {window.width()}x{window.height()}\n")
                sys.stdout.flush()
                os._exit(0)
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


def app() -> None:
    """The real start path; the only addition is the paint watcher, installed when MainWindow is built."""
    from launcher.ui import main_window

    built = main_window.MainWindow.__init__

    def init_and_watch(self: Any, *args: Any, **kwargs: Any) -> None:
        built(self, *args, **kwargs)
        _watch_first_paint(self)

    main_window.MainWindow.__init__ = init_and_watch  # type: ignore[method-assign]
    from launcher.ui.app import run

    run()


if __name__ == "__main__":
    {"bare": bare, "app": app}[sys.argv[1]]()
    sys.exit("the window was never painted")
