"""The history view over real SQLite files, driven as a person would: 100 000 rows load lazily."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QTableView, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from launcher.core.history import CSV_COLUMNS, Attempt, AttemptStatus, CallResult, HistoryStore
from launcher.core.models import CallPhase, CallResource, Outcome
from launcher.ui.history_model import HistoryTableModel
from launcher.ui.history_view import HistoryView
from launcher.view.history_rows import COLUMN_INDEX, format_count, format_duration

ROWS = 100_000
PROVIDERS = {"twilio": "Twilio", "bandwidth": "Bandwidth v2", "catapult": "Catapult v1", "jambonz": "jambonz"}
PROVIDER_IDS = list(PROVIDERS)
STATUSES = list(AttemptStatus)
BASE = datetime.now(UTC).replace(microsecond=0)


def synthetic(i: int) -> Attempt:
    """Row i: started i minutes before BASE; provider, status and profile cycle so counts are known."""
    started = BASE - timedelta(minutes=i)
    return Attempt(
        id=0, started_at=started, updated_at=started, profile=f"Desk {i % 10}", profile_id=f"desk-{i % 10}",
        provider=PROVIDER_IDS[i % 4], from_number="+15555551212", to=f"+1555{i:07d}", status=STATUSES[i % 8],
        call_id=f"call-{i:06d}", duration=float(i % 600), request={"n": i}, values={"To": f"+1555{i:07d}"},
    )


@pytest.fixture(scope="module")
def big_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "history.sqlite3"
    with HistoryStore(path) as store:
        assert store.insert_attempts(synthetic(i) for i in range(ROWS)) == ROWS
    return path


@pytest.fixture
def store(big_history: Path, tmp_path: Path) -> Iterator[HistoryStore]:
    copy = tmp_path / "history.sqlite3"
    shutil.copyfile(big_history, copy)
    with HistoryStore(copy) as history:
        yield history


@pytest.fixture
def view(qtbot: QtBot, store: HistoryStore) -> HistoryView:
    widget = HistoryView(store, PROVIDERS)
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def column_values(model: HistoryTableModel, title: str) -> list[str]:
    return [model.index(row, COLUMN_INDEX[title]).data() for row in range(model.rowCount())]


def click_header(qtbot: QtBot, table: QTableView, title: str) -> None:
    header = table.horizontalHeader()
    section = COLUMN_INDEX[title]
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def click_row(qtbot: QtBot, table: QTableView, row: int, double: bool = False) -> None:
    center = table.visualRect(table.model().index(row, COLUMN_INDEX["To"])).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    if double:  # a real double click: press, release, then the double-click event
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)


def test_100k_rows_open_lazily_and_scrolling_fetches_more(qtbot: QtBot, view: HistoryView) -> None:
    model = view.model
    assert model.total == ROWS
    assert 0 < model.rowCount() <= 200 < ROWS
    assert model.canFetchMore()
    assert view.count_label.text() == "100 000 calls"
    assert column_values(model, "To")[:2] == ["+15550000000", "+15550000001"]  # newest first
    before = model.rowCount()
    bar = view.table.verticalScrollBar()
    for page in (1, 2):  # drag the scroll bar to the end, twice
        end = bar.maximum()
        bar.setValue(end)
        wanted = before + page * 200
        qtbot.waitUntil(lambda: model.rowCount() >= wanted)  # noqa: B023 - waited for right here
        qtbot.waitUntil(lambda: bar.maximum() > end)  # noqa: B023
    ids = [model.attempt_at(row).id for row in range(model.rowCount())]
    assert ids == list(range(1, len(ids) + 1))  # row i was inserted i-th; pages join without gaps or repeats
    assert model.rowCount() < ROWS and model.canFetchMore()


def test_typing_in_search_filters(qtbot: QtBot, view: HistoryView) -> None:
    assert view.search_edit.accessibleName() == "Search history"
    assert view.search_edit.placeholderText() == "Search number, profile, call ID, error…"
    qtbot.keyClicks(view.search_edit, "+15550042")
    qtbot.waitUntil(lambda: view.model.total == 1000)
    assert view.count_label.text() == "1 000 calls"
    assert all("+15550042" in to for to in column_values(view.model, "To"))
    view.search_edit.clear()
    qtbot.keyClicks(view.search_edit, "CALL-012345")  # case-insensitive, call id
    qtbot.waitUntil(lambda: view.model.total == 1)
    assert view.count_label.text() == "1 call"
    assert view.model.attempt_at(0).call_id == "call-012345"
    qtbot.keyClicks(view.search_edit, "x")
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)  # Enter applies at once
    assert view.model.total == 0 and view.count_label.text() == "No matching calls"


def test_provider_status_and_date_filters(qtbot: QtBot, view: HistoryView) -> None:
    view.provider_combo.setCurrentIndex(view.provider_combo.findData("bandwidth"))
    assert view.model.total == ROWS // 4
    assert set(column_values(view.model, "Provider")) == {"Bandwidth v2"}
    view.result_combo.setCurrentIndex(view.result_combo.findData(CallResult.REFUSED))
    assert view.model.total == ROWS // 8  # i % 4 == 1 and i % 8 == 5
    assert set(column_values(view.model, "Result")) == {"Refused"}
    view.result_combo.setCurrentIndex(view.result_combo.findData(CallResult.NOT_SENT))
    assert view.model.total == 0 and view.model.rowCount() == 0 and not view.model.canFetchMore()
    view.provider_combo.setCurrentIndex(0)
    view.result_combo.setCurrentIndex(0)
    view.date_combo.setCurrentText("Last 7 days")
    since = view.model.current_filter.since
    assert since is not None and timedelta(0) <= datetime.now(UTC) - timedelta(days=7) - since < timedelta(minutes=1)
    newer = (BASE - since) // timedelta(minutes=1) + 1  # rows i = 0 .. newer-1 started after ``since``
    assert 0 < newer <= 7 * 24 * 60 + 1 and view.model.total == newer
    view.date_combo.setCurrentText("Any time")
    assert view.model.total == ROWS


def test_clicking_headers_sorts_in_sql(qtbot: QtBot, view: HistoryView) -> None:
    header = view.table.horizontalHeader()
    click_header(qtbot, view.table, "Duration")
    first = header.sortIndicatorOrder()
    durations = [view.model.attempt_at(row).duration or 0 for row in range(view.model.rowCount())]
    expected = 0.0 if first == Qt.SortOrder.AscendingOrder else 599.0
    assert header.sortIndicatorSection() == COLUMN_INDEX["Duration"] and durations[0] == expected
    assert durations == sorted(durations, reverse=first == Qt.SortOrder.DescendingOrder)
    click_header(qtbot, view.table, "Duration")
    assert header.sortIndicatorOrder() != first
    assert view.model.attempt_at(0).duration == (599.0 if expected == 0.0 else 0.0)
    click_header(qtbot, view.table, "Profile")
    profiles = column_values(view.model, "Profile")
    assert profiles[0] in ("Desk 0", "Desk 9") and len(set(profiles)) == 1  # 10 000 of each: one page of one
    assert view.model.canFetchMore() and view.model.total == ROWS


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_export_writes_the_rows_shown(qtbot: QtBot, view: HistoryView, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    target = tmp_path / f"calls.{kind}"
    asked: list[str] = []

    def choose(kind_asked: str) -> str:
        asked.append(kind_asked)
        return str(target)

    monkeypatch.setattr(view, "choose_export_path", choose)
    qtbot.keyClicks(view.search_edit, "call-0001")  # call-000100 ... call-000199
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    view.provider_combo.setCurrentIndex(view.provider_combo.findData("twilio"))
    action = view.export_csv_action if kind == "csv" else view.export_json_action
    with qtbot.waitSignal(view.export_finished) as finished:
        action.trigger()
    assert asked == [kind] and finished.args == [str(target), 25]
    if kind == "csv":
        with open(target, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 26
        assert {row[CSV_COLUMNS.index("provider")] for row in rows[1:]} == {"twilio"}
        assert rows[1][CSV_COLUMNS.index("call_id")] == "call-000100"
    else:
        data = json.loads(target.read_text(encoding="utf-8"))
        assert [item["call_id"] for item in data] == [f"call-{i:06d}" for i in range(100, 200, 4)]
        assert data[0]["request"] == {"n": 100}
    assert "Exported 25 calls" in view.message_label.text()


def test_a_large_export_runs_beside_the_window_and_new_calls(qtbot: QtBot, view: HistoryView, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "everything.json"
    monkeypatch.setattr(view, "choose_export_path", lambda kind: str(target))
    ticks: list[int] = []
    ticker = QTimer(view, interval=5)
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start()
    with qtbot.waitSignal(view.export_finished, timeout=60000) as finished:
        view.export_json_action.trigger()
        assert view.exporting and not target.exists()  # returned at once: the file is written elsewhere
        assert not view.export_json_action.isEnabled() and not view.export_button.isEnabled()
        view.export_csv_action.trigger()  # a second export waits for the first
        new_call = view.store.record_attempt(profile="Desk", profile_id="desk", provider="twilio",
                                             from_number="+15555551212", to="+15555550999", request={}, values={})
        assert view.store.get(new_call).to == "+15555550999"  # the window keeps recording calls meanwhile
    ticker.stop()
    path, count = finished.args
    assert path == str(target) and count in (ROWS, ROWS + 1)
    assert len(json.loads(target.read_text(encoding="utf-8"))) == count
    assert ticks, "the window did not process events while exporting"
    assert view.export_json_action.isEnabled() and not view.exporting
    assert not (tmp_path / "everything.csv").exists()


def test_export_cancelled_or_failing(qtbot: QtBot, view: HistoryView, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view, "choose_export_path", lambda kind: None)
    view.export_csv_action.trigger()
    assert view.message_label.isHidden()
    monkeypatch.setattr(view, "choose_export_path", lambda kind: str(tmp_path / "missing" / "calls.csv"))
    with qtbot.waitSignal(view.export_failed) as failed:
        view.export_csv_action.trigger()
    assert "Could not export" in failed.args[0] and view.message_label.isVisible()


def test_row_actions_carry_the_attempt(qtbot: QtBot, view: HistoryView) -> None:
    assert not view.redial_button.isEnabled() and not view.open_button.isEnabled()
    click_row(qtbot, view.table, 3)
    assert view.redial_button.isEnabled()
    with qtbot.waitSignal(view.redial_requested) as redial:
        qtbot.mouseClick(view.redial_button, Qt.MouseButton.LeftButton)
    assert redial.args[0].call_id == "call-000003" and redial.args[0].values == {"To": "+15550000003"}
    with qtbot.waitSignal(view.open_in_form_requested) as opened:
        qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    assert opened.args[0].id == redial.args[0].id
    with qtbot.waitSignal(view.open_in_form_requested) as double:
        click_row(qtbot, view.table, 5, double=True)
    assert double.args[0].call_id == "call-000005"
    view.table.setFocus()
    with qtbot.waitSignal(view.open_in_form_requested) as entered:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert entered.args[0].call_id == "call-000005"


def test_context_menu_offers_both_actions(qtbot: QtBot, view: HistoryView) -> None:
    pos = view.table.visualRect(view.model.index(7, 0)).center()
    view.table.customContextMenuRequested.emit(pos)
    qtbot.waitUntil(view.row_menu.isVisible)
    assert [a.text() for a in view.row_menu.actions()] == ["Call again", "Open in form"]
    with qtbot.waitSignal(view.redial_requested) as redial:
        view.row_menu.actions()[0].trigger()
    view.row_menu.close()
    assert redial.args[0].call_id == "call-000007"


def test_refresh_shows_new_and_changed_attempts_and_keeps_the_selection(qtbot: QtBot, tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "small.sqlite3") as store:
        ids = [store.record_attempt(profile="Desk", profile_id="desk", provider="twilio", from_number="+15555551212",
                                    to=f"+1555000000{n}", request={}, values={}) for n in range(3)]
        view = HistoryView(store, PROVIDERS)
        qtbot.addWidget(view)
        view.show()
        view.select_row(1)
        assert view.selected_attempt().id == ids[1]
        new_id = store.record_attempt(profile="Desk", profile_id="desk", provider="twilio", from_number=None,
                                      to="+15550000009", request={}, values={})
        store.record_call(ids[1], CallResource("twilio", "CA1", CallPhase.ENDED, "completed",
                                               outcome=Outcome.COMPLETED, duration=75.0))
        view.refresh()
        assert view.model.rowCount() == 4 and view.model.attempt_at(0).id == new_id
        assert view.selected_attempt().id == ids[1]  # moved down a row with its attempt
        row = view.model.row_of(ids[1])
        assert row is not None
        assert view.model.index(row, COLUMN_INDEX["Result"]).data() == "Completed"
        assert view.model.index(row, COLUMN_INDEX["Duration"]).data() == "1:15"
        assert view.count_label.text() == "4 calls"
        click_header(qtbot, view.table, "Profile")  # any other order: refresh re-reads, selection kept
        store.record_attempt(profile="Aardvark", profile_id="a", provider="twilio", from_number=None, to="+1",
                             request={}, values={})
        view.refresh()
        assert view.model.rowCount() == 5 and view.selected_attempt().id == ids[1]


def test_every_control_has_an_accessible_name(view: HistoryView) -> None:
    controls = view.findChildren(QWidget)
    interactive = [w for w in controls if isinstance(w, QLineEdit | QComboBox | QPushButton | QToolButton | QTableView)
                   and w.parent() is view]
    assert len(interactive) == 8  # a new control must be named and counted here
    unnamed = [type(w).__name__ for w in interactive if not w.accessibleName()]
    assert unnamed == []


def test_focus_search(qtbot: QtBot, view: HistoryView) -> None:
    view.search_edit.setText("abc")
    view.table.setFocus()
    view.activateWindow()
    view.focus_search()
    qtbot.waitUntil(view.search_edit.hasFocus)
    assert view.search_edit.selectedText() == "abc"
    qtbot.waitUntil(lambda: view.model.current_filter.text == "abc")  # the debounced search ran


def test_formatting() -> None:
    assert [format_duration(s) for s in (None, 0, 5.4, 75, 3600, 3725)] == ["", "0:00", "0:05", "1:15", "1:00:00",
                                                                           "1:02:05"]
    assert [format_count(n) for n in (0, 1, 2, 1234, 100_000)] == ["0 calls", "1 call", "2 calls", "1 234 calls",
                                                                  "100 000 calls"]


@pytest.mark.parametrize("width", [1024, 800])
def test_at_200_percent_the_filters_shrink_before_the_search_box(
        qtbot: QtBot, store: HistoryStore, width: int) -> None:
    """At 200 % in a 1024 px window the search box still reads "Search number, profile", not "Se…"."""
    from PySide6.QtWidgets import QVBoxLayout

    host = QWidget()
    qtbot.addWidget(host)
    font = host.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    host.setFont(font)
    view = HistoryView(store, PROVIDERS, host)
    QVBoxLayout(host).addWidget(view)
    host.resize(width, 600)
    host.show()
    qtbot.waitExposed(host)
    host.layout().activate()
    search = view.search_edit
    assert search.font().pointSizeF() == font.pointSizeF()
    assert search.width() >= search.fontMetrics().horizontalAdvance("Search number, profile")
    for combo in (view.provider_combo, view.result_combo, view.date_combo):
        assert combo.isVisible() and combo.width() < search.width()
