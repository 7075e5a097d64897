"""Nothing lost: kill the app while the provider holds the create request open, then restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from launcher.core.history import AttemptStatus, HistoryFilter, HistoryStore, default_history_path
from tests.support.loopback import Recorded, Reply, serve

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
    from launcher.ui.context import build_context

    context = build_context()
    try:
        assert context.history.get(attempt_id).status is AttemptStatus.UNKNOWN
    finally:
        context.history.close()
