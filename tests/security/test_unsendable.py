"""Whatever goes wrong between Call and the final state ends as a message, the documented exit code and
a final history row: a secret or address HTTP cannot carry is refused before a byte leaves (failed,
nothing sent, the secret never quoted); an address the provider returns that cannot be requested ends
the follow with the outcome unknown."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import launcher.cli as cli
import launcher.cli_common as cli_common
from launcher.core.history import AttemptStatus, HistoryStore, default_history_path
from launcher.core.profiles import ProfileStore
from launcher.core.sendable import credential_problems
from tests.faults.faults import TIMEOUT
from tests.faults.providers import CALL_ID, KITS, Kit
from tests.faults.server import Recorded, Reply, fault_server


def call(kit: Kit, base_url: str, secret: str, capsys: pytest.CaptureFixture[str], *extra: str
         ) -> tuple[int, str, list[tuple[AttemptStatus, str | None]]]:
    profile = kit.profile(base_url.rstrip("/").removesuffix(kit.api_prefix))
    profile.base_url = base_url
    ProfileStore().upsert(profile)
    args = ["call", "--profile", profile.name, "--secret-stdin", *extra]
    for value in kit.cli_values:
        args += ["--set", value]
    capsys.readouterr()
    code = cli.main(args, stdin=io.StringIO(secret))
    err = capsys.readouterr().err
    with HistoryStore(default_history_path()) as history:
        rows = [(a.status, a.error) for a in history.query()]
    return code, err, rows


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_common, "DEFAULT_TIMEOUT", TIMEOUT)


@pytest.mark.parametrize(("provider", "secret", "rule"), [
    ("jambonz", "tökén-0123456789", "a bearer token is sent as it is"),  # UnicodeEncodeError before
    ("twilio", "abc123\r\nX-Injected: yes", "control character"),  # CR/LF: "may have reached" before
    ("jambonz", "key-0123\n456789", "control character"),
])
def test_a_secret_http_cannot_carry_is_refused_before_sending(
    provider: str, secret: str, rule: str, capsys: pytest.CaptureFixture[str], launcher_home: Path
) -> None:
    kit = KITS[provider]
    with fault_server(lambda record: Reply(500), is_create=kit.is_create) as server:
        code, err, rows = call(kit, kit.base_url(server.url), secret, capsys)
        sent = len(server.requests)
    assert (code, sent) == (2, 0), err
    assert err.startswith("call-launcher: The secret cannot be sent: ") and rule in err, err
    assert "Nothing was sent" in err and "Traceback" not in err
    assert [status for status, _ in rows] == [AttemptStatus.FAILED]
    error = rows[0][1] or ""
    assert rule in error and "Nothing was sent" in error and "may have reached" not in error
    for part in (secret, secret.split("\n")[-1], "X-Injected", "tökén"):
        assert part not in error and part not in err


def test_a_control_character_in_the_base_url_ends_cleanly(capsys: pytest.CaptureFixture[str],
                                                        launcher_home: Path) -> None:
    kit = KITS["twilio"]
    with fault_server(lambda record: Reply(500), is_create=kit.is_create) as server:
        base = server.url.replace("http://", "http://us\x01er:pw@") + kit.api_prefix
        code, err, rows = call(kit, base, "a-fine-secret", capsys)
        sent = len(server.requests)
    assert (code, sent) == (2, 0), err
    assert err.startswith("call-launcher: ") and "Traceback" not in err
    assert [status for status, _ in rows] in ([], [AttemptStatus.FAILED])  # refused at once, or before sending


def test_a_control_character_in_the_call_address_ends_the_follow_as_unknown(
    capsys: pytest.CaptureFixture[str], launcher_home: Path
) -> None:
    kit = KITS["bandwidth"]
    root: list[str] = []

    def answer(record: Recorded) -> Reply:
        if kit.is_create(record):
            created = json.loads(kit.create_ok(root[0]).body)
            created["callUrl"] += "\x01"
            return Reply(201, json.dumps(created).encode(), {"Content-Type": "application/json"})
        return kit.state(True)

    with fault_server(answer, is_create=kit.is_create) as server:
        root.append(server.url)
        code, err, rows = call(kit, kit.base_url(server.url), "a-fine-secret", capsys, "--wait")
        creates = server.creates
    assert (code, creates) == (4, 1), err
    assert err.startswith("call-launcher: ") and "Traceback" not in err
    assert [status for status, _ in rows] == [AttemptStatus.UNKNOWN]
    assert CALL_ID["bandwidth"] in err or "call address" in err or "control character" in err, err


@pytest.mark.parametrize(("provider", "auth", "username", "secret", "key", "words"), [
    ("jambonz", "", "", "tökén", "secret", "a bearer token is sent as it is"),
    ("twilio", "", "", "tok\nen", "secret", "control character"),
    ("bandwidth", "", "us:er", "fine", "username", "may not contain a colon"),
    ("bandwidth", "oauth2", "client", "sëcret-ok", None, ""),  # Basic carries any printable text as UTF-8
])
def test_secrets_are_checked_when_saved(provider: str, auth: str, username: str, secret: str, key: str | None,
                                        words: str) -> None:
    problems = credential_problems(provider, auth, username, secret)
    assert list(problems) == ([key] if key else [])
    if key:
        assert words in problems[key] and secret not in problems[key]


def test_profiles_add_refuses_a_secret_http_cannot_carry(capsys: pytest.CaptureFixture[str],
                                                        launcher_home: Path) -> None:
    code = cli.main(["profiles", "add", "j", "--provider", "jambonz", "--set", "account_id=" + "a" * 8 + "-0000-0000-"
                     "0000-000000000000", "--set", "base_url=https://vg.example.com", "--secret-stdin"],
                    stdin=io.StringIO("kéy-123\n"))
    err = capsys.readouterr().err
    assert code == 2, err
    assert "profile.secret: The secret cannot be sent: a bearer token is sent as it is" in err
    assert ProfileStore().load() == []


def test_the_window_refuses_a_secret_http_cannot_carry_without_a_traceback(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, tmp_path: Path, launcher_home: Path
) -> None:
    """A secret saved by an older version (or typed for the session) is checked again at Call."""
    from tests.faults.conftest import make_window
    from tests.support.qt_loop import pump_until

    kit = KITS["jambonz"]
    with fault_server(lambda record: Reply(500), is_create=kit.is_create) as server:
        faulty = make_window(kit, tmp_path / "window.ini")
        try:
            window = faulty.window
            profile = kit.profile(server.url, "accented")
            faulty.context.manager.save(profile, "tökén-0123456789")
            window.profile_bar.reload(profile.id)
            pump_until(lambda: window.profile is not None and window.profile.id == profile.id)
            window.form.set_values(kit.values)
            pump_until(lambda: window.form.validation_result().ok and window.call_button.isEnabled())
            qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
            live = faulty.only_live()
            pump_until(lambda: live.finished and not window.controller.submitting)
            attempt = faulty.attempt(live)
            status_text = window.status_label.text()
            card_error = window.calls_panel.card.error_label.text()
        finally:
            faulty.close()
        sent = len(server.requests)
    assert sent == 0
    assert attempt.status is AttemptStatus.FAILED
    for text in (attempt.error or "", status_text, card_error):
        assert "a bearer token is sent as it is" in text and "Nothing was sent" in text, text
        assert "tökén" not in text
