"""The fault matrix through the window: every provider × every fault, driven with pytest-qt.

The real MainWindow (CallController, Dialer, CallService, SQLite history) on a saved profile that
points at the fault's endpoint.  One window per provider serves the whole module: each test selects
a profile of its own, and the window has to cope with whatever the previous faults left behind.
For each fault: the status line, the live call card and the history entry say what happened, the
window never stops answering (a 10 ms QTimer keeps ticking), a slow request can be waited out while
the person keeps using the window, the Call button comes back, and the server never sees a second
create request.
"""

from __future__ import annotations

import gc
import itertools
import ssl
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from launcher.core.history import AttemptStatus
from launcher.core.providers import get_adapter
from tests.faults.conftest import SECRET, FaultWindow, OpenWindow
from tests.faults.faults import FAULT_IDS, RESOLVING_TIMEOUT, TIMEOUT, kit_and_fault, open_endpoint
from tests.faults.providers import PROVIDERS

CARD_TITLES = {AttemptStatus.REJECTED: "Refused by {name}", AttemptStatus.FAILED: "Not sent",
               AttemptStatus.UNKNOWN: "Outcome unknown"}
MAX_EVENT_GAP = 0.3  # seconds the event loop may go without running its 10 ms timer (read timeout: 0.4 s)


class Ticker(QObject):
    """A 10 ms QTimer that notes when it ran: a blocked event loop shows up as a long gap.

    A watchdog thread ticks alongside, outside the event loop: where it paused too, the whole process
    was paused (two CPUs shared with other test runs, a garbage collection), which is no fault of the
    window, so only the part of a gap during which the watchdog kept running counts.  The test
    process's own heap is frozen out of the garbage collector meanwhile, for the same reason."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []
        self.watch: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self.timer = QTimer(self, interval=10)
        self.timer.timeout.connect(lambda: self.times.append(time.monotonic()))

    def _watch(self) -> None:
        while not self._stop.wait(0.005):
            self.watch.append(time.monotonic())

    def start(self) -> None:
        gc.freeze()
        self._thread.start()
        self.timer.start()

    def stop(self) -> float:
        """Stop; the longest time the event loop did not run while the process did, in seconds."""
        if self.timer.isActive():
            self.timer.stop()
            self._stop.set()
            self._thread.join()
            gc.unfreeze()
        marks = [*self.times, time.monotonic()]
        blocked = 0.0
        for a, b in itertools.pairwise(marks):
            inside = [a, *(t for t in self.watch if a < t < b), b]
            paused = max(y - x for x, y in itertools.pairwise(inside))
            blocked = max(blocked, (b - a) - paused)
        return blocked


@pytest.fixture
def ticker() -> Iterator[Ticker]:
    clock = Ticker()
    yield clock
    clock.stop()


def use_the_window_while_waiting(qtbot: QtBot, faulty: FaultWindow) -> None:
    """What a person does while a request hangs: switch tabs, open the dial pad, press Call again."""
    window = faulty.window
    assert window.controller.submitting and window.cancel_button.isEnabled() and window.busy.isVisible()
    assert not window.call_button.isEnabled()
    qtbot.keySequence(window, QKeySequence("Alt+3"))
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.history_view, timeout=1000)
    qtbot.keySequence(window, QKeySequence("Alt+1"))
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.calls_panel, timeout=1000)
    qtbot.mouseClick(window.dialpad_button, Qt.MouseButton.LeftButton)
    assert window.dialpad.isVisible()
    qtbot.mouseClick(window.dialpad_button, Qt.MouseButton.LeftButton)
    window.place_call()  # ignored while the first is in flight
    qtbot.keySequence(window, QKeySequence("Ctrl+Return"))
    assert len(faulty.lives) == 1


@pytest.mark.parametrize("fault_id", FAULT_IDS)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_window_shows_each_fault_stays_responsive_and_records_it(
    provider: str, fault_id: str, pooled_window: OpenWindow, qtbot: QtBot, ticker: Ticker,
    tls_server_context: ssl.SSLContext,
) -> None:
    kit, fault = kit_and_fault(provider, fault_id)
    with open_endpoint(fault, kit, tls_server_context) as endpoint:
        faulty = pooled_window(kit, endpoint.root)
        window = faulty.window
        client = faulty.context.service.client
        client.timeout = RESOLVING_TIMEOUT if fault.endpoint == "unresolvable" else TIMEOUT
        ticker.start()
        qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
        live = faulty.only_live()
        assert faulty.attempt(live).status is AttemptStatus.SENDING  # recorded before the request left
        if fault.slow:
            use_the_window_while_waiting(qtbot, faulty)
        qtbot.waitUntil(lambda: live.finished and not window.controller.submitting, timeout=10000)
        blocked = ticker.stop()
        creates = endpoint.creates

    assert creates == fault.creates  # never a second create request
    assert blocked < MAX_EVENT_GAP, f"the window froze for {blocked:.2f} s"
    attempt = faulty.attempt(live)
    assert attempt.status is fault.outcome, (attempt.status, attempt.error)
    card = window.calls_panel.card
    assert window.calls_panel.selected_key() == live.attempt_id
    words = fault.expect(kit)
    if fault.outcome is AttemptStatus.ENDED:
        assert live.call is not None and live.call.final and attempt.error is None
        shown = f"{card.status_label.text()} {card.provider_status_label.text()} {window.status_label.text()}"
        for word in words:
            assert word in shown, (word, shown)
        assert attempt.outcome == (None if provider == "jambonz" else "completed")
    else:
        assert live.call is None
        assert card.status_label.text() == CARD_TITLES[fault.outcome].format(name=get_adapter(kit.id).name)
        for word in words:
            assert word in window.status_label.text(), (word, window.status_label.text())
            assert word in card.error_label.text(), (word, card.error_label.text())
            assert attempt.error is not None and word in attempt.error, (word, attempt.error)
        if fault.outcome is AttemptStatus.UNKNOWN:
            assert "may have been created" in card.provider_status_label.text()
        else:
            assert "no call created" in card.provider_status_label.text()
    named = kit.errors[int(fault.id[5:])].field if fault.id.startswith("http_") else None
    if named:  # the refusal is shown on the field it names (jambonz's "to" means its number)
        flagged = [path for path in window.form.editor_paths()
                   if (row := window.form.row(path)) is not None and live.error is not None
                   and getattr(live.error, "message", "") in row.error_label.text()]
        assert flagged and all(path.split(".")[0] == named for path in flagged), flagged
    assert SECRET not in f"{window.status_label.text()} {card.error_label.text()} {attempt.error or ''}"
    assert window.call_button.isEnabled() and not window.cancel_button.isEnabled()  # ready for the next call
