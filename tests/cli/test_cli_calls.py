"""`hangup`, `status`, `calls` and Ctrl+C during `call --wait`: the real command against the loopback
sandbox, and against a loopback server that misbehaves."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core.history import HistoryStore, default_history_path
from launcher.core.models import CallPhase, Outcome
from launcher.sandbox.app import all_simulators
from tests.cli.test_cli import add_profile, run_cli
from tests.support.loopback import Recorded, Reply, serve
from tests.support.sandbox_server import RunningSandbox, running_sandbox

LONG_CALL = "+15555550005"  # the sandbox answers it and keeps it up for an hour
TWILIO_SID = "AC" + "0123456789abcdef" * 2
CALL_SID = "CA" + "fedcba9876543210" * 2


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(speed=50.0) as running:
        yield running


def values_for(provider: str, to: str) -> list[str]:
    """``--set`` arguments of a sandbox call from ``provider`` to ``to``."""
    values = dict(all_simulators()[provider].sample_values())
    args: list[str] = []
    for key, value in values.items():
        if key == "to" and isinstance(value, dict):
            args += ["--set", "to.type=phone", "--set", f"to.number={to}"]
        elif key.lower() == "to":
            args += ["--set", f"{key}={to}"]
        else:
            args += ["--set", f"{key}={value}"]
    return args


def base_url(sandbox: RunningSandbox, provider: str) -> str:
    return sandbox.url + all_simulators()[provider].base_path()


def place(sandbox: RunningSandbox, provider: str, home: Path, to: str = LONG_CALL) -> str:
    result = run_cli("call", "--profile", f"sandbox-{provider}", "--base-url", base_url(sandbox, provider),
                     *values_for(provider, to), "--json", home=home)
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["call_id"])


def test_help_lists_every_command(launcher_home: Path) -> None:
    result = run_cli("--help", home=launcher_home, env={"COLUMNS": "250"})
    assert result.returncode == 0
    listed = {line.split()[0]: " ".join(line.split()[1:]) for line in result.stdout.splitlines()
              if line.startswith("    ") and not line.startswith("     ")}
    assert listed["hangup"] == "end a call by its id (cancels it while ringing, hangs it up once answered)"
    assert listed["status"] == "show a call by its id; --wait follows it to the end"
    assert listed["calls"] == "list the account's recent calls, as the provider lists them"
    assert listed["history"] == "search the local call history (the window's History)"


@pytest.mark.parametrize("provider", ["twilio", "bandwidth", "catapult", "jambonz"])
def test_status_calls_and_hangup_on_the_sandbox(sandbox: RunningSandbox, launcher_home: Path, provider: str) -> None:
    call_id = place(sandbox, provider, launcher_home)
    where = ["--profile", f"sandbox-{provider}", "--base-url", base_url(sandbox, provider)]

    status = run_cli("status", *where, call_id, "--json", home=launcher_home)
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)
    assert shown["call_id"] == call_id and shown["provider"] == provider
    assert shown["phase"] in ("queued", "ringing", "answered") and shown["outcome"] is None

    listed = run_cli("calls", *where, "--json", "--limit", "5", home=launcher_home)
    assert listed.returncode == 0, listed.stderr
    assert call_id in [c["call_id"] for c in json.loads(listed.stdout)]

    ended = run_cli("hangup", *where, call_id, home=launcher_home)
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.startswith(f"Call {call_id} ended (")
    assert sandbox.engine.get(provider, call_id) is not None
    snap = sandbox.engine.get(provider, call_id).snapshot(sandbox.engine.clock.now())
    assert snap.phase is CallPhase.ENDED and snap.ended_by == "hangup"

    again = run_cli("hangup", *where, call_id, home=launcher_home)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Call {call_id} was already over")

    final = run_cli("status", *where, call_id, "--wait", "--json", home=launcher_home)
    assert final.returncode == 0, final.stderr
    assert json.loads(final.stdout)["phase"] == "ended"


def test_status_wait_follows_a_call_to_its_end(sandbox: RunningSandbox, launcher_home: Path) -> None:
    call_id = place(sandbox, "twilio", launcher_home, to="+15555550001")  # busy after 3 simulated seconds
    result = run_cli("status", "--profile", "sandbox-twilio", "--base-url", sandbox.url, call_id, "--wait", "--json",
                     home=launcher_home)
    assert result.returncode == 0, result.stderr
    final = json.loads(result.stdout)
    assert (final["call_id"], final["phase"], final["outcome"], final["provider_status"]) == \
        (call_id, "ended", "busy", "busy")


def test_jambonz_lists_live_calls_only_and_says_so(sandbox: RunningSandbox, launcher_home: Path) -> None:
    result = run_cli("calls", "--profile", "sandbox-jambonz", "--base-url", sandbox.url, "--help", home=launcher_home)
    assert "jambonz lists only calls that are still live" in " ".join(result.stdout.split())


def test_unknown_call_is_the_providers_refusal(sandbox: RunningSandbox, launcher_home: Path) -> None:
    result = run_cli("status", "--profile", "sandbox-twilio", "--base-url", sandbox.url, CALL_SID,
                     home=launcher_home)
    assert result.returncode == 3
    assert f"could not read call {CALL_SID}" in result.stderr and "20404" in result.stderr
    assert "Traceback" not in result.stderr


# -- a loopback server that misbehaves ---------------------------------------------------------------
def twilio_call(status: str) -> bytes:
    return json.dumps({"sid": CALL_SID, "status": status, "to": "+15555550005", "from": "+15005550006"}).encode()


@pytest.fixture
def twilio_profile(launcher_home: Path) -> Path:
    added = add_profile(launcher_home, "tw", "twilio", [f"account_id={TWILIO_SID}"])
    assert added.returncode == 0, added.stderr
    return launcher_home


def test_hangup_refused_exits_3_after_one_fresh_look(twilio_profile: Path) -> None:
    def answer(request: Recorded) -> Reply:
        if request.method == "GET":
            return Reply(200, twilio_call("in-progress"), {"Content-Type": "application/json"})
        return Reply(403, b'{"code": 20003, "message": "Permission denied", "status": 403}',
                     {"Content-Type": "application/json"})

    with serve(answer) as server:
        result = run_cli("hangup", "--profile", "tw", "--base-url", server.url, "--secret-stdin", CALL_SID,
                         home=twilio_profile, stdin="token")
    assert result.returncode == 3, result.stderr
    assert f"could not end call {CALL_SID}" in result.stderr and "Permission denied" in result.stderr
    assert [(r.method, r.body) for r in server.requests] == [
        ("GET", b""), ("POST", b"Status=completed"), ("GET", b"")]
    assert "Traceback" not in result.stderr


def test_hangup_retries_once_when_the_call_changed_state_meanwhile(twilio_profile: Path) -> None:
    """Ringing when read, answered when the cancel lands: Twilio ignores "canceled" for a call in progress
    (21220 here), so the hang-up is sent again for the new state."""
    states = iter(["ringing", "in-progress", "completed"])

    def answer(request: Recorded) -> Reply:
        if request.method == "GET":
            return Reply(200, twilio_call(next(states)), {"Content-Type": "application/json"})
        if request.body == b"Status=canceled":
            return Reply(400, b'{"code": 21220, "message": "Call is not in-progress.", "status": 400}',
                         {"Content-Type": "application/json"})
        return Reply(200, twilio_call("completed"), {"Content-Type": "application/json"})

    with serve(answer) as server:
        result = run_cli("hangup", "--profile", "tw", "--base-url", server.url, "--secret-stdin", CALL_SID,
                         home=twilio_profile, stdin="token")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Call {CALL_SID} ended (completed)."
    assert [r.body for r in server.requests if r.method == "POST"] == [b"Status=canceled", b"Status=completed"]


@pytest.mark.parametrize("command", ["status", "hangup"])
def test_an_unreadable_answer_exits_4(twilio_profile: Path, command: str) -> None:
    with serve(lambda _r: Reply(200, b"<html>maintenance</html>", {"Content-Type": "text/html"})) as server:
        result = run_cli(command, "--profile", "tw", "--base-url", server.url, "--secret-stdin", CALL_SID,
                         home=twilio_profile, stdin="token")
    assert result.returncode == 4, result.stderr
    assert "the answer could not be read" in result.stderr and "Traceback" not in result.stderr


def test_calls_refused_and_redirected(twilio_profile: Path) -> None:
    with serve(lambda _r: Reply(401, b'{"code": 20003, "message": "Authenticate", "status": 401}',
                                {"Content-Type": "application/json"})) as server:
        refused = run_cli("calls", "--profile", "tw", "--base-url", server.url, "--secret-stdin",
                          home=twilio_profile, stdin="token")
    assert refused.returncode == 3 and "Authenticate" in refused.stderr
    assert server.requests[0].path == f"/2010-04-01/Accounts/{TWILIO_SID}/Calls.json?PageSize=20"
    with serve(lambda _r: Reply(307, b"", {"Location": "https://elsewhere.example/"})) as server:
        moved = run_cli("calls", "--profile", "tw", "--base-url", server.url, "--secret-stdin",
                        home=twilio_profile, stdin="token")
    assert moved.returncode == 3 and "redirects are not followed" in moved.stderr
    assert len(server.requests) == 1


def test_credentials_never_go_over_plain_http_to_another_host(twilio_profile: Path) -> None:
    result = run_cli("hangup", "--profile", "tw", "--base-url", "http://api.example.com", "--secret-stdin",
                     CALL_SID, home=twilio_profile, stdin="token")
    assert result.returncode == 2
    assert "Refusing to send credentials over plain http to api.example.com" in result.stderr


# -- Ctrl+C while following ----------------------------------------------------------------------------
def follow_then_interrupt(sandbox: RunningSandbox, home: Path, *extra: str) -> tuple[str, str, int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "launcher", "call", "--profile", "sandbox-twilio", "--base-url", sandbox.url,
         *values_for("twilio", LONG_CALL), "--wait", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, CALL_LAUNCHER_HOME=str(home)),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )
    assert process.stdout is not None
    call_id = ""
    for line in process.stdout:
        if line.strip().startswith("call "):
            call_id = line.split()[1]
        if "-> answered" in line:
            break
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    return call_id, err, process.returncode


def test_ctrl_c_prints_the_exact_hangup_command_and_it_works(sandbox: RunningSandbox, launcher_home: Path) -> None:
    call_id, err, code = follow_then_interrupt(sandbox, launcher_home)
    assert code == 130 and "Traceback" not in err
    command = f"call-launcher hangup --profile sandbox-twilio {call_id} --base-url {sandbox.url}"
    assert f"only the launcher stopped, not the call. To end it: {command}\n" in err
    call = sandbox.engine.get("twilio", call_id)
    assert call is not None and call.snapshot(sandbox.engine.clock.now()).phase is CallPhase.ANSWERED
    argv = shlex.split(command)
    result = run_cli(*argv[1:], home=launcher_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Call {call_id} ended (completed)."
    assert call.snapshot(sandbox.engine.clock.now()).phase is CallPhase.ENDED


def test_hangup_on_interrupt_ends_the_call_and_records_it(sandbox: RunningSandbox, launcher_home: Path) -> None:
    call_id, err, code = follow_then_interrupt(sandbox, launcher_home, "--hangup-on-interrupt")
    assert code == 130 and "Traceback" not in err
    assert f"hanging up call {call_id}" in err and f"Call {call_id} ended (completed)." in err
    call = sandbox.engine.get("twilio", call_id)
    assert call is not None
    snap = call.snapshot(sandbox.engine.clock.now())
    assert (snap.phase, snap.outcome, snap.ended_by) == (CallPhase.ENDED, Outcome.COMPLETED, "hangup")
    with HistoryStore(default_history_path()) as history:
        (attempt,) = history.query()
    assert (attempt.call_id, attempt.status.value, attempt.outcome) == (call_id, "ended", "completed")


def test_hangup_on_interrupt_needs_wait(launcher_home: Path) -> None:
    result = run_cli("call", "--profile", "sandbox-twilio", *values_for("twilio", LONG_CALL), "--hangup-on-interrupt",
                     home=launcher_home)
    assert result.returncode == 2 and "--hangup-on-interrupt goes with --wait." in result.stderr


def test_calls_with_an_answer_that_is_no_list_exits_4(twilio_profile: Path) -> None:
    with serve(lambda _r: Reply(200, b'{"calls": "none today"}', {"Content-Type": "application/json"})) as server:
        result = run_cli("calls", "--profile", "tw", "--base-url", server.url, "--secret-stdin",
                         home=twilio_profile, stdin="token")
    assert result.returncode == 4 and "holds no list of calls" in result.stderr
    assert "Traceback" not in result.stderr
    listed = {"calls": [json.loads(twilio_call("completed")), "junk"]}
    with serve(lambda _r: Reply(200, json.dumps(listed).encode(), {"Content-Type": "application/json"})) as server:
        result = run_cli("calls", "--profile", "tw", "--base-url", server.url, "--secret-stdin", "--json",
                         home=twilio_profile, stdin="token")
    assert result.returncode == 0, result.stderr
    assert [(c["call_id"], c["phase"], c["outcome"]) for c in json.loads(result.stdout)] == \
        [(CALL_SID, "ended", "completed")]


def test_following_stops_at_max_wait_with_exit_6_and_the_way_to_end_it(sandbox: RunningSandbox,
                                                                       launcher_home: Path) -> None:
    call_id = place(sandbox, "twilio", launcher_home)
    where = ["--profile", "sandbox-twilio", "--base-url", sandbox.url]
    status = run_cli("status", *where, call_id, "--wait", "--max-wait", "1s", "--json", home=launcher_home)
    assert status.returncode == 6, status.stderr
    assert json.loads(status.stdout)["phase"] == "answered"
    assert "Stopped following after 1 s" in status.stderr and "Only the launcher stopped" in status.stderr
    followed = run_cli("call", *where, *values_for("twilio", LONG_CALL), "--wait", "--max-wait", "1s",
                       home=launcher_home)
    assert followed.returncode == 6, followed.stderr
    assert "to end it: call-launcher hangup --profile sandbox-twilio CA" in followed.stderr
    assert followed.stderr.rstrip().endswith(f"--base-url {sandbox.url}")
