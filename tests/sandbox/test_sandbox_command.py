"""`call-launcher sandbox` as a real process: the README's curl recipes and the CLI's --wait against it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.sandbox.app import all_simulators

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "launcher", "sandbox", "--port", "0", "--speed", "25"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"on (http://127\.0\.0\.1:\d+)", first)
    assert match, first
    try:
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()


def readme_recipes() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("With `call-launcher sandbox` running, these work as written:", 1)[1]
    block = block.split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith("curl ")]


def test_the_help_publishes_the_outcome_table() -> None:
    out = subprocess.run([sys.executable, "-m", "launcher", "sandbox", "--help"], capture_output=True, text=True,
                         check=True).stdout
    for ending in ("…0001", "…0002", "…0003", "…0004", "…0005"):
        assert ending in out
    assert "loopback" in out


def test_the_banner_names_every_provider_and_its_credentials(served: str) -> None:
    import httpx

    index = httpx.get(served + "/").json()
    assert set(index["providers"]) == set(all_simulators())
    assert index["providers"]["bandwidth"]["base_url"] == served + "/api/v2"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_readme_curl_recipes_work_as_written(served: str) -> None:
    recipes = readme_recipes()
    assert len(recipes) == len(all_simulators()) == 4
    port = served.rsplit(":", 1)[1]
    for recipe in recipes:
        command = shlex.split(recipe.replace("127.0.0.1:8765", f"127.0.0.1:{port}"))
        result = subprocess.run([*command, "-w", "\n%{http_code}"], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        assert result.stdout.rstrip().endswith("201"), (recipe, result.stdout)


SETTINGS = {
    "twilio": (["account_id=ACc0ffee00c0ffee00c0ffee00c0ffee00"],
               ["To=+15555550001", "From=+15005550006", "Url=https://example.com/t"], "busy"),
    "bandwidth": (["account_id=9900000", "username=sandbox-user"],
                  ["to=+15555550100", "from=+15555550199", "applicationId=7fc9698a-b04a-468b-9e8f-91238c0d0086",
                   "answerUrl=https://example.com/answer"], "completed"),
    "bandwidth-oauth2": (["account_id=9900000", "auth=oauth2", "username=sandbox-user"],
                         ["to=+15555550002", "from=+15555550199",
                          "applicationId=7fc9698a-b04a-468b-9e8f-91238c0d0086",
                          "answerUrl=https://example.com/answer"], "no-answer"),
    "catapult": (["account_id=u-sandboxcatapult7user2q4x", "username=t-sandboxcatapult7token2q4"],
                 ["from=+19195551212", "to=+15555550003"], "failed"),
    "jambonz": (["account_id=fef61e75-cec3-496c-a7bc-8368e4d02a04"],
                ["application_sid=0e06a1b0-d49f-4fb8-b973-b5a3c6758de1", "from=+15083728299", "to.type=phone",
                 "to.number=+15555550004"], "busy"),
}


@pytest.mark.parametrize("case", sorted(SETTINGS))
def test_cli_wait_follows_a_call_to_its_end(served: str, case: str, tmp_path: Path) -> None:
    settings, values, outcome = SETTINGS[case]
    provider = case.split("-")[0]
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(tmp_path))
    base = served + all_simulators()[provider].base_path()
    add = ["profiles", "add", "p", "--provider", provider, "--set", f"base_url={base}"]
    for setting in settings:
        add += ["--set", setting]
    assert subprocess.run([sys.executable, "-m", "launcher", *add], env=env, capture_output=True).returncode == 0
    call = ["call", "--profile", "p", "--secret-stdin", "--wait"]
    for value in values:
        call += ["--set", value]
    secret = all_simulators()[provider].credentials.secret
    result = subprocess.run([sys.executable, "-m", "launcher", *call], env=env, input=secret, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "-> ringing" in result.stdout or "-> ended" in result.stdout
    assert f"ended ({outcome})" in result.stdout, result.stdout


def test_copy_as_curl_of_an_oauth2_profile_fetches_its_token_and_creates_the_call(served: str,
                                                                                 tmp_path: Path) -> None:
    settings, values, _ = SETTINGS["bandwidth-oauth2"]
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(tmp_path))
    add = ["profiles", "add", "p", "--provider", "bandwidth", "--set", f"base_url={served}/api/v2"]
    for setting in settings:
        add += ["--set", setting]
    assert subprocess.run([sys.executable, "-m", "launcher", *add], env=env, capture_output=True).returncode == 0
    dry = ["call", "--profile", "p", "--secret-stdin", "--dry-run", "--curl", "--reveal-secrets"]
    for value in values:
        dry += ["--set", value]
    secret = all_simulators()["bandwidth"].credentials.secret
    curl = subprocess.run([sys.executable, "-m", "launcher", *dry], env=env, input=secret, capture_output=True,
                          text=True, timeout=60)
    assert curl.returncode == 0, curl.stderr
    assert "/api/v1/oauth2/token" in curl.stdout and "Authorization: Bearer $(" in curl.stdout
    result = subprocess.run(["bash", "-c", curl.stdout.strip() + " -sS -w '\n%{http_code}'"], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("201"), result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--port", "99999"], "99999 is not a port: use 1 to 65535, or 0 for any free port"),
    (["--port", "-1"], "-1 is not a port"),
    (["--port", "http"], "'http' is not a port number"),
    (["--speed", "0"], "use a number above 0 and at most 10000"),
    (["--speed", "fast"], "'fast' is not a number"),
])
def test_bad_arguments_are_refused_with_the_reason(args: list[str], message: str) -> None:
    result = subprocess.run([sys.executable, "-m", "launcher", "sandbox", *args], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_port_in_use_is_reported_without_a_traceback(served: str) -> None:
    port = served.rsplit(":", 1)[1]
    result = subprocess.run([sys.executable, "-m", "launcher", "sandbox", "--port", port], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr
