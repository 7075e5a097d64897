"""The real `call-launcher` command in a subprocess: providers, profiles, call (dry run and real)."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from launcher.core.providers import all_adapters
from tests.support.loopback import Recorded, Reply, serve

TWILIO_SID = "AC" + "0123456789abcdef" * 2
JAMBONZ_SID = "fef61e75-cec3-496c-a7bc-8368e4d02a04"

# A profile and the smallest valid create request for each provider.
PROFILES: dict[str, tuple[list[str], list[str]]] = {
    "twilio": (
        [f"account_id={TWILIO_SID}"],
        ["To=+15555551313", "From=+15555551212", "Url=https://example.com/twiml"],
    ),
    "bandwidth": (
        ["account_id=9900000", "username=api-user"],
        ["to=+15555551313", "from=+15555551212", "applicationId=7fc9698a-b04a-468b-9e8f-91238c0d0086",
         "answerUrl=https://www.myapp.com/hello"],
    ),
    "catapult": (
        ["account_id=u-abc123def456", "username=t-token"],
        ["from=+19195551212", "to=sip:someone@somewhere.com", "sipHeaders.X-Header-1=value1"],
    ),
    "jambonz": (
        [f"account_id={JAMBONZ_SID}", "base_url=https://vg.example.com"],
        [f"application_sid={JAMBONZ_SID}", "from=16172375089", "to.type=phone", "to.number=+15555551313"],
    ),
}


def run_cli(
    *args: str, home: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, CALL_LAUNCHER_HOME=str(home), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "launcher", *args], input=stdin, capture_output=True, text=True,
        env=full_env, timeout=120,
    )


def add_profile(home: Path, name: str, provider: str, settings: list[str], secret: str | None = None,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    args = ["profiles", "add", name, "--provider", provider]
    for setting in settings:
        args += ["--set", setting]
    if secret is not None:
        args.append("--secret-stdin")
    return run_cli(*args, home=home, stdin=secret or "", env=env)


def test_providers_json_lists_every_provider_with_full_schemas(launcher_home: Path) -> None:
    result = run_cli("providers", "--json", home=launcher_home)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    by_id = {entry["id"]: entry for entry in payload}
    assert set(by_id) == set(all_adapters()) == {"twilio", "bandwidth", "catapult", "jambonz"}
    for provider_id, adapter in all_adapters().items():
        printed = by_id[provider_id]["fields"]
        assert [f["name"] for f in printed] == [f.name for f in adapter.schema.fields]
        for field in printed:
            assert field["label"] and field["kind"] and field["group"] and field["help"], field["name"]
    twilio_names = {f["name"] for f in by_id["twilio"]["fields"]}
    assert {"To", "From", "Url", "Twiml", "ApplicationSid", "StatusCallbackEvent", "MachineDetection",
            "AsyncAmd", "SipAuthPassword", "CallerId", "CallReason", "CallToken", "Byoc", "TimeLimit"} <= twilio_names
    jambonz_to = next(f for f in by_id["jambonz"]["fields"] if f["name"] == "to")
    assert jambonz_to["kind"] == "object"
    assert {"type", "number", "sipUri", "name", "trunk", "auth"} <= {c["name"] for c in jambonz_to["children"]}


def test_providers_text_output_shows_groups_and_constraints(launcher_home: Path) -> None:
    result = run_cli("providers", "catapult", home=launcher_home)
    assert result.returncode == 0
    assert "callbackTimeout" in result.stdout and "10000" in result.stdout and "sipHeaders" in result.stdout
    unknown = run_cli("providers", "nope", home=launcher_home)
    assert unknown.returncode == 2 and "Unknown provider 'nope'" in unknown.stderr


def test_profile_secret_goes_to_the_keyring_only(launcher_home: Path, secret_service: None) -> None:
    import keyring

    secret = "s3cret-token-value-9f8e7d"
    result = add_profile(launcher_home, "support", "twilio", PROFILES["twilio"][0] + ["label=PROD", "color=#d32f2f"],
                         secret=secret)
    assert result.returncode == 0, result.stderr
    assert "Secret Service" in result.stdout or "keyring" in result.stdout.lower()
    stored = json.loads((launcher_home / "config" / "profiles.json").read_text())
    profile = stored["profiles"][0]
    assert profile["name"] == "support" and profile["label"] == "PROD"
    assert keyring.get_password("call-launcher", f"profile/{profile['id']}") == secret
    for path in launcher_home.rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace"), path

    listed = run_cli("profiles", "list", "--json", home=launcher_home)
    names = [p["name"] for p in json.loads(listed.stdout)]
    assert "support" in names and "sandbox-twilio" in names
    assert secret not in listed.stdout

    removed = run_cli("profiles", "remove", "support", home=launcher_home)
    assert removed.returncode == 0
    assert keyring.get_password("call-launcher", f"profile/{profile['id']}") is None
    assert json.loads((launcher_home / "config" / "profiles.json").read_text())["profiles"] == []


def test_without_a_keyring_the_secret_is_refused_and_nothing_saved(launcher_home: Path) -> None:
    result = add_profile(launcher_home, "support", "twilio", PROFILES["twilio"][0], secret="abc",
                         env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.returncode == 5
    assert "No usable OS keyring" in result.stderr and "never written to plain files" in result.stderr
    assert not (launcher_home / "config" / "profiles.json").exists()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (["account_id=AC123"], "AC followed by 32 hex digits"),
        ([f"account_id={TWILIO_SID}", "base_url=http://api.example.com"],
         "Refusing to send credentials over plain http"),
        ([f"account_id={TWILIO_SID}", "region=XX"], "'XX' is not a region code"),
        ([f"account_id={TWILIO_SID}", "colour=#fff"], "KEY one of"),
        ([f"account_id={TWILIO_SID}", "auth=oauth2"], "'oauth2' is not a way Twilio authenticates"),
    ],
)
def test_bad_profile_settings_are_reported_and_not_saved(
    launcher_home: Path, settings: list[str], message: str
) -> None:
    result = add_profile(launcher_home, "p", "twilio", settings)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (launcher_home / "config" / "profiles.json").exists()


def test_bandwidth_profiles_take_oauth2_client_credentials(launcher_home: Path) -> None:
    result = add_profile(launcher_home, "bw", "bandwidth", ["account_id=9900000", "auth=oauth2"])
    assert result.returncode == 2 and "Enter the Client ID." in result.stderr  # labels follow the choice
    result = add_profile(launcher_home, "bw", "bandwidth", ["account_id=9900000", "auth=sso"])
    assert result.returncode == 2 and "choose one of: default (API user (Basic)), oauth2" in result.stderr
    result = add_profile(launcher_home, "bw", "bandwidth", ["account_id=9900000", "auth=oauth2", "username=cid"])
    assert result.returncode == 0, result.stderr
    listed = run_cli("profiles", "list", "--json", home=launcher_home)
    [saved] = [p for p in json.loads(listed.stdout) if p["name"] == "bw"]
    assert (saved["auth"], saved["username"]) == ("oauth2", "cid")
    dry = run_cli("call", "--profile", "bw", "--dry-run", "--secret-stdin", *[
        arg for value in PROFILES["bandwidth"][1] for arg in ("--set", value)], home=launcher_home, stdin="csecret")
    assert dry.returncode == 0, dry.stderr
    assert "Authorization: Bearer ******** (OAuth 2.0 token for client cid)" in dry.stdout
    assert "csecret" not in dry.stdout


def test_an_unreadable_profiles_file_is_set_aside_not_wiped(launcher_home: Path) -> None:
    config = launcher_home / "config"
    config.mkdir(parents=True)
    (config / "profiles.json").write_text("{ this is not json")
    result = run_cli("profiles", "list", home=launcher_home)
    assert result.returncode == 5
    assert "could not be read" in result.stderr and "moved to" in result.stderr
    backups = list(config.glob("profiles.json.unreadable-*"))
    assert len(backups) == 1 and backups[0].read_text() == "{ this is not json"


@pytest.mark.parametrize("provider", sorted(PROFILES))
def test_dry_run_prints_the_exact_request_without_secrets(launcher_home: Path, provider: str) -> None:
    settings, values = PROFILES[provider]
    assert add_profile(launcher_home, "p", provider, settings).returncode == 0
    args = ["call", "--profile", "p", "--dry-run", "--secret-stdin"]
    for value in values:
        args += ["--set", value]
    secret = "VerySecretValue123"
    result = run_cli(*args, home=launcher_home, stdin=secret)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("POST /")
    assert "Authorization: " in result.stdout and "********" in result.stdout
    assert secret not in result.stdout

    curl = run_cli(*args, "--curl", home=launcher_home, stdin=secret)
    assert curl.returncode == 0, curl.stderr
    words = shlex.split(curl.stdout)
    assert words[:3] == ["curl", "-X", "POST"] and secret not in curl.stdout
    revealed = run_cli(*args, "--curl", "--reveal-secrets", home=launcher_home, stdin=secret)
    assert secret in revealed.stdout


def test_dry_run_body_matches_the_seed_example_for_bandwidth(launcher_home: Path) -> None:
    settings, values = PROFILES["bandwidth"]
    add_profile(launcher_home, "bw", "bandwidth", settings)
    args = ["call", "--profile", "bw", "--dry-run", "--curl"]
    for value in values:
        args += ["--set", value]
    words = shlex.split(run_cli(*args, home=launcher_home).stdout)
    assert words[3] == "https://voice.bandwidth.com/api/v2/accounts/9900000/calls"
    body = json.loads(words[words.index("--data-raw") + 1])
    assert body == {"from": "+15555551212", "to": "+15555551313", "answerUrl": "https://www.myapp.com/hello",
                    "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086"}


def test_invalid_values_list_every_problem_and_send_nothing(launcher_home: Path) -> None:
    requests: list[Recorded] = []

    def responder(record: Recorded) -> Reply:
        requests.append(record)
        return Reply(500)

    with serve(responder) as server:
        add_profile(launcher_home, "p", "twilio", [*PROFILES["twilio"][0], f"base_url={server.url}"])
        result = run_cli("call", "--profile", "p", "--secret-stdin", "--set", "To=12", "--set", "Timeout=9999",
                         "--set", "SendDigits=12x", "--set", "Nope=1", home=launcher_home, stdin="tok")
    assert result.returncode == 2
    for expected in ("To:", "From: From is required", "Timeout: Must be between", "SendDigits:", "Nope: Unknown field",
                     "Url:"):
        assert expected in result.stderr, expected
    assert requests == []


def test_a_set_without_a_value_is_explained_not_called_missing(launcher_home: Path) -> None:
    result = run_cli("call", "--profile", "sandbox-twilio", "--dry-run", "--set", "To", "--set", "From=+15555551313",
                     "--set", "Url=https://example.com/voice", home=launcher_home)
    assert result.returncode == 2
    assert "To: Write FIELD=VALUE, for example To=+15555551212." in result.stderr
    assert "To is required" not in result.stderr


def test_call_sends_once_to_a_loopback_server_and_prints_the_call(launcher_home: Path) -> None:
    call_sid = "CA" + "f" * 32
    answer: dict[str, Any] = {
        "sid": call_sid, "status": "queued", "to": "+15555551313", "from": "+15555551212",
        "date_created": "Tue, 31 Aug 2010 20:36:28 +0000", "start_time": None, "end_time": None,
        "duration": None, "account_sid": TWILIO_SID, "direction": "outbound-api",
    }
    with serve(lambda record: Reply(201, json.dumps(answer).encode(), {"Content-Type": "application/json"})) as server:
        add_profile(launcher_home, "p", "twilio", [*PROFILES["twilio"][0], f"base_url={server.url}"])
        args = ["call", "--profile", "p", "--secret-stdin"]
        for value in PROFILES["twilio"][1]:
            args += ["--set", value]
        result = run_cli(*args, home=launcher_home, stdin="tok")
        as_json = run_cli(*args, "--json", home=launcher_home, stdin="tok")
        requests = list(server.requests)
    assert result.returncode == 0, result.stderr
    assert call_sid in result.stdout and "queued" in result.stdout
    assert json.loads(as_json.stdout)["call_id"] == call_sid
    assert len(requests) == 2  # one per command
    first = requests[0]
    assert first.method == "POST" and first.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Calls.json"
    assert first.headers["content-type"] == "application/x-www-form-urlencoded"
    assert first.body == b"To=%2B15555551313&From=%2B15555551212&Url=https%3A%2F%2Fexample.com%2Ftwiml"


def test_provider_error_is_reported_with_code_and_field(launcher_home: Path) -> None:
    error = {"code": 21211, "message": "The 'To' number +15555551313 is not a valid phone number.",
             "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}
    with serve(lambda record: Reply(400, json.dumps(error).encode(), {"Content-Type": "application/json"})) as server:
        add_profile(launcher_home, "p", "twilio", [*PROFILES["twilio"][0], f"base_url={server.url}"])
        args = ["call", "--profile", "p", "--secret-stdin"]
        for value in PROFILES["twilio"][1]:
            args += ["--set", value]
        result = run_cli(*args, home=launcher_home, stdin="tok")
    assert result.returncode == 3
    assert "HTTP 400" in result.stderr and "21211" in result.stderr and "field: To" in result.stderr


def test_connection_refused_is_a_transport_error(launcher_home: Path) -> None:
    with serve(lambda record: Reply(200)) as server:
        dead_url = server.url
    add_profile(launcher_home, "p", "twilio", [*PROFILES["twilio"][0], f"base_url={dead_url}"])
    args = ["call", "--profile", "p", "--secret-stdin"]
    for value in PROFILES["twilio"][1]:
        args += ["--set", value]
    result = run_cli(*args, home=launcher_home, stdin="tok")
    assert result.returncode == 4
    assert "refused" in result.stderr and result.stderr.lower().count("nothing was sent") == 1


def test_plain_http_to_a_remote_host_is_refused_before_sending(launcher_home: Path) -> None:
    add_profile(launcher_home, "p", "twilio", PROFILES["twilio"][0])
    args = ["call", "--profile", "p", "--secret-stdin", "--base-url", "http://api.example.com"]
    for value in PROFILES["twilio"][1]:
        args += ["--set", value]
    result = run_cli(*args, home=launcher_home, stdin="tok")
    assert result.returncode == 2
    assert "Refusing to send credentials over plain http to api.example.com" in result.stderr


def test_without_a_display_the_window_says_why_instead_of_aborting(launcher_home: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    for args in ([], ["tel:+15555551212"]):
        result = subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True, text=True,
                                env=dict(env, CALL_LAUNCHER_HOME=str(launcher_home)), timeout=60)
        assert result.returncode == 1, result.stderr
        assert "no graphical display here" in result.stderr and "call-launcher call --help" in result.stderr
        assert "platform plugin" not in result.stderr


def test_a_reader_that_goes_away_stops_the_output_quietly(launcher_home: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "launcher", "providers"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home)))
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # gone before the first line (as `| head -1` is after it): every write fails
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 141
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_ctrl_c_while_following_a_built_in_sandbox_call_says_it_ends_with_the_process(launcher_home: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "launcher", "call", "--profile", "sandbox-twilio", "--set", "To=+15555550005",
         "--set", "From=+15005550006", "--set", "Url=https://example.com/t", "--wait"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home)),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "-> ringing" in line:
            break
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "the built-in sandbox ends it with this process." in err and "Traceback" not in err
    assert "call-launcher hangup" not in err  # another process could not reach this process's sandbox
    assert "call-launcher: interrupted" in err


def test_no_command_prints_help(launcher_home: Path) -> None:
    result = run_cli("--version", home=launcher_home)
    assert result.returncode == 0 and result.stdout.startswith("call-launcher ")


def test_self_test_places_a_sandbox_call_per_provider(launcher_home: Path) -> None:
    result = run_cli("--self-test", home=launcher_home, env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("self-test ok: 4 providers")
    assert "4 sandbox calls completed" in result.stdout and "window ok" in result.stdout
    assert result.stdout.count("\n") == 1
    assert not (launcher_home / "data").exists()  # it used a temporary folder


def test_debug_logs_never_contain_the_secret(launcher_home: Path) -> None:
    secret = "Sup3r-Secret-Token-xyz"
    with serve(lambda record: Reply(401, b'{"code":20003,"message":"Authenticate","status":401}')) as server:
        add_profile(launcher_home, "p", "twilio", [*PROFILES["twilio"][0], f"base_url={server.url}"])
        args = ["--log-level", "debug", "call", "--profile", "p", "--secret-stdin"]
        for value in PROFILES["twilio"][1]:
            args += ["--set", value]
        result = run_cli(*args, home=launcher_home, stdin=secret)
        authorization = server.requests[0].headers["authorization"]
    assert result.returncode == 3
    log = (launcher_home / "logs" / "call-launcher.log").read_text()
    assert "sending POST" in log and "HTTP Request" in log
    assert secret not in log and authorization.split()[1] not in log


def test_unknown_log_level_is_refused(launcher_home: Path) -> None:
    result = run_cli("--log-level", "loud", "providers", home=launcher_home)
    assert result.returncode == 2 and "unknown log level 'loud'" in result.stderr
