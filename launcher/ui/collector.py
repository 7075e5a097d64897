"""Python's cyclic garbage collection, run only in the GUI thread.

Left automatic, the collector runs in whichever thread allocates when a threshold is crossed: in
this app that may be one of the loop's name-resolution threads.  A Qt object freed there cannot
unregister its timers or touch its widgets, and the process crashes later, far from the cause.  So
automatic collection is switched off while the window runs and a timer in the GUI thread collects by
the same thresholds, generation by generation.  (Reference counting still frees most objects at once,
in the thread that drops them; only cycles wait for the timer.)
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.collect_due)

    def start(self) -> None:
        gc.disable()
        gc.freeze()  # what startup built lives for the session: full collections need not walk it again
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> int:
        """Collect the generations whose allocation counts passed their thresholds; returns how many
        objects were found unreachable."""
        young, middle, old = gc.get_count()
        found = 0
        if young > self.thresholds[0]:
            generation = 0
            if middle > self.thresholds[1]:
                generation = 2 if old > self.thresholds[2] else 1
            found = gc.collect(generation)
        return found
