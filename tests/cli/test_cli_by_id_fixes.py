"""Calls known by their id: built-in sandbox profiles, typed call ids, the words of errors and of a stopped
follow, and the local history catching up with what ``status``/``hangup`` read."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher import cli_common
from launcher.core.errors import (
    CallError,
    ProviderError,
    RequestNotSent,
    ResponseFormatError,
    TransportError,
    UnexpectedFailure,
    with_hint,
)
from launcher.core.history import UNFINISHED_MESSAGE, HistoryStore, default_history_path
from launcher.core.transport import UnexpectedCallAddress
from tests.cli.test_cli import add_profile, run_cli
from tests.cli.test_cli_calls import LONG_CALL, TWILIO_SID, base_url, values_for
from tests.support.loopback import Reply, serve
from tests.support.sandbox_server import RunningSandbox, running_sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(speed=50.0) as running:
        yield running


@pytest.fixture
def twilio_profile(launcher_home: Path) -> Path:
    added = add_profile(launcher_home, "tw", "twilio", [f"account_id={TWILIO_SID}"])
    assert added.returncode == 0, added.stderr
    return launcher_home


# -- 1. built-in sandbox profiles ----------------------------------------------------------------------
@pytest.mark.parametrize("command", [["status", "CA0123"], ["hangup", "CA0123"], ["calls"]])
def test_by_id_commands_on_the_in_process_sandbox_say_it_lives_in_one_command(launcher_home: Path,
                                                                              command: list[str]) -> None:
    result = run_cli(command[0], "--profile", "sandbox-twilio", *command[1:], home=launcher_home)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"call-launcher: '{command[0]}' with the built-in sandbox profile 'sandbox-twilio' has nothing to reach: "
        "the built-in sandbox lives only inside each command, so its calls end with the command that placed "
        "them. Follow a sandbox call with 'call-launcher call --profile sandbox-twilio ... --wait', or run "
        "'call-launcher sandbox' and pass --base-url http://127.0.0.1:8765 to 'call' and "
        f"'{command[0]}'. Nothing was sent.\n")


def test_sandbox_call_uses_the_windows_sample_values_for_fields_not_set(launcher_home: Path) -> None:
    result = run_cli("call", "--profile", "sandbox-twilio", "--set", "To=+15555550100", "--dry-run",
                     home=launcher_home)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("call-launcher: sandbox profile: using the sample values From=+15005550006, "
                             "Url=https://demo.twilio.com/docs/voice.xml (--set a field to change it).\n")
    assert "From=%2B15005550006" in result.stdout or "+15005550006" in result.stdout


def test_sandbox_sample_values_never_replace_what_was_set(launcher_home: Path) -> None:
    result = run_cli("call", "--profile", "sandbox-twilio", "--set", "To=+15555550100", "--set",
                     "From=+15005550001", "--set", "Twiml=<Response/>", "--dry-run", home=launcher_home)
    assert result.returncode == 0, result.stderr
    assert "sample values" not in result.stderr and "demo.twilio.com" not in result.stdout
    jambonz = run_cli("call", "--profile", "sandbox-jambonz", "--set", "to.type=phone", "--set",
                      "to.number=+15555550100", "--dry-run", home=launcher_home)
    assert jambonz.returncode == 0, jambonz.stderr
    assert jambonz.stderr == ("call-launcher: sandbox profile: using the sample values "
                              "application_sid=0e06a1b0-d49f-4fb8-b973-b5a3c6758de1, from=+15083728299 "
                              "(--set a field to change it).\n")


def test_saved_profiles_get_no_sample_values(twilio_profile: Path) -> None:
    result = run_cli("call", "--profile", "tw", "--set", "To=+15555550100", "--dry-run", home=twilio_profile)
    assert result.returncode == 2
    assert "From is required" in result.stderr and "sample values" not in result.stderr


# -- 2. a message and its hint, said once ----------------------------------------------------------
def test_connection_refused_says_nothing_was_sent_once(twilio_profile: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens there
    result = run_cli("status", "--profile", "tw", "--base-url", f"http://127.0.0.1:{port}", "--secret-stdin",
                     "CA0123", home=twilio_profile, stdin="token")
    assert result.returncode == 4, result.stderr
    assert result.stderr.lower().count("nothing was sent") == 1, result.stderr


@pytest.mark.parametrize("error", [
    TransportError("Connection refused.", request_sent=False, hint="Nothing was sent."),
    TransportError("Timed out.", request_sent=True, hint="Check the call with the provider before calling again."),
    UnexpectedCallAddress("https://elsewhere.example/x"),
    RequestNotSent("The secret cannot travel in a header. Nothing was sent.", hint="Nothing was sent."),
    UnexpectedFailure("Something odd.", hint="The call may have been placed."),
    ProviderError("Not found.", http_status=404, hint="Not found. Check the Account SID."),
    ResponseFormatError("not JSON."),
])
def test_every_error_the_cli_prints_says_each_sentence_once(capsys: pytest.CaptureFixture[str],
                                                            error: CallError) -> None:
    cli_common.report_call_error(error, as_json=False)
    printed = capsys.readouterr().err.removeprefix("call-launcher: ")
    sentences = [s.strip(" .").lower() for s in re.split(r"(?<=[.!?])\s+|\(|\)", printed) if s.strip(" .\n")]
    assert len(sentences) == len(set(sentences)), printed
    assert error.hint.split(".")[0].lower() in printed.lower()


def test_with_hint_keeps_new_sentences_in_order() -> None:
    assert with_hint("Refused (nothing was sent).", "Nothing was sent. Is the server running?") == \
        "Refused (nothing was sent). Is the server running?"
    assert with_hint("No answer", "") == "No answer"
    assert with_hint("No answer", "Try again.") == "No answer. Try again."


# -- 3. call ids typed by the person -------------------------------------------------------------------
@pytest.mark.parametrize("call_id", ["../../etc", "..", ".", "", " ", "CA1/..", "a b", "CA\x01", "CA?x=1", "CA%2F"])
@pytest.mark.parametrize("command", ["status", "hangup"])
def test_a_call_id_that_is_not_one_plain_id_is_refused_before_sending(twilio_profile: Path, command: str,
                                                                      call_id: str) -> None:
    with serve(lambda _r: Reply(500, b"", {})) as server:
        result = run_cli(command, "--profile", "tw", "--base-url", server.url, "--secret-stdin", "--", call_id,
                         home=twilio_profile, stdin="token")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"call-launcher: CALL_ID {call_id!r} is not a call id")
    assert result.stderr.count("Nothing was sent.") == 1
    assert server.requests == []


def test_an_empty_call_id_on_the_sandbox_profile_sends_nothing(launcher_home: Path) -> None:
    result = run_cli("status", "--profile", "sandbox-twilio", "", home=launcher_home)
    assert result.returncode == 2
    assert result.stderr.startswith("call-launcher: CALL_ID '' is not a call id")


# -- 4. the history learns the final state ---------------------------------------------------------
def _attempt_for(call_id: str) -> tuple[str, str | None, str | None]:
    with HistoryStore(default_history_path()) as history:
        (attempt,) = [a for a in history.iter_attempts() if a.call_id == call_id]
        return attempt.status.value, attempt.outcome, attempt.error


def _place(sandbox: RunningSandbox, home: Path, to: str) -> str:
    result = run_cli("call", "--profile", "sandbox-twilio", "--base-url", base_url(sandbox, "twilio"),
                     *values_for("twilio", to), "--json", home=home)
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["call_id"])


def test_status_wait_records_the_final_state_in_the_history(sandbox: RunningSandbox, launcher_home: Path) -> None:
    call_id = _place(sandbox, launcher_home, "+15555550001")  # busy after 3 simulated seconds
    assert _attempt_for(call_id) == ("unknown", None, UNFINISHED_MESSAGE)
    result = run_cli("status", "--profile", "sandbox-twilio", "--base-url", sandbox.url, call_id, "--wait",
                     home=launcher_home)
    assert result.returncode == 0, result.stderr
    assert _attempt_for(call_id) == ("ended", "busy", None)


def test_hangup_records_the_final_state_in_the_history(sandbox: RunningSandbox, launcher_home: Path) -> None:
    call_id = _place(sandbox, launcher_home, LONG_CALL)
    result = run_cli("hangup", "--profile", "sandbox-twilio", "--base-url", sandbox.url, call_id,
                     home=launcher_home)
    assert result.returncode == 0, result.stderr
    status, outcome, error = _attempt_for(call_id)
    assert (status, error) == ("ended", None) and outcome is not None


# -- 5. following stopped at --max-wait: the commands that go on -----------------------------------
def test_status_max_wait_prints_the_commands_to_follow_again_and_to_end(sandbox: RunningSandbox,
                                                                        launcher_home: Path) -> None:
    call_id = _place(sandbox, launcher_home, LONG_CALL)
    result = run_cli("status", "--profile", "sandbox-twilio", "--base-url", sandbox.url, call_id, "--wait",
                     "--max-wait", "1s", home=launcher_home)
    assert result.returncode == 6, result.stderr
    assert "refresh" not in result.stderr
    assert result.stderr.splitlines()[-2:] == [
        f"call-launcher: to follow it again: call-launcher status --profile sandbox-twilio {call_id} --wait "
        f"--base-url {sandbox.url}",
        f"call-launcher: to end it: call-launcher hangup --profile sandbox-twilio {call_id} --base-url {sandbox.url}",
    ]


def test_call_wait_max_wait_prints_the_same_commands(sandbox: RunningSandbox, launcher_home: Path) -> None:
    result = run_cli("call", "--profile", "sandbox-twilio", "--base-url", sandbox.url,
                     *values_for("twilio", LONG_CALL), "--wait", "--max-wait", "1s", home=launcher_home)
    assert result.returncode == 6, result.stderr
    assert "refresh" not in result.stderr
    follow, end = result.stderr.splitlines()[-2:]
    assert re.fullmatch(r"call-launcher: to follow it again: call-launcher status --profile sandbox-twilio CA\w+ "
                        rf"--wait --base-url {re.escape(sandbox.url)}", follow), follow
    assert end.startswith("call-launcher: to end it: call-launcher hangup --profile sandbox-twilio CA")
