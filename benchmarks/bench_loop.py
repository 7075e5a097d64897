"""The event loop over the whole life of many live calls, and the memory each placed call keeps.

The window is built as the app builds it (``build_context`` + ``MainWindow``, offscreen, a fresh
$CALL_LAUNCHER_HOME, the in-process sandbox at real-time speed, the app's default poll policy) on a
qasync loop, with the app's own garbage collector (``GuiThreadCollector``: automatic collection off,
collections from a GUI-thread timer), as ``launcher.ui.app.run`` sets it up.  Calls go to numbers
that ring, are answered after 4 s and end 20 s later; each is placed through the form and the Call
button's code path, round-robin over the four sandbox profiles.

1. 100 calls are placed and followed to their end; RSS is read (after a full collection).
2. ``live`` more calls are placed one after another and followed to their end, while a 1 ms precise
   QTimer ticks from the first placement to the last call's end: every gap between ticks is a sample
   (p99 and worst, less the 1 ms interval) of how long the window could not react.
3. Calls are placed up to 1 000 in all and followed to their end; RSS is read again.  The difference
   is what 900 placed (and ended) calls keep in memory.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Result, qt_app, rss_mb

TARGET_STALL_MS, TARGET_P99_MS, TARGET_RSS_MB = 16.0, 4.0, 5.0


async def _place(window: Any, profile: Any, number: str) -> None:
    """Choose the profile, type the number, press Call: separate events, as a person makes them."""
    window._switch_profile(profile)
    await asyncio.sleep(0.01)
    window.form.set_field_value("to", number)
    await asyncio.sleep(0.01)
    window.place_call()
    while window.controller.submitting:  # the Call button's guard: one create in flight at a time
        await asyncio.sleep(0.002)


def _live(window: Any) -> int:
    return sum(1 for c in window.controller.calls.values() if c.call is None or not c.call.final)


async def _place_and_follow(window: Any, profiles: list[Any], first: int, count: int) -> int:
    """Place ``count`` calls, then wait until none is live; returns the most that were live at once."""
    most = 0
    for i in range(first, first + count):
        await _place(window, profiles[i % len(profiles)], f"+1555{i % 1000:03d}0100")  # rings, answered, ends
        most = max(most, _live(window))
    deadline = time.monotonic() + 120
    while _live(window):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{_live(window)} calls did not end in time")
        await asyncio.sleep(0.1)
    return most


def _rss_after_collection() -> float:
    gc.collect()
    return rss_mb()


async def _run(window: Any, live: int, memory_calls: tuple[int, int]) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer

    profiles = [p for p in window.context.manager.all() if p.builtin]
    low, high = memory_calls
    await _place_and_follow(window, profiles, 0, low)
    rss_low = _rss_after_collection()

    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    most = await _place_and_follow(window, profiles, low, live)
    lifetime = time.perf_counter() - started
    timer.stop()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]

    if high > low + live:
        await _place_and_follow(window, profiles, low + live, high - low - live)
    rss_high = _rss_after_collection()
    return {"max_gap_ms": max(gaps), "p99_gap_ms": statistics.quantiles(gaps, n=100)[98], "samples": len(gaps),
            "most_live": most, "lifetime_s": lifetime, "rss_low": rss_low, "rss_high": rss_high,
            "kept": len(window.controller.calls)}


def measure(live: int, memory_calls: tuple[int, int]) -> list[Result]:
    app = qt_app()
    with tempfile.TemporaryDirectory(prefix="cl-bench-loop-") as home:
        os.environ["CALL_LAUNCHER_HOME"] = home
        import qasync
        from keyring.backends import fail
        from PySide6.QtCore import QSettings

        from launcher.core.secrets import KeyringSecrets
        from launcher.ui.collector import GuiThreadCollector
        from launcher.ui.main_window import MainWindow
        from launcher.view.context import build_context

        collector = GuiThreadCollector(app)
        collector.start()
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        context = build_context(keyring=KeyringSecrets(fail.Keyring()))  # never the real keyring
        window = MainWindow(context, QSettings(str(Path(home) / "window.ini"), QSettings.Format.IniFormat))
        window.show()
        with loop:
            data = loop.run_until_complete(_run(window, live, memory_calls))
            window.close()
            loop.run_until_complete(window.controller.shutdown())
            loop.run_until_complete(context.aclose())
        collector.stop()
    low, high = memory_calls
    detail = (f"{data['samples']} gaps of a 1 ms timer over {data['lifetime_s']:.0f} s, from the first placement"
              f" to the last call's end; at most {data['most_live']} live at once; app's GUI-thread collector")
    return [
        Result(f"Worst event-loop stall over the life of {live} calls", data["max_gap_ms"] - 1.0, "ms",
               TARGET_STALL_MS, detail),
        Result(f"p99 event-loop gap over the life of {live} calls", data["p99_gap_ms"] - 1.0, "ms", TARGET_P99_MS,
               "same samples"),
        Result(f"RSS after {high} placed calls − after {low} (all ended)", data["rss_high"] - data["rss_low"], "MB",
               TARGET_RSS_MB, f"{data['rss_low']:.0f} → {data['rss_high']:.0f} MB after a full collection;"
               f" {data['kept']} calls still held by the window"),
    ]
