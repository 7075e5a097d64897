"""`history` and `call --no-validate`: the real command over a real history file and the loopback sandbox."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from launcher.core.history import CSV_COLUMNS, Attempt, AttemptStatus, HistoryStore, default_history_path
from tests.cli.test_cli import run_cli
from tests.support.loopback import Reply, serve
from tests.support.sandbox_server import RunningSandbox, running_sandbox


def attempt(number: int, to: str, provider: str, status: AttemptStatus, outcome: str | None,
            day: int, error: str | None = None) -> Attempt:
    when = datetime(2026, 3, day, 12, 0, tzinfo=UTC)
    return Attempt(id=0, started_at=when, updated_at=when, profile=f"p{number}", profile_id=f"id{number}",
                   provider=provider, from_number="+15555550100", to=to, status=status, outcome=outcome,
                   call_id=f"CALL{number}", error=error, provider_status=outcome)


@pytest.fixture
def history(launcher_home: Path) -> Path:
    with HistoryStore(default_history_path()) as store:
        store.insert_attempts([
            attempt(1, "+15555550002", "twilio", AttemptStatus.ENDED, "no-answer", 1),
            attempt(2, "+15555550001", "bandwidth", AttemptStatus.ENDED, "busy", 2),
            attempt(3, "sip:alice@example.com", "jambonz", AttemptStatus.REJECTED, None, 3, error="Bad from"),
            attempt(4, "+442071838750", "twilio", AttemptStatus.ENDED, "completed", 4),
        ])
    return launcher_home


def call_ids(stdout: str) -> list[str]:
    return [row["call_id"] for row in json.loads(stdout)]


@pytest.mark.parametrize(("typed", "expected"), [
    ("(555) 555-0002", ["CALL1"]),
    ("555.555.0001", ["CALL2"]),
    ("+1 555 555 0002", ["CALL1"]),
    ("+44 20 7183 8750", ["CALL4"]),
    ("ALICE", ["CALL3"]),
    ("838 750", ["CALL4"]),
    ("0100", ["CALL4", "CALL3", "CALL2", "CALL1"]),
])
def test_search_finds_numbers_however_they_are_written(history: Path, typed: str, expected: list[str]) -> None:
    result = run_cli("history", typed, "--json", home=history)
    assert result.returncode == 0, result.stderr
    assert call_ids(result.stdout) == expected


def test_filters_combine_newest_first(history: Path) -> None:
    def ids(*args: str) -> list[str]:
        result = run_cli("history", *args, "--json", home=history)
        assert result.returncode == 0, result.stderr
        return call_ids(result.stdout)

    assert ids() == ["CALL4", "CALL3", "CALL2", "CALL1"]
    assert ids("--provider", "twilio") == ["CALL4", "CALL1"]
    assert ids("--result", "busy") == ["CALL2"]
    assert ids("--result", "refused") == ["CALL3"]  # the words of the window's Result column
    assert ids("--result", "completed", "--provider", "twilio") == ["CALL4"]
    assert ids("--since", "2026-03-02T12:00+00:00") == ["CALL4", "CALL3", "CALL2"]
    assert ids("--limit", "2") == ["CALL4", "CALL3"]


def test_csv_has_the_window_exports_columns(history: Path) -> None:
    result = run_cli("history", "--csv", "--provider", "bandwidth", home=history)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [list(CSV_COLUMNS), ["2026-03-02T12:00:00+00:00", "p2", "bandwidth", "+15555550100",
                                        "+15555550001", "ended", "busy", "busy", "CALL2", "", "", "", ""]]


def test_plain_output_and_empty_answers(history: Path, launcher_home: Path) -> None:
    result = run_cli("history", "bad from", home=history, env={"TZ": "UTC"})
    assert result.stdout == ("2026-03-03 12:00:00\tp3\t+15555550100 -> sip:alice@example.com\trefused\t"
                             "CALL3  Bad from\n")
    none = run_cli("history", "nobody", home=history)
    assert (none.returncode, none.stdout) == (0, "No calls in the history match.\n")


def test_bad_input_is_refused_with_a_clear_message(launcher_home: Path) -> None:
    result = run_cli("history", "--since", "last tuesday", home=launcher_home)
    assert result.returncode == 2
    assert "'last tuesday' is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM" in result.stderr
    both = run_cli("history", "--json", "--csv", home=launcher_home)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_an_unusable_history_is_a_message_not_a_traceback(launcher_home: Path) -> None:
    default_history_path().parent.mkdir(parents=True)
    default_history_path().mkdir()  # a folder where the file should be
    result = run_cli("history", home=launcher_home)
    assert result.returncode == 5 and "cannot be opened" in result.stderr and "Traceback" not in result.stderr


# -- call --no-validate ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(speed=50.0) as running:
        yield running


TWILIO = ["--set", "To=+15555550100", "--set", "From=+15005550006", "--set", "Url=https://example.com/t"]


def test_without_the_override_nothing_is_sent(sandbox: RunningSandbox, launcher_home: Path) -> None:
    before = sandbox.engine.create_requests
    result = run_cli("call", "--profile", "sandbox-twilio", "--base-url", sandbox.url, *TWILIO,
                     "--set", "Timeout=0", home=launcher_home)
    assert result.returncode == 2
    assert "--no-validate" in result.stderr and sandbox.engine.create_requests == before


def test_no_validate_sends_prints_what_it_skipped_and_marks_history(sandbox: RunningSandbox,
                                                                    launcher_home: Path) -> None:
    before = sandbox.engine.create_requests
    result = run_cli("call", "--profile", "sandbox-twilio", "--base-url", sandbox.url, *TWILIO,
                     "--set", "Timeout=0", "--no-validate", home=launcher_home)
    assert sandbox.engine.create_requests == before + 1  # sent, exactly once
    assert "Sending without local checks (Twilio will judge these):\n  skipped: Timeout: " in result.stderr
    assert result.returncode == 3, result.stderr  # the sandbox, like Twilio, refuses Timeout=0
    assert "the provider refused" in result.stderr
    with HistoryStore(default_history_path()) as store:
        (recorded,) = store.query()
    assert recorded.status is AttemptStatus.REJECTED and len(recorded.skipped_checks) == 1
    assert recorded.skipped_checks[0].startswith("Timeout: ") and recorded.values["Timeout"] == "0"
    listed = run_cli("history", home=launcher_home)
    assert "[sent without local checks]" in listed.stdout
    as_json = json.loads(run_cli("history", "--json", home=launcher_home).stdout)
    assert as_json[0]["skipped_checks"] == recorded.skipped_checks


def test_no_validate_never_relaxes_transport_rules(launcher_home: Path) -> None:
    result = run_cli("call", "--profile", "sandbox-twilio", "--base-url", "http://api.example.com", *TWILIO,
                     "--set", "Timeout=0", "--no-validate", home=launcher_home)
    assert result.returncode == 2
    assert "Refusing to send credentials over plain http to api.example.com" in result.stderr
    with serve(lambda _r: Reply(307, b"", {"Location": "https://elsewhere.example/"})) as server:
        moved = run_cli("call", "--profile", "sandbox-twilio", "--base-url", server.url, *TWILIO,
                        "--set", "Timeout=0", "--no-validate", home=launcher_home)
    assert moved.returncode == 3 and "redirects are not followed" in moved.stderr
    assert len(server.requests) == 1  # one create request, never repeated


def test_no_validate_cannot_send_unknown_fields(sandbox: RunningSandbox, launcher_home: Path) -> None:
    before = sandbox.engine.create_requests
    result = run_cli("call", "--profile", "sandbox-twilio", "--base-url", sandbox.url, *TWILIO,
                     "--set", "Bogus=1", "--no-validate", home=launcher_home)
    assert result.returncode == 2 and "cannot be sent even without local checks" in result.stderr
    assert sandbox.engine.create_requests == before
