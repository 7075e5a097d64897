"""Storage faults end in one clear line (CLI, exit 5) or a window that opens, says why, and places no call.

The tests run as root, which ignores permission bits, so faults are made in ways that hold for root:
a file where a folder is expected, a folder where the history file is expected, an exclusive lock held
by another connection (BEGIN EXCLUSIVE), and a full disk.  A full disk is SQLite's own SQLITE_FULL: the
history connection gets ``PRAGMA max_page_count`` equal to the pages the file has, so the first write
that needs a new page (a TwiML body too big for the pages already there) fails as on a full disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from launcher import cli
from launcher.core.history import HistoryStore, default_history_path
from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import sandbox_client
from launcher.sandbox.engine import Engine, SandboxConfig
from launcher.ui.main_window import MainWindow
from launcher.view.context import build_context
from tests.cli.test_cli import run_cli
from tests.support.loopback import Recorded, Reply, serve

FIX = "or set CALL_LAUNCHER_HOME to a writable folder"
CALL = ["call", "--profile", "sandbox-twilio", "--set", "To=+15555551313", "--set", "From=+15555551212",
        "--set", "Url=https://example.com/t"]
BIG_TWIML = "<Response><Say>" + "a" * 3900 + "</Say></Response>"  # needs pages of its own


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every history connection opened from now on sees a disk with no free page."""
    original = HistoryStore._open

    def opened_on_a_full_disk(self: HistoryStore) -> sqlite3.Connection:
        conn = original(self)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(HistoryStore, "_open", opened_on_a_full_disk)


def folder_problem(blocker: Path) -> str:
    return (f"call-launcher: The call history cannot be kept in {blocker.parent}: {blocker} is a file where a "
            f"folder is expected. Move that file away, {FIX}.\n")


@pytest.mark.parametrize("blocked", ["home", "data"])
def test_a_file_where_a_folder_belongs_is_one_line_and_exit_5(launcher_home: Path, tmp_path: Path,
                                                              blocked: str) -> None:
    blocker = launcher_home if blocked == "home" else launcher_home / "data"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    result = run_cli(*CALL, home=launcher_home)
    assert (result.returncode, result.stderr, result.stdout) == (5, folder_problem(blocker), "")


def test_a_history_path_that_is_a_folder_is_one_line_and_exit_5(launcher_home: Path) -> None:
    history = launcher_home / "data" / "history.sqlite3"
    history.mkdir(parents=True)
    result = run_cli(*CALL, home=launcher_home)
    assert (result.returncode, result.stdout) == (5, "")
    assert result.stderr == (f"call-launcher: The call history cannot be opened: {history} is a folder, not a file. "
                             f"Move that folder away, {FIX}.\n")


def test_a_history_locked_by_another_program_sends_nothing(launcher_home: Path) -> None:
    HistoryStore(default_history_path()).close()
    other = sqlite3.connect(default_history_path(), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with serve(lambda record: Reply(201, b"{}")) as server:
            result = run_cli(*CALL, "--base-url", server.url, home=launcher_home)
            assert server.requests == []
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (result.returncode, result.stdout) == (5, "")
    assert result.stderr == (f"call-launcher: The call history in {launcher_home / 'data'} is locked by another "
                             "program. Close the program that holds history.sqlite3 (or the other Call Launcher) "
                             "and try again.\n")


def test_a_full_disk_sends_nothing(launcher_home: Path, full_disk: None, capsys: pytest.CaptureFixture[str]) -> None:
    requests: list[Recorded] = []
    with serve(lambda record: requests.append(record) or Reply(201, b"{}")) as server:  # type: ignore[func-returns-value]
        code = cli.main([*CALL[:-2], "--set", f"Twiml={BIG_TWIML}", "--base-url", server.url])
    assert (code, requests) == (5, [])
    captured = capsys.readouterr()
    assert captured.err == (f"call-launcher: The call history in {launcher_home / 'data'} cannot be written: the "
                            f"disk is full. Free some space on that disk, {FIX} on another disk.\n")


@pytest.mark.parametrize("blocked", ["data", "history"])
def test_self_test_fails_when_the_history_cannot_be_written(launcher_home: Path, blocked: str) -> None:
    if blocked == "data":
        launcher_home.mkdir()
        (launcher_home / "data").write_text("not a folder")
        reason = f"{launcher_home / 'data'} is a file where a folder is expected"
    else:
        (launcher_home / "data" / "history.sqlite3").mkdir(parents=True)
        reason = f"{launcher_home / 'data' / 'history.sqlite3'} is a folder, not a file"
    result = run_cli("--self-test", home=launcher_home)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("self-test FAILED: The call history ") and reason in result.stderr
    assert result.stderr.count("\n") == 1


# --- the window -------------------------------------------------------------------------------------------------

@pytest.fixture
def engine() -> Engine:
    return Engine(SandboxConfig(speed=25.0))


def open_window(qtbot: QtBot, engine: Engine, tmp_path: Path) -> MainWindow:
    from keyring.backends import fail

    context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(fail.Keyring()))
    main = MainWindow(context, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


@pytest.fixture
def closing() -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for window in windows:
        window.close()
        window.controller.cancel_all()
        window.context.history.close()


def test_the_window_opens_over_a_history_folder_and_refuses_to_call(
        qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path, launcher_home: Path,
        closing: list[MainWindow]) -> None:
    history = launcher_home / "data" / "history.sqlite3"
    history.mkdir(parents=True)
    window = open_window(qtbot, engine, tmp_path)
    closing.append(window)
    problem = (f"The call history cannot be opened: {history} is a folder, not a file. Move that folder away, {FIX}. "
               "Calls are off: fix this, then start the app again.")
    assert window.form.validation_result().ok  # the sandbox form is complete: only the history stops the call
    assert not window.call_button.isEnabled() and window.call_button.toolTip() == problem
    assert window.status_label.text() == problem
    window.place_call()  # Ctrl+Enter, menu: the same refusal
    assert engine.create_requests == 0 and window.status_label.text() == problem


def test_a_full_disk_at_the_press_places_no_call_and_calls_come_back_once_it_is_writable(
        qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path, launcher_home: Path,
        closing: list[MainWindow]) -> None:
    window = open_window(qtbot, engine, tmp_path)
    closing.append(window)
    assert window.call_button.isEnabled()
    window.form.set_field_value("Twiml", BIG_TWIML)
    window.form.set_field_value("Url", "")
    conn = window.context.history._conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    window.place_call()
    assert engine.create_requests == 0
    problem = (f"Not placed: The call history in {launcher_home / 'data'} cannot be written: the disk is full. "
               f"Free some space on that disk, {FIX} on another disk.")
    assert window.status_label.text() == problem
    assert not window.call_button.isEnabled() and window.call_button.toolTip() == problem
    conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    qtbot.waitUntil(window.call_button.isEnabled, timeout=15000)
    assert window.status_label.text() == "The call history can be written again: calls are on."


def test_the_window_says_once_that_a_crashed_apps_attempt_is_now_unknown(
        qtbot: QtBot, qloop: asyncio.AbstractEventLoop, engine: Engine, tmp_path: Path,
        closing: list[MainWindow]) -> None:
    with HistoryStore(default_history_path()) as store:
        store.record_attempt(profile="p", profile_id="p", provider="twilio", from_number="+15555551212",
                             to="+15555551313", request={"method": "POST"}, values={})
        store._conn.execute("UPDATE attempts SET status = 'ringing', owner = NULL")  # as a killed older version left it
    window = open_window(qtbot, engine, tmp_path)
    closing.append(window)
    assert window.status_label.text() == ("1 earlier call attempt was left unfinished when the app stopped; now "
                                          "marked 'outcome unknown' in the history, with the request kept.")
    assert window.call_button.isEnabled()
    second = open_window(qtbot, engine, tmp_path)
    closing.append(second)
    assert second.status_label.text() != window.status_label.text()  # said once
