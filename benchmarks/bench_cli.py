"""The command line against the official Twilio SDK: the same call, the same loopback sandbox.

The sandbox runs in a process of its own (``call-launcher sandbox --port 0``).  Three commands are
started as fresh processes, in turn (A B C, then B C A, ...) so that a busy moment weighs on all alike:

- ``call-launcher call`` with a saved Twilio profile pointing at the sandbox (secret on stdin, as a
  script passes it; the keyring is not involved), which creates the call and records it in history;
- the same command with ``--dry-run`` (validates and prints the exact request, sends nothing);
- a ten-line script with the official ``twilio`` package creating the same call (``SDK_SCRIPT``).

Each figure is a median of wall-clock times over the runs, with the interquartile range and the
extremes; the ratios are of medians measured in this same run.  Every run uses compiled bytecode.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_overhead import start_sandbox
from common import Result, child_env

ACCOUNT_SID = "ACc0ffee00c0ffee00c0ffee00c0ffee00"
AUTH_TOKEN = "sandbox-twilio-auth-token"
VALUES = ["To=+15555550100", "From=+15555551212", "Url=http://demo.twilio.com/docs/voice.xml"]
SDK_SCRIPT = '''import sys
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
BASE = sys.argv[1]
class Sandbox(TwilioHttpClient):  # the SDK's own transport, addressed to the sandbox
    def request(self, method, url, *args, **kwargs):
        return super().request(method, url.replace("https://api.twilio.com", BASE, 1), *args, **kwargs)
client = Client(sys.argv[2], sys.stdin.read(), http_client=Sandbox())
call = client.calls.create(to="+15555550100", from_="+15555551212", url="http://demo.twilio.com/docs/voice.xml")
print(call.sid, call.status)
'''


def spread(times: list[float]) -> str:
    quartiles = statistics.quantiles(times, n=4)
    return f"IQR {quartiles[0]:.0f}–{quartiles[2]:.0f}, range {min(times):.0f}–{max(times):.0f} ms"


def run_timed(command: list[str], env: dict[str, str], stdin: str, expect: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0 or expect not in done.stdout:
        raise RuntimeError(f"{command[:4]} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def measure(runs: int) -> list[Result]:
    try:
        import twilio  # noqa: F401 - only to know whether the comparison can run
    except ImportError:
        return [Result("CLI create ÷ official Twilio SDK script", float("nan"), "×", 1.0,
                       "not measured: the twilio package is not installed (pip install -e '.[test]')")]
    with tempfile.TemporaryDirectory(prefix="cl-bench-cli-") as tmp:
        env = child_env(Path(tmp) / "home", pycache=Path(tmp) / "pycache")
        sandbox, base_url = start_sandbox()
        try:
            cli = [sys.executable, "-m", "launcher"]
            subprocess.run([*cli, "profiles", "add", "bench", "--provider", "twilio", "--set",
                            f"account_id={ACCOUNT_SID}", "--set", f"base_url={base_url}"],
                           env=env, check=True, capture_output=True)
            script = Path(tmp) / "sdk_create.py"
            script.write_text(SDK_SCRIPT, encoding="utf-8")
            call = [*cli, "call", "--profile", "bench", *(f"--set={value}" for value in VALUES)]
            commands = {
                "create": ([*call, "--secret-stdin"], AUTH_TOKEN, "status    queued"),
                "dry-run": ([*call, "--dry-run"], "", "POST /2010-04-01/Accounts/"),
                "sdk": ([sys.executable, str(script), base_url, ACCOUNT_SID], AUTH_TOKEN, " queued"),
            }
            order = list(commands)
            times: dict[str, list[float]] = {name: [] for name in commands}
            for name in order:  # warm-up: bytecode compiled, files cached
                command, stdin, expect = commands[name]
                run_timed(command, env, stdin, expect)
            for i in range(runs):
                rotated = order[i % 3:] + order[:i % 3]
                for name in rotated:
                    command, stdin, expect = commands[name]
                    times[name].append(run_timed(command, env, stdin, expect))
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=10)
    med = {name: statistics.median(values) for name, values in times.items()}
    cpus = f"{os.cpu_count()} CPUs"
    return [
        Result("CLI `call` create ÷ official Twilio SDK script (same loopback sandbox, fresh processes)",
               med["create"] / med["sdk"], "×", 1.0,
               f"medians of {runs} alternating runs: CLI {med['create']:.0f} ms ({spread(times['create'])}) vs SDK"
               f" {med['sdk']:.0f} ms ({spread(times['sdk'])}); the CLI also records the attempt durably in"
               f" history; {cpus}"),
        Result("CLI `call --dry-run` ÷ that SDK script", med["dry-run"] / med["sdk"], "×", 0.6,
               f"dry run {med['dry-run']:.0f} ms ({spread(times['dry-run'])}), same runs"),
    ]
