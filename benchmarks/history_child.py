"""Child process for the history benchmark: open a large history in the history view, search it.

    python benchmarks/history_child.py HISTORY_FILE REPEATS

Prints one JSON object: open times (after a clean close, and after a crash: a process that opened the
file and recorded an attempt is SIGKILLed first), search times (from the filter being applied, and
from the last keystroke with the typing pause), the background count, durable inserts (ms), and the
resident memory the open view added (MB).  It changes the file (crashes, inserts).
A fresh process, so that the memory figure is this view's and nothing else's; before measuring, a
view over a tiny history is shown and closed once, so that Qt's one-off costs (style, fonts, the
table classes) are not counted as the 100 000 rows' cost.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ms_since, qt_app, rss_mb

PROVIDERS = {"twilio": "Twilio", "bandwidth": "Bandwidth v2", "catapult": "Catapult v1", "jambonz": "jambonz"}
# What people type: a name matching a tenth of the rows, a number fragment matching one, and a typo.
SEARCHES = {"common": "desk 7", "rare": "0004217", "none": "zzz nobody"}
CRASH = (
    "import os, signal, sys\n"
    "from pathlib import Path\n"
    "from launcher.core.history import HistoryStore\n"
    "store = HistoryStore(Path(sys.argv[1]))\n"
    "store.record_attempt(profile='p', profile_id='p', provider='twilio', from_number='+15555551212',\n"
    "                     to='+15555550100', request={}, values={})\n"
    "os.kill(os.getpid(), signal.SIGKILL)\n"
)


class Painted:
    """Watches a widget for paint events (installed as an event filter)."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        painted = self

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    painted.count += 1
                return False

        self.count = 0
        self.filter = Filter()
        widget.installEventFilter(self.filter)


def wait_painted(app: Any, painted: Painted, before: int) -> None:
    deadline = time.perf_counter() + 10
    while painted.count == before:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the history table was never painted")


def open_view(app: Any, path: Path) -> tuple[Any, Any, Painted]:
    """What the app does with its history at start: open the store, mark what a crash left, show it."""
    from launcher.core.history import HistoryStore
    from launcher.ui.history_view import HistoryView

    store = HistoryStore(path)
    store.mark_unfinished_as_unknown()
    view = HistoryView(store, PROVIDERS)
    painted = Painted(view.table.viewport())
    view.resize(1100, 600)
    view.show()
    wait_painted(app, painted, 0)
    return store, view, painted


def close_view(app: Any, store: Any, view: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    view.close()
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    store.close()


def main(path: Path, repeats: int) -> dict[str, Any]:
    app = qt_app()
    with tempfile.TemporaryDirectory() as tmp:  # warm-up on a tiny history: Qt's one-off costs
        from launcher.core.history import HistoryStore

        tiny = Path(tmp) / "tiny.sqlite3"
        HistoryStore(tiny).close()
        close_view(app, *open_view(app, tiny)[:2])
    gc.collect()
    before = rss_mb()
    store, view, painted = open_view(app, path)
    gc.collect()
    extra_mb = rss_mb() - before
    close_view(app, store, view)

    opens = []
    for _ in range(repeats):
        started = time.perf_counter()
        store, view, painted = open_view(app, path)
        opens.append(ms_since(started))
        close_view(app, store, view)

    crash_opens = []
    for _ in range(repeats):
        subprocess.run([sys.executable, "-c", CRASH, str(path)], check=False, env=os.environ)
        assert path.with_name(path.name + "-wal").exists(), "the crash left no WAL file"
        started = time.perf_counter()
        store, view, painted = open_view(app, path)
        crash_opens.append(ms_since(started))
        store.wait_for_check(timeout=120)  # the next crash starts from a checked file
        close_view(app, store, view)

    store, view, painted = open_view(app, path)
    searches: dict[str, list[float]] = {name: [] for name in SEARCHES}
    typed: dict[str, list[float]] = {name: [] for name in SEARCHES}
    counts: list[float] = []
    for _ in range(repeats):
        for name, text in SEARCHES.items():
            view.search_edit.setText(text)  # starts the typing-pause timer; stopped by apply_filter
            count = painted.count
            started = time.perf_counter()
            view.apply_filter()  # what the timer calls when the user stops typing
            wait_painted(app, painted, count)
            searches[name].append(ms_since(started))
            while view.model.counting:
                app.processEvents()
            if name == "common":
                counts.append(ms_since(started))
            view.search_edit.setText("")
            view.apply_filter()
            app.processEvents()
            count = painted.count  # as a person sees it: the last keystroke, the pause, the page painted
            started = time.perf_counter()
            view.search_edit.setText(text)
            while view.model.current_filter.text != text:
                app.processEvents()
            wait_painted(app, painted, count)
            typed[name].append(ms_since(started))
            while view.model.counting:
                app.processEvents()
            view.search_edit.setText("")
            view.apply_filter()
            app.processEvents()
    rows = view.model.rowCount()
    inserts, floor = [], []
    bare = sqlite3.connect(path.with_name("floor.sqlite3"), isolation_level=None)  # same disk, same settings
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute("PRAGMA synchronous=FULL")
    bare.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, text TEXT)")
    for i in range(max(30, repeats * 5)):  # alternating with a bare one-row commit: the disk's own floor
        started = time.perf_counter()
        store.record_attempt(profile="Bench", profile_id="bench", provider="twilio", from_number="+15555551212",
                             to=f"+1555666{i:04d}", request={"method": "POST"}, values={"To": f"+1555666{i:04d}"})
        inserts.append(ms_since(started))
        started = time.perf_counter()
        bare.execute("BEGIN IMMEDIATE")
        bare.execute("INSERT INTO t (text) VALUES (?)", (f"+1555666{i:04d}",))
        bare.execute("COMMIT")
        floor.append(ms_since(started))
    bare.close()
    close_view(app, store, view)
    return {"open_ms": opens, "crash_open_ms": crash_opens, "search_ms": searches, "typed_ms": typed,
            "count_ms": counts, "insert_ms": inserts, "floor_ms": floor, "extra_mb": extra_mb, "rows_loaded": rows}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]))))
