"""The profile header at the top of the window: which account a call will use, impossible to miss.

One row: the profile selector (colour swatch + name, named once), the profile's label as a pill in its
colour ("PROD" in red never looks like a test account), provider and account, and Edit profiles.  A
thin strip in the profile's colour runs under the row.  The small colour helpers here are shared with
the profile editor and the live-calls list.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from launcher.core.profile_library import ProfileManager
from launcher.core.profiles import Profile
from launcher.view import messages

# Light-theme / dark-theme variants of the status colours, so messages read on either palette.
_STATUS_COLORS = {
    "error": ("#b3261e", "#f2b8b5"),
    "ok": ("#1b5e20", "#a5d6a7"),
    "warn": ("#7a4a00", "#ffcc80"),
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def status_color(palette: QPalette, kind: str) -> str:
    """A text colour for "error", "ok" or "warn" messages that reads on the current palette."""
    light, dark = _STATUS_COLORS[kind]
    return dark if is_dark(palette) else light


def contrast_text_color(background: QColor) -> QColor:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative luminance)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = (0.2126 * channel(background.redF()) + 0.7152 * channel(background.greenF())
                 + 0.0722 * channel(background.blueF()))
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05); equal at L ~ 0.179.
    return QColor("#000000") if luminance > 0.179 else QColor("#ffffff")


def swatch_icon(color: str, widget: QWidget) -> QIcon:
    """A small filled square in ``color`` (an outlined empty square when there is none)."""
    side = widget.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, widget)
    ratio = widget.devicePixelRatioF()
    pixmap = QPixmap(QSize(round(side * ratio), round(side * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    outline = widget.palette().color(QPalette.ColorRole.WindowText)
    outline.setAlphaF(0.45)
    painter.setPen(outline)
    if QColor(color).isValid() and color:
        painter.setBrush(QColor(color))
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = max(1.0, side / 8)
    painter.drawRoundedRect(QRectF(inset, inset, side - 2 * inset, side - 2 * inset), side / 6, side / 6)
    painter.end()
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)  # the true colour, not tinted by the selection
    return icon


def short_account(account_id: str) -> str:
    """``AC0123456789abcdef…`` -> ``AC01…cdef``: enough to recognise, short enough to fit."""
    text = account_id.strip()
    return text if len(text) <= 12 else f"{text[:4]}…{text[-4:]}"


def profile_title(profile: Profile) -> str:
    """The name with its badge, as lists show it: ``support — PROD``."""
    return f"{profile.name} — {profile.label}" if profile.label else profile.name


class ProfileBar(QWidget):
    """Profile combo + account summary + coloured label band + "Edit profiles…"."""

    profile_selected = Signal(object)  # Profile
    edit_requested = Signal()

    def __init__(self, manager: ProfileManager, provider_names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._provider_names = dict(provider_names)
        self._profiles: list[Profile] = []

        self.combo = QComboBox()
        self.combo.setAccessibleName("Profile")
        self.combo.setToolTip(messages.PROFILE_SELECTOR_TIP)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.currentIndexChanged.connect(self._on_index_changed)

        self.account_label = QLabel()
        self.account_label.setAccessibleName("Active provider and account")
        self.account_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.edit_button = QPushButton(messages.EDIT_PROFILES)
        self.edit_button.setAccessibleName("Edit profiles")
        self.edit_button.setToolTip(messages.EDIT_PROFILES_TIP)
        self.edit_button.clicked.connect(self.edit_requested)

        self.band = QLabel()
        self.band.setAccessibleName("Active profile label")
        self.band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.band.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        band_font = self.band.font()
        band_font.setBold(True)
        self.band.setFont(band_font)
        self.strip = QLabel()
        self.strip.setFixedHeight(3)
        self.strip.setAccessibleName("Active profile colour")

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.combo)
        row.addWidget(self.band)
        row.addWidget(self.account_label, 1)
        row.addWidget(self.edit_button)

        self.problem_label = QLabel()
        self.problem_label.setAccessibleName("Profiles file problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.strip)
        layout.addWidget(self.problem_label)
        self.reload()

    # -- public API -------------------------------------------------------------------------------
    def reload(self, select_id: str | None = None) -> None:
        """Re-read the profiles; select ``select_id``, else keep the current one, else the first.

        Emits ``profile_selected`` when the selected profile (or any of its settings) changed.
        """
        before = self.current_profile()
        keep_id = select_id or (before.id if before else None)
        self._profiles = self._manager.all()
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            for profile in self._profiles:
                self.combo.addItem(swatch_icon(profile.color, self), profile_title(profile), profile.id)
                index = self.combo.count() - 1
                self.combo.setItemData(index, self._tooltip(profile), Qt.ItemDataRole.ToolTipRole)
            index = self.combo.findData(keep_id) if keep_id else -1
            self.combo.setCurrentIndex(index if index >= 0 else (0 if self._profiles else -1))
        finally:
            self.combo.blockSignals(False)
        self._show_problem(self._manager.load_problem)
        self._show_current()
        after = self.current_profile()
        if after is not None and (before is None or before != after):
            self.profile_selected.emit(after)

    def current_profile(self) -> Profile | None:
        index = self.combo.currentIndex()
        return self._profiles[index] if 0 <= index < len(self._profiles) else None

    def select_profile(self, profile_id: str) -> bool:
        """Make ``profile_id`` the active profile; False when there is no such profile."""
        index = self.combo.findData(profile_id)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        return True

    # -- display ----------------------------------------------------------------------------------
    def _on_index_changed(self, index: int) -> None:
        self._show_current()
        profile = self.current_profile()
        if profile is not None:
            self.profile_selected.emit(profile)

    def _provider_name(self, profile: Profile) -> str:
        return self._provider_names.get(profile.provider, profile.provider)

    def _tooltip(self, profile: Profile) -> str:
        kind = "Built-in sandbox profile (simulated calls, no account needed)" if profile.builtin else "Saved profile"
        return f"{kind}\n{self._provider_name(profile)} · account {profile.account_id}"

    def _show_current(self) -> None:
        profile = self.current_profile()
        if profile is None:
            self.account_label.setText(messages.NO_PROFILE)
            self.band.hide()
            self.strip.hide()
            return
        self.account_label.setText(f"{self._provider_name(profile)} · {short_account(profile.account_id)}")
        self.account_label.setToolTip(messages.account_tip(profile.account_id))
        background = QColor(profile.color) if profile.color else self.palette().color(QPalette.ColorRole.Highlight)
        if not background.isValid():
            background = self.palette().color(QPalette.ColorRole.Highlight)
        self.strip.setStyleSheet(f"QLabel {{ background-color: {background.name()}; border-radius: 1px; }}")
        self.strip.setVisible(bool(profile.color or profile.label))
        if not profile.label:
            self.band.hide()
            return
        text = contrast_text_color(background)
        self.band.setText(profile.label)
        self.band.setAccessibleDescription(
            messages.profile_band_description(profile.label, profile.name, self._provider_name(profile))
        )
        self.band.setToolTip(messages.profile_band_tip(profile.label, profile.name))
        self.band.setStyleSheet(
            f"QLabel {{ background-color: {background.name()}; color: {text.name()};"
            " padding: 2px 10px; border-radius: 9px; }"
        )
        self.band.show()

    def set_compact(self, compact: bool) -> None:
        """Compact layout: selector, label pill and a short Edit button; the account moves to the tooltip."""
        self.account_label.setVisible(not compact)
        self.edit_button.setText(messages.EDIT_SHORT if compact else messages.EDIT_PROFILES)
        policy = QComboBox.SizeAdjustPolicy
        self.combo.setMinimumContentsLength(10 if compact else 0)
        self.combo.setSizeAdjustPolicy(policy.AdjustToMinimumContentsLengthWithIcon if compact
                                       else policy.AdjustToContents)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding if compact else QSizePolicy.Policy.Preferred,
                                 QSizePolicy.Policy.Fixed)
        # An explicit minimum wins over the combo's cached size hint (the longest profile name).
        self.combo.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 9 if compact else 0)

    def _show_problem(self, problem: str | None) -> None:
        if not problem:
            self.problem_label.hide()
            return
        self.problem_label.setText(f"⚠ {problem}")
        self.problem_label.setStyleSheet(f"QLabel {{ color: {status_color(self.palette(), 'warn')}; }}")
        self.problem_label.show()

