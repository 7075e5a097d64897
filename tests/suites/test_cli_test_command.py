"""`call-launcher test` in a subprocess: exit codes, JUnit XML, JSON, invalid suites, Ctrl+C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from launcher.core.history import HistoryStore

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "suites"
FAST = ("--sandbox-speed", "20")  # fast, yet slow enough that every state is seen on a loaded machine


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def history_of(home: Path) -> HistoryStore:
    return HistoryStore(home / "data" / "history.sqlite3")


def test_every_example_suite_but_the_failing_one_passes(launcher_home: Path, tmp_path: Path) -> None:
    suites = sorted(p for p in EXAMPLES.glob("*.toml") if p.name != "fails-on-purpose.toml")
    assert suites
    for suite in suites:
        junit = tmp_path / f"{suite.stem}.xml"
        result = run_cli("test", str(suite), "--junit", str(junit), "--concurrency", "4", *FAST, home=launcher_home)
        assert result.returncode == 0, result.stderr
        root = ET.parse(junit).getroot()
        assert root.tag == "testsuite" and root.get("failures") == "0"
        assert root.get("tests") == str(len(root.findall("testcase"))) != "0"
        assert root.findall("testcase/failure") == []
        last = result.stderr.strip().splitlines()[-1]
        assert last == f"{root.get('tests')} passed, 0 failed"


def test_a_failing_suite_exits_1_with_the_failure_in_junit_and_json(launcher_home: Path, tmp_path: Path) -> None:
    junit = tmp_path / "out.xml"
    result = run_cli("test", str(EXAMPLES / "fails-on-purpose.toml"), "--junit", str(junit), "--json", *FAST,
                     home=launcher_home)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "1 passed, 1 failed"
    payload = json.loads(result.stdout)
    assert (payload["passed"], payload["failed"]) == (1, 1)
    failed = payload["tests"][1]
    assert (failed["name"], failed["state"], failed["outcome"]) == ("busy line expected to complete", "failed", "busy")
    assert failed["reason"] == "result: expected completed, got busy; answered_within 10s: the call was not answered"
    root = ET.parse(junit).getroot()
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    cases = root.findall("testcase")
    assert [c.get("name") for c in cases] == ["answered", "busy line expected to complete"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("message") == failed["reason"]
    assert f"call id: {failed['call_id']}" in (failure.text or "")
    with history_of(launcher_home) as history:
        assert history.test_tag(failed["attempt_id"]) == ("Fails on purpose", "busy line expected to complete")
        assert history.get(failed["attempt_id"]).call_id == failed["call_id"]


def test_an_invalid_suite_exits_2_lists_every_problem_and_places_nothing(launcher_home: Path, tmp_path: Path) -> None:
    suite = tmp_path / "bad.toml"
    suite.write_text('[defaults]\nprofile = "sandbox-twilio"\ntimeout = "2 minutes"\n\n'
                     '[[test]]\nname = "a"\nset = { To = "+15555550100", From = "+15005550006", '
                     'Url = "https://example.com/twiml" }\nexpect = { reslut = "completed" }\n\n'
                     '[[test]]\nname = "b"\nprofile = "staging"\n', encoding="utf-8")
    result = run_cli("test", str(suite), *FAST, home=launcher_home)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"call-launcher: invalid suite {suite} (nothing was placed):",
        "  bad.toml:3: timeout: '2 minutes' is not a duration: use a number with s, m or h, like \"10s\", \"2m\" "
        "or \"1h\".",
        "  bad.toml:8: Unknown key 'reslut' in expect; use one of: result, answered_within, min_duration, "
        "max_duration, error_code, http_status, provider_state.",
        "  bad.toml:12: Unknown profile 'staging'; known profiles: sandbox-bandwidth, sandbox-catapult, "
        "sandbox-jambonz, sandbox-twilio.",
    ]
    assert not (launcher_home / "data" / "history.sqlite3").exists()


def test_only_runs_the_named_test_and_an_unknown_name_is_refused(launcher_home: Path) -> None:
    suite = str(EXAMPLES / "sandbox-twilio.toml")
    result = run_cli("test", suite, "--only", "busy line", "--json", *FAST, home=launcher_home)
    assert result.returncode == 0, result.stderr
    assert [t["name"] for t in json.loads(result.stdout)["tests"]] == ["busy line"]
    refused = run_cli("test", suite, "--only", "bussy line", *FAST, home=launcher_home)
    assert refused.returncode == 2
    assert refused.stderr.startswith("call-launcher: --only: no test named 'bussy line'; the suite has: ")
    with history_of(launcher_home) as history:
        assert history.count() == 1


def test_ctrl_c_hangs_up_the_calls_the_suite_placed(launcher_home: Path, tmp_path: Path) -> None:
    suite = tmp_path / "long.toml"
    suite.write_text('[defaults]\nprofile = "sandbox-twilio"\n[defaults.set]\nFrom = "+15005550006"\n'
                     'Url = "https://example.com/twiml"\n[[test]]\nname = "an hour long"\nset.To = "+15555550005"\n',
                     encoding="utf-8")
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home))
    process = subprocess.Popen([sys.executable, "-m", "launcher", "test", str(suite)], env=env,
                               stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stderr is not None
    try:
        assert process.stderr.readline() == "Running 1 test(s) from long\n"
        assert process.stderr.readline() == "  running  an hour long\n"
        with history_of(launcher_home) as history:  # wait for the call id: the call is placed
            while not (attempts := history.query()) or attempts[0].call_id is None:
                pass
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert "hung up the suite's calls still going (1 placed)" in rest
    with history_of(launcher_home) as history:
        (attempt,) = history.query()
        assert (attempt.status.value, attempt.outcome) in {("ended", "completed"), ("ended", "canceled")}


def test_check_prints_a_checklist_and_exits_0_only_when_nothing_failed(launcher_home: Path) -> None:
    good = run_cli("check", "--profile", "sandbox-catapult", "--set", "from=+19195551212", home=launcher_home)
    assert good.returncode == 0, good.stderr
    user = "u-sandboxcatapult7user2q4x"
    assert good.stdout.splitlines() == [
        "Checking profile sandbox-catapult (Bandwidth Catapult v1)",
        "  ok    Profile settings  complete",
        "  ok    Credentials       accepted by sandbox.localhost (HTTP 200)",
        f"  ok    From number       +19195551212 is a phone number of user {user}.",
        "Nothing failed.",
    ]
    bad = run_cli("check", "--profile", "sandbox-catapult", "--set", "from=+19195551213", "--json", home=launcher_home)
    assert bad.returncode == 1
    payload = json.loads(bad.stdout)
    assert payload["passed"] is False
    assert payload["checks"][-1] == {"check": "From number", "status": "failed",
                                     "detail": f"+19195551213 is not a phone number of user {user}."}
    typo = run_cli("check", "--profile", "sandbox-catapult", "--set", "fromm=+19195551213", home=launcher_home)
    assert typo.returncode == 2
    assert "Unknown field 'fromm'" in typo.stderr


def test_an_unusable_history_stops_the_run_before_anything_is_placed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "data").write_text("not a folder", encoding="utf-8")
    result = run_cli("test", str(EXAMPLES / "fails-on-purpose.toml"), *FAST, home=home)
    assert result.returncode == 5
    assert result.stderr.splitlines()[-1] == (
        f"call-launcher: The call history cannot be kept in {home}: {home / 'data'} is a file where a folder is "
        "expected. Move that file away, or set CALL_LAUNCHER_HOME to a writable folder. Nothing was placed.")
