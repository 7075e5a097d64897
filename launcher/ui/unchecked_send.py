"""Call › Send without local checks…: the engineers' override, asked for explicitly and confirmed.

The provider gets what the form's checks refuse, so it can answer for itself; the HTTPS, redirect,
secret and send-once rules still apply (they live in the core), and the attempt is marked in the history.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from launcher.core.errors import InsecureTransportError
from launcher.core.unchecked import UncheckedRequest, without_local_checks
from launcher.view import messages

if TYPE_CHECKING:
    from launcher.ui.window_base import WindowBase

MAX_LISTED = 8


def send_without_local_checks(window: WindowBase) -> None:
    """Ask to confirm what will be skipped, then send once; with nothing to skip, an ordinary Call."""
    if window.controller.submitting or window.profile is None or window.adapter is None:
        return
    window.form.mark_submitted()
    result = window.form.validation_result()
    if result.ok:
        window.place_call()
        return
    unchecked = without_local_checks(window.adapter.schema, window.form.values(), result)
    if unchecked.unsendable:
        path = next(iter(unchecked.unsendable))
        spec = window.adapter.schema.field(path)
        window.set_status(messages.unsendable(spec.label if spec else path, unchecked.unsendable[path][0]), error=True)
        return
    listed = "\n".join(f"• {text}" for text in unchecked.skipped[:MAX_LISTED])
    more = len(unchecked.skipped) - MAX_LISTED
    if more > 0:
        listed += "\n" + messages.more_items(more)
    box = QMessageBox(QMessageBox.Icon.Warning, messages.UNCHECKED_TITLE,
                      messages.unchecked_warning(window.adapter.name, listed),
                      QMessageBox.StandardButton.Cancel, window)
    send = box.addButton(messages.SEND_ANYWAY, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setObjectName("uncheckedSendConfirm")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _code: _send(window, unchecked) if box.clickedButton() is send else None)
    box.open()


def _send(window: WindowBase, unchecked: UncheckedRequest) -> None:
    if window.controller.submitting or window.profile is None or window.adapter is None:
        return
    secret = window.context.manager.secret_for(window.profile)
    if not secret:
        window.set_status(messages.no_secret(window.profile.name), error=True)
        return
    account = window.profile.account(secret)
    try:
        request = window.adapter.build_create(account, unchecked.values)
    except InsecureTransportError as exc:
        window.set_status(str(exc), error=True)
        return
    live = window.controller.place(window.profile, window.adapter, account, unchecked.values, request,
                                   skipped_checks=unchecked.skipped)
    if live is not None:
        window.inspector.show_request(request, f"Sent without local checks {datetime.now().strftime('%H:%M:%S')}")
        window.tabs.setCurrentWidget(window.calls_panel)
        window.set_status(messages.sent_unchecked(len(unchecked.skipped)))
