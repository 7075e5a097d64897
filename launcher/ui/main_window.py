"""The launcher window: profile bar, generated form, dial pad, Call; live calls, request, history."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from launcher import __version__
from launcher.core.attempts import LiveCall, without_secrets
from launcher.core.errors import InsecureTransportError, ProviderError
from launcher.core.history import Attempt, HistoryError, UnavailableHistory
from launcher.core.http import PreparedRequest
from launcher.core.paths import config_dir
from launcher.core.profiles import Profile
from launcher.core.providers import all_adapters, get_adapter
from launcher.core.providers.base import ProviderAdapter
from launcher.core.scrub import SCRUBBER
from launcher.ui.buttons import restyle_buttons, set_icon, style_button
from launcher.ui.call_controller import CallController
from launcher.ui.call_view import LiveCallsPanel
from launcher.ui.compact_layout import SETTING as COMPACT_SETTING
from launcher.ui.compact_layout import LayoutModes
from launcher.ui.control_names import name_form_fields, name_history_controls, name_window_controls
from launcher.ui.dialpad_popup import DialPadPlacement
from launcher.ui.form.dialpad import DialPad
from launcher.ui.form.form import CallForm
from launcher.ui.notify import MessageSender, Notifier
from launcher.ui.profile_bar import ProfileBar, profile_title
from launcher.ui.window_base import WindowBase
from launcher.ui.window_geometry import default_size, fit_to_screen
from launcher.ui.window_menus import add_compact_action, build_menus
from launcher.view import messages
from launcher.view.context import AppContext
from launcher.view.live_call import live_call_info, sandbox_hint, short_list, state_text, value_at

if TYPE_CHECKING:
    from launcher.ui.history_view import HistoryView
    from launcher.ui.profile_editor import ProfileEditor
    from launcher.ui.request_view import RequestInspector
    from launcher.ui.tests_view import CallTestsView

STORAGE_RECHECK_MS = 5000  # while the history cannot be written, how often to look again
PREVIEW_SECRET = "preview"  # stands in for the real secret in the "about to send" preview (always redacted)


class MainWindow(WindowBase):
    """With ``defer_tabs`` the Request, History and Tests tabs (and their modules) are built right after
    the first paint instead of before it; any use of ``inspector``, ``history_view`` or ``tests_view``
    builds them at once, so callers never see the difference.  The keyring probe then runs on a worker
    thread, so that typing is not held up by it."""

    _secrets_probed = Signal()  # emitted from the probe's thread; delivered on the GUI thread

    def __init__(self, context: AppContext, settings: QSettings | None = None,
                 notifications: MessageSender | None = None, *, defer_tabs: bool = False) -> None:
        super().__init__()
        self._inspector: RequestInspector | None = None
        self._history_view: HistoryView | None = None
        self._tests_view: CallTestsView | None = None
        self._defer_tabs = defer_tabs
        self.context = context
        self.settings = settings or QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
        self.controller = CallController(context.dialer, self)
        self.storage_problem = context.storage_problem  # while set, no call is placed: it could not be recorded
        self._link_call: LiveCall | None = None  # the call a link placed, until it ends: later links only fill
        self._link_asking = False  # a link's call waits for the production question: the call it places is the link's
        self.notifier = Notifier(self, notifications)
        self.profile: Profile | None = None
        self.adapter: ProviderAdapter | None = None
        self._editor: ProfileEditor | None = None
        self.tab_actions: list[QAction] = []  # View › tab actions (window_menus)
        self.help_window: QDialog | None = None  # the open Help window, if any
        self.quick_switcher: QDialog | None = None  # the Ctrl+K popup while open
        self._question: QMessageBox | None = None
        self._production_confirmed = False
        self._fitted = False
        self.setWindowTitle(messages.APP_NAME)
        self._build()
        self.menu_actions = build_menus(self)
        self.layout_modes: LayoutModes = LayoutModes(self)
        self.compact_action = add_compact_action(self)
        self.menu_actions["compact"] = self.compact_action
        name_window_controls(self)
        self._connect()
        self._restore_geometry()
        self._history_refresh = QTimer(self, singleShot=True, interval=250)
        self._history_refresh.timeout.connect(self._refresh_history)
        self._storage_recheck = QTimer(self, interval=STORAGE_RECHECK_MS)
        self._storage_recheck.timeout.connect(self._recheck_storage)
        self.profile_bar.reload()
        self._show_profile_colors()
        current = self.profile_bar.current_profile()
        if current is not None:
            self._switch_profile(current)
        self._show_startup_notes()
        if not defer_tabs:
            self.ensure_built()

    # -- layout -------------------------------------------------------------------------------------
    def _build(self) -> None:
        names = {a.id: a.name for a in all_adapters().values()}
        self.profile_bar = ProfileBar(self.context.manager, names)
        self.form = CallForm()
        self.dialpad = DialPad()
        self.call_button = QPushButton(messages.CALL)
        self.call_button.setAccessibleName("Call")
        self.call_button.setToolTip(messages.PLACE_CALL_TIP)
        self.call_button.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        style_button(self.call_button, "primary", padding="6px 16px")
        self.cancel_button = QPushButton(messages.STOP_WAITING)
        self.cancel_button.setAccessibleName(messages.STOP_WAITING)
        self.cancel_button.setToolTip(messages.STOP_WAITING_TIP)
        self.cancel_button.setEnabled(False)
        style_button(self.cancel_button, "secondary", bold=False, padding="4px 14px")
        self.dialpad_button = QPushButton(messages.DIAL_PAD)
        self.dialpad_button.setCheckable(True)
        self.dialpad_button.setAccessibleName("Show dial pad")
        set_icon(self.call_button, "call")
        set_icon(self.dialpad_button, "dialpad")
        set_icon(self.profile_bar.edit_button, "profiles")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setMaximumWidth(120)
        self.busy.setMinimumWidth(40)  # appearing while a call is sent, it must not widen a small window
        self.busy.setAccessibleName("Waiting for the provider")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setAccessibleName("Call status")
        self._status_topic = ""  # what the status line is about: the next message on the same topic replaces it

        buttons = QHBoxLayout()
        buttons.addWidget(self.dialpad_button)
        buttons.addStretch(1)
        buttons.addWidget(self.busy)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.call_button)
        left = QWidget()
        self.left_layout = left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.form, 1)
        self.dialpad_slot = QVBoxLayout()
        left_layout.addLayout(self.dialpad_slot)
        left_layout.addWidget(self.status_label)
        left_layout.addLayout(buttons)
        self.dialpad_placement = DialPadPlacement(self.dialpad, self.dialpad_slot, self.dialpad_button, self)

        self.calls_panel = LiveCallsPanel()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Calls, request and history")
        self.tabs.addTab(self.calls_panel, messages.LIVE_CALLS)
        # Stand-ins until ensure_built(): the tabs (and View › Alt+2/Alt+3) exist from the first paint.
        self._tab_placeholders = {messages.REQUEST: QWidget(), messages.HISTORY: QWidget()}
        for title, placeholder in self._tab_placeholders.items():
            self.tabs.addTab(placeholder, title)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.profile_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        # Asking the keyring which backend it has costs ~0.2 s: do it after the first paint.
        self._secrets_shown = False
        self.secrets_notice = QLabel()
        self.secrets_notice.setObjectName("secretsNotice")
        self.secrets_notice.setAccessibleName("Where secrets are kept")
        self.statusBar().addPermanentWidget(self.secrets_notice)

    def _connect(self) -> None:
        self.profile_bar.profile_selected.connect(self._switch_profile)
        self.profile_bar.edit_requested.connect(self.edit_profiles)
        self.form.validity_changed.connect(self._on_validity)
        self.form.values_changed.connect(self._preview_request)
        self.call_button.clicked.connect(self.place_call)
        self.form.submit_requested.connect(self.place_call)
        self.cancel_button.clicked.connect(self.cancel_call)
        self.dialpad.key_pressed.connect(self._dial_key)
        self.dialpad.backspace_pressed.connect(self._dial_backspace)
        self.controller.call_changed.connect(self._on_call_changed)
        self.controller.submitting_changed.connect(self._on_submitting)
        self.controller.call_ended.connect(self._on_call_ended)
        self.controller.history_failed.connect(
            lambda problem: self._set_storage_problem(messages.progress_not_recorded(problem)))
        self.calls_panel.hangup_requested.connect(self.controller.hang_up)
        self.calls_panel.refresh_requested.connect(self.controller.refresh)
        self.calls_panel.released.connect(self.controller.release)
        self.calls_panel.raw_visibility_changed.connect(lambda shown: self.settings.setValue("calls/raw_json", shown))

    # -- the tabs not shown at start ----------------------------------------------------------------
    @property
    def inspector(self) -> RequestInspector:
        self.ensure_built()
        assert self._inspector is not None
        return self._inspector

    @property
    def history_view(self) -> HistoryView:
        self.ensure_built()
        assert self._history_view is not None
        return self._history_view

    @property
    def tests_view(self) -> CallTestsView:
        self.ensure_built()
        assert self._tests_view is not None
        return self._tests_view

    @property
    def tabs_built(self) -> bool:
        return self._tests_view is not None

    def ensure_built(self) -> None:
        """Build the Request, History and Tests tabs if not yet done (idempotent)."""
        if self._inspector is not None:
            return
        from launcher.ui.history_view import HistoryView
        from launcher.ui.request_view import RequestInspector
        from launcher.ui.tests_view import install_tests_tab

        current = self.tabs.currentWidget()
        self._inspector = RequestInspector()
        names_by_id = {a.id: a.name for a in all_adapters().values()}
        self._history_view = HistoryView(self.context.history, names_by_id)
        for title, view in ((messages.REQUEST, self._inspector), (messages.HISTORY, self._history_view)):
            placeholder = self._tab_placeholders.pop(title)
            index = self.tabs.indexOf(placeholder)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, view, title)
            if current is placeholder:
                self.tabs.setCurrentWidget(view)
            placeholder.deleteLater()
        self._history_view.redial_requested.connect(lambda attempt: self.load_attempt(attempt, call=True))
        self._history_view.open_in_form_requested.connect(lambda attempt: self.load_attempt(attempt, call=False))
        name_history_controls(self._history_view)
        self._tests_view = install_tests_tab(self)
        self._show_profile_colors()
        self._preview_request()

    def _finish_start(self) -> None:
        """What waited for the first paint: the first form's check (Call's state) and the other tabs."""
        self.form.validation_result()
        self.ensure_built()
        # Off the GUI thread: it shares the interpreter lock but gives it up every few ms, so typing
        # stays prompt (started only now, so that it does not slow down the steps above).
        self._secrets_probed.connect(self._show_secrets_backend)
        threading.Thread(target=self._probe_keyring, name="keyring-probe", daemon=True).start()

    def _probe_keyring(self) -> None:
        """Worker thread: find the keyring backend (imports every backend: ~0.1–0.2 s), then report."""
        with contextlib.suppress(Exception):  # whatever fails here is shown by the notice, on the GUI thread
            self.context.manager.keyring_status()
        with contextlib.suppress(RuntimeError):  # the window is gone
            self._secrets_probed.emit()

    def _refresh_history(self) -> None:
        if self._history_view is not None:
            self._history_view.refresh()

    # -- profiles -----------------------------------------------------------------------------------
    def _switch_profile(self, profile: Profile) -> None:
        previous = self.profile
        if previous is not None and self.adapter is not None:
            self._remember_values()
        self.profile = profile
        self.adapter = get_adapter(profile.provider)
        values = self.context.manager.last_values(profile) or self._sample_values(profile)
        carry = previous is not None and not self.context.manager.last_values(profile)
        self.form.set_provider(self.adapter, profile.region, values, carry_over=carry,
                               validate=self._inspector is not None or not self._defer_tabs)
        name_form_fields(self)
        self._preview_request()
        self.set_status(sandbox_hint() if profile.builtin else "")
        shown = self.profile_bar.current_profile()
        if shown is None or shown.id != profile.id:
            self.profile_bar.select_profile(profile.id)

    def _sample_values(self, profile: Profile) -> dict[str, Any]:
        from launcher.sandbox.builtin_profiles import builtin_sample_values

        return builtin_sample_values(profile)

    def _remember_values(self) -> None:
        if self.profile is not None:
            self.context.manager.remember_values(self.profile, self.form.remembered_values())

    def edit_profiles(self) -> None:
        if self._editor is not None:
            self._editor.raise_()
            return
        from launcher.ui.profile_check import attach_profile_check
        from launcher.ui.profile_editor import ProfileEditor

        self._editor = ProfileEditor(self.context.manager, self._test_connection, self, self.profile)
        self._editor.profiles_changed.connect(self._profiles_changed)
        self._profile_check = attach_profile_check(self._editor, self)
        self._editor.finished.connect(self._editor_closed)
        self._editor.open()

    def _editor_closed(self) -> None:
        self._editor = None

    def _show_profile_colors(self) -> None:
        if self._history_view is None:
            return  # ensure_built() shows them
        self._history_view.set_profile_colors({p.id: p.color for p in self.context.manager.all() if p.color})

    def _profiles_changed(self, select_id: str | None) -> None:
        self.profile_bar.reload(select_id or (self.profile.id if self.profile else None))
        self._show_profile_colors()
        current = self.profile_bar.current_profile()
        if current is not None:
            self._switch_profile(current)

    async def _test_connection(self, profile: Profile, secret: str | None) -> str:
        adapter = get_adapter(profile.provider)
        account = profile.account(secret or self.context.manager.secret_for(profile))
        started = asyncio.get_running_loop().time()
        response = await self.context.service.test_connection(adapter, account)
        elapsed = (asyncio.get_running_loop().time() - started) * 1000
        return messages.connection_works(adapter.name, response.status, elapsed)

    # -- calling ------------------------------------------------------------------------------------
    def _on_validity(self, valid: bool, missing: str) -> None:
        self._validity_state = (valid, missing)
        self.call_button.setEnabled(valid and not self.controller.submitting and self.storage_problem is None)
        self.call_button.setToolTip(self.storage_problem or (messages.PLACE_CALL_TIP if valid
                                                             else short_list(missing)))
        if valid:
            self.clear_status("form")
        self.menu_actions["call"].setEnabled(self.call_button.isEnabled())

    def _set_storage_problem(self, problem: str | None) -> None:
        """Turn Call off (with the reason) while attempts cannot be recorded, and back on once they can."""
        self.storage_problem = problem
        self._on_validity(*getattr(self, "_validity_state", (self.form.validation_result().ok, "")))
        if problem is None:
            self._storage_recheck.stop()
            self.set_status(messages.HISTORY_WRITABLE_AGAIN)
        else:
            self.set_status(problem, error=True)
            if not isinstance(self.context.history, UnavailableHistory):
                self._storage_recheck.start()

    def _recheck_storage(self) -> None:
        try:
            self.context.history.check_writable(wait_ms=0)
        except HistoryError:
            return
        self._set_storage_problem(None)

    def _build_request(self, secret: str | None) -> PreparedRequest | None:
        if self.profile is None or self.adapter is None:
            return None
        result = self.form.validation_result()
        if not result.ok:
            return None
        return self.adapter.build_create(self.profile.account(secret), result.values)

    def _preview_request(self) -> None:
        if self._inspector is None:
            return  # ensure_built() previews the form as it is then
        try:
            request = self._build_request(PREVIEW_SECRET)
        except InsecureTransportError as exc:
            self.inspector.show_request(None, str(exc))
            return
        if request is None:
            self.inspector.show_request(None, messages.FORM_INCOMPLETE)
        else:
            self.inspector.show_request(request, messages.ABOUT_TO_SEND)

    def place_call(self, *_ignored: object) -> LiveCall | None:
        """Ctrl+Enter / Call: one validated request, sent once (after a confirmation on production); the call
        placed, or None."""
        confirmed, self._production_confirmed = self._production_confirmed, False
        if self.controller.submitting or self.profile is None or self.adapter is None or self.asking:
            return None
        if self.storage_problem is not None:
            self.set_status(self.storage_problem, error=True)
            return None
        self.form.mark_submitted()
        result = self.form.validation_result()
        if not result.ok:
            self.set_status(messages.FIX_FIELDS, error=True, topic="form")
            self.form.focus_field(next(iter(result.errors)))
            return None
        secret = self.context.manager.secret_for(self.profile)
        if not secret:
            self.set_status(messages.no_secret(self.profile.name), error=True)
            return None
        try:
            request = self.adapter.build_create(self.profile.account(secret), result.values)
        except InsecureTransportError as exc:
            self.set_status(str(exc), error=True)
            return None
        if self.profile.is_production and not confirmed:
            self._ask_production_call(self.profile, self._destination_text())
            return None
        self._remember_values()
        try:
            live = self.controller.place(self.profile, self.adapter, self.profile.account(secret),
                                         dict(result.values), request)
        except HistoryError as exc:  # nothing was sent: an attempt history cannot hold is never placed
            self._set_storage_problem(messages.not_placed(str(exc)))
            return None
        if self._link_asking:  # the production question a link raised was answered with Call
            self._link_call = live if confirmed else self._link_call
            self._link_asking = False
        if live is not None:
            self.inspector.show_request(request, messages.sent_at(datetime.now().strftime('%H:%M:%S')))
            self.tabs.setCurrentWidget(self.calls_panel)
            self.set_status(messages.calling(live_call_info(live).to))
        return live

    def cancel_call(self) -> None:
        if self.controller.cancel():
            self.set_status(messages.STOPPED_WAITING, error=True)

    def _on_submitting(self, submitting: bool) -> None:
        self.busy.setVisible(submitting)
        self.cancel_button.setEnabled(submitting)
        self.menu_actions["cancel"].setEnabled(submitting)
        ready = self.form.validation_result().ok and self.storage_problem is None
        self.call_button.setEnabled(not submitting and ready)
        self.menu_actions["call"].setEnabled(self.call_button.isEnabled())

    def _on_call_changed(self, live: LiveCall) -> None:
        self.calls_panel.upsert(live_call_info(live, live.attempt_id in self.controller.hung_up_here))
        if isinstance(live.error, ProviderError) and live.error.field and live.call is None:
            self.form.show_provider_error(live.error.field, live.error.message)
        if live.error_text and live.call is None:
            self.set_status(live.error_text, error=True)
        elif live.call is not None:
            hung_up_here = live.attempt_id in self.controller.hung_up_here
            self.set_status(messages.call_status(live.adapter.name, live_call_info(live).to,
                                                 state_text(live, hung_up_here)))
        self._history_refresh.start()

    def _on_call_ended(self, live: LiveCall) -> None:
        if not self.isActiveWindow() or self.isMinimized():
            self.notifier.notify(messages.CALL_ENDED, messages.call_ended_note(
                (live.call.to if live.call else None) or "", state_text(live)))

    def hang_up_selected(self) -> None:
        key = self.calls_panel.selected_key()
        if key is not None:
            self.controller.hang_up(key)

    def load_attempt(self, attempt: Attempt, call: bool) -> None:
        """History row -> form (and optionally place the call again)."""
        profile = self.context.manager.find(attempt.profile_id)
        if profile is None:
            self.set_status(messages.profile_gone(attempt.profile), error=True)
            return
        if self.profile is not None and profile.id == self.profile.id:
            self.form.set_values(attempt.values)
            if call:
                self.place_call()
            return
        if not call:
            self._open_attempt_in(profile, attempt)
            self.set_status(messages.switched_profile(profile_title(profile), to_open_call=True))
            return

        def switch_and_call() -> None:
            self._open_attempt_in(profile, attempt)
            self.set_status(messages.switched_profile(profile_title(profile)))
            self.place_call()

        current = profile_title(self.profile) if self.profile is not None else None
        self.confirm(
            messages.OTHER_PROFILE_TITLE,
            messages.other_profile_question(profile_title(profile), current, attempt.to),
            messages.SWITCH_AND_CALL, switch_and_call)

    def _open_attempt_in(self, profile: Profile, attempt: Attempt) -> None:
        self.profile_bar.select_profile(profile.id)
        if self.profile is None or self.profile.id != profile.id:
            self._switch_profile(profile)
        self.form.set_values(attempt.values)

    # -- confirmations (open() + finished: never a nested event loop inside the asyncio loop) ------
    @property
    def asking(self) -> bool:
        return self._question is not None

    def confirm(self, title: str, text: str, accept_text: str, on_accept: Callable[[], None]) -> QMessageBox:
        """Ask before something the user may not expect; ``on_accept`` runs only for ``accept_text``."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, self)
        accept = box.addButton(accept_text, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter alone never spends money
        box.setAccessibleName(title)
        self._question = box

        def finished(_result: int) -> None:
            self._question = None
            box.deleteLater()
            if box.clickedButton() is accept:
                on_accept()

        box.finished.connect(finished)
        box.open()
        return box

    def _ask_production_call(self, profile: Profile, destination: str) -> None:
        def go() -> None:
            self._production_confirmed = True
            self.place_call()

        self.confirm(
            messages.PRODUCTION_CALL_TITLE,
            messages.production_call_question(profile_title(profile), destination),
            messages.CALL, go)

    def _destination_text(self) -> str:
        to_path = self.adapter.schema.by_meaning("to") if self.adapter is not None else None
        return value_at(self.form.values(), to_path) if to_path else ""

    # -- links and other instances -----------------------------------------------------------------
    def handle_message(self, message: dict[str, str]) -> None:
        """A later start handed over (a link, or just "show yourself")."""
        self.bring_to_front()
        if message.get("link"):
            self.open_link(message["link"])

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def open_link(self, link: str) -> bool:
        """Fill To from a tel:/callto:/sip: link; place the call only if the profile says so."""
        from launcher.core.links import LinkError, parse_link

        if self.profile is None or self.adapter is None:
            return False
        try:
            target = parse_link(link, self.profile.region)
            values = self.adapter.destination_values(target.kind, target.value)
        except (LinkError, ValueError) as exc:
            self.set_status(str(exc), error=True)
            return False
        if self.asking:  # the open question is about the form as it is: a link must not change what it calls
            self.set_status(messages.link_while_asking(target.value))
            return False
        for path, value in values.items():
            self.form.set_field_value(path, value)
        if self.profile.call_from_links and self._link_call_in_progress():
            self.set_status(messages.link_not_dialled(target.value, target.extension))
            self.call_button.setFocus()
        elif self.profile.call_from_links:
            self.set_status(messages.calling_from_link(target.value, target.extension))
            self._link_call = self.place_call()
            if self._link_call is not None and target.extension:  # "Calling …" must not hide the dropped extension
                self.set_status(messages.calling_from_link(target.value, target.extension))
            self._link_asking = self.asking  # production: the call comes once the question is answered
        else:
            self.set_status(messages.link_ready(target.value, target.extension))
            self.call_button.setFocus()
        return True

    def _link_call_in_progress(self) -> bool:
        """A link places a call only when no other create is in flight and the last link's call has ended:
        a storm of links (a page that opens many, a double click) places one call, not one per link."""
        if self.controller.submitting or self.asking:
            return True
        return self._link_call is not None and not self._link_call.finished

    # -- small things -------------------------------------------------------------------------------
    def _dial_key(self, key: str) -> None:
        self.form.insert_into_field("to", key)

    def _dial_backspace(self) -> None:
        self.form.backspace_in_field("to")

    def focus_to(self) -> None:
        self.form.focus_field("to")

    def focus_history_search(self) -> None:
        self.tabs.setCurrentWidget(self.history_view)
        self.history_view.focus_search()

    def set_status(self, text: str, error: bool = False, topic: str = "") -> None:
        """Show one message under the form; it replaces the one before.  A message with a ``topic``
        (e.g. "form" for "Fix the highlighted fields") also goes when ``clear_status(topic)`` says its
        cause is gone."""
        self._status_topic = topic
        self.status_label.setText(SCRUBBER.text(text))  # messages may quote what a server or a URL said
        self.status_label.setStyleSheet("color: #c62828;" if error else "")

    def clear_status(self, topic: str) -> None:
        if self._status_topic == topic and self.status_label.text():
            self.set_status("")

    def about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, messages.ABOUT_TITLE, messages.about(__version__),
                          QMessageBox.StandardButton.Ok, self)
        box.open()

    def _show_startup_notes(self) -> None:
        problems = [self.context.manager.load_problem, getattr(self.context.history, "recovery_note", None)]
        notes = [p for p in problems if p]
        if self.storage_problem is not None:
            self._set_storage_problem(self.storage_problem)
            notes.append(self.storage_problem)
        if notes or self.context.startup_notes:
            self.set_status(" ".join([*notes, *self.context.startup_notes]), error=bool(notes))

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = self.screen()
            size = default_size(screen.availableGeometry()) if screen is not None else QSize(1280, 800)
            self.resize(size)
            self.splitter.setSizes([size.width() * 2 // 5, size.width() * 3 // 5])
        fit_to_screen(self)
        self.calls_panel.set_raw_visible(bool(self.settings.value("calls/raw_json", False, type=bool)))
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        if self.settings.value(COMPACT_SETTING, False, type=bool):
            self.layout_modes.set_compact(True, restoring=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # the frame (title bar) is known once shown
            self._fitted = True
            QTimer.singleShot(0, self, lambda: fit_to_screen(self))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Whatever grew the window (a longer profile name, a wider form), it stays on its screen."""
        super().resizeEvent(event)
        if self._fitted:  # checked once the new geometry has settled (frameGeometry lags here on X11)
            QTimer.singleShot(0, self, self._keep_on_screen)

    def _keep_on_screen(self, retries: int = 4) -> None:
        """Bring the window back inside its screen; a pane's minimum can be briefly larger while it
        re-lays out (a new call's card), so try again shortly when the first fit cannot shrink it."""
        screen = self.screen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        if not screen.availableGeometry().contains(self.frameGeometry()):
            fit_to_screen(self)
            if retries and not screen.availableGeometry().contains(QRect(self.frameGeometry().topLeft(),
                                                                        self.frameSize())):
                QTimer.singleShot(250, self, lambda: self._keep_on_screen(retries - 1))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            restyle_buttons(self)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._secrets_shown:
            self._secrets_shown = True
            if self._defer_tabs:  # first what typing and Call need, then the keyring probe
                QTimer.singleShot(0, self._finish_start)
            else:
                QTimer.singleShot(0, self._show_secrets_backend)

    def _show_secrets_backend(self) -> None:
        # A permanent widget, not showMessage(): menus and file dialogs clear temporary messages.
        manager = self.context.manager
        self.secrets_notice.setText(messages.secrets_notice(manager.secrets_description(), manager.session_only))
        self.secrets_notice.setToolTip(manager.secrets_description())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._history_refresh.stop()
        self.layout_modes.save_geometry()
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        self._remember_values()
        super().closeEvent(event)


__all__ = ["MainWindow", "live_call_info", "state_text", "without_secrets"]
