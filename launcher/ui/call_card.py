"""One live call, readable at a glance: status, timeline, times, ticking duration, id, hang-up.

The card only displays a :class:`LiveCallInfo` the window builds from core objects and forwards a
press of Hang up; it never talks to a provider itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from launcher.core.models import CallPhase, CallResource, Outcome
from launcher.ui.buttons import restyle_buttons, set_icon, style_button
from launcher.ui.elided_label import ElidedLabel
from launcher.ui.form.style import muted_color, set_text_color
from launcher.view import messages
from launcher.view.live_call import (
    NO_VALUE,
    TIMELINE,
    LiveCallInfo,
    format_duration,
    local_time,
    provider_status_line,
    reached_steps,
    step_word,
)

# Saturated mid-tones carrying white text: the pill reads the same on light and dark palettes.
OUTCOME_COLORS: dict[Outcome | None, str] = {
    Outcome.COMPLETED: "#2e7d32",
    Outcome.BUSY: "#a15c00",
    Outcome.NO_ANSWER: "#7a5f00",
    Outcome.FAILED: "#c62828",
    Outcome.CANCELED: "#5f6368",
    Outcome.REJECTED: "#ad1457",
    None: "#5f6368",
}
HANG_UP_RED = "#c62828"


def color_dot(color: str, widget: QWidget) -> QPixmap:
    """A filled circle the height of a line of text (an outlined one when there is no colour)."""
    size = widget.fontMetrics().height() * 2 // 3
    ratio = widget.devicePixelRatioF()
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(color) if color and QColor(color).isValid() else None
    painter.setPen(widget.palette().color(QPalette.ColorRole.Mid) if fill is None else fill.darker(130))
    if fill is not None:
        painter.setBrush(fill)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return pixmap


def blend(a: QColor, b: QColor, amount: float) -> str:
    """``amount`` of ``a`` over ``b`` as #rrggbb (stylesheets cannot mix palette roles)."""
    mix = [round(x * amount + y * (1 - amount)) for x, y in
           ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))]
    return QColor(*mix).name()


class CallTimeline(QWidget):
    """queued → ringing → answered → ended: reached steps filled, the current one emphasized."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Call progress")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.steps: dict[CallPhase, QLabel] = {}
        self._connectors: list[QFrame] = []
        for index, step in enumerate(TIMELINE):
            if index:
                line = QFrame(self)
                line.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                self._connectors.append(line)
                layout.addWidget(line, 1)
            label = QLabel(step_word(step, None), self)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.steps[step] = label
            layout.addWidget(label)
        self.reached: set[CallPhase] = set()
        self.current: CallPhase | None = None
        self._call: CallResource | None = None
        self._render()

    def set_call(self, call: CallResource | None, seen: Iterable[CallPhase] = ()) -> None:
        self._call = call
        self.reached = reached_steps(call, seen)
        self.current = call.phase if call is not None and call.phase in TIMELINE else None
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render()

    def _render(self) -> None:
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        text = palette.color(QPalette.ColorRole.WindowText)
        mid = palette.color(QPalette.ColorRole.Mid).name()
        for step, label in self.steps.items():
            word = step_word(step, self._call)
            label.setText(word)
            is_current, is_reached = step is self.current, step in self.reached
            if is_current and step is CallPhase.ENDED:
                colour = OUTCOME_COLORS[self._call.outcome if self._call else None]
                style = f"background: {colour}; color: white; border: 2px solid {colour}; font-weight: bold;"
                state = "current"
            elif is_current:
                on_highlight = palette.color(QPalette.ColorRole.HighlightedText).name()
                style = (f"background: {highlight.name()}; color: {on_highlight};"
                         f" border: 2px solid {text.name()}; font-weight: bold;")
                state = "current"
            elif is_reached:
                style = (f"background: {blend(highlight, window, 0.3)}; color: {text.name()};"
                         f" border: 1px solid {highlight.name()};")
                state = "reached"
            else:
                style = f"background: transparent; border: 1px dashed {mid};"
                state = "not reached"
            label.setEnabled(is_current or is_reached)
            _set_style(label, f"QLabel {{ {style} border-radius: 10px; padding: 3px 10px; }}")
            label.setAccessibleName(f"{word}: {state}")
            label.setToolTip(f"{word}: {state}")
            label.setProperty("state", state)
        for index, line in enumerate(self._connectors):
            done = TIMELINE[index] in self.reached and TIMELINE[index + 1] in self.reached
            colour = highlight.name() if done else mid
            _set_style(line, f"QFrame {{ background: {colour}; border: none; min-height: 2px; max-height: 2px; }}")


def _set_style(widget: QWidget, sheet: str) -> None:
    """Qt re-polishes a widget on every setStyleSheet, even to the same sheet: skip those."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


class CallCard(QWidget):
    """The selected call in full; emits ``hangup_requested(key)`` when Hang up is pressed and
    ``refresh_requested(key)`` when Refresh is (offered once following stopped at its limit).

    A person reads the state word and the timer; Hang up is the one big button at the bottom, where a
    softphone puts it.  Provider details (status, times, call id) sit below in smaller, muted type.
    """

    hangup_requested = Signal(int)
    refresh_requested = Signal(int)
    essentials_changed = Signal()  # the height the state, timer and Hang up need may have changed

    def __init__(self, parent: QWidget | None = None, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self._clock = clock or (lambda: datetime.now(UTC))
        self.info: LiveCallInfo | None = None
        self.timeline_seen: tuple[CallPhase, ...] = ()
        self._answered_seen_at: datetime | None = None
        self._ended_seen_at: datetime | None = None
        self.duration_timer = QTimer(self)
        self.duration_timer.setInterval(1000)
        self.duration_timer.timeout.connect(self._show_duration)

        self.profile_dot = QLabel(self)
        self.profile_label = ElidedLabel(self)
        self.profile_label.setAccessibleName("Profile and provider")
        header = QHBoxLayout()
        header.addWidget(self.profile_dot)
        header.addWidget(self.profile_label, 1)
        self.refresh_button = QPushButton(messages.REFRESH, self)
        self.refresh_button.setAccessibleName("Refresh call")
        self.refresh_button.setToolTip(messages.REFRESH_TIP)
        self.refresh_button.clicked.connect(self._refresh_clicked)
        header.addWidget(self.refresh_button)

        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Call status")
        self.status_label.setWordWrap(True)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        self.status_label.setFont(big)
        self.timer_label = QLabel(self)
        self.timer_label.setAccessibleName("Call timer")
        self.timer_label.setFont(big)
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        state_row = QHBoxLayout()
        state_row.addWidget(self.status_label, 1)
        state_row.addWidget(self.timer_label)
        self.route_label = ElidedLabel(self)
        self.route_label.setAccessibleName("Destination")
        route_font = QFont(self.font())
        route_font.setPointSizeF(route_font.pointSizeF() * 1.2)
        self.route_label.setFont(route_font)

        self.timeline = CallTimeline(self)
        self.error_label = QLabel(self)
        self.error_label.setAccessibleName("Error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(
            "QLabel { background: rgba(198, 40, 40, 0.14); border: 1px solid #c62828;"
            " border-radius: 0.3em; padding: 0.4em; }")
        self.hang_up_button = QPushButton(messages.HANG_UP, self)
        self.hang_up_button.setAccessibleName("Hang up")
        self.hang_up_button.setMinimumHeight(self.fontMetrics().height() * 2 + 10)
        style_button(self.hang_up_button, "danger")
        set_icon(self.hang_up_button, "hang-up")
        self.hang_up_button.clicked.connect(self._hang_up_clicked)

        self.provider_status_label = QLabel(self)
        self.provider_status_label.setAccessibleName("Provider status")
        self.provider_status_label.setWordWrap(True)
        self.provider_status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.from_label, self.to_label = self._value_label("From"), self._value_label("To")
        self.created_label, self.answered_label = self._value_label("Created"), self._value_label("Answered")
        self.ended_label, self.duration_label = self._value_label("Ended"), self._value_label("Duration")
        self.call_id_field = QLineEdit(self)
        self.call_id_field.setReadOnly(True)
        self.call_id_field.setFrame(False)
        self.call_id_field.setAccessibleName("Call ID")
        self.call_id_field.setToolTip(messages.CALL_ID_TIP)
        self.copy_id_button = QPushButton(messages.COPY, self)
        self.copy_id_button.setAccessibleName("Copy call ID")
        self.copy_id_button.setToolTip(messages.COPY_CALL_ID_TIP)
        self.copy_id_button.clicked.connect(self._copy_call_id)
        set_icon(self.copy_id_button, "copy")
        id_row = QHBoxLayout()
        id_row.addWidget(self.call_id_field, 1)
        id_row.addWidget(self.copy_id_button)
        self.details_box = QWidget(self)
        self.details = details = QFormLayout(self.details_box)
        details.setContentsMargins(0, 0, 0, 0)
        details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        details.setVerticalSpacing(2)
        for title, widget in (("From", self.from_label), ("To", self.to_label), ("Created", self.created_label),
                              ("Answered", self.answered_label), ("Ended", self.ended_label),
                              ("Duration", self.duration_label)):
            details.addRow(f"{title}:", widget)
        details.addRow("Call ID:", id_row)
        self._secondary = [self.provider_status_label, self.from_label, self.to_label, self.created_label,
                           self.answered_label, self.ended_label, self.duration_label, self.call_id_field]

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addLayout(state_row)
        layout.addWidget(self.route_label)
        layout.addWidget(self.timeline)
        layout.addWidget(self.error_label)
        layout.addWidget(self.hang_up_button)
        layout.addSpacing(4)
        layout.addWidget(self.provider_status_label)
        layout.addWidget(self.details_box)
        layout.addStretch(1)
        self.compact = False
        self._essentials: list[QWidget] = [self.profile_label, self.status_label, self.route_label, self.timeline,
                                           self.error_label, self.hang_up_button]
        self._style_secondary()
        self.set_info(None)

    def essential_height(self) -> int:
        """The height that shows the header, state word, timer, timeline, error and Hang up: the card
        never gets less, so a live call can always be read and ended; provider details scroll below."""
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        shown = [w for w in self._essentials if not w.isHidden()]
        heights = [max(self.refresh_button.sizeHint().height(), self.profile_label.sizeHint().height()),
                   max(self.status_label.sizeHint().height(), self.timer_label.sizeHint().height())]
        heights += [w.sizeHint().height() for w in shown[2:]
                    if w is not self.error_label] + ([self.error_label.heightForWidth(max(1, self.width()))]
                                                     if not self.error_label.isHidden() else [])
        return margins.top() + margins.bottom() + sum(heights) + layout.spacing() * (len(heights) - 1)

    def set_compact(self, compact: bool) -> None:
        """Compact layout: profile, state, timer, destination and Hang up; provider details stay hidden."""
        self.compact = compact
        self.provider_status_label.setVisible(not compact)
        self.details_box.setVisible(not compact)
        self.set_info(self.info, self.timeline_seen, self._answered_seen_at, self._ended_seen_at)

    def _value_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _style_secondary(self) -> None:
        """Provider details in a smaller type: there when wanted, never competing with the state."""
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.92)
        for widget in self._secondary:
            widget.setFont(small)
        for row in range(self.details.rowCount()):
            item = self.details.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                label.setFont(small)
                set_text_color(label, muted_color(self))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_secondary()
            restyle_buttons(self)

    # -- showing ----------------------------------------------------------------------------------
    def set_info(self, info: LiveCallInfo | None, seen: Iterable[CallPhase] = (),
                 answered_seen_at: datetime | None = None, ended_seen_at: datetime | None = None) -> None:
        """Show ``info``; ``seen`` and the ``*_seen_at`` times are what earlier updates of this call showed."""
        self.info = info
        self.timeline_seen = tuple(seen)
        self._answered_seen_at = answered_seen_at
        self._ended_seen_at = ended_seen_at
        call = info.call if info is not None else None
        now = self._clock()
        if info is None:
            self.profile_label.setText("")
            self.profile_dot.clear()
            self.status_label.setText(messages.NO_CALL_SELECTED)
            self.route_label.setText("")
        else:
            self.profile_dot.setPixmap(color_dot(info.profile_color, self))
            badge = f" — {info.profile_label}" if info.profile_label else ""
            self.profile_label.setText(f"{info.profile_name}{badge} · {info.provider_name}")
            self.status_label.setText(info.state_text)
            number_from = (call.from_number if call and call.from_number else None) or info.from_number
            to = (call.to if call and call.to else None) or info.to or NO_VALUE
            self.route_label.setText(messages.call_route(to, number_from or ""))
        self.timeline.set_call(call, self.timeline_seen)
        self.timeline.setVisible(call is not None and not self.compact)
        self.provider_status_label.setText(provider_status_line(info))
        self.error_label.setText(info.error if info is not None and info.error else "")
        self.error_label.setVisible(bool(info is not None and info.error))
        self.from_label.setText((call.from_number if call and call.from_number else None)
                                or (info.from_number if info else "") or NO_VALUE)
        self.to_label.setText((call.to if call and call.to else None) or (info.to if info else "") or NO_VALUE)
        created = call.created_at if call and call.created_at else (info.started_at if info else None)
        self.created_label.setText(local_time(created, now))
        self.details.setRowVisible(self.created_label, call is not None)  # never "Created" for a call never made
        provider = info.provider_name if info is not None else ""
        self._show_time(self.answered_label, call.answered_at if call else None, answered_seen_at, now,
                        messages.seen_tip(provider, "answered"))
        self._show_time(self.ended_label, call.ended_at if call else None,
                        ended_seen_at if call is not None and call.final else None, now,
                        messages.seen_tip(provider, "end"))
        self.call_id_field.setText(call.call_id if call else "")
        self.call_id_field.setPlaceholderText(messages.CALL_ID_NOT_YET if call is None else "")
        self.copy_id_button.setEnabled(call is not None and bool(call.call_id))
        self._show_hang_up(info)
        self.essentials_changed.emit()
        self.refresh_button.setVisible(bool(info and info.can_refresh))
        self.refresh_button.setEnabled(True)
        self._show_duration()
        if call is not None and call.phase is CallPhase.ANSWERED:
            if not self.duration_timer.isActive():
                self.duration_timer.start()
        else:
            self.duration_timer.stop()

    @staticmethod
    def _show_time(label: QLabel, given: datetime | None, seen: datetime | None, now: datetime, tip: str) -> None:
        """The provider's time; else the time the app first saw the state, with a tooltip saying so."""
        if given is not None or seen is None:
            label.setText(local_time(given, now))
            label.setToolTip("")
        else:
            label.setText(messages.seen_time(local_time(seen, now)))
            label.setToolTip(tip)

    def _show_hang_up(self, info: LiveCallInfo | None) -> None:
        hanging_up = bool(info and info.hanging_up)
        self.hang_up_button.setText(messages.HANGING_UP if hanging_up else messages.HANG_UP)
        self.hang_up_button.setEnabled(bool(info and info.can_hang_up and not info.hanging_up))
        if hanging_up:
            tip = "The hang-up request is on its way"
        elif info is not None and info.can_hang_up:
            tip = "End this call now (Ctrl+H)"
        else:
            tip = "This call cannot be hung up (not created yet, or already over)"
        self.hang_up_button.setToolTip(tip)

    def duration_seconds(self) -> float | None:
        call = self.info.call if self.info is not None else None
        if call is None:
            return None
        if call.phase is CallPhase.ANSWERED:
            start = call.answered_at or self._answered_seen_at
            return (self._clock() - start).total_seconds() if start is not None else None
        if call.phase is CallPhase.ENDED:
            if call.duration is not None:
                return call.duration
            answered = call.answered_at or self._answered_seen_at
            ended = call.ended_at or self._ended_seen_at
            if answered is not None and ended is not None:
                return (ended - answered).total_seconds()
        return None

    def _show_duration(self) -> None:
        text = format_duration(self.duration_seconds())
        self.duration_label.setText(text)
        self.timer_label.setText("" if text == NO_VALUE else text)

    # -- actions ----------------------------------------------------------------------------------
    def _hang_up_clicked(self) -> None:
        if self.info is not None and self.info.can_hang_up and not self.info.hanging_up:
            self.hang_up_button.setEnabled(False)  # one press, one request; the next update re-enables
            self.hangup_requested.emit(self.info.key)

    def _refresh_clicked(self) -> None:
        if self.info is not None and self.info.can_refresh:
            self.refresh_button.setEnabled(False)  # one press, one fetch; the next update shows the result
            self.refresh_requested.emit(self.info.key)

    def _copy_call_id(self) -> None:
        if self.call_id_field.text():
            QGuiApplication.clipboard().setText(self.call_id_field.text())
