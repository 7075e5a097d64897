"""A search that matches much of a large history shows its first page at once and counts behind it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from launcher.core import history
from launcher.core.history import Attempt, AttemptStatus, HistoryFilter, HistoryStore
from launcher.ui.history_view import HistoryView

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def attempt(i: int) -> Attempt:
    started = T0 + timedelta(minutes=i)
    return Attempt(id=0, started_at=started, updated_at=started, profile=f"Desk {i % 10}", profile_id="d",
                   provider="twilio", from_number="+15555551212", to=f"+1555{i:07d}", status=AttemptStatus.ENDED)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HistoryStore]:
    monkeypatch.setattr(history, "_INDEX_MIN_ROWS", 0)  # 3 000 rows behave as a large history
    with HistoryStore(tmp_path / "history.sqlite3") as opened:
        opened.insert_attempts(attempt(i) for i in range(3000))
        yield opened


def test_a_common_text_is_counted_in_the_background(qtbot: QtBot, store: HistoryStore) -> None:
    assert store.count_if_quick(HistoryFilter(text="desk 7")) is None  # every tenth row: a long count
    assert store.count_if_quick(HistoryFilter(text="+15550000217")) == 1  # rare: the index counts it at once
    view = HistoryView(store, {"twilio": "Twilio"})
    qtbot.addWidget(view)
    view.search_edit.setText("desk 7")
    view.apply_filter()
    assert view.model.counting and view.model.rowCount() == 200
    assert view.count_label.text() == "More than 200 calls, counting…"
    qtbot.waitUntil(lambda: not view.model.counting, timeout=10_000)
    assert view.model.total == 300
    assert view.count_label.text() == "300 calls"
    while view.model.canFetchMore():
        view.model.fetchMore()
    assert view.model.rowCount() == 300


def test_a_count_for_an_earlier_search_is_dropped(qtbot: QtBot, store: HistoryStore) -> None:
    view = HistoryView(store, {"twilio": "Twilio"})
    qtbot.addWidget(view)
    view.search_edit.setText("desk 7")
    view.apply_filter()
    view.search_edit.setText("+15550000217")
    view.apply_filter()
    assert not view.model.counting and view.model.total == 1
    qtbot.wait(300)  # the first search's count arrives meanwhile and must not replace this one
    assert view.model.total == 1 and view.count_label.text() == "1 call"
