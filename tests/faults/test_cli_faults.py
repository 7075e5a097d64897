"""The fault matrix through the command line: every provider × every fault.

The matrix runs ``launcher.cli.main`` in-process (the real argument parsing, profile store, client,
call service and history; only the default timeout is shortened): exit code, stderr, the history
entry the command left, and the create requests the server saw.  A few faults also run as the real
``python -m launcher call`` subprocess, to prove the exit codes and stderr of the installed command.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from launcher.core.history import AttemptStatus
from tests.faults.conftest import SECRET, CliResult
from tests.faults.faults import FAULT_IDS, RESOLVING_TIMEOUT, TIMEOUT, kit_and_fault, open_endpoint
from tests.faults.providers import PROVIDERS

RunCall = Callable[..., CliResult]


@pytest.mark.parametrize("fault_id", FAULT_IDS)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_cli_reports_each_fault_clearly_with_the_right_exit_code(
    provider: str, fault_id: str, run_call: RunCall, tls_server_context: ssl.SSLContext
) -> None:
    kit, fault = kit_and_fault(provider, fault_id)
    extra = ("--wait",) if fault.outcome is AttemptStatus.ENDED else ()
    timeout = RESOLVING_TIMEOUT if fault.endpoint == "unresolvable" else TIMEOUT
    with open_endpoint(fault, kit, tls_server_context) as endpoint:
        result: CliResult = run_call(kit, endpoint.root, *extra, timeout=timeout)
        creates = endpoint.creates
    assert result.code == fault.exit_code, result.stderr
    if fault.exit_code == 0:
        for word in (fault.cli_expect or fault.expect)(kit):
            assert word in result.stdout, (word, result.stdout)
        assert result.stderr == ""
    else:
        assert result.stderr.startswith("call-launcher: "), result.stderr
        for word in fault.expect(kit):
            assert word.lower() in result.stderr.lower(), (word, result.stderr)
        for word in fault.cli_words:  # said once, whether the hint or the CLI says it
            assert result.stderr.lower().count(word) == 1, (word, result.stderr)
        assert "Traceback" not in result.stderr and result.stdout == ""
    assert SECRET not in result.stderr + result.stdout
    assert creates == fault.creates  # never a second create request
    assert [attempt.status for attempt in result.attempts] == [fault.outcome]  # one attempt, the right outcome
    attempt = result.attempts[0]
    if fault.outcome is not AttemptStatus.ENDED:
        for word in fault.expect(kit):
            assert attempt.error is not None and word in attempt.error, (word, attempt.error)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_cli_json_output_carries_the_provider_error(provider: str, run_call: RunCall,
                                                    tls_server_context: ssl.SSLContext) -> None:
    kit, fault = kit_and_fault(provider, "http_429")
    with open_endpoint(fault, kit, tls_server_context) as endpoint:
        result: CliResult = run_call(kit, endpoint.root, "--json")
    assert result.code == 3
    payload = json.loads(result.stdout)
    assert payload["error"] == "ProviderError" and payload["http_status"] == 429
    assert payload["retry_after"] is not None and payload["retry_after"] > 0


def _subprocess_call(home: Path, provider: str, root: str) -> subprocess.CompletedProcess[str]:
    from tests.faults.providers import KITS

    kit = KITS[provider]
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(home))
    add = ["profiles", "add", "faulty", "--provider", provider, "--set", f"account_id={kit.account_id}",
           "--set", f"base_url={kit.base_url(root)}"]
    if kit.username:
        add += ["--set", f"username={kit.username}"]
    added = subprocess.run([sys.executable, "-m", "launcher", *add], capture_output=True, text=True, env=env,
                           timeout=60)
    assert added.returncode == 0, added.stderr
    args = ["call", "--profile", "faulty", "--secret-stdin"]
    for value in kit.cli_values:
        args += ["--set", value]
    return subprocess.run([sys.executable, "-m", "launcher", *args], input=SECRET, capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.mark.parametrize(("provider", "fault_id"), [("twilio", "tls_self_signed"), ("bandwidth", "http_401"),
                                                    ("catapult", "truncated_2xx_json"), ("jambonz", "refused")])
def test_the_installed_command_exits_with_the_documented_codes(
    provider: str, fault_id: str, launcher_home: Path, tls_server_context: ssl.SSLContext
) -> None:
    kit, fault = kit_and_fault(provider, fault_id)
    with open_endpoint(fault, kit, tls_server_context) as endpoint:
        result = _subprocess_call(launcher_home, provider, endpoint.root)
        creates = endpoint.creates
    assert result.returncode == fault.exit_code, result.stderr
    for word in fault.expect(kit):
        assert word.lower() in result.stderr.lower(), (word, result.stderr)
    for word in fault.cli_words:
        assert result.stderr.lower().count(word) == 1, (word, result.stderr)
    assert "Traceback" not in result.stderr
    assert creates == fault.creates
