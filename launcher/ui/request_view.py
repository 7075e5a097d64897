"""The request inspector: the exact create-call request, secrets redacted, copyable as curl or HTTP.

What is on screen never contains a secret. Only a copy may, and only when the person ticks
"Include secrets in this copy", which applies to that one copy and then unticks itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from launcher.core.http import PreparedRequest, redact_text
from launcher.core.scrub import SCRUBBER
from launcher.core.transport import route_for
from launcher.ui.line_edit import LineEdit
from launcher.view import messages

FORM_TYPE = "application/x-www-form-urlencoded"


def pretty_body(request: PreparedRequest) -> tuple[str, str]:
    """(redacted body for people, a caption saying how it was reformatted)."""
    text = request.body_text(reveal=False)
    content_type = (request.content_type() or "").split(";", 1)[0].strip().lower()
    if not text:
        return "", "Body: none"
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False), f"Body ({content_type}, indented)"
        except ValueError:
            return text, f"Body ({content_type}, not valid JSON: shown as sent)"
    if content_type == FORM_TYPE:
        pairs = parse_qsl(text, keep_blank_values=True)
        return "\n".join(f"{key}={value}" for key, value in pairs), f"Body ({FORM_TYPE}, one field a line, decoded)"
    return text, f"Body ({content_type or 'no content type'})"


class RequestInspector(QWidget):
    """Method, URL, headers and body of one :class:`PreparedRequest`, with copy buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request: PreparedRequest | None = None

        self.note_label = QLabel(self)
        self.note_label.setAccessibleName("Request state")
        self.note_label.setWordWrap(True)
        bold = QFont(self.font())
        bold.setBold(True)
        self.note_label.setFont(bold)

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.method_label = QLabel(self)
        self.method_label.setAccessibleName("HTTP method")
        self.method_label.setFont(mono)
        self.url_field = LineEdit(self)
        self.url_field.setReadOnly(True)
        self.url_field.setFont(mono)
        self.url_field.setAccessibleName("Request URL")
        self.url_field.setToolTip(messages.REQUEST_URL_TIP)
        target = QHBoxLayout()
        target.addWidget(self.method_label)
        target.addWidget(self.url_field, 1)
        self.proxy_label = QLabel(self)  # which proxy, if any, the request goes through
        self.proxy_label.setAccessibleName("Proxy")
        self.proxy_label.setWordWrap(True)

        self.headers_table = QTableWidget(0, 2, self)
        self.headers_table.setHorizontalHeaderLabels(["Header", "Value"])
        self.headers_table.setAccessibleName("Request headers")
        self.headers_table.setToolTip(messages.REQUEST_HEADERS_TIP)
        self.headers_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.headers_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.headers_table.verticalHeader().setVisible(False)
        self.headers_table.setWordWrap(False)
        self.headers_table.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)
        self.headers_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.headers_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.body_caption = QLabel(self)
        self.body_view = QPlainTextEdit(self)
        self.body_view.setReadOnly(True)
        self.body_view.setFont(mono)
        self.body_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.body_view.setAccessibleName("Request body")
        self.body_view.setPlaceholderText(messages.NO_BODY)
        self.body_caption.setBuddy(self.body_view)
        body_side = QWidget(self)
        body_layout = QVBoxLayout(body_side)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.body_caption)
        body_layout.addWidget(self.body_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.headers_table)
        splitter.addWidget(body_side)
        splitter.setStretchFactor(0, 0)  # headers as tall as their rows; the body takes the rest
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.reveal_checkbox = QCheckBox(messages.INCLUDE_SECRETS, self)
        self.reveal_checkbox.setAccessibleName("Include secrets in this copy")
        self.reveal_checkbox.setToolTip(
            messages.INCLUDE_SECRETS_TIP)
        self.copy_http_button = QPushButton(messages.COPY_AS_HTTP, self)
        self.copy_http_button.setAccessibleName("Copy request as HTTP")
        self.copy_http_button.setToolTip(messages.COPY_AS_HTTP_TIP)
        self.copy_http_button.clicked.connect(self.copy_as_http)
        self.copy_curl_button = QPushButton(messages.COPY_AS_CURL, self)
        self.copy_curl_button.setAccessibleName("Copy request as curl")
        self.copy_curl_button.setToolTip(messages.COPY_AS_CURL_TIP)
        self.copy_curl_button.clicked.connect(self.copy_as_curl)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reveal_checkbox)
        buttons.addStretch(1)
        buttons.addWidget(self.copy_http_button)
        buttons.addWidget(self.copy_curl_button)
        self.copied_label = QLabel(self)
        self.copied_label.setAccessibleName("Copy result")
        self.copied_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note_label)
        layout.addLayout(target)
        layout.addWidget(self.proxy_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.copied_label)
        self.show_request(None)

    def show_request(self, request: PreparedRequest | None, note: str = "") -> None:
        """Show ``request`` (or nothing) under ``note``, e.g. "About to send (not sent yet)"."""
        self.request = request
        self.copied_label.clear()
        has_request = request is not None
        for control in (self.copy_curl_button, self.copy_http_button, self.reveal_checkbox):
            control.setEnabled(has_request)
        if request is None:
            self.note_label.setText(note or messages.NO_REQUEST_YET)
            self.note_label.setVisible(True)
            self.method_label.clear()
            self.url_field.clear()
            self.proxy_label.clear()
            self.headers_table.setRowCount(0)
            self.body_caption.setText(messages.BODY)
            self.body_view.clear()
            return
        secrets = request.secrets()
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        self.method_label.setText(request.method)
        self.url_field.setText(SCRUBBER.text(redact_text(request.url, secrets)))
        self.url_field.setCursorPosition(0)
        self.proxy_label.setText(route_for(request.url).describe())
        headers = [("Host", urlsplit(request.url).netloc), *request.all_headers(reveal=False)]
        self.headers_table.setRowCount(len(headers))
        for row, (name, value) in enumerate(headers):
            shown = SCRUBBER.text(redact_text(value, secrets))
            self.headers_table.setItem(row, 0, QTableWidgetItem(name))
            value_item = QTableWidgetItem(shown)
            value_item.setToolTip(shown)
            self.headers_table.setItem(row, 1, value_item)
        body, caption = pretty_body(request)
        self.body_caption.setText(caption)
        self.body_view.setPlainText(SCRUBBER.text(redact_text(body, secrets)))

    # -- copying ----------------------------------------------------------------------------------
    def copy_as_curl(self) -> None:
        self._copy("curl", lambda reveal: self.request.to_curl(reveal=reveal) if self.request else "")

    def copy_as_http(self) -> None:
        self._copy("HTTP", lambda reveal: self.request.describe(reveal=reveal) if self.request else "")

    def _copy(self, what: str, render: Callable[[bool], str]) -> None:
        if self.request is None:
            return
        reveal = self.reveal_checkbox.isChecked()
        text = render(reveal)
        if not reveal:  # besides the request's own secrets, whatever else the scrubber knows (tokens)
            text = redact_text(text, self.request.secrets())
            text = SCRUBBER.text(text)
        QGuiApplication.clipboard().setText(text)
        self.reveal_checkbox.setChecked(False)  # the choice covers this one copy only
        if reveal and self.request.secrets():
            self.copied_label.setText(messages.copied_as(what, with_secrets=True))
        else:
            self.copied_label.setText(messages.copied_as(what, with_secrets=False))
