"""What a command-line run loads: start-up time is mostly imports, so the expensive ones are kept off
the paths that do not need them.  Checked structurally (the modules a real run ends with), not timed.

- ``call --dry-run`` sends nothing: no event loop, no HTTP client, no sandbox, no history database.
- A call with a saved profile sends over httpx but never loads the sandbox (Starlette, simulators)
  nor httpx's own command-line client (click, rich, pygments).
- Built-in sandbox profiles are static data: only a request sent in-process loads the simulators.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.loopback import Reply, serve

TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_VALUES = ["To=+15555551313", "From=+15555551212", "Url=https://example.com/twiml"]
# Run the real entry point, then report every module the process loaded (stdout stays the command's).
RUNNER = (
    "import json, os, sys\n"
    "from launcher.__main__ import main\n"
    "code = main(sys.argv[1:])\n"
    "with open(os.environ['MODULES_OUT'], 'w') as out:\n"
    "    json.dump(sorted(name for name, module in sys.modules.items() if module is not None), out)\n"
    "sys.exit(code)\n"
)
HTTPX_CLI = {"httpx._main", "click", "rich", "pygments"}
SANDBOX = {"starlette", "launcher.sandbox.app", "launcher.sandbox.base", "launcher.sandbox.engine",
           "launcher.sandbox.providers"}
SENDING = {"asyncio", "httpx", "httpcore", "launcher.core.calls", "launcher.core.history"}


def run_and_list_modules(tmp_path: Path, *args: str, stdin: str = "") -> tuple[int, str, set[str]]:
    out = tmp_path / "modules.json"
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(tmp_path / "home"), MODULES_OUT=str(out))
    done = subprocess.run([sys.executable, "-c", RUNNER, *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert out.exists(), done.stderr
    return done.returncode, done.stdout + done.stderr, set(json.loads(out.read_text()))


def loaded(modules: set[str], names: set[str]) -> list[str]:
    """Which of ``names`` (packages count with their submodules) were loaded."""
    return sorted(m for m in modules if m in names or any(m.startswith(name + ".") for name in names))


def add_saved_profile(tmp_path: Path, base_url: str) -> None:
    code, output, _ = run_and_list_modules(
        tmp_path, "profiles", "add", "p", "--provider", "twilio", "--set", f"account_id={TWILIO_SID}",
        "--set", f"base_url={base_url}",
    )
    assert code == 0, output


@pytest.mark.parametrize("profile", ["sandbox-twilio", "saved"])
def test_dry_run_loads_no_event_loop_http_client_sandbox_or_history(tmp_path: Path, profile: str) -> None:
    if profile == "saved":
        add_saved_profile(tmp_path, "https://api.twilio.com")
        profile = "p"
    code, output, modules = run_and_list_modules(
        tmp_path, "call", "--profile", profile, *(f"--set={value}" for value in TWILIO_VALUES), "--dry-run")
    assert code == 0, output
    assert "To=%2B15555551313&From=%2B15555551212" in output
    assert loaded(modules, SENDING | SANDBOX | HTTPX_CLI) == []
    assert "launcher.core.validate" in modules and "phonenumbers" in modules  # the number was really checked


def test_a_call_with_a_saved_profile_loads_httpx_but_not_its_cli_nor_the_sandbox(tmp_path: Path) -> None:
    answer: dict[str, Any] = {"sid": "CA" + "e" * 32, "status": "queued", "to": "+15555551313",
                              "from": "+15555551212", "account_sid": TWILIO_SID, "direction": "outbound-api"}
    with serve(lambda record: Reply(201, json.dumps(answer).encode(), {"Content-Type": "application/json"})) as server:
        add_saved_profile(tmp_path, server.url)
        code, output, modules = run_and_list_modules(
            tmp_path, "call", "--profile", "p", "--secret-stdin", *(f"--set={value}" for value in TWILIO_VALUES),
            stdin="token")
        requests = len(server.requests)
    assert code == 0, output
    assert requests == 1 and "CA" + "e" * 32 in output
    assert {"httpx", "asyncio", "launcher.core.history"} <= modules
    assert loaded(modules, SANDBOX | HTTPX_CLI) == []


def test_a_call_with_a_builtin_profile_loads_the_simulators_it_sends_to(tmp_path: Path) -> None:
    code, output, modules = run_and_list_modules(
        tmp_path, "call", "--profile", "sandbox-twilio", *(f"--set={value}" for value in TWILIO_VALUES))
    assert code == 0, output
    assert "queued" in output
    assert {"starlette", "launcher.sandbox.app", "httpx"} <= modules
    assert loaded(modules, HTTPX_CLI) == []


def test_listing_profiles_does_not_load_the_sandbox(tmp_path: Path) -> None:
    code, output, modules = run_and_list_modules(tmp_path, "profiles", "list")
    assert code == 0, output
    assert "sandbox-twilio [SANDBOX]" in output
    assert loaded(modules, SANDBOX | SENDING | HTTPX_CLI) == []
