"""The settings form of one profile, as the profile editor shows it.

It only displays and collects: :meth:`ProfileForm.profile` returns what is typed as a Profile and
:meth:`ProfileForm.show_problems` puts launcher.core's messages under the settings they are about.
Field labels follow the chosen provider's AccountSpec ("Account SID", "API username", ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QColor, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from launcher.core.models import AccountSpec
from launcher.core.profiles import Profile
from launcher.core.providers.base import ProviderAdapter
from launcher.ui.line_edit import LineEdit
from launcher.ui.profile_bar import status_color, swatch_icon
from launcher.view import messages

COMMON_REGIONS = ("US", "CA", "GB", "IE", "AU", "NZ", "DE", "AT", "CH", "FR", "NL", "ES", "IT", "IN", "BR")
QUICK_COLORS = (
    ("#d32f2f", "Red — production"),
    ("#ff8f00", "Amber — staging"),
    ("#1976d2", "Blue"),
    ("#2e7d32", "Green — test"),
    ("#757575", "Grey"),
)
LINKS_WARNING = (
    "When on, clicking a tel: link places the call at once with this profile, without showing the "
    "form first. Leave it off for production accounts unless every click should really call."
)


class ProfileForm(QWidget):
    """Name, provider, account, secret, base URL, region, label, colour and tel: link behaviour."""

    changed = Signal()

    def __init__(self, adapters: Mapping[str, ProviderAdapter], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._adapters = dict(adapters)
        self._base = Profile(name="", provider=next(iter(self._adapters), ""))
        self._color = ""
        self._touched: set[str] = set()
        self._auth_choice: dict[str, str] = {}  # provider -> auth option chosen while editing
        self._show_all = False
        self._loading = False

        self.name_edit = self._line_edit("name", "Profile name", "A short name, e.g. support or us-prod")
        self.provider_combo = QComboBox()
        self.provider_combo.setAccessibleName("Provider")
        self.provider_combo.setToolTip(messages.PROVIDER_TIP)
        for adapter in self._adapters.values():
            self.provider_combo.addItem(adapter.name, adapter.id)
        self.provider_combo.currentIndexChanged.connect(self._on_provider_changed)
        self.auth_combo = QComboBox()
        self.auth_combo.setAccessibleName("Authentication")
        self.auth_combo.setToolTip(messages.AUTH_TIP)
        self.auth_combo.currentIndexChanged.connect(self._on_auth_changed)
        self.auth_note = QLabel()
        self.auth_note.setWordWrap(True)
        self.auth_note.setAccessibleName("About this way of authenticating")
        self.account_edit = self._line_edit("account_id", "Account", "")
        self.username_edit = self._line_edit("username", "User name", "")
        self.secret_edit = self._line_edit("secret", "Secret", "")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_secret = QToolButton()
        self.show_secret.setText(messages.SHOW)
        self.show_secret.setCheckable(True)
        self.show_secret.setAccessibleName("Show secret")
        self.show_secret.setToolTip(messages.SHOW_SECRET_TIP)
        self.show_secret.toggled.connect(self._on_show_secret)
        self.secret_hint = QLabel()
        self.secret_hint.setWordWrap(True)
        self.secret_hint.setAccessibleName("Where the secret is stored")
        self.base_url_edit = self._line_edit("base_url", "Base URL", "")
        self.region_combo = QComboBox()
        self.region_combo.setEditable(True)
        self.region_combo.addItems(COMMON_REGIONS)
        self.region_combo.setAccessibleName("Default region")
        self.region_combo.setToolTip(messages.REGION_TIP)
        line = self.region_combo.lineEdit()
        assert line is not None  # an editable combo always has one
        line.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,2}"), line))
        line.textEdited.connect(lambda _text: self._touch("region"))
        self.region_combo.currentTextChanged.connect(lambda _text: self._emit_changed())
        self.region_combo.activated.connect(lambda _index: self._touch("region"))
        self.label_edit = self._line_edit("label", "Label", "A badge shown with the profile everywhere")
        self.label_edit.setPlaceholderText(messages.LABEL_HINT)
        self.label_edit.setMaxLength(24)
        self.links_check = QCheckBox(messages.CALL_FROM_LINKS)
        self.links_check.setAccessibleName("Call immediately from tel: links")
        self.links_check.setToolTip("⚠ " + LINKS_WARNING)
        self.links_check.toggled.connect(lambda _on: self._emit_changed())

        self.errors: dict[str, QLabel] = {}
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.account_label = QLabel()
        self.username_label = QLabel()
        self.secret_label = QLabel()
        self.base_url_label = QLabel()
        self._add_row(QLabel(messages.PROFILE_NAME), "name", self.name_edit)
        self._add_row(QLabel(messages.PROVIDER), "provider", self.provider_combo)
        self.auth_label = QLabel(messages.AUTHENTICATION)
        self._add_row(self.auth_label, "auth", self.auth_combo, self.auth_note)
        self._add_row(self.account_label, "account_id", self.account_edit)
        self._add_row(self.username_label, "username", self.username_edit)
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.show_secret)
        self._add_row(self.secret_label, "secret", secret_row, self.secret_hint)
        self._add_row(self.base_url_label, "base_url", self.base_url_edit)
        self._add_row(QLabel(messages.DEFAULT_REGION), "region", self.region_combo)
        self._add_row(QLabel(messages.LABEL), "label", self.label_edit)
        self._add_row(QLabel(messages.COLOUR), "color", self._color_row())
        self.form.addRow("", self.links_check)
        self.load(self._base, show_all=False)

    # -- building ---------------------------------------------------------------------------------
    def _line_edit(self, key: str, name: str, tooltip: str) -> QLineEdit:
        edit = LineEdit()
        edit.setAccessibleName(name)
        if tooltip:
            edit.setToolTip(tooltip)
        edit.textEdited.connect(lambda _text: self._touch(key))
        edit.textChanged.connect(lambda _text: self._emit_changed())
        return edit

    def _add_row(self, label: QLabel, key: str, field: QWidget | QHBoxLayout, hint: QLabel | None = None) -> None:
        error = QLabel()
        error.setWordWrap(True)
        error.setAccessibleName(f"{key} problem")
        error.hide()
        self.errors[key] = error
        box = QVBoxLayout()
        box.setSpacing(2)
        if isinstance(field, QWidget):
            box.addWidget(field)
            label.setBuddy(field)
        else:
            box.addLayout(field)
            label.setBuddy(self.secret_edit)
        box.addWidget(error)
        if hint is not None:
            box.addWidget(hint)
        self.form.addRow(label, box)

    def _color_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.color_buttons: dict[str, QToolButton] = {}
        for color, meaning in (*QUICK_COLORS, ("", "No colour")):
            button = QToolButton()
            button.setIcon(swatch_icon(color, self))
            button.setAccessibleName(f"Colour: {meaning}")
            button.setToolTip(meaning)
            button.setCheckable(True)
            button.clicked.connect(lambda _checked=False, c=color: self.set_color(c, touched=True))
            self.color_buttons[color] = button
            row.addWidget(button)
        self.custom_color_button = QPushButton(messages.CUSTOM_COLOUR)
        self.custom_color_button.setAccessibleName("Choose a custom colour")
        self.custom_color_button.setToolTip(messages.CUSTOM_COLOUR_TIP)
        self.custom_color_button.clicked.connect(self._choose_color)
        row.addWidget(self.custom_color_button)
        row.addStretch(1)
        return row

    # -- public API -------------------------------------------------------------------------------
    def load(self, profile: Profile, *, show_all: bool) -> None:
        """Show ``profile``; with ``show_all`` every problem shows at once (a saved profile),
        otherwise only problems of settings the person has touched (a new one)."""
        self._loading = True
        try:
            self._base = replace(profile)
            self._touched.clear()
            self._auth_choice = {profile.provider: profile.auth}
            self._show_all = show_all
            self.name_edit.setText(profile.name)
            index = self.provider_combo.findData(profile.provider)
            self.provider_combo.setCurrentIndex(max(index, 0))
            self._relabel()
            auth_index = self.auth_combo.findData(profile.auth)
            self.auth_combo.setCurrentIndex(max(auth_index, 0))
            self._relabel_auth()
            self.account_edit.setText(profile.account_id)
            self.username_edit.setText(profile.username)
            self.secret_edit.clear()
            self.show_secret.setChecked(False)
            self.base_url_edit.setText(profile.base_url)
            self.region_combo.setCurrentText(profile.region)
            self.label_edit.setText(profile.label)
            self.set_color(profile.color)
            self.links_check.setChecked(profile.call_from_links)
        finally:
            self._loading = False

    def profile(self) -> Profile:
        """The typed settings as a Profile (same id and remembered form values as the loaded one)."""
        spec = self.account_spec()
        return replace(
            self._base,
            name=self.name_edit.text().strip(),
            provider=str(self.provider_combo.currentData() or ""),
            account_id=self.account_edit.text().strip(),
            username=self.username_edit.text().strip() if spec and spec.username_label else "",
            auth=str(self.auth_combo.currentData() or "") if spec and spec.auth_options else "",
            base_url=self.base_url_edit.text().strip(),
            region=self.region_combo.currentText().strip().upper(),
            label=self.label_edit.text().strip(),
            color=self._color,
            call_from_links=self.links_check.isChecked(),
        )

    def secret(self) -> str:
        return self.secret_edit.text()

    def account_spec(self) -> AccountSpec | None:
        adapter = self._adapters.get(str(self.provider_combo.currentData() or ""))
        return adapter.account if adapter else None

    def set_secret_hint(self, text: str, *, stored: bool | None) -> None:
        """Say where the secret goes; ``stored`` False warns that none is stored yet (None: new profile)."""
        self.secret_hint.setText(text)
        self.secret_edit.setPlaceholderText(messages.SECRET_UNCHANGED if stored else "")
        color = status_color(self.palette(), "warn") if stored is False else ""
        self.secret_hint.setStyleSheet(f"QLabel {{ color: {color}; }}" if color else "")

    def show_problems(self, problems: Mapping[str, str], *, all_settings: bool = False) -> None:
        """Messages under their settings: for touched settings, or all once ``all_settings``."""
        if all_settings:
            self._show_all = True
        color = status_color(self.palette(), "error")
        for key, label in self.errors.items():
            message = problems.get(key, "")
            visible = bool(message) and (self._show_all or key in self._touched)
            label.setText(message)
            label.setStyleSheet(f"QLabel {{ color: {color}; }}")
            label.setVisible(visible)

    def set_color(self, color: str, *, touched: bool = False) -> None:
        self._color = color
        for value, button in self.color_buttons.items():
            button.setChecked(value.lower() == color.lower())
        self.custom_color_button.setIcon(swatch_icon(color, self))
        if touched:
            self._touch("color")
        self._emit_changed()

    # -- reactions --------------------------------------------------------------------------------
    def _touch(self, key: str) -> None:
        self._touched.add(key)
        self._emit_changed()

    def _emit_changed(self) -> None:
        if not self._loading:
            self.changed.emit()

    def _on_provider_changed(self, _index: int) -> None:
        self._relabel()
        if not self._loading:
            self._touch("provider")

    def _on_auth_changed(self, _index: int) -> None:
        self._auth_choice[str(self.provider_combo.currentData() or "")] = str(self.auth_combo.currentData() or "")
        self._relabel_auth()
        if not self._loading:
            self._touch("auth")

    def _on_show_secret(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.secret_edit.setEchoMode(mode)
        self.show_secret.setText(messages.HIDE if shown else messages.SHOW)

    def _choose_color(self) -> None:
        dialog = QColorDialog(QColor(self._color) if self._color else QColor("#d32f2f"), self)
        dialog.setWindowTitle(messages.PROFILE_COLOUR)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.colorSelected.connect(lambda chosen: self.set_color(chosen.name(), touched=True))
        dialog.open()

    def _relabel(self) -> None:
        """Labels, hints and visible rows for the chosen provider's AccountSpec."""
        spec = self.account_spec()
        if spec is None:
            return
        self.account_label.setText(spec.account_label)
        self.account_edit.setAccessibleName(spec.account_label)
        self.account_edit.setToolTip(spec.account_hint)
        self.secret_label.setText(spec.secret_label)
        self.secret_edit.setAccessibleName(spec.secret_label)
        has_username = spec.username_label is not None
        self.form.setRowVisible(self._row_of(self.username_label), has_username)
        if spec.username_label:
            label = spec.username_label
            if spec.username_defaults_to_account and "optional" not in label.lower():
                label += " (optional)"
            self.username_label.setText(label)
            self.username_edit.setAccessibleName(label)
            self.username_edit.setPlaceholderText(
                messages.username_defaults_to(spec.account_label) if spec.username_defaults_to_account else ""
            )
        self._fill_auth_options(spec)
        self.base_url_label.setText(messages.BASE_URL_REQUIRED if spec.base_url_required else messages.BASE_URL)
        self.base_url_edit.setAccessibleName("Base URL")
        self.base_url_edit.setPlaceholderText(spec.default_base_url or messages.BASE_URL_EXAMPLE)
        self.base_url_edit.setToolTip(
            messages.BASE_URL_REQUIRED_TIP if spec.base_url_required
            else messages.base_url_optional_tip(spec.default_base_url or "")
        )

    def _fill_auth_options(self, spec: AccountSpec) -> None:
        """The provider's ways to authenticate; the row only shows when there is a choice."""
        provider = str(self.provider_combo.currentData() or "")
        saved = self._base.auth if provider == self._base.provider and self._base.name else spec.recommended_auth
        current = self._auth_choice.get(provider, saved)
        self.auth_combo.blockSignals(True)
        try:
            self.auth_combo.clear()
            for option in spec.auth_options:
                self.auth_combo.addItem(option.label, option.id)
            self.auth_combo.setCurrentIndex(max(self.auth_combo.findData(current), 0))
        finally:
            self.auth_combo.blockSignals(False)
        self.form.setRowVisible(self._row_of(self.auth_label), bool(spec.auth_options))
        self._relabel_auth()

    def _relabel_auth(self) -> None:
        """Credential labels of the chosen way to authenticate (Bandwidth: API user or client credentials)."""
        spec = self.account_spec()
        option = spec.auth_option(str(self.auth_combo.currentData() or "")) if spec else None
        if option is None:
            self.auth_note.hide()
            return
        self.username_label.setText(option.username_label)
        self.username_edit.setAccessibleName(option.username_label)
        self.secret_label.setText(option.secret_label)
        self.secret_edit.setAccessibleName(option.secret_label)
        self.auth_note.setText(option.note)
        self.auth_note.setVisible(bool(option.note))
        self.auth_note.setStyleSheet(f"QLabel {{ color: {status_color(self.palette(), 'warn')}; }}")

    def _row_of(self, label: QLabel) -> int:
        position: tuple[int, object] = self.form.getWidgetPosition(label)  # type: ignore[assignment]
        return position[0]
