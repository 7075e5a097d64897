"""A server that echoes the request back (in its answers and in its error pages) cannot make the app
write, print or show a secret: not the profile's secret, not its Basic form, not a secret field of
the form, in any encoding.  Real HTTP over loopback, the real command and the real window."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

import launcher.cli as cli
import launcher.cli_common as cli_common
from launcher.core.history import HistoryStore, default_history_path
from launcher.core.logs import setup_logging
from launcher.core.profiles import ProfileStore
from tests.faults.faults import TIMEOUT
from tests.faults.providers import KITS, Kit
from tests.faults.server import Recorded, Reply, fault_server

# Distinctive markers: every encoded form of each secret still contains its marker, except Basic.
PROFILE_SECRET = 'Mark1-s3cr3t/+"&x=y z'
FIELD_SECRET = 'Mark2-p@ss/"w+ d'
MARKERS = (b"Mark1", b"Mark2")
SECRET_FIELDS = {  # a secret field of each provider's form (Catapult's form has none)
    "twilio": ("To=sip:bob@example.com", "SipAuthUsername=u", f"SipAuthPassword={FIELD_SECRET}"),
    "bandwidth": ("username=u", f"password={FIELD_SECRET}"),
    "catapult": (),
    "jambonz": ("to.type=sip", "to.sipUri=sip:bob@example.com", "to.auth.username=u",
                f"to.auth.password={FIELD_SECRET}"),
}


def echo_of(record: Recorded) -> dict[str, object]:
    body = record.body.decode("utf-8", "replace")
    quoted = f"Authorization: {record.headers.get('authorization', '')} -- {body}"
    return {"headers": record.headers, "body": body, "quoted": quoted}


def with_echo(reply: Reply, record: Recorded) -> Reply:
    """The provider's own answer with the echo added (as a key of its JSON object, if it has one)."""
    if not reply.body:
        return reply
    data = json.loads(reply.body)
    if isinstance(data, dict):
        data["echo"] = echo_of(record)
    return Reply(reply.status, json.dumps(data).encode(), reply.headers)


def refusal(record: Recorded) -> Reply:
    """An error in every provider's message field that quotes the whole request."""
    echo = echo_of(record)
    text = f"Bad request: {echo['quoted']}"
    data = {"message": text, "msg": text, "description": text, "type": "validation", "category": "bad-request",
            "code": 21201, "echo": echo}
    return Reply(400, json.dumps(data).encode(), {"Content-Type": "application/json"})


def secret_forms(kit: Kit) -> list[bytes]:
    forms = [*MARKERS]
    username = kit.username or kit.account_id
    basic = base64.b64encode(f"{username}:{PROFILE_SECRET}".encode())
    forms += [basic, basic.rstrip(b"=")]
    return forms


def leaks(data: bytes | str, kit: Kit) -> list[bytes]:
    raw = data.encode() if isinstance(data, str) else data
    return [form for form in secret_forms(kit) if form in raw]


@pytest.fixture
def debug_log(launcher_home: Path) -> Iterator[Path]:
    path = setup_logging("debug")
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "call_launcher", False):
            root.removeHandler(handler)
            handler.close()


def run_cli(kit: Kit, root: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    ProfileStore().upsert(kit.profile(root))
    args = ["call", "--profile", "faulty", "--secret-stdin", *extra]
    values = dict(value.split("=", 1) for value in kit.cli_values)
    values.pop("to.number", None)  # jambonz: a SIP target with credentials instead
    values |= dict(value.split("=", 1) for value in SECRET_FIELDS[kit.id])
    for key, value in values.items():
        args += ["--set", f"{key}={value}"]
    capsys.readouterr()
    code = cli.main(args, stdin=io.StringIO(PROFILE_SECRET))
    out = capsys.readouterr()
    return code, out.out, out.err


def files_with_secrets(home: Path, kit: Kit) -> list[str]:
    with HistoryStore(default_history_path()) as history:  # the exports are written by the app too
        history.export_csv(home / "history.csv")
        history.export_json(home / "history.json")
    return [f"{path.name}: {leaks(path.read_bytes(), kit)}" for path in sorted(home.rglob("*"))
            if path.is_file() and leaks(path.read_bytes(), kit)]


@pytest.mark.parametrize("provider", sorted(KITS))
def test_an_echoing_error_page_leaves_no_secret_anywhere(
    provider: str, launcher_home: Path, debug_log: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli_common, "DEFAULT_TIMEOUT", TIMEOUT)
    kit = KITS[provider]
    with fault_server(refusal, is_create=kit.is_create) as server:
        code, out, err = run_cli(kit, server.url, capsys, "--json")
        seen = server.requests
    assert code == 3, err
    assert leaks(seen[0].headers["authorization"] + seen[0].body.decode(), kit)  # the echo had them to give
    assert "Bad request" in err and "********" in err
    assert leaks(out, kit) == [] and leaks(err, kit) == []
    assert files_with_secrets(launcher_home, kit) == []


@pytest.mark.parametrize("provider", sorted(KITS))
def test_an_echoing_provider_answer_leaves_no_secret_anywhere(
    provider: str, launcher_home: Path, debug_log: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli_common, "DEFAULT_TIMEOUT", TIMEOUT)
    kit = KITS[provider]
    root: list[str] = []

    def answer(record: Recorded) -> Reply:
        if kit.is_create(record):
            return with_echo(kit.create_ok(root[0]), record)
        return with_echo(kit.state(True), record)

    with fault_server(answer, is_create=kit.is_create) as server:
        root.append(server.url)
        code, out, err = run_cli(kit, server.url, capsys, "--json", "--wait")
    assert code == 0, err
    assert "echo" in json.loads(out)["raw"]  # the answer was shown, scrubbed
    assert leaks(out, kit) == [] and leaks(err, kit) == []
    assert files_with_secrets(launcher_home, kit) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_history_logs_and_folders_are_private(launcher_home: Path, debug_log: Path) -> None:
    from launcher.core.paths import config_dir, data_dir, log_dir
    from launcher.core.profiles import Profile

    os.umask(0o022)  # what most systems use: without care, files would be readable by everyone
    logging.getLogger("launcher.test").warning("a line")
    with HistoryStore(default_history_path()):
        pass
    ProfileStore().upsert(Profile(name="p", provider="twilio", account_id="AC" + "0" * 32))
    modes = {path.name: stat.S_IMODE(path.stat().st_mode)
             for path in (data_dir(), config_dir(), log_dir(), default_history_path(), debug_log)}
    assert modes == {"data": 0o700, "config": 0o700, "logs": 0o700, "history.sqlite3": 0o600,
                     "call-launcher.log": 0o600}


WINDOW_SECRET_FIELDS: dict[str, dict[str, object]] = {
    "twilio": {"To": "sip:bob@example.com", "SipAuthUsername": "u", "SipAuthPassword": FIELD_SECRET},
    "bandwidth": {"username": "u", "password": FIELD_SECRET},
    "catapult": {},
    "jambonz": {"to": {"type": "sip", "sipUri": "sip:bob@example.com",
                       "auth": {"username": "u", "password": FIELD_SECRET}}},
}


def displayed_text(root: QWidget) -> str:
    """Every text the window shows: labels, fields, text views, and every cell and tooltip of every view."""
    parts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLineEdit) and widget.echoMode() is not QLineEdit.EchoMode.Normal:
            parts.append("*" * len(widget.text()))  # what a password field shows: dots
            continue
        for getter in ("text", "toPlainText", "toolTip", "placeholderText"):
            method = getattr(widget, getter, None)
            if callable(method):
                try:
                    value = method()
                except TypeError:
                    continue
                if isinstance(value, str):
                    parts.append(value)
        model = widget.model() if isinstance(widget, QAbstractItemView) else None
        if model is not None and shiboken6.isValid(model):
            parts += _model_text(model)
    return "\n".join(parts)


def _model_text(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    parts: list[str] = []
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if value is not None:
                    parts.append(str(value))
            if column == 0:
                parts += _model_text(model, index)
    return parts


@pytest.mark.parametrize("refuse", [True, False], ids=["error-page", "answer"])
@pytest.mark.parametrize("provider", sorted(KITS))
def test_the_window_never_shows_or_copies_an_echoed_secret(
    provider: str, refuse: bool, qloop: asyncio.AbstractEventLoop, qtbot: QtBot, tmp_path: Path,
    launcher_home: Path,
) -> None:
    from tests.faults.conftest import make_window
    from tests.support.qt_loop import pump_until

    kit = KITS[provider]
    root: list[str] = []

    def answer(record: Recorded) -> Reply:
        if refuse:
            return refusal(record)
        if kit.is_create(record):
            return with_echo(kit.create_ok(root[0]), record)
        return with_echo(kit.state(True), record)

    with fault_server(answer, is_create=kit.is_create) as server:
        root.append(server.url)
        faulty = make_window(kit, tmp_path / "window.ini")
        try:
            window = faulty.window
            profile = kit.profile(server.url, "echo")
            faulty.context.manager.save(profile, PROFILE_SECRET)
            window.profile_bar.reload(profile.id)
            pump_until(lambda: window.profile is not None and window.profile.id == profile.id)
            window.form.set_values(kit.values | WINDOW_SECRET_FIELDS[provider])
            pump_until(lambda: window.form.validation_result().ok and window.call_button.isEnabled())
            qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
            live = faulty.only_live()
            pump_until(lambda: live.finished and (live.call is None or live.call.final), timeout=10)
            seen = server.requests
            assert leaks(seen[0].headers["authorization"] + seen[0].body.decode(), kit)  # there was something to leak
            for index in range(window.tabs.count()):  # every tab rendered, so lazy views fill in
                window.tabs.setCurrentIndex(index)
                QApplication.processEvents()
            shown = displayed_text(window)
            assert ("Bad request" in shown) if refuse else ("echo" in shown)  # the echo is shown, scrubbed
            assert leaks(shown, kit) == []
            window.inspector.copy_as_curl()
            assert leaks(QGuiApplication.clipboard().text(), kit) == []
        finally:
            faulty.close()
    assert files_with_secrets(launcher_home, kit) == []
