"""Child process for the history benchmark: open a 100 000-row history in the history view, search it.

    python benchmarks/history_child.py HISTORY_FILE REPEATS

Prints one JSON object: open and search times (ms) and the resident memory the open view added (MB).
A fresh process, so that the memory figure is this view's and nothing else's; before measuring, a
view over a tiny history is shown and closed once, so that Qt's one-off costs (style, fonts, the
table classes) are not counted as the 100 000 rows' cost.
"""

from __future__ import annotations

import gc
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ms_since, qt_app, rss_mb

PROVIDERS = {"twilio": "Twilio", "bandwidth": "Bandwidth v2", "catapult": "Catapult v1", "jambonz": "jambonz"}
# What people type: a name matching a tenth of the rows, a number fragment matching one, and a typo.
SEARCHES = {"common (10 000 matches)": "desk 7", "rare (1 match)": "0004217", "none (0 matches)": "zzz nobody"}


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
    from launcher.core.history import HistoryStore
    from launcher.ui.history_view import HistoryView

    store = HistoryStore(path)
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

    store, view, painted = open_view(app, path)
    searches: dict[str, list[float]] = {name: [] for name in SEARCHES}
    for _ in range(repeats):
        for name, text in SEARCHES.items():
            for typed in (text, ""):  # the search, then clearing it (not timed)
                view.search_edit.setText(typed)  # starts the typing-pause timer; the benchmark does not wait
                count = painted.count
                started = time.perf_counter()
                view.apply_filter()  # what the timer calls when the user stops typing
                wait_painted(app, painted, count)
                if typed:
                    searches[name].append(ms_since(started))
    rows = view.model.rowCount()
    close_view(app, store, view)
    return {"open_ms": opens, "search_ms": searches, "extra_mb": extra_mb, "rows_loaded": rows}


if __name__ == "__main__":
    source = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:  # a copy: the benchmark never changes the built file
        copy = Path(tmp) / source.name
        shutil.copyfile(source, copy)
        print(json.dumps(main(copy, int(sys.argv[2]))))
