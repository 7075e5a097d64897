"""Nothing lost: kill the app while the provider holds the create request open, then restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from launcher.core.history import AttemptStatus, HistoryFilter, HistoryStore, default_history_path
from launcher.sandbox.app import all_simulators
from tests.support.loopback import Recorded, Reply, serve
from tests.support.sandbox_server import running_sandbox

NOTE = ("call-launcher: 1 earlier call attempt was left unfinished when the app stopped; now marked 'outcome "
        "unknown' in the history, with the request kept.\n")
SANDBOX = all_simulators()["twilio"].credentials
CALL = ["call", "--profile", "p", "--secret-stdin", "--set", "To=+15555551313", "--set", "From=+15555551212",
        "--set", "Url=https://example.com/t"]


def launcher(*args: str, home: Path) -> list[str]:
    return [sys.executable, "-m", "launcher", *args]


def cli(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(home))
    return subprocess.run(launcher(*args, home=home), env=env, input=stdin, capture_output=True, text=True,
                          timeout=120)


def statuses() -> list[AttemptStatus]:
    with HistoryStore(default_history_path()) as store:
        return [a.status for a in store.query(HistoryFilter(), descending=False)]

TWILIO_SID = "AC" + "0123456789abcdef" * 2


def test_sigkill_during_create_leaves_an_unknown_attempt_and_an_intact_database(launcher_home: Path) -> None:
    release = threading.Event()
    received = threading.Event()

    def hold(record: Recorded) -> Reply:
        received.set()
        release.wait(30)
        return Reply(500)

    env = dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home))
    with serve(hold) as server:
        subprocess.run([sys.executable, "-m", "launcher", "profiles", "add", "p", "--provider", "twilio",
                        "--set", f"account_id={TWILIO_SID}", "--set", f"base_url={server.url}"], env=env, check=True,
                       capture_output=True)
        app = subprocess.Popen(
            [sys.executable, "-m", "launcher", "call", "--profile", "p", "--secret-stdin", "--set", "To=+15555551313",
             "--set", "From=+15555551212", "--set", "Url=https://example.com/t"],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        assert app.stdin is not None
        app.stdin.write(b"token")
        app.stdin.close()
        assert received.wait(60), "the create request never reached the server"
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
        release.set()
        assert len(server.requests) == 1
    assert app.returncode == -signal.SIGKILL

    store = HistoryStore(default_history_path())
    try:
        assert store.journal_mode() == "wal" and store.integrity_ok()
        [attempt] = store.query(HistoryFilter())
        assert attempt.status is AttemptStatus.SENDING  # written before the request left
        assert store.mark_unfinished_as_unknown() == 1
        attempt = store.get(attempt.id)
        assert attempt.status is AttemptStatus.UNKNOWN
        assert attempt.error and "stopped before the outcome was known" in attempt.error
        assert attempt.request["method"] == "POST" and attempt.request["url"].endswith("/Calls.json")
        assert attempt.to == "+15555551313" and attempt.values["Url"] == "https://example.com/t"
        assert "token" not in str(attempt.request)
    finally:
        store.close()


def test_the_window_marks_unfinished_attempts_unknown_on_start(launcher_home: Path) -> None:
    store = HistoryStore(default_history_path())
    attempt_id = store.record_attempt(profile="p", profile_id="x", provider="twilio", from_number="+15555551212",
                                      to="+15555551313", request={"method": "POST"}, values={})
    store.close()
    from launcher.view.context import build_context

    context = build_context()
    try:
        assert context.history.get(attempt_id).status is AttemptStatus.UNKNOWN
    finally:
        context.history.close()


def test_a_call_killed_while_followed_is_reconciled_at_the_next_cli_start_and_said_once(launcher_home: Path) -> None:
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home))
    with running_sandbox(speed=1.0) as sandbox:
        assert cli("profiles", "add", "p", "--provider", "twilio", "--set", f"account_id={SANDBOX.account_id}",
                   "--set", f"base_url={sandbox.url}", home=launcher_home).returncode == 0
        app = subprocess.Popen(launcher(*CALL, "--wait", home=launcher_home), env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert app.stdin is not None and app.stdout is not None
        app.stdin.write(SANDBOX.secret.encode())
        app.stdin.close()
        first_line = app.stdout.readline()  # the call as created: the CLI is now following it
        assert first_line.strip(), "the CLI printed nothing before it was killed"
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
        app.stdout.close()
        [left] = statuses()
        assert left in (AttemptStatus.QUEUED, AttemptStatus.RINGING, AttemptStatus.ANSWERED)

        after = cli(*CALL, home=launcher_home, stdin=SANDBOX.secret)
        assert after.returncode == 0, after.stderr
        assert after.stderr == NOTE
        again = cli(*CALL, home=launcher_home, stdin=SANDBOX.secret)
        assert again.returncode == 0 and again.stderr == ""  # said once
    with HistoryStore(default_history_path()) as store:
        killed = store.query(HistoryFilter(), descending=False)[0]
        assert killed.status is AttemptStatus.UNKNOWN and killed.error == "The app stopped before the outcome was known"
        assert killed.call_id and killed.request["url"].endswith("/Calls.json")
        assert killed.values["To"] == "+15555551313"
    assert list((launcher_home / "data" / "history.sqlite3.owners").iterdir()) == []  # no lease left behind


def test_attempts_of_a_process_still_running_are_left_alone(launcher_home: Path) -> None:
    release = threading.Event()
    received = threading.Event()

    def hold(record: Recorded) -> Reply:
        received.set()
        release.wait(60)
        return Reply(500)

    env = dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home))
    with serve(hold) as server:
        assert cli("profiles", "add", "p", "--provider", "twilio", "--set", f"account_id={TWILIO_SID}",
                   "--set", f"base_url={server.url}", home=launcher_home).returncode == 0
        app = subprocess.Popen(launcher(*CALL, home=launcher_home), env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert app.stdin is not None
            app.stdin.write(b"token")
            app.stdin.close()
            assert received.wait(60), "the create request never reached the server"
            # a second CLI and the window start while the first CLI is placing its call
            with HistoryStore(default_history_path()) as store:
                assert store.mark_unfinished_as_unknown() == 0
            from launcher.view.context import build_context

            context = build_context()
            try:
                assert context.startup_notes == [] and context.storage_problem is None
            finally:
                context.history.close()
            assert statuses() == [AttemptStatus.SENDING]
            app.send_signal(signal.SIGKILL)
            app.wait(timeout=30)
        finally:
            release.set()
            if app.poll() is None:
                app.kill()
                app.wait()
    context = build_context()
    try:
        assert context.startup_notes == [NOTE.removeprefix("call-launcher: ").rstrip()]
        assert statuses() == [AttemptStatus.UNKNOWN]
    finally:
        context.history.close()


def test_lease_files_of_crashed_apps_are_swept_and_live_ones_kept(launcher_home: Path) -> None:
    folder = default_history_path().with_name("history.sqlite3.owners")
    with HistoryStore(default_history_path()) as live:
        live.check_writable()  # takes this app's lease
        [own] = list(folder.iterdir())
        (folder / "4242-deadbeef0000.lock").write_bytes(b"")  # left by an app killed with nothing in flight
        with HistoryStore(default_history_path()) as starting:
            assert starting.mark_unfinished_as_unknown() == 0
        assert list(folder.iterdir()) == [own]
