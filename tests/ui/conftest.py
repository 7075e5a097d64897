"""UI test support: an asyncio loop on the Qt event loop (qasync), driven by qtbot's waits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from tests.support.qt_loop import start_loop, stop_loop


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """qasync's loop marked as running, so tasks advance whenever qtbot processes Qt events."""
    loop = start_loop(qapp)
    try:
        yield loop
    finally:
        stop_loop(loop)
