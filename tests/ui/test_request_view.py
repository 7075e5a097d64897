"""The request inspector: exact request on screen with secrets redacted; copies redacted unless asked."""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import quote

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from launcher.core.http import JSON_HEADERS, REDACTED, Auth, PreparedRequest, json_body
from launcher.core.models import Account
from launcher.core.providers import get_adapter
from launcher.ui.request_view import RequestInspector

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "auth-token-0123"
SIP_PASSWORD = "s3cret&pass word"
JAMBONZ_KEY = "jb-api-key-9f8e7d"


def twilio_request() -> PreparedRequest:
    account = Account(provider="twilio", account_id=ACCOUNT_SID, secret=AUTH_TOKEN)
    return get_adapter("twilio").build_create(account, {
        "To": "+14155551212", "From": "+15017122661", "Url": "https://example.com/voice.xml",
        "StatusCallbackEvent": ["initiated", "answered"], "SipAuthUsername": "alice",
        "SipAuthPassword": SIP_PASSWORD, "CallReason": "Appointment reminder & more",
    })


def jambonz_request() -> PreparedRequest:
    body = json_body({"from": "+15017122661", "to": {"type": "phone", "number": "+14155551212"},
                      "call_hook": "https://example.com/hook", "tag": {"ticket": 4711}})
    return PreparedRequest("POST", "https://jambonz.example.com/v1/Accounts/a1/Calls", JSON_HEADERS, body,
                           Auth("bearer", secret=JAMBONZ_KEY))


def secret_forms(request: PreparedRequest) -> list[str]:
    forms = list(request.secrets())
    forms += [quote(s, safe="") for s in list(forms)]
    forms.append(base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode())
    return forms


def screen_texts(root: QWidget) -> list[str]:
    """Every text a person could see or a screen reader could read, in every child widget."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(), widget.windowTitle()]
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.displayText())
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QTableWidget):
            for row in range(widget.rowCount()):
                for column in range(widget.columnCount()):
                    item = widget.item(row, column)
                    if item is not None:
                        texts += [item.text(), item.toolTip()]
    return texts


def assert_no_secret_on_screen(inspector: RequestInspector, request: PreparedRequest) -> None:
    texts = "\n".join(screen_texts(inspector))
    for secret in secret_forms(request):
        assert secret not in texts


@pytest.fixture
def inspector(qtbot: QtBot) -> RequestInspector:
    widget = RequestInspector()
    qtbot.addWidget(widget)
    QGuiApplication.clipboard().setText("")
    return widget


def header_rows(inspector: RequestInspector) -> dict[str, str]:
    table = inspector.headers_table
    return {table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())}


def test_shows_the_twilio_form_request_redacted(inspector: RequestInspector) -> None:
    request = twilio_request()
    inspector.show_request(request, "About to send (not sent yet)")

    assert inspector.note_label.text() == "About to send (not sent yet)"
    assert inspector.method_label.text() == "POST"
    assert inspector.url_field.text() == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"
    assert inspector.url_field.isReadOnly()
    headers = header_rows(inspector)
    assert headers["Authorization"] == f"Basic {REDACTED} (user {ACCOUNT_SID})"
    assert headers["Host"] == "api.twilio.com"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert inspector.body_view.isReadOnly()
    assert inspector.body_view.toPlainText().splitlines() == [
        "To=+14155551212",
        "From=+15017122661",
        "Url=https://example.com/voice.xml",
        "StatusCallbackEvent=initiated",
        "StatusCallbackEvent=answered",
        "SipAuthUsername=alice",
        f"SipAuthPassword={REDACTED}",
        "CallReason=Appointment reminder & more",
    ]
    assert "decoded" in inspector.body_caption.text()
    assert_no_secret_on_screen(inspector, request)


def test_shows_a_json_body_indented(inspector: RequestInspector) -> None:
    request = jambonz_request()
    inspector.show_request(request, "Sent 12:03:04")
    assert inspector.note_label.text() == "Sent 12:03:04"
    assert header_rows(inspector)["Authorization"] == f"Bearer {REDACTED}"
    body = inspector.body_view.toPlainText()
    assert body.startswith('{\n  "from": "+15017122661",\n  "to": {\n    "type": "phone",')
    assert '"ticket": 4711' in body
    assert_no_secret_on_screen(inspector, request)


def test_nothing_to_show(qtbot: QtBot, inspector: RequestInspector) -> None:
    inspector.show_request(twilio_request(), "About to send (not sent yet)")
    inspector.show_request(None, "Invalid form: nothing to send")
    assert inspector.note_label.text() == "Invalid form: nothing to send"
    assert inspector.url_field.text() == ""
    assert inspector.headers_table.rowCount() == 0
    assert inspector.body_view.toPlainText() == ""
    for control in (inspector.copy_curl_button, inspector.copy_http_button, inspector.reveal_checkbox):
        assert not control.isEnabled()
    qtbot.mouseClick(inspector.copy_curl_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == ""


@pytest.mark.parametrize("make_request", [twilio_request, jambonz_request])
def test_copy_as_curl_is_redacted_unless_ticked_and_the_tick_resets(
        qtbot: QtBot, inspector: RequestInspector, make_request: Callable[[], PreparedRequest]) -> None:
    request = make_request()
    inspector.show_request(request, "About to send (not sent yet)")

    qtbot.mouseClick(inspector.copy_curl_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied == request.to_curl(reveal=False)
    assert REDACTED in copied
    for secret in secret_forms(request):
        assert secret not in copied
    assert "redacted" in inspector.copied_label.text()

    qtbot.mouseClick(inspector.reveal_checkbox, Qt.MouseButton.LeftButton)
    assert inspector.reveal_checkbox.isChecked()
    assert_no_secret_on_screen(inspector, request)  # ticking reveals nothing on screen
    qtbot.mouseClick(inspector.copy_curl_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied == request.to_curl(reveal=True)
    assert request.auth is not None and request.auth.secret in copied
    assert not inspector.reveal_checkbox.isChecked()  # for this one copy only
    assert "WITH secrets" in inspector.copied_label.text()
    assert_no_secret_on_screen(inspector, request)

    qtbot.mouseClick(inspector.copy_curl_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == request.to_curl(reveal=False)


def test_copy_as_http(qtbot: QtBot, inspector: RequestInspector) -> None:
    request = twilio_request()
    inspector.show_request(request, "About to send (not sent yet)")
    qtbot.mouseClick(inspector.copy_http_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied == request.describe()
    assert copied.startswith(f"POST /2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json HTTP/1.1\nHost: api.twilio.com")
    assert AUTH_TOKEN not in copied and quote(SIP_PASSWORD, safe="") not in copied

    qtbot.mouseClick(inspector.reveal_checkbox, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(inspector.copy_http_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == request.describe(reveal=True)
    assert not inspector.reveal_checkbox.isChecked()


def test_every_control_has_an_accessible_name(inspector: RequestInspector) -> None:
    inspector.show_request(twilio_request())
    controls = [w for w in vars(inspector).values()  # our controls, not Qt's internal ones
                if isinstance(w, (QAbstractButton, QLineEdit, QPlainTextEdit, QTableWidget))]
    assert len(controls) == 6  # a new control must be named and counted here
    for widget in controls:
        assert widget.accessibleName(), widget
