"""While the window runs, Python's cycle collector runs in the GUI thread only (launcher.ui.collector)."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.ui.collector import GuiThreadCollector


class Cycle:
    """Garbage only the cycle collector can free; says in which thread it was freed."""

    freed_in: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_in.append(threading.current_thread().name)


def test_cycles_made_and_dropped_in_a_worker_thread_are_freed_in_the_gui_thread(
    qapp: QApplication, qtbot: QtBot
) -> None:
    Cycle.freed_in.clear()
    collector = GuiThreadCollector(interval_ms=20)
    collector.start()
    try:
        assert not gc.isenabled()

        def churn() -> None:  # far past every threshold: automatic collection would run here
            for _ in range(5):
                for _ in range(2000):
                    Cycle()
                junk = [[index] for index in range(50_000)]
                del junk

        worker = threading.Thread(target=churn, name="worker")
        worker.start()
        worker.join()
        assert Cycle.freed_in == []  # nothing was collected in the worker
        qtbot.waitUntil(lambda: len(Cycle.freed_in) == 10_000, timeout=5000)
        assert set(Cycle.freed_in) == {threading.main_thread().name}
    finally:
        collector.stop()
    assert gc.isenabled()


def test_collect_due_follows_the_interpreters_thresholds(qapp: QApplication) -> None:
    collector = GuiThreadCollector()
    collector.thresholds = (10, 10, 10)
    collector.start()
    try:
        Cycle.freed_in.clear()
        gc.collect()
        assert collector.collect_due() == 0  # nothing allocated since: nothing to do
        for _ in range(50):
            Cycle()
        assert collector.collect_due() >= 50
        assert len(Cycle.freed_in) == 50
    finally:
        collector.stop()


def test_what_startup_built_is_left_out_of_full_collections(qapp: QApplication) -> None:
    """Full (generation 2) collections walk every tracked object; those alive when the window starts
    live for the session, so they are frozen and a collection walks only what came after."""
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    collector = GuiThreadCollector()
    collector.start()
    try:
        assert gc.get_freeze_count() > 1000
        assert len(gc.get_objects(generation=2)) < gc.get_freeze_count()
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0
