"""The live call view: card, timeline, duration, hang-up, several calls in a list, the raw JSON tree."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QGuiApplication, QPalette
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from launcher.core.models import CallPhase, CallResource, Outcome
from launcher.ui.call_card import OUTCOME_COLORS
from launcher.ui.call_list import HEADER_ROLE
from launcher.ui.call_view import EMPTY_TEXT, CallCard, JsonTree, LiveCallsPanel
from launcher.view.live_call import OUTCOME_WORDS, LiveCallInfo, format_duration, local_time

NOW = datetime(2026, 3, 2, 14, 30, 0, tzinfo=UTC)
CALL_SID = "CA" + "fedcba9876543210" * 2


def resource(phase: CallPhase, status: str, outcome: Outcome | None = None, *, call_id: str = CALL_SID,
             answered_at: datetime | None = None, ended_at: datetime | None = None,
             duration: float | None = None, raw: dict[str, Any] | None = None,
             detail: str | None = None) -> CallResource:
    return CallResource(
        provider="twilio", call_id=call_id, phase=phase, provider_status=status, outcome=outcome,
        from_number="+15017122661", to="+14155551212", created_at=NOW, answered_at=answered_at,
        ended_at=ended_at, duration=duration,
        raw=raw if raw is not None else {"sid": call_id, "status": status, "to": "+14155551212"}, detail=detail,
    )


def live(key: int = 7, call: CallResource | None = None, state: str = "Ringing", *, error: str | None = None,
         can_hang_up: bool = True, hanging_up: bool = False, started_at: datetime = NOW,
         to: str = "+14155551212", color: str = "#d32f2f") -> LiveCallInfo:
    return LiveCallInfo(key=key, profile_name="Support", profile_color=color, provider_name="Twilio", to=to,
                        from_number="+15017122661", call=call, state_text=state, error=error,
                        can_hang_up=can_hang_up, hanging_up=hanging_up, started_at=started_at)


@pytest.fixture
def card(qtbot: QtBot) -> CallCard:
    widget = CallCard(clock=lambda: NOW)
    qtbot.addWidget(widget)
    return widget


def step_states(card: CallCard) -> dict[str, str]:
    return {step.value: label.property("state") for step, label in card.timeline.steps.items()}


# -- the card ---------------------------------------------------------------------------------------
LIVE_PHASES = [
    (CallPhase.QUEUED, "queued", {"queued": "current", "ringing": "not reached", "answered": "not reached",
                                  "ended": "not reached"}),
    (CallPhase.RINGING, "ringing", {"queued": "reached", "ringing": "current", "answered": "not reached",
                                    "ended": "not reached"}),
    (CallPhase.ANSWERED, "in-progress", {"queued": "reached", "ringing": "reached", "answered": "current",
                                         "ended": "not reached"}),
]


@pytest.mark.parametrize(("phase", "status", "expected"), LIVE_PHASES)
def test_card_timeline_and_texts_for_live_phases(card: CallCard, phase: CallPhase, status: str,
                                                 expected: dict[str, str]) -> None:
    answered = NOW + timedelta(seconds=5) if phase is CallPhase.ANSWERED else None
    card.set_info(live(call=resource(phase, status, answered_at=answered), state=status.capitalize()))

    assert step_states(card) == expected
    assert [label.text() for label in card.timeline.steps.values()] == ["queued", "ringing", "answered", "ended"]
    assert card.status_label.text() == status.capitalize()
    assert card.provider_status_label.text() == f"provider status: {status}"
    assert card.from_label.text() == "+15017122661"
    assert card.to_label.text() == "+14155551212"
    assert card.call_id_field.text() == CALL_SID
    assert card.ended_label.text() == "—"
    assert not card.error_label.isVisibleTo(card)
    current = card.timeline.steps[phase]
    assert "bold" in current.styleSheet()
    assert card.timeline.steps[CallPhase.ENDED].isEnabled() is False  # not reached: muted


ENDINGS = [
    (Outcome.COMPLETED, "completed", {"queued", "ringing", "answered", "ended"}),
    (Outcome.BUSY, "busy", {"queued", "ended"}),
    (Outcome.NO_ANSWER, "no-answer", {"queued", "ringing", "ended"}),
    (Outcome.FAILED, "failed", {"queued", "ended"}),
    (Outcome.CANCELED, "canceled", {"queued", "ended"}),
    (Outcome.REJECTED, "rejected", {"queued", "ended"}),
]


@pytest.mark.parametrize(("outcome", "status", "reached"), ENDINGS)
def test_card_shows_the_outcome_on_the_last_step(card: CallCard, outcome: Outcome, status: str,
                                                 reached: set[str]) -> None:
    answered = NOW + timedelta(seconds=4) if outcome is Outcome.COMPLETED else None
    call = resource(CallPhase.ENDED, status, outcome, answered_at=answered, ended_at=NOW + timedelta(seconds=64),
                    duration=60 if answered else 0, detail="Answered by: human" if answered else None)
    card.set_info(live(call=call, state=f"Ended: {OUTCOME_WORDS[outcome]}", can_hang_up=False))

    last = card.timeline.steps[CallPhase.ENDED]
    assert last.text() == OUTCOME_WORDS[outcome]
    assert last.property("state") == "current"
    assert OUTCOME_COLORS[outcome] in last.styleSheet()
    assert {step for step, state in step_states(card).items() if state != "not reached"} == reached
    assert card.status_label.text() == f"Ended: {OUTCOME_WORDS[outcome]}"
    expected_status = f"provider status: {status}" + (" · Answered by: human" if answered else "")
    assert card.provider_status_label.text() == expected_status
    assert card.ended_label.text() == local_time(NOW + timedelta(seconds=64), NOW)
    assert card.duration_label.text() == ("1:00" if answered else "0:00")
    assert not card.hang_up_button.isEnabled()
    assert not card.duration_timer.isActive()


def relative_luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


@pytest.mark.parametrize("outcome", [*Outcome, None])
def test_outcome_pills_keep_white_text_readable(outcome: Outcome | None) -> None:
    """White on the pill colour passes WCAG AA, so the pill reads on light and dark windows alike."""
    ratio = 1.05 / (relative_luminance(QColor(OUTCOME_COLORS[outcome])) + 0.05)
    assert ratio >= 4.5


def test_card_while_the_create_request_is_in_flight(card: CallCard) -> None:
    card.set_info(live(call=None, state="Sending…", can_hang_up=False))

    assert card.status_label.text() == "Sending…"
    assert set(step_states(card).values()) == {"not reached"}
    assert card.call_id_field.text() == ""
    assert not card.copy_id_button.isEnabled()
    assert not card.hang_up_button.isEnabled()
    assert card.to_label.text() == "+14155551212"
    assert card.created_label.text() == local_time(NOW, NOW)


def test_card_shows_the_error_text(card: CallCard) -> None:
    error = "Refused by Twilio: [HTTP 400, code 21211] Invalid 'To' Phone Number. Check the number."
    card.set_info(live(call=None, state="Refused by Twilio", error=error, can_hang_up=False))
    assert card.error_label.isVisibleTo(card)
    assert card.error_label.text() == error
    assert card.provider_status_label.text() == "provider status: (no call created)"

    card.set_info(live(call=resource(CallPhase.RINGING, "ringing")))
    assert not card.error_label.isVisibleTo(card)


def test_times_are_shown_in_local_time(card: CallCard) -> None:
    answered, ended = NOW + timedelta(seconds=7), NOW + timedelta(minutes=2)
    card.set_info(live(call=resource(CallPhase.ENDED, "completed", Outcome.COMPLETED, answered_at=answered,
                                     ended_at=ended, duration=113), can_hang_up=False))
    assert card.created_label.text() == NOW.astimezone().strftime("%H:%M:%S")
    assert card.answered_label.text() == answered.astimezone().strftime("%H:%M:%S")
    assert card.ended_label.text() == ended.astimezone().strftime("%H:%M:%S")
    assert card.duration_label.text() == "1:53"
    yesterday = NOW - timedelta(days=1)
    assert local_time(yesterday, NOW) == yesterday.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert format_duration(3725) == "1:02:05"


@pytest.mark.parametrize(("can_hang_up", "hanging_up", "enabled", "text"), [
    (True, False, True, "Hang up"),
    (True, True, False, "Hanging up…"),
    (False, False, False, "Hang up"),
    (False, True, False, "Hanging up…"),
])
def test_hang_up_button_state(qtbot: QtBot, card: CallCard, can_hang_up: bool, hanging_up: bool,
                              enabled: bool, text: str) -> None:
    card.set_info(live(key=42, call=resource(CallPhase.ANSWERED, "in-progress", answered_at=NOW),
                       can_hang_up=can_hang_up, hanging_up=hanging_up))
    button = card.hang_up_button
    assert button.isEnabled() is enabled
    assert button.text() == text
    if enabled:
        with qtbot.waitSignal(card.hangup_requested) as blocker:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert blocker.args == [42]
        assert not button.isEnabled()  # a second click cannot ask twice before the window answers
    else:
        with qtbot.assertNotEmitted(card.hangup_requested):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_copy_call_id(qtbot: QtBot, card: CallCard) -> None:
    QGuiApplication.clipboard().setText("something else")
    card.set_info(live(call=resource(CallPhase.RINGING, "ringing")))
    assert card.call_id_field.isReadOnly()
    qtbot.mouseClick(card.copy_id_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == CALL_SID


def test_duration_ticks_while_answered_and_stops_when_ended(qtbot: QtBot) -> None:
    card = CallCard()  # the real clock
    qtbot.addWidget(card)
    answered = datetime.now(UTC) - timedelta(seconds=5)
    card.set_info(live(call=resource(CallPhase.ANSWERED, "in-progress", answered_at=answered)))
    first = card.duration_label.text()
    assert first in ("0:05", "0:06")
    assert card.duration_timer.isActive()

    qtbot.waitUntil(lambda: card.duration_label.text() != first, timeout=3000)
    assert card.duration_label.text() > first

    ended = resource(CallPhase.ENDED, "completed", Outcome.COMPLETED, answered_at=answered,
                     ended_at=answered + timedelta(seconds=42), duration=42)
    card.set_info(live(call=ended, state="Ended: completed", can_hang_up=False))
    assert not card.duration_timer.isActive()
    assert card.duration_label.text() == "0:42"


def test_duration_counts_from_when_answered_was_first_seen_without_answered_at(card: CallCard) -> None:
    card.set_info(live(call=resource(CallPhase.ANSWERED, "answered")), (), NOW - timedelta(seconds=75))
    assert card.duration_label.text() == "1:15"


def test_timeline_follows_a_palette_change(card: CallCard) -> None:
    card.set_info(live(call=resource(CallPhase.ANSWERED, "in-progress", answered_at=NOW)))
    palette = QPalette(card.palette())
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#123456"))
    card.setPalette(palette)
    assert "#123456" in card.timeline.steps[CallPhase.ANSWERED].styleSheet()


# -- the panel --------------------------------------------------------------------------------------
@pytest.fixture
def panel(qtbot: QtBot) -> LiveCallsPanel:
    widget = LiveCallsPanel()
    qtbot.addWidget(widget)
    return widget


def rows(panel: LiveCallsPanel) -> list[str]:
    """Each row as "destination — state" ("Ended (n)" for the header row of ended calls)."""
    found = []
    for row in range(panel.call_list.count()):
        item = panel.call_list.item(row)
        found.append(item.text().rsplit(" — ", 1)[0] if item.data(Qt.ItemDataRole.UserRole) is not None
                     else f"Ended ({item.data(HEADER_ROLE)[0]})")
    return found


def test_empty_panel_says_what_to_do(panel: LiveCallsPanel) -> None:
    assert panel.empty_label.isVisibleTo(panel)
    assert panel.empty_label.text() == EMPTY_TEXT
    assert panel.selected_key() is None
    assert not panel.clear_button.isEnabled()


def test_several_calls_newest_first_and_a_new_call_is_selected(panel: LiveCallsPanel) -> None:
    panel.upsert(live(1, resource(CallPhase.ENDED, "busy", Outcome.BUSY, call_id="CA1", ended_at=NOW),
                      "Ended: busy", can_hang_up=False, to="+14155550101"))
    panel.upsert(live(2, resource(CallPhase.ANSWERED, "in-progress", call_id="CA2", answered_at=NOW),
                      "Answered", started_at=NOW + timedelta(seconds=10), to="+14155550102", color="#1976d2"))
    panel.upsert(live(3, None, "Sending…", can_hang_up=False, started_at=NOW + timedelta(seconds=20),
                      to="+14155550103", color=""))

    assert not panel.empty_label.isVisibleTo(panel)
    assert rows(panel) == ["+14155550103 — Sending…", "+14155550102 — Answered", "Ended (1)",
                           "+14155550101 — Ended: busy"]
    assert panel.selected_key() == 3
    assert panel.card.status_label.text() == "Sending…"
    assert all(not panel.call_list.item(row).icon().isNull() for row in (0, 1, 3))

    # The create answer arrives for call 3; call 1 (not selected) is refreshed too: selection stays.
    panel.upsert(live(3, resource(CallPhase.QUEUED, "queued", call_id="CA3"), "Queued",
                      started_at=NOW + timedelta(seconds=20), to="+14155550103"))
    assert panel.selected_key() == 3
    assert panel.card.call_id_field.text() == "CA3"
    assert rows(panel)[0] == "+14155550103 — Queued"

    panel.select(2)
    assert panel.selected_key() == 2
    assert panel.card.call_id_field.text() == "CA2"
    assert panel.json_tree.item_at_path("sid").text(1) == "CA2"


def test_clear_ended_keeps_live_calls(qtbot: QtBot, panel: LiveCallsPanel) -> None:
    panel.upsert(live(1, resource(CallPhase.RINGING, "ringing", call_id="CA1")))
    panel.upsert(live(2, None, "Refused by Twilio", error="[HTTP 400, code 21211] Invalid 'To'",
                      can_hang_up=False, started_at=NOW + timedelta(seconds=1)))
    panel.upsert(live(3, resource(CallPhase.ENDED, "no-answer", Outcome.NO_ANSWER, call_id="CA3", ended_at=NOW),
                      "Ended: no answer", can_hang_up=False, started_at=NOW + timedelta(seconds=2)))
    assert panel.clear_button.isEnabled()
    assert panel.selected_key() == 3

    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)

    assert [panel.call_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(panel.call_list.count())] == [1]
    assert rows(panel) == ["+14155551212 — Ringing"]  # no "Ended" header without ended calls
    assert panel.selected_key() == 1
    assert panel.card.call_id_field.text() == "CA1"
    assert not panel.clear_button.isEnabled()

    panel.upsert(live(1, resource(CallPhase.ENDED, "completed", Outcome.COMPLETED, call_id="CA1", ended_at=NOW),
                      "Ended: completed", can_hang_up=False))
    assert rows(panel) == ["Ended (1)", "+14155551212 — Ended: completed"]  # ended calls stay until cleared
    panel.remove_ended()
    assert panel.call_list.count() == 0
    assert panel.selected_key() is None
    assert panel.empty_label.isVisibleTo(panel)


def test_panel_forwards_hang_up_with_the_key(qtbot: QtBot, panel: LiveCallsPanel) -> None:
    panel.upsert(live(11, resource(CallPhase.RINGING, "ringing", call_id="CA11")))
    panel.upsert(live(12, resource(CallPhase.RINGING, "ringing", call_id="CA12"),
                      started_at=NOW + timedelta(seconds=1)))
    panel.select(11)
    with qtbot.waitSignal(panel.hangup_requested) as blocker:
        qtbot.mouseClick(panel.card.hang_up_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [11]

    panel.upsert(live(11, resource(CallPhase.RINGING, "ringing", call_id="CA11"), hanging_up=True))
    assert panel.card.hang_up_button.text() == "Hanging up…"
    assert not panel.card.hang_up_button.isEnabled()


def test_panel_remembers_steps_seen_before_the_end(panel: LiveCallsPanel) -> None:
    """Twilio reports 'busy' without saying it rang; the panel saw it ringing, so the step stays lit."""
    panel.upsert(live(5, resource(CallPhase.QUEUED, "queued")))
    panel.upsert(live(6, resource(CallPhase.QUEUED, "queued", call_id="CA6"), started_at=NOW + timedelta(1)))
    panel.upsert(live(5, resource(CallPhase.RINGING, "ringing")))  # not selected while it rang
    panel.upsert(live(5, resource(CallPhase.ENDED, "busy", Outcome.BUSY, ended_at=NOW), "Ended: busy",
                      can_hang_up=False))
    panel.select(5)
    assert step_states(panel.card) == {"queued": "reached", "ringing": "reached", "answered": "not reached",
                                       "ended": "current"}


# -- the raw JSON tree ------------------------------------------------------------------------------
RAW = {
    "sid": CALL_SID,
    "status": "ringing",
    "duration": None,
    "queue_time": 12,
    "price": 0.015,
    "recording": False,
    "uri": "/2010-04-01/Accounts/AC0123/Calls/" + "x" * 120 + ".json",
    "subresource_uris": {"notifications": "/n.json", "recordings": "/r.json"},
    "events": ["initiated", "ringing"],
}


def test_json_tree_shows_keys_values_and_types(qtbot: QtBot) -> None:
    tree = JsonTree()
    qtbot.addWidget(tree)
    tree.set_json(RAW, 1)

    def row(*path: str) -> tuple[str, str, str]:
        item = tree.item_at_path(*path)
        assert item is not None
        return item.text(0), item.text(1), item.text(2)

    assert tree.topLevelItemCount() == len(RAW)
    assert row("sid") == ("sid", CALL_SID, "string")
    assert row("duration") == ("duration", "null", "null")
    assert row("queue_time") == ("queue_time", "12", "number")
    assert row("price") == ("price", "0.015", "number")
    assert row("recording") == ("recording", "false", "boolean")
    assert row("subresource_uris") == ("subresource_uris", "", "object (2)")
    assert row("subresource_uris", "recordings") == ("recordings", "/r.json", "string")
    assert row("events") == ("events", "", "array (2)")
    assert row("events", "1") == ("[1]", "ringing", "string")
    uri = tree.item_at_path("uri")
    assert uri is not None
    assert uri.text(1).endswith("…") and len(uri.text(1)) <= 80
    assert uri.toolTip(1) == RAW["uri"]
    assert all(item.isExpanded() for item in (tree.item_at_path("subresource_uris"), tree.item_at_path("events")))


def test_json_tree_keeps_expansion_across_refreshes_of_the_same_call(qtbot: QtBot, panel: LiveCallsPanel) -> None:
    panel.upsert(live(1, resource(CallPhase.RINGING, "ringing", raw=RAW)))
    tree = panel.json_tree
    subresources = tree.item_at_path("subresource_uris")
    assert subresources is not None and subresources.isExpanded()
    tree.collapseItem(subresources)
    status = tree.item_at_path("status")
    assert status is not None
    tree.setCurrentItem(status)

    panel.upsert(live(1, resource(CallPhase.ANSWERED, "in-progress", raw={**RAW, "status": "in-progress"}),
                      "Answered"))
    assert tree.item_at_path("status").text(1) == "in-progress"
    assert not tree.item_at_path("subresource_uris").isExpanded()
    assert tree.item_at_path("events").isExpanded()
    assert tree.currentItem() is tree.item_at_path("status")

    panel.upsert(live(2, resource(CallPhase.RINGING, "ringing", call_id="CA2", raw=RAW),
                      started_at=NOW + timedelta(seconds=1)))
    assert tree.item_at_path("subresource_uris").isExpanded()  # another call: everything open

    panel.select(1)
    assert not tree.item_at_path("subresource_uris").isExpanded()


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen platform: popups cannot raise/grab
def test_json_tree_context_menu_copies_the_full_value(qtbot: QtBot) -> None:
    tree = JsonTree()
    qtbot.addWidget(tree)
    tree.resize(600, 400)
    tree.show()
    tree.set_json(RAW, 1)
    QGuiApplication.clipboard().setText("")
    for path, expected in ((("uri",), RAW["uri"]), (("subresource_uris",), None)):
        item = tree.item_at_path(*path)
        assert item is not None
        point = tree.visualItemRect(item).center()
        QApplication.sendEvent(tree.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                                  tree.viewport().mapToGlobal(point)))
        menu = tree.context_menu
        assert menu is not None and menu.isVisible()
        assert [action.text() for action in menu.actions()] == ["Copy value", "Copy key path"]
        menu.actions()[0].trigger()
        menu.close()
        if expected is not None:
            assert QGuiApplication.clipboard().text() == expected  # not the elided text
        else:
            assert QGuiApplication.clipboard().text().startswith('{\n  "notifications": "/n.json"')


def test_every_control_of_the_panel_has_an_accessible_name(panel: LiveCallsPanel) -> None:
    panel.upsert(live(1, resource(CallPhase.RINGING, "ringing")))
    owned = [*vars(panel).values(), *vars(panel.card).values()]  # our controls, not Qt's internal ones
    controls = [w for w in owned if isinstance(w, (QAbstractButton, QLineEdit, QAbstractItemView))]
    assert len(controls) == 8  # a new control must be named and counted here
    for widget in controls:
        assert widget.accessibleName(), widget


def test_a_short_panel_still_shows_the_state_timer_and_hang_up(qtbot: QtBot, panel: LiveCallsPanel) -> None:
    panel.upsert(live(11, resource(CallPhase.ANSWERED, "in-progress", answered_at=NOW - timedelta(seconds=5)),
                      state="Connected"))
    panel.set_raw_visible(True)
    panel.resize(700, 200)
    panel.show()
    qtbot.waitExposed(panel)
    QApplication.processEvents()
    viewport = panel.card_scroll.viewport()
    for widget in (panel.card.status_label, panel.card.timer_label, panel.card.hang_up_button):
        top_left = widget.mapTo(viewport, QPoint(0, 0))
        assert widget.isVisible()
        assert top_left.y() >= 0 and top_left.y() + widget.height() <= viewport.height(), widget.accessibleName()
    assert panel.card_scroll.height() >= panel.card.essential_height()


def test_a_long_card_header_is_elided_with_the_full_text_in_its_tooltip(qtbot: QtBot, panel: LiveCallsPanel) -> None:
    info = live(11, resource(CallPhase.RINGING, "ringing"))
    long_name = "sandbox-jambonz-with-a-rather-long-profile-name"
    info = replace(info, profile_name=long_name, profile_label="SANDBOX",
                   provider_name="Cognigy VG / jambonz (self-hosted, EU region)")
    panel.upsert(info)
    panel.resize(520, 600)
    panel.show()
    qtbot.waitExposed(panel)
    QApplication.processEvents()
    full = f"{long_name} — SANDBOX · Cognigy VG / jambonz (self-hosted, EU region)"
    header = panel.card.profile_label
    assert header.text() == full and header.toolTip() == full
    assert header.shown_text().endswith("…")
    assert not panel.card_scroll.horizontalScrollBar().isVisible()
    assert panel.card.width() <= panel.card_scroll.viewport().width()
