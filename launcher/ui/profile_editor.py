"""The profile editor dialog: saved profiles on the left, the chosen one's settings on the right.

Everything it decides comes from launcher.core: profile_problems() for the messages, the
ProfileManager for saving (settings to the file, the secret to the OS keyring or, without one, to
session memory only) and an injected ``test_connection`` coroutine for "Test connection".  Built-in
sandbox profiles are not listed: they cannot be changed.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from launcher.core.errors import LauncherError, ProviderError, SecretStoreError, TransportError
from launcher.core.profile_library import ProfileManager
from launcher.core.profiles import Profile, profile_problems
from launcher.core.providers import all_adapters
from launcher.core.sendable import credential_problems
from launcher.ui.profile_bar import profile_title, status_color, swatch_icon
from launcher.ui.profile_settings import ProfileForm
from launcher.view import messages

TestConnection = Callable[[Profile, str | None], Awaitable[str]]
CONNECTION_SETTINGS = ("provider", "account_id", "username", "base_url")


class ProfileEditor(QDialog):
    """Create, change, duplicate and delete saved profiles; test their connection."""

    profiles_changed = Signal(object)  # str | None: the id to select after a save or delete
    connection_ready_changed = Signal(bool)  # the settings a request needs are all filled in and valid
    connection_ready = False

    def __init__(
        self,
        manager: ProfileManager,
        test_connection: TestConnection,
        parent: QWidget | None = None,
        profile: Profile | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(messages.PROFILES_TITLE)
        self._manager = manager
        self._test_connection = test_connection
        self._saved: list[Profile] = []
        self._current: Profile | None = None  # the stored profile being edited; None for a new one
        self._secret_source: Profile | None = None  # a duplicate reuses this profile's secret
        self._baseline: Profile | None = None  # what the form showed when loaded, to spot changes
        self._test_task: asyncio.Task[None] | None = None
        self._row = -1
        self.keyring_choice: QMessageBox | None = None  # open while the person decides about a refused secret

        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.button_box.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save profile")
        self.button_box.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        self.save_button.clicked.connect(self.save)
        self.button_box.rejected.connect(self.reject)
        left_panel, right_panel = self._build_list_panel(), self._build_settings_panel()
        # The settings scroll: messages appear and wrap as the person types, and a scroll area is
        # the one place where wrapped labels can never be squeezed into each other.
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(right_panel)
        columns = QHBoxLayout()
        columns.addWidget(left_panel, 2)
        columns.addWidget(self.scroll_area, 5)
        layout = self._layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.button_box)
        self._populate(profile.id if profile and not profile.builtin else None)
        self._initial_size(left_panel, right_panel)

    def _build_list_panel(self) -> QWidget:
        self.profile_list = QListWidget()
        self.profile_list.setAccessibleName("Saved profiles")
        self.profile_list.currentRowChanged.connect(self._on_row_changed)
        self.new_button = self._button(messages.NEW, messages.NEW_TIP)
        self.duplicate_button = self._button(messages.DUPLICATE, messages.DUPLICATE_TIP)
        self.delete_button = self._button(messages.DELETE, messages.DELETE_TIP)
        self.new_button.clicked.connect(lambda: self._confirm_discard(self._start_new))
        self.duplicate_button.clicked.connect(self._duplicate)
        self.delete_button.clicked.connect(self._ask_delete)
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.profile_list, 1)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        column.addLayout(buttons)
        column.addWidget(_wrapping_label(messages.BUILTIN_NOT_LISTED,
                                         "About sandbox profiles"))
        # never narrower than New / Duplicate / Delete side by side, whatever the style's padding
        panel.setMaximumWidth(max(self.fontMetrics().horizontalAdvance("M") * 20, buttons.minimumSize().width()))
        return panel

    def _build_settings_panel(self) -> QWidget:
        manager = self._manager
        # Said once: the warning explains session-only secrets; the line below it is for a working keyring.
        self.keyring_warning = _wrapping_label(messages.no_keyring_warning(manager.keyring_status().reason),
                                               "No keyring warning")
        self.keyring_warning.setStyleSheet(  # its own background, so it reads on light and dark themes
            "QLabel { background-color: #ffd54f; color: #1f1300; font-weight: bold;"
            " padding: 0.5em; border-radius: 4px; }"
        )
        self.keyring_warning.setVisible(manager.session_only)
        self.secrets_label = _wrapping_label(messages.secrets_stored_in(manager.secrets_description()),
                                             "Where secrets are stored")
        self.secrets_label.setVisible(not manager.session_only)
        self.form = ProfileForm(all_adapters())
        self.form.changed.connect(self._validate)
        self.test_button = self._button(messages.TEST_CONNECTION, messages.TEST_CONNECTION_TIP)
        self.test_button.clicked.connect(self._start_test)
        self.test_button.setMinimumWidth(max(  # no jump when the text turns into "Testing…"
            self.test_button.fontMetrics().horizontalAdvance(text)
            for text in (messages.TEST_CONNECTION, messages.TESTING)
        ) + self.fontMetrics().horizontalAdvance("M") * 2)
        self.test_result = _wrapping_label("", "Connection test result")
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.test_result, 1)
        self.test_row = test_row
        self.status_label = _wrapping_label("", "Save status")
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.keyring_warning, self.secrets_label, self.form):
            column.addWidget(widget)
        column.addLayout(test_row)
        column.addWidget(self.status_label)
        column.addStretch(1)
        return panel

    def _initial_size(self, left_panel: QWidget, right_panel: QWidget) -> None:
        """Wide enough for the form, tall enough to show it all with room for messages, within the screen."""
        em = self.fontMetrics().horizontalAdvance("M")
        margins = self._layout.contentsMargins()
        width = max(em * 62, left_panel.sizeHint().width() + right_panel.sizeHint().width() + em * 3)
        right_width = width - left_panel.sizeHint().width() - margins.left() - margins.right() - em
        content = right_panel.heightForWidth(right_width) if right_panel.hasHeightForWidth() else -1
        height = max(content, right_panel.sizeHint().height()) + self.fontMetrics().height() * 4
        height += self.button_box.sizeHint().height() + margins.top() + margins.bottom()
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width, height = min(width, screen.width() * 9 // 10), min(height, screen.height() * 9 // 10)
        self.resize(width, height)

    def _button(self, text: str, tooltip: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.setToolTip(tooltip)
        button.setAutoDefault(False)
        return button

    # -- list ---------------------------------------------------------------------------------------
    def _populate(self, select_id: str | None) -> None:
        self._saved = [p for p in self._manager.all() if not p.builtin]
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for saved in self._saved:
            item = QListWidgetItem(swatch_icon(saved.color, self), profile_title(saved))
            item.setData(Qt.ItemDataRole.UserRole, saved.id)
            self.profile_list.addItem(item)
        self.profile_list.blockSignals(False)
        ids = [p.id for p in self._saved]
        if not ids:
            self._start_new()
            return
        self._row = ids.index(select_id) if select_id in ids else 0
        self.profile_list.setCurrentRow(self._row)
        self._show_saved(self._saved[self._row])

    def _on_row_changed(self, row: int) -> None:
        if row == self._row or row < 0:
            return
        target = row
        self._set_row(self._row)  # stay until unsaved changes are settled

        def switch() -> None:
            self._drop_draft_item()
            if 0 <= target < len(self._saved):
                self._set_row(target)
                self._show_saved(self._saved[target])

        self._confirm_discard(switch)

    def _set_row(self, row: int) -> None:
        self._row = row
        self.profile_list.blockSignals(True)
        self.profile_list.setCurrentRow(row)
        self.profile_list.blockSignals(False)

    def _drop_draft_item(self) -> None:
        if self.profile_list.count() > len(self._saved):
            self.profile_list.takeItem(len(self._saved))

    def _add_draft_item(self, title: str) -> None:
        self._drop_draft_item()
        item = QListWidgetItem(f"{title} (not saved)")
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        self.profile_list.addItem(item)
        self._set_row(self.profile_list.count() - 1)

    # -- showing a profile ------------------------------------------------------------------------------
    def _show_saved(self, profile: Profile) -> None:
        self._current, self._secret_source = profile, None
        self.form.load(profile, show_all=True)
        self._baseline = self.form.profile()
        self.delete_button.setEnabled(True)
        self.duplicate_button.setEnabled(True)
        where = self._secret_place()
        if self._manager.has_secret(profile):
            self.form.set_secret_hint(messages.keep_stored_secret(where), stored=True)
        else:
            self.form.set_secret_hint(messages.no_secret_stored(where), stored=False)
        self._after_show()

    def _start_new(self) -> None:
        self._load_draft(Profile(name="", provider=next(iter(all_adapters()))), None, "New profile")

    def _duplicate(self) -> None:
        source = self._current or self._secret_source
        draft = replace(self.form.profile(), id=Profile(name="", provider="").id)
        draft.name = self._unique_name(f"{draft.name} copy" if draft.name else "copy")
        self._confirm_discard(lambda: self._load_draft(draft, source, draft.name))

    def _load_draft(self, draft: Profile, secret_source: Profile | None, title: str) -> None:
        self._current, self._secret_source = None, secret_source
        self._add_draft_item(title)
        self.form.load(draft, show_all=secret_source is not None)
        self._baseline = self.form.profile()
        self.delete_button.setEnabled(False)
        self.duplicate_button.setEnabled(False)
        where = self._secret_place()
        if secret_source is not None and self._manager.has_secret(secret_source):
            self.form.set_secret_hint(
                messages.reuse_secret_of(secret_source.name, where), stored=True)
        else:
            self.form.set_secret_hint(messages.secret_kept_in(where), stored=None)
        self._after_show()
        self.form.name_edit.setFocus()

    def _secret_place(self) -> str:
        status = self._manager.keyring_status()
        return messages.SESSION_ONLY_PLACE if not status.usable else messages.keyring_place(status.name)

    def _after_show(self) -> None:
        self.test_result.clear()
        self.status_label.clear()
        self._validate()

    def _unique_name(self, name: str) -> str:
        taken = {p.name.casefold() for p in self._saved}
        candidate, counter = name, 2
        while candidate.casefold() in taken:
            candidate, counter = f"{name} {counter}", counter + 1
        return candidate

    # -- validation -------------------------------------------------------------------------------
    def problems(self) -> dict[str, str]:
        """launcher.core's messages for the typed settings (a secret HTTP cannot carry too), plus a clash
        with another profile's name."""
        profile = self.form.profile()
        problems = credential_problems(profile.provider, profile.auth, profile.username, self.form.secret())
        problems |= profile_problems(profile)
        if "name" not in problems and any(
            p.name.casefold() == profile.name.casefold() and p.id != profile.id for p in self._saved
        ):
            problems["name"] = messages.name_taken(profile.name)
        return problems

    def has_unsaved_changes(self) -> bool:
        return self.form.profile() != self._baseline or bool(self.form.secret())

    def _validate(self) -> None:
        problems = self.problems()
        self.form.show_problems(problems)
        self.save_button.setEnabled(not problems)
        self.save_button.setToolTip(messages.SAVE_PROFILE_TIP if not problems else messages.fix_first(
            list(problems.values())))
        testing = self._test_task is not None and not self._test_task.done()
        ready = not any(key in problems for key in CONNECTION_SETTINGS)
        self.test_button.setEnabled(not testing and ready)
        if ready != self.connection_ready:
            self.connection_ready = ready
            self.connection_ready_changed.emit(ready)

    # -- save / delete ----------------------------------------------------------------------------
    def save(self, *, session_only: bool = False) -> bool:
        """Save the shown profile; False (with the messages shown) when it is not valid or the keyring
        refused the secret (then the person chooses: retry, keep it for this session, or cancel;
        the form keeps everything typed in every case).  ``session_only`` keeps the secret in memory."""
        problems = self.problems()
        if problems:
            self.form.show_problems(problems, all_settings=True)
            return False
        profile = self.form.profile()
        secret = self.form.secret() or self._reused_secret()
        try:
            self._manager.save(profile, secret or None, session_only=session_only)
        except SecretStoreError as exc:
            self._show_status(messages.NOT_SAVED_KEPT, "error")
            self._offer_keyring_choices(profile, exc)
            return False
        except (LauncherError, OSError) as exc:
            self._show_status(messages.not_saved(str(exc)), "error")
            return False
        self._populate(profile.id)
        where = None if not secret else (
            messages.SESSION_ONLY_PLACE if self._manager.session_only or session_only else messages.OS_KEYRING_PLACE)
        self._show_status(messages.saved_profile(profile.name, where), "ok")
        self.profiles_changed.emit(profile.id)
        return True

    def _offer_keyring_choices(self, profile: Profile, problem: SecretStoreError) -> None:
        """Retry / Keep for this session only / Cancel, opened with open() (never exec)."""
        title = messages.KEYRING_LOCKED_TITLE if problem.locked else messages.KEYRING_REFUSED_TITLE
        box = QMessageBox(QMessageBox.Icon.Warning, title, messages.keyring_refused(profile.name, str(problem)),
                          QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("keyringChoice")
        keep = box.addButton(messages.KEEP_FOR_SESSION, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Retry)
        self.keyring_choice = box

        def finished(_result: int) -> None:
            clicked = box.clickedButton()
            self.keyring_choice = None
            box.deleteLater()
            if clicked is keep:
                self.save(session_only=True)
            elif clicked is box.button(QMessageBox.StandardButton.Retry):
                self.save()

        box.finished.connect(finished)
        box.open()

    def _reused_secret(self) -> str | None:
        return self._manager.secret_for(self._secret_source) if self._secret_source else None

    def _ask(self, title: str, text: str, action: QMessageBox.StandardButton, then: Callable[[], None]) -> None:
        """A question box opened with open() (never exec): ``then`` runs when ``action`` is chosen."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, action | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def finished(_result: int) -> None:
            chosen = box.standardButton(box.clickedButton()) == action
            box.deleteLater()
            if chosen:
                then()

        box.finished.connect(finished)
        box.open()

    def _ask_delete(self) -> None:
        profile = self._current
        if profile is not None:
            self._ask(messages.DELETE_PROFILE_TITLE, messages.delete_profile_question(profile.name),
                      QMessageBox.StandardButton.Yes, lambda: self._delete(profile))

    def _delete(self, profile: Profile) -> None:
        try:
            self._manager.delete(profile)
        except (LauncherError, OSError) as exc:
            self._show_status(messages.not_deleted(str(exc)), "error")
            return
        self._row = -1
        self._populate(None)
        self._show_status(messages.deleted_profile(profile.name), "ok")
        self.profiles_changed.emit(None)

    def _confirm_discard(self, then: Callable[[], None]) -> None:
        """Run ``then`` now, or after the person agrees to drop unsaved changes."""
        if self.has_unsaved_changes():
            self._ask(messages.UNSAVED_TITLE, messages.DISCARD_CHANGES, QMessageBox.StandardButton.Discard,
                      then)
        else:
            then()

    def reject(self) -> None:
        self._confirm_discard(super().reject)

    def done(self, result: int) -> None:
        if self._test_task is not None:
            self._test_task.cancel()
        super().done(result)

    def _show_status(self, text: str, kind: str) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"QLabel {{ color: {status_color(self.palette(), kind)}; }}")

    # -- test connection ------------------------------------------------------------------------------
    def _start_test(self) -> None:
        if self._test_task is not None and not self._test_task.done():
            return
        profile = self.form.profile()
        secret = self.secret_to_test()
        self.test_button.setEnabled(False)
        self.test_button.setText(messages.TESTING)
        self.test_result.setStyleSheet("")
        self.test_result.setText(messages.connecting_to(self.form.provider_combo.currentText()))
        self._test_task = asyncio.ensure_future(self._run_test(profile, secret or None))

    def secret_to_test(self) -> str | None:
        """The secret typed, else the one reused from a duplicated profile, else the stored one."""
        secret = self.form.secret() or self._reused_secret()
        if not secret and self._current is not None:
            secret = self._manager.secret_for(self._current)
        return secret or None

    async def _run_test(self, profile: Profile, secret: str | None) -> None:
        import httpx  # not at module level: the window starts without importing httpx

        text, kind = "", "error"
        try:
            text, kind = await self._test_connection(profile, secret), "ok"
        except ProviderError as exc:
            text = exc.describe()
        except TransportError as exc:
            text = f"{exc.message} {exc.hint}".strip()
        except (LauncherError, httpx.HTTPError) as exc:
            text = str(exc) or type(exc).__name__
        except Exception as exc:
            text = messages.unexpected_failure(exc)
            sys.excepthook(type(exc), exc, exc.__traceback__)  # a bug: report it, keep the dialog alive
        finally:
            if shiboken6.isValid(self):
                self.test_button.setText(messages.TEST_CONNECTION)
                self._test_task = None
                self._validate()
        if shiboken6.isValid(self):
            self.test_result.setText(text)
            self.test_result.setStyleSheet(f"QLabel {{ color: {status_color(self.palette(), kind)}; }}")


def _wrapping_label(text: str, accessible_name: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    return label
