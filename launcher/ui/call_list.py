"""How one entry of the live-calls list looks: profile chip, destination, who/where, state and timer.

Twelve calls on five profiles must be told apart at a glance, so each row carries its profile's colour
chip with the label (or the start of the name), the destination in the largest type, the profile and
provider, the state in plain words, and a running timer.  Live calls sit above ended ones; the ended
ones sit under one header row that collapses them.  Everything here paints; the panel decides.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from launcher.core.models import CallPhase, Outcome
from launcher.ui.profile_bar import contrast_text_color
from launcher.view.live_call import LiveCallInfo, chip_text, elapsed_seconds, format_duration

INFO_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's LiveCallInfo
HEADER_ROLE = Qt.ItemDataRole.UserRole + 2  # (ended count, collapsed) on the "Ended" header row
SEEN_ROLE = Qt.ItemDataRole.UserRole + 3  # when the app first saw the call answered (or None)
CHIP_SAMPLE = "SANDBOXX"  # the chip is as wide as this, so destinations line up


def state_color(info: LiveCallInfo, palette: QPalette) -> QColor:
    dark = palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5
    call = info.call
    if info.error is not None and call is None:
        return QColor("#ff8a80" if dark else "#c62828")
    if call is not None and call.phase is CallPhase.ANSWERED:
        return QColor("#81c784" if dark else "#2e7d32")
    if call is not None and call.final and call.outcome in (Outcome.FAILED, Outcome.REJECTED):
        return QColor("#ff8a80" if dark else "#c62828")
    if info.ended:
        return palette.color(QPalette.ColorRole.PlaceholderText)
    return QColor("#90caf9" if dark else "#1565c0")


class CallRowDelegate(QStyledItemDelegate):
    """Paints call rows and the "Ended" header row of the live-calls list."""

    def __init__(self, parent: QWidget, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._font_cache: dict[str, tuple[QFont, QFont, QFont]] = {}
        self._size_cache: dict[tuple[str, bool], QSize] = {}

    def _fonts(self, base: QFont) -> tuple[QFont, QFont, QFont]:
        """The row's three fonts, made once per base font (the view asks for every row's size on each layout)."""
        key = base.key()
        fonts = self._font_cache.get(key)
        if fonts is None:
            fonts = self._font_cache[key] = self._make_fonts(base)
        return fonts

    @staticmethod
    def _make_fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
        big = QFont(base)
        big.setPointSizeF(base.pointSizeF() * 1.2)
        big.setBold(True)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.92)
        chip = QFont(base)
        chip.setPointSizeF(base.pointSizeF() * 0.8)
        chip.setBold(True)
        return big, small, chip

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        header = index.data(HEADER_ROLE) is not None
        key = (option.font.key(), header)
        size = self._size_cache.get(key)
        if size is None:
            big, small, _chip = self._fonts(option.font)
            size = QSize(120, QFontMetrics(small).height() + 10) if header else \
                QSize(160, QFontMetrics(big).height() + QFontMetrics(small).height() + 16)
            self._size_cache[key] = size
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        widget = option.widget
        style = widget.style() if widget is not None else None
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        big, small, chip_font = self._fonts(option.font)
        header = index.data(HEADER_ROLE)
        if header is not None:
            count, collapsed = header
            painter.setFont(small)
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            arrow = "▸" if collapsed else "▾"
            painter.drawText(rect.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter,
                             f"{arrow}  Ended ({count})")
            painter.restore()
            return
        info: LiveCallInfo = index.data(INFO_ROLE)
        if info is None:
            painter.restore()
            return
        padding = 6
        chip_metrics = QFontMetrics(chip_font)
        narrow = rect.width() < chip_metrics.horizontalAdvance(CHIP_SAMPLE) + QFontMetrics(big).horizontalAdvance(
            "+15555550100 0:00") + 4 * padding
        # Narrow rows (200 % scale, small windows): the chip shrinks to a colour bar, the destination keeps its room.
        chip_width = 6 if narrow else chip_metrics.horizontalAdvance(CHIP_SAMPLE) + 8
        chip_height = (rect.height() - 2 * padding) if narrow else chip_metrics.height() + 6
        chip_rect = QRectF(rect.left() + padding, rect.top() + padding + (0 if narrow else 2), chip_width, chip_height)
        colour = QColor(info.profile_color) if info.profile_color and QColor(info.profile_color).isValid() else None
        if colour is not None:
            painter.setPen(colour.darker(125))
            painter.setBrush(colour)
        else:
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(chip_rect, 3 if narrow else 4, 3 if narrow else 4)
        if not narrow:
            painter.setFont(chip_font)
            painter.setPen(contrast_text_color(colour) if colour is not None else palette.color(text_role))
            painter.drawText(chip_rect, Qt.AlignmentFlag.AlignCenter, chip_text(info))

        left = int(chip_rect.right()) + padding + 2
        timer = format_duration(elapsed_seconds(info, self._clock(), index.data(SEEN_ROLE)))
        timer = "" if timer == "—" else timer
        big_metrics = QFontMetrics(big)
        small_metrics = QFontMetrics(small)
        available = rect.right() - left - padding
        destination = info.to or "(no number)"
        timer_on_top = bool(timer) and big_metrics.horizontalAdvance(f"{destination}  {timer}") <= available
        timer_width = big_metrics.horizontalAdvance(timer) + 2 if timer_on_top else 0
        top_line = QRect(left, rect.top() + padding - 1, available - timer_width, big_metrics.height())
        painter.setFont(big)
        painter.setPen(palette.color(text_role) if not info.ended or selected
                       else palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(top_line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         big_metrics.elidedText(destination, Qt.TextElideMode.ElideMiddle, top_line.width()))
        second = QRect(left, top_line.bottom() + 3, available, small_metrics.height())
        if timer_on_top:
            timer_rect = QRect(rect.right() - padding - timer_width, top_line.top(), timer_width, top_line.height())
            painter.drawText(timer_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, timer)
        elif timer:
            painter.setFont(small)
            painter.drawText(second, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, timer)
            second.setRight(second.right() - small_metrics.horizontalAdvance(timer) - 6)
        painter.setFont(small)
        state = info.state_text
        state_width = small_metrics.horizontalAdvance(state)
        painter.setPen(palette.color(text_role) if selected else state_color(info, palette))
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         small_metrics.elidedText(state, Qt.TextElideMode.ElideRight, second.width()))
        label = chip_text(info) if narrow else ""
        who = f"  ·  {label + ' · ' if label else ''}{info.profile_name} · {info.provider_name}"
        rest = QRect(second.left() + state_width, second.top(), max(0, second.width() - state_width),
                     second.height())
        painter.setPen(palette.color(text_role) if selected else palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(rest, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         small_metrics.elidedText(who, Qt.TextElideMode.ElideRight, rest.width()))
        painter.restore()
