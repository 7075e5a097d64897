"""UI test support: an asyncio loop on the Qt event loop (qasync), driven by qtbot's waits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtWidgets import QApplication


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """qasync's loop marked as running, so tasks advance whenever qtbot processes Qt events.

    Teardown takes it down completely: qasync leaves an "already running" loop (and asyncio's
    running-loop mark) set for good, which would break any later ``asyncio.run()`` in the process.
    """
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    deadline = time.monotonic() + 5
    while not all(task.done() for task in asyncio.all_tasks(loop)) and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.002)
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]  # stop() would quit the QApplication
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)
