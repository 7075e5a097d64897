"""qasync's event loop for tests: started "already running" so tasks advance whenever Qt processes
events, and taken down completely afterwards.

Taking it down is more than ``close()``:

* qasync leaves an "already running" loop (and asyncio's running-loop mark) set for good, which would
  make every later ``asyncio.run()`` in the process fail;
* ``close()`` only *flags* the loop's timer object as stopped: the Qt timers of pending ``call_later``
  handles (poll delays, HTTP timeouts) stay registered.  That timer object has no Qt parent, so it is
  destroyed whenever Python's garbage collector frees the closed loop, and the collector runs in
  whichever thread happens to allocate at that moment (a test server's thread, a resolver pool).  A
  QObject destroyed outside its thread cannot unregister its timers; the next one to fire is
  delivered to freed memory and the process dies with a segmentation fault, tests later.  So the
  timers are killed and the object deleted here, in the GUI thread.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import pytest
import qasync
import shiboken6
from PySide6.QtWidgets import QApplication


def pump_until(predicate: Callable[[], object], timeout: float = 5.0) -> None:
    """Process Qt events (and so asyncio callbacks) until ``predicate()`` holds."""
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting after {timeout} s")
        app.processEvents()
        time.sleep(0.002)


def start_loop(qapp: QApplication) -> asyncio.AbstractEventLoop:
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    return loop


def stop_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what still runs, close the loop, and free its Qt objects in this (the GUI) thread."""
    for task in asyncio.all_tasks(loop):
        task.cancel()
    pump_until(lambda: all(task.done() for task in asyncio.all_tasks(loop)))
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]  # (stop() would quit the QApplication)
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)
    timer = loop._timer  # type: ignore[attr-defined]
    pending = timer._SimpleTimer__callbacks
    for timer_id in list(pending):
        timer.killTimer(timer_id)
    pending.clear()
    shiboken6.delete(timer)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """qasync's loop marked as running, so tasks advance whenever qtbot processes Qt events."""
    loop = start_loop(qapp)
    try:
        yield loop
    finally:
        stop_loop(loop)
