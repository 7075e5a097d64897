"""The history's Result column and result filter, number search, export messages and the Export
button, driven as a person would over a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyle, QStyleOptionButton
from pytestqt.qtbot import QtBot

from launcher.core.history import AttemptStatus, CallResult, HistoryStore
from launcher.core.models import CallPhase, CallResource, Outcome
from launcher.ui.history_model import RESULT_ICONS, result_icon
from launcher.ui.history_view import HistoryView
from launcher.view.history_rows import COLUMN_INDEX
from launcher.view.messages import RESULT_WORDS

PROVIDERS = {"twilio": "Twilio", "bandwidth": "Bandwidth v2"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(tmp_path / "history.sqlite3") as history:
        yield history


def add(store: HistoryStore, to: str = "+15555551313", profile: str = "Desk") -> int:
    return store.record_attempt(profile=profile, profile_id=profile.lower(), provider="twilio",
                                from_number="+15555551212", to=to, request={}, values={"To": to})


def end(store: HistoryStore, attempt_id: int, outcome: Outcome) -> None:
    store.record_call(attempt_id, CallResource("twilio", f"CA{attempt_id}", CallPhase.ENDED, outcome.value,
                                               outcome=outcome, raw={}))


def open_view(qtbot: QtBot, store: HistoryStore) -> HistoryView:
    view = HistoryView(store, PROVIDERS)
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def shown(view: HistoryView, title: str) -> list[str]:
    return [view.model.index(row, COLUMN_INDEX[title]).data() for row in range(view.model.rowCount())]


def choose_result(view: HistoryView, result: CallResult | None) -> None:
    view.result_combo.setCurrentIndex(view.result_combo.findData(result))


def test_failed_filter_lists_a_call_that_ended_failed(qtbot: QtBot, store: HistoryStore) -> None:
    failed = add(store, "+15555550001")
    end(store, failed, Outcome.FAILED)
    not_sent = add(store, "+15555550002")
    store.record_error(not_sent, status=AttemptStatus.FAILED, message="Can't reach api.twilio.com")
    end(store, add(store, "+15555550003"), Outcome.COMPLETED)
    view = open_view(qtbot, store)
    choose_result(view, CallResult.FAILED)
    assert shown(view, "To") == ["+15555550001"] and shown(view, "Result") == ["Failed"]
    choose_result(view, CallResult.NOT_SENT)
    assert shown(view, "To") == ["+15555550002"] and shown(view, "Result") == ["Not sent"]


def test_one_result_column_with_a_distinct_icon_per_result(qtbot: QtBot, store: HistoryStore) -> None:
    for outcome in (Outcome.BUSY, Outcome.NO_ANSWER, Outcome.CANCELED, Outcome.COMPLETED):
        end(store, add(store), outcome)
    rejected = add(store)
    store.record_error(rejected, status=AttemptStatus.REJECTED, message="Not on the allow list", code="21215",
                       http_status=403)
    view = open_view(qtbot, store)
    titles = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(view.model.columnCount())]
    assert "Result" in titles and "Status" not in titles and "Outcome" not in titles
    assert shown(view, "Result") == ["Refused", "Completed", "Canceled", "No answer", "Busy"]
    tooltip = view.model.index(0, COLUMN_INDEX["Result"]).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == ("The provider refused the request, or the callee rejected the call\n"
                       "Not on the allow list\n(HTTP 403, code 21215)")
    assert len(set(RESULT_ICONS.values())) == len(CallResult)  # colour + glyph: never the same icon twice
    images = {result: result_icon(result).pixmap(32, 32).toImage() for result in CallResult}
    assert len({bytes(QImage(image).constBits()) for image in images.values()}) == len(CallResult)
    assert [view.result_combo.itemText(i) for i in range(view.result_combo.count())] == [
        "All results", *(RESULT_WORDS[r] for r in CallResult)]


@pytest.mark.parametrize("typed", ["(555) 555-0002", "555-555-0002", "+1 555 555 0002"])
def test_search_finds_a_number_as_it_is_usually_written(qtbot: QtBot, store: HistoryStore, typed: str) -> None:
    add(store, "+15555550001")
    add(store, "+15555550002")
    view = open_view(qtbot, store)
    qtbot.keyClicks(view.search_edit, typed)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert shown(view, "To") == ["+15555550002"]


def test_export_message_goes_once_the_list_changes(qtbot: QtBot, store: HistoryStore, tmp_path: Path) -> None:
    add(store)
    view = open_view(qtbot, store)
    target = tmp_path / "calls.csv"
    view.choose_export_path = lambda kind: str(target)  # type: ignore[method-assign]
    with qtbot.waitSignal(view.export_finished):
        view.export("csv")
    assert view.message_label.isVisible() and view.message_label.text() == f"Exported 1 call to {target}"
    view.refresh()  # nothing new: the message stays
    assert view.message_label.isVisible()
    add(store)
    view.refresh()  # a new call: "Exported 1 call" is no longer about this list
    assert not view.message_label.isVisible()


def test_profile_chip_shows_the_profile_colour(qtbot: QtBot, store: HistoryStore) -> None:
    add(store, profile="Prod")
    add(store, profile="Lab")
    view = open_view(qtbot, store)
    view.set_profile_colors({"prod": "#d32f2f"})
    prod_icon = view.model.index(1, COLUMN_INDEX["Profile"]).data(Qt.ItemDataRole.DecorationRole)
    assert prod_icon.pixmap(32, 32).toImage().pixelColor(16, 16).name() == "#d32f2f"
    assert view.model.index(0, COLUMN_INDEX["Profile"]).data(Qt.ItemDataRole.DecorationRole) is None


def test_export_menu_arrow_stays_inside_the_button(qtbot: QtBot, store: HistoryStore) -> None:
    view = open_view(qtbot, store)
    button = view.export_button
    option = QStyleOptionButton()
    button.initStyleOption(option)
    style = button.style()
    indicator = style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, option, button)
    text = button.fontMetrics().horizontalAdvance(button.text())
    assert button.menu() is not None and option.features & QStyleOptionButton.ButtonFeature.HasMenu
    assert button.width() >= text + indicator + 2 * margin


def test_history_controls_have_stable_names(qtbot: QtBot, store: HistoryStore) -> None:
    view = open_view(qtbot, store)
    names = {w.objectName(): w.accessibleName() for w in (view.search_edit, view.result_combo, view.table,
                                                            view.export_button)}
    assert names == {"historySearch": "Search history", "historyResultFilter": "Filter by result",
                     "historyTable": "Call history", "historyExport": "Export history"}


def test_columns_fit_the_history_tab_of_a_1366_px_window(qtbot: QtBot, store: HistoryStore) -> None:
    rejected = add(store, "sip:alice@pbx.example.com", profile="Support desk")
    store.record_error(rejected, status=AttemptStatus.REJECTED, message="The 'To' number is not valid")
    view = open_view(qtbot, store)
    view.resize(800, 400)  # what the History tab gets in a 1366 px wide window
    qtbot.waitUntil(lambda: view.table.viewport().width() < 800)
    header = view.table.horizontalHeader()
    visible = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())
               if not header.isSectionHidden(c)]
    assert visible == ["Started", "Result", "To", "Profile", "Duration", "Error"]
    assert view.table.horizontalScrollBar().maximum() == 0
    view.show_column("Call ID")
    assert not header.isSectionHidden(COLUMN_INDEX["Call ID"]) and view.column_actions["Call ID"].isChecked()
