"""Switching provider: CallForm.set_provider for each of the four providers, until the new form is painted.

The form sits in a shown window of the size the main window gives it; each switch carries the
previous provider's values over (as switching profile does) and loads the sandbox sample values.
Timed: ``set_provider`` (form shown, values loaded, validated) plus the event processing that lays
the form out and paints it.  The form keeps each provider's widgets once built, so a switch
re-uses them; the first switch to a provider builds its form, and that is reported too (a fresh
CallForm each time).
"""

from __future__ import annotations

import time
from typing import Any

from common import Result, median, ms_since, qt_app

TARGET_MS = 20.0


def measure(repeats: int) -> list[Result]:
    app = qt_app()
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QMainWindow

    from launcher.core.providers import all_adapters
    from launcher.sandbox.app import all_simulators
    from launcher.ui.form.form import CallForm

    def settle() -> None:
        for _ in range(2):
            app.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    window = QMainWindow()
    window.resize(520, 740)
    window.show()
    adapters = list(all_adapters().values())
    samples: dict[str, dict[str, Any]] = {sim.id: sim.sample_values() for sim in all_simulators().values()}

    def switch(form: CallForm, adapter: Any) -> tuple[float, float]:
        started = time.perf_counter()
        form.set_provider(adapter, "US", samples.get(adapter.id, {}), carry_over=True)
        built = ms_since(started)
        settle()
        return built, ms_since(started)

    first: dict[str, list[float]] = {a.id: [] for a in adapters}  # a fresh form: the provider's first switch
    for _ in range(max(2, repeats // 4)):
        for adapter in adapters:
            form = CallForm()
            window.setCentralWidget(form)  # deletes the previous form
            settle()
            first[adapter.id].append(switch(form, adapter)[1])

    form = CallForm()
    window.setCentralWidget(form)
    settle()
    total: dict[str, list[float]] = {a.id: [] for a in adapters}
    alone: dict[str, list[float]] = {a.id: [] for a in adapters}
    editors: dict[str, int] = {}
    for round_ in range(repeats + 1):  # round 0 builds every provider's form once (not counted)
        for adapter in adapters:
            built, done = switch(form, adapter)
            editors[adapter.id] = len(form.editor_paths())
            if round_:
                alone[adapter.id].append(built)
                total[adapter.id].append(done)
    window.close()
    rows = []
    for adapter in adapters:
        times = total[adapter.id]
        rows.append(Result(
            f"Provider switch → {adapter.name}, form shown and painted", median(times), "ms", TARGET_MS,
            f"max {max(times):.1f} ms over {len(times)} switches; set_provider alone"
            f" {median(alone[adapter.id]):.1f} ms; {editors[adapter.id]} editors;"
            f" first switch (form built) {median(first[adapter.id]):.0f} ms",
        ))
    return rows
