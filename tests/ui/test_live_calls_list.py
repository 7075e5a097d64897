"""The live-calls list tells twelve calls on five profiles apart: chip in the profile's colour with its
label, destination, state, timer; live calls above ended ones; ended ones fold under one header row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from launcher.core.models import CallPhase, CallResource, Outcome
from launcher.ui.call_list import HEADER_ROLE
from launcher.ui.call_view import LiveCallsPanel
from launcher.view.live_call import CHIP_LETTERS, LiveCallInfo, chip_text, elapsed_seconds

T0 = datetime(2026, 3, 2, 14, 30, 0, tzinfo=UTC)
PROFILES = [  # name, label, colour, provider
    ("support-prod", "PROD", "#d32f2f", "Twilio"),
    ("support-test", "TEST", "#1976d2", "Twilio"),
    ("bw-lab", "LAB", "#7b1fa2", "Bandwidth Voice v2"),
    ("catapult", "", "#ef6c00", "Bandwidth Catapult v1"),
    ("vg-eu", "EU", "#2e7d32", "Cognigy VG / jambonz"),
]
PHASES = [  # phase, outcome, provider status
    (CallPhase.RINGING, None, "ringing"), (CallPhase.ANSWERED, None, "in-progress"),
    (CallPhase.ENDED, Outcome.BUSY, "busy"), (CallPhase.QUEUED, None, "queued"),
    (CallPhase.ENDED, Outcome.COMPLETED, "completed"), (CallPhase.ENDED, Outcome.NO_ANSWER, "no-answer"),
]


def info(key: int) -> LiveCallInfo:
    name, label, colour, provider = PROFILES[key % len(PROFILES)]
    phase, outcome, status = PHASES[key % len(PHASES)]
    started = T0 + timedelta(seconds=10 * key)
    call = CallResource(provider="twilio", call_id=f"CA{key}", phase=phase, provider_status=status, outcome=outcome,
                        to=f"+1555555{key:04}", answered_at=started + timedelta(seconds=3)
                        if phase is CallPhase.ANSWERED or outcome is Outcome.COMPLETED else None,
                        duration=42.0 if outcome is Outcome.COMPLETED else None)
    return LiveCallInfo(key=key, profile_name=name, profile_color=colour, provider_name=provider,
                        to=f"+1555555{key:04}", from_number="+15005550006", call=call, state_text=status,
                        error=None, can_hang_up=not call.final, hanging_up=False, started_at=started,
                        profile_label=label)


def row_keys(panel: LiveCallsPanel) -> list[int | str]:
    keys: list[int | str] = []
    for row in range(panel.call_list.count()):
        item = panel.call_list.item(row)
        key = item.data(Qt.ItemDataRole.UserRole)
        keys.append("header" if key is None else int(key))
    return keys


def test_live_calls_come_first_then_a_header_then_ended_ones_each_newest_first(panel: LiveCallsPanel) -> None:
    live = [k for k in range(11, -1, -1) if not info(k).ended]
    ended = [k for k in range(11, -1, -1) if info(k).ended]
    assert live == [9, 7, 6, 3, 1, 0] and ended == [11, 10, 8, 5, 4, 2]
    assert row_keys(panel) == [*live, "header", *ended]
    header = panel.call_list.item(len(live))
    assert header.data(HEADER_ROLE) == (6, False)
    assert panel.selected_key() == 11  # the newest call was selected as it came in

    # A live call ends: it moves under the header, at its place by start time.
    ended_now = info(9)
    assert ended_now.call is not None
    ended_now.call.phase, ended_now.call.outcome = CallPhase.ENDED, Outcome.FAILED
    panel.upsert(ended_now)
    assert row_keys(panel) == [7, 6, 3, 1, 0, "header", 11, 10, 9, 8, 5, 4, 2]
    assert panel.call_list.item(5).data(HEADER_ROLE) == (7, False)


def test_the_ended_header_folds_ended_calls_but_never_the_selected_one(qtbot: QtBot, panel: LiveCallsPanel) -> None:
    header_row = row_keys(panel).index("header")
    rect = panel.call_list.visualItemRect(panel.call_list.item(header_row))
    qtbot.mouseClick(panel.call_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.ended_collapsed
    assert panel.visible_keys() == [9, 7, 6, 3, 1, 0, 11]  # 11 is selected, so it stays
    panel.select(3)
    assert panel.visible_keys() == [9, 7, 6, 3, 1, 0]
    assert panel.card.status_label.text() == "queued"
    qtbot.mouseClick(panel.call_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.call_list.visualItemRect(panel.call_list.item(header_row)).center())
    assert panel.visible_keys() == [9, 7, 6, 3, 1, 0, 11, 10, 8, 5, 4, 2]


def test_each_row_carries_its_profile_chip_in_the_profile_colour(panel: LiveCallsPanel) -> None:
    image = panel.call_list.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    seen: dict[str, str] = {}
    for row in range(panel.call_list.count()):
        item = panel.call_list.item(row)
        key = item.data(Qt.ItemDataRole.UserRole)
        if key is None or item.isSelected():
            continue
        rect = panel.call_list.visualItemRect(item)
        chip_edge = QPoint(rect.left() + 9, rect.top() + 14)  # inside the chip, left of its text
        colour = image.pixelColor(round(chip_edge.x() * ratio), round(chip_edge.y() * ratio))
        expected = info(int(key)).profile_color
        assert colour == QColor(expected), (key, colour.name(), expected)
        seen[info(int(key)).profile_name] = colour.name()
    assert len(set(seen.values())) == len(PROFILES)  # five profiles, five colours on screen


def test_chip_text_timer_and_summary() -> None:
    assert chip_text(info(0)) == "PROD"
    assert chip_text(info(3)) == "CATAPULT"  # no label: the first word of the name
    long_label = LiveCallInfo(**{**info(0).__dict__, "profile_label": "PRODUCTION-EU"})
    assert chip_text(long_label) == "PRODUCTI" and len(chip_text(long_label)) == CHIP_LETTERS
    now = T0 + timedelta(minutes=5)
    answered = info(1)  # answered 3 s after it started at T0+10 s
    assert elapsed_seconds(answered, now) == 300 - 13
    assert elapsed_seconds(info(4), now) == 42.0  # ended: the provider's duration
    assert elapsed_seconds(info(2), now) is None  # busy: never talked
    assert elapsed_seconds(info(0), now) == 300  # ringing: time since Call
