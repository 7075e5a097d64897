"""The live-calls list stays cheap with hundreds of calls: a refresh touches only its own row, ended calls
beyond what the list keeps are released, and the one-second ticker repaints only running rows on screen."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from PySide6.QtCore import QModelIndex
from pytestqt.qtbot import QtBot

from launcher.ui.call_view import ENDED_KEPT, LiveCallsPanel
from tests.ui.test_live_calls_list import T0, info, row_keys


class ModelSpy:
    def __init__(self, panel: LiveCallsPanel) -> None:
        model = panel.call_list.model()
        self.changed_rows: set[int] = set()
        self.structure: list[str] = []
        model.dataChanged.connect(self._changed)
        for name in ("rowsInserted", "rowsRemoved", "rowsMoved", "modelReset", "layoutChanged"):
            getattr(model, name).connect(lambda *_args, name=name: self.structure.append(name))

    def _changed(self, top: QModelIndex, bottom: QModelIndex, *_roles: object) -> None:
        self.changed_rows.update(range(top.row(), bottom.row() + 1))


def test_a_refresh_of_one_call_changes_only_its_row(panel: LiveCallsPanel) -> None:
    order = row_keys(panel)
    spy = ModelSpy(panel)
    panel.upsert(dataclasses.replace(info(6), state_text="Ringing again"))
    assert spy.changed_rows == {order.index(6)}
    assert spy.structure == []
    assert row_keys(panel) == order


def test_an_unchanged_refresh_touches_nothing(panel: LiveCallsPanel) -> None:
    spy = ModelSpy(panel)
    for key in range(12):
        panel.upsert(info(key))
    assert spy.changed_rows == set() and spy.structure == []


def test_a_new_call_moves_one_row_not_the_whole_list(panel: LiveCallsPanel) -> None:
    spy = ModelSpy(panel)
    panel.upsert(dataclasses.replace(info(12), key=100, started_at=T0 + timedelta(hours=1)))
    assert row_keys(panel)[0] == 100
    # added at the end, then taken and put on top: never a rebuild of all twelve rows
    assert spy.structure == ["rowsInserted", "rowsRemoved", "rowsInserted"]


def test_ended_calls_beyond_the_kept_number_are_released(qtbot: QtBot, panel: LiveCallsPanel) -> None:
    panel.remove_ended()
    released: list[list[int]] = []
    panel.released.connect(released.append)
    ended = [key for key in range(1000) if info(key).ended][:ENDED_KEPT + 3]
    for key in ended:
        panel.upsert(info(key))
    listed = [key for key in row_keys(panel) if key != "header"]
    assert len(listed) == len(panel.infos) == ENDED_KEPT + len([k for k in range(12) if not info(k).ended])
    assert sorted(key for batch in released for key in batch) == ended[:3]  # the oldest ended calls
    assert not set(ended[:3]) & set(panel.infos)


def test_clear_ended_reports_every_released_call(panel: LiveCallsPanel) -> None:
    released: list[list[int]] = []
    panel.released.connect(released.append)
    panel.remove_ended()
    assert released == [[2, 4, 5, 8, 10, 11]]
    assert sorted(panel.infos) == [0, 1, 3, 6, 7, 9]


def test_the_ticker_repaints_only_running_rows_on_screen(qtbot: QtBot, panel: LiveCallsPanel) -> None:
    order = row_keys(panel)
    running = [order.index(key) for key in (9, 7, 6, 3, 1, 0)]
    assert panel.ticking_rows() == running
    panel.resize(900, 160)  # as short as the card allows (its state and Hang up stay): room for a few rows
    qtbot.waitUntil(lambda: panel.height() == max(160, panel.minimumSizeHint().height()))
    visible = panel.ticking_rows()
    assert visible and visible == running[:len(visible)] and len(visible) < len(running)
    for key in (9, 7, 6, 3, 1, 0):
        panel.upsert(dataclasses.replace(info(key), call=dataclasses.replace(  # type: ignore[type-var]
            info(key).call, phase=info(2).call.phase, outcome=info(2).call.outcome)))
    assert panel.ticking_rows() == []
