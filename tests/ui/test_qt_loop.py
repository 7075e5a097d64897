"""The test loop's teardown frees qasync's timer object in the GUI thread, with no Qt timer left behind.

Left to the garbage collector, that object could be destroyed in a server or resolver thread, where
Qt cannot unregister its timers; the next one to fire would crash the process (see tests/support/qt_loop).
"""

from __future__ import annotations

import asyncio

import shiboken6
from PySide6.QtWidgets import QApplication

from tests.support.qt_loop import start_loop, stop_loop


def test_stopping_the_loop_deletes_its_timer_object_with_pending_timers_killed(qapp: QApplication) -> None:
    loop = start_loop(qapp)
    fired: list[str] = []
    loop.call_later(30, fired.append, "late")
    loop.call_later(0.0, fired.append, "soon")
    timer = loop._timer  # type: ignore[attr-defined]
    assert len(timer._SimpleTimer__callbacks) == 2
    stop_loop(loop)
    assert not shiboken6.isValid(timer)
    assert asyncio.events._get_running_loop() is None
    qapp.processEvents()
    assert "late" not in fired
