"""Event-loop stalls while 50 calls are followed live and one more is placed, in the real window.

The window is built as the app builds it (``build_context`` + ``MainWindow``, offscreen, a fresh
$CALL_LAUNCHER_HOME, the in-process sandbox at real-time speed, the app's default poll policy) on
a qasync loop.  50 calls to numbers ending in 0005 (answered after 4 s, then up for an hour) are
placed through the form and the Call button's code path, round-robin over the four sandbox
profiles.  Once all are answered, a 1 ms precise QTimer ticks for the measuring window while the
Dialer keeps polling all 50; a third of the way in, one more call is placed.  The worst gap
between ticks (less the 1 ms interval) is the longest the window could not react.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Result, qt_app

TARGET_MS = 16.0


async def _place(window: Any, profile: Any, number: str) -> None:
    """Choose the profile, type the number, press Call: separate events, as a person makes them."""
    window._switch_profile(profile)
    await asyncio.sleep(0.05)
    window.form.set_field_value("to", number)
    await asyncio.sleep(0.05)
    window.place_call()
    while window.controller.submitting:  # the Call button's guard: one create in flight at a time
        await asyncio.sleep(0.005)


async def _run(window: Any, calls: int, window_s: float) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer

    from launcher.core.attempts import LiveCall

    profiles = [p for p in window.context.manager.all() if p.builtin]
    fetches = 0
    fetch = window.context.service.fetch

    async def counting_fetch(*args: Any, **kwargs: Any) -> Any:
        nonlocal fetches
        fetches += 1
        return await fetch(*args, **kwargs)

    window.context.service.fetch = counting_fetch
    for i in range(calls):
        await _place(window, profiles[i % len(profiles)], f"+155555{i % 10}0005")
    live: dict[int, LiveCall] = window.controller.calls
    deadline = time.monotonic() + 30
    while not all(c.call is not None and c.call.phase.value == "answered" for c in live.values()):
        if time.monotonic() > deadline:
            states = sorted({(c.call.phase.value if c.call else c.error_text) or "" for c in live.values()})
            raise RuntimeError(f"the calls were not all answered in time: {states}")
        await asyncio.sleep(0.1)

    ticks: list[tuple[float, float]] = []  # (wall clock, this thread's CPU time) at each tick
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append((time.perf_counter(), time.thread_time())))
    before = fetches
    timer.start()
    await asyncio.sleep(window_s / 3)
    placed_at = time.perf_counter()
    await _place(window, profiles[0], "+15555550005")
    await asyncio.sleep(window_s * 2 / 3)
    timer.stop()
    gaps = [(b[0] - a[0]) * 1000 for a, b in itertools.pairwise(ticks)]
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    return {
        "max_gap_ms": gaps[worst], "p99_gap_ms": statistics.quantiles(gaps, n=100)[98], "ticks": len(ticks),
        "polls": fetches - before, "worst_at_s": ticks[worst + 1][0] - placed_at, "live": len(live),
        "worst_cpu_ms": (ticks[worst + 1][1] - ticks[worst][1]) * 1000,
    }


def measure(calls: int, window_s: float) -> list[Result]:
    app = qt_app()
    with tempfile.TemporaryDirectory(prefix="cl-bench-loop-") as home:
        os.environ["CALL_LAUNCHER_HOME"] = home
        import qasync
        from keyring.backends import fail
        from PySide6.QtCore import QSettings

        from launcher.core.secrets import KeyringSecrets
        from launcher.ui.main_window import MainWindow
        from launcher.view.context import build_context

        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        context = build_context(keyring=KeyringSecrets(fail.Keyring()))  # never the real keyring
        window = MainWindow(context, QSettings(str(Path(home) / "window.ini"), QSettings.Format.IniFormat))
        window.show()
        with loop:
            data = loop.run_until_complete(_run(window, calls, window_s))
            window.close()
            loop.run_until_complete(window.controller.shutdown())
            loop.run_until_complete(context.aclose())
    stall = data["max_gap_ms"] - 1.0
    where = "within 0.2 s of" if 0 <= data["worst_at_s"] < 0.2 else f"{data['worst_at_s']:+.1f} s from"
    return [Result(
        f"Worst event-loop stall, {calls} calls followed live + 1 placed", stall, "ms", TARGET_MS,
        f"1 ms timer over {window_s:.0f} s, {data['polls']} polls: p99 gap {data['p99_gap_ms']:.1f} ms; the worst"
        f" gap {where} the new call's placement, {data['worst_cpu_ms']:.0f} ms of it on the CPU; in-process sandbox",
    )]
